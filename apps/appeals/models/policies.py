"""Time limits (办理时限) as versioned configuration: jurisdiction × appeal type × urgency.

The national documents leave the numbers to local rules; the seeded Guangdong-style preset (咨询 2 /
求助·建议 10 / 投诉·举报 15 working days to reply, sign-for within 1 working day) is an example to edit.
A ticket stores the policy version it was given, so a later change does not make old tickets late.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class AppealType(models.TextChoices):
    CONSULTATION = "consultation", _("咨询")
    HELP = "help", _("求助")
    COMPLAINT = "complaint", _("投诉")
    REPORT = "report", _("举报")
    SUGGESTION = "suggestion", _("建议")


class Urgency(models.TextChoices):
    NORMAL = "normal", _("一般")
    URGENT = "urgent", _("紧急")


class LimitUnit(models.TextChoices):
    WORKING_DAYS = "working_days", _("工作日")
    WORKING_HOURS = "working_hours", _("工作小时")
    CALENDAR_DAYS = "calendar_days", _("自然日")
    HOURS = "hours", _("小时")


class TimeLimitPolicyQuerySet(models.QuerySet):
    def valid_on(self, day) -> "TimeLimitPolicyQuerySet":
        """Policies in force on ``day`` (valid_to is the first day no longer valid)."""
        return self.filter(Q(valid_to__isnull=True) | Q(valid_to__gt=day), valid_from__lte=day)


def _amount(label: str):
    return models.PositiveSmallIntegerField(label)


def _unit(label: str):
    return models.CharField(label, max_length=20, choices=LimitUnit.choices, default=LimitUnit.WORKING_DAYS)


class TimeLimitPolicy(models.Model):
    """One version of the limits for a jurisdiction (null = the city's default), type and urgency."""

    jurisdiction = models.ForeignKey(
        "org.Unit",
        verbose_name=_("适用地区"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("留空为默认规则"),
    )
    appeal_type = models.CharField(_("诉求类型"), max_length=20, choices=AppealType.choices)
    urgency = models.CharField(_("紧急程度"), max_length=10, choices=Urgency.choices, default=Urgency.NORMAL)
    version = models.CharField(_("版本"), max_length=30)
    valid_from = models.DateField(_("生效日期"))
    valid_to = models.DateField(_("失效日期"), null=True, blank=True)
    sign_for_amount = _amount(_("签收时限"))
    sign_for_unit = _unit(_("签收时限单位"))
    first_contact_amount = _amount(_("首次联系时限"))
    first_contact_unit = _unit(_("首次联系时限单位"))
    reply_amount = _amount(_("答复时限"))
    reply_unit = _unit(_("答复时限单位"))
    max_extension_days = models.PositiveSmallIntegerField(_("最长延期（工作日）"), default=10)
    #: share of the limit used up at which the light turns amber (黄灯)
    warn_fraction = models.DecimalField(
        _("黄灯阈值（已用时限比例）"), max_digits=3, decimal_places=2, default=Decimal("0.80")
    )
    urge_days_before = models.PositiveSmallIntegerField(
        _("催办：到期前工作日数"), default=1, help_text=_("0 表示到期当日")
    )
    supervise_days_after = models.PositiveSmallIntegerField(_("督办：超期工作日数"), default=0)
    escalate_days_after = models.PositiveSmallIntegerField(_("提级：超期工作日数"), default=5)
    #: the later "is it still solved?" check (FixMyStreet's questionnaire), N working days after a solved follow-up
    recheck_days = models.PositiveSmallIntegerField(
        _("复查回访：回访后工作日数"), default=20, help_text=_("0 表示不复查")
    )
    source = models.TextField(_("依据"), blank=True)

    objects = TimeLimitPolicyQuerySet.as_manager()

    class Meta:
        verbose_name = _("办理时限规则")
        verbose_name_plural = _("办理时限规则")
        ordering = ["appeal_type", "urgency", "-valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["jurisdiction", "appeal_type", "urgency", "valid_from"], name="appeals_policy_version"
            ),
            models.CheckConstraint(
                condition=Q(warn_fraction__gt=0, warn_fraction__lte=1), name="appeals_policy_warn_fraction"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.version} {self.get_appeal_type_display()}/{self.get_urgency_display()}"

    def clean(self) -> None:
        if self.valid_to is not None and self.valid_to <= self.valid_from:
            raise ValidationError({"valid_to": _("失效日期应晚于生效日期。")})
        if self.supervise_days_after > self.escalate_days_after:
            raise ValidationError({"escalate_days_after": _("提级阈值不得早于督办阈值。")})
