from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.core.scope import ScopedQuerySet


class TeamQuerySet(ScopedQuerySet):
    scope_owner = "unit"


class Team(models.Model):
    """A standing investment team (招商小分队) with fixed members and targets."""

    name = models.CharField(_("名称"), max_length=100)
    unit = models.ForeignKey("org.Unit", verbose_name=_("所属单位"), on_delete=models.PROTECT, related_name="+")
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("队长"), on_delete=models.PROTECT, related_name="+"
    )
    target_regions = models.CharField(_("目标区域"), max_length=200, blank=True, help_text=_("如：长三角、珠三角"))
    target_industries = models.ManyToManyField("enterprises.Industry", verbose_name=_("目标行业"), blank=True)
    is_active = models.BooleanField(_("在用"), default=True)

    objects = TeamQuerySet.as_manager()

    class Meta:
        verbose_name = _("招商小分队")
        verbose_name_plural = _("招商小分队")
        ordering = ["unit__path", "name"]

    def __str__(self) -> str:
        return self.name


class TeamMember(models.Model):
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="members")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("队员"), on_delete=models.PROTECT, related_name="+"
    )
    role = models.CharField(_("分工"), max_length=50, blank=True)
    joined_on = models.DateField(_("加入日期"))
    left_on = models.DateField(_("退出日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("小分队队员")
        verbose_name_plural = _("小分队队员")
        constraints = [
            models.UniqueConstraint(
                fields=["team", "person"], condition=models.Q(left_on=None), name="one_current_membership"
            )
        ]

    def __str__(self) -> str:
        return f"{self.team_id} · {self.person_id}"


class Trip(models.Model):
    """外出招商: a team's trip, the enterprises it visited and what came of it."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="trips")
    starts_on = models.DateField(_("出发日期"))
    ends_on = models.DateField(_("返回日期"))
    destination = models.CharField(_("目的地"), max_length=100)
    visited = models.ManyToManyField("enterprises.Enterprise", verbose_name=_("拜访企业"), blank=True, related_name="+")
    results = models.TextField(_("成果"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("记录人"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("外出招商")
        verbose_name_plural = _("外出招商")
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(ends_on__gte=models.F("starts_on")), name="trip_dates_ordered")
        ]

    def __str__(self) -> str:
        return f"{self.team_id} · {self.destination}"
