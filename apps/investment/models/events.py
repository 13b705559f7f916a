from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.core.scope import ScopedQuerySet


class EventQuerySet(ScopedQuerySet):
    scope_owner = "unit"


class Event(models.Model):
    """An expo, a promotion meeting or a signing ceremony (招商活动/节会) where projects are signed."""

    class Kind(models.TextChoices):
        EXPO = "expo", _("展会节会")
        PROMOTION = "promotion", _("招商推介会")
        SIGNING = "signing", _("集中签约仪式")
        VISIT = "visit", _("外出招商活动")

    name = models.CharField(_("活动名称"), max_length=200)
    kind = models.CharField(_("类别"), max_length=10, choices=Kind.choices)
    unit = models.ForeignKey("org.Unit", verbose_name=_("主办单位"), on_delete=models.PROTECT, related_name="+")
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("结束日期"))
    place = models.CharField(_("地点"), max_length=100)
    description = models.TextField(_("说明"), blank=True)

    objects = EventQuerySet.as_manager()

    class Meta:
        verbose_name = _("招商活动")
        verbose_name_plural = _("招商活动")
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(ends_on__gte=models.F("starts_on")), name="event_dates_ordered")
        ]

    def __str__(self) -> str:
        return self.name
