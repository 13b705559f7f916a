"""Government defaults (政府违约失信): a case where a government unit broke its word to an enterprise — arrears owed
to it, a commitment not honoured, a court judgment not performed, terms changed unilaterally — tracked until cleared.

A default is a rectification problem of the ledger (source 政府违约失信) with these details beside it: the unit that
defaulted is the problem's responsible unit, and clearing it runs the problem's lifecycle (report, verification,
sign-off). What is still owed is the amount owed less the clearances recorded against it.
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class GovernmentDefault(models.Model):
    class Kind(models.TextChoices):
        ARREARS = "arrears", _("拖欠企业账款")
        COMMITMENT = "commitment", _("承诺不兑现")
        JUDGMENT = "judgment", _("不履行生效判决")
        CHANGED_TERMS = "changed_terms", _("单方变更合同或规划")
        OTHER = "other", _("其他违约失信")

    class FoundBy(models.TextChoices):
        SURVEY = "survey", _("专项排查")
        COMPLAINT = "complaint", _("企业投诉")
        COURT = "court", _("法院判决")
        AUDIT = "audit", _("审计发现")
        CREDIT_PLATFORM = "credit_platform", _("信用平台")
        OTHER = "other", _("其他")

    problem = models.OneToOneField(
        "supervision.Problem", verbose_name=_("整改问题"), on_delete=models.CASCADE, related_name="government_default"
    )
    enterprise = models.ForeignKey(
        "enterprises.Enterprise", verbose_name=_("涉及企业"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("违约失信类型"), max_length=16, choices=Kind.choices)
    found_by = models.CharField(_("发现渠道"), max_length=16, choices=FoundBy.choices)
    found_on = models.DateField(_("发现日期"))
    amount_owed = models.DecimalField(
        _("涉及金额（万元）"), max_digits=14, decimal_places=2, null=True, blank=True, help_text=_("不涉及金额的留空")
    )
    commitment = models.ForeignKey(
        "supervision.InvestorCommitment", verbose_name=_("所涉政府承诺"), on_delete=models.PROTECT, null=True,
        blank=True, related_name="defaults",
    )  # fmt: skip

    class Meta:
        verbose_name = _("政府违约失信事项")
        verbose_name_plural = _("政府违约失信事项")
        ordering = ["-found_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount_owed__isnull=True) | Q(amount_owed__gt=0), name="supervision_default_amount"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}：{self.problem.title}"

    @property
    def amount_cleared(self) -> Decimal:
        """What the clearances recorded so far add up to (annotate ``cleared`` in lists to avoid a query a row)."""
        if hasattr(self, "cleared"):
            return self.cleared or Decimal(0)
        return self.clearances.aggregate(total=models.Sum("amount"))["total"] or Decimal(0)

    @property
    def amount_outstanding(self) -> Decimal | None:
        if self.amount_owed is None:
            return None
        return max(self.amount_owed - self.amount_cleared, Decimal(0))


class Clearance(models.Model):
    """清偿记录: one payment or act that clears (part of) a default, recorded by the unit that defaulted."""

    default = models.ForeignKey(GovernmentDefault, on_delete=models.CASCADE, related_name="clearances")
    cleared_on = models.DateField(_("清偿日期"))
    amount = models.DecimalField(_("清偿金额（万元）"), max_digits=14, decimal_places=2, default=0)
    note = models.TextField(_("清偿情况"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("登记人"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("登记时间"), default=timezone.now)

    class Meta:
        verbose_name = _("清偿记录")
        verbose_name_plural = _("清偿记录")
        ordering = ["cleared_on", "id"]
        constraints = [models.CheckConstraint(condition=Q(amount__gte=0), name="supervision_clearance_amount")]

    def __str__(self) -> str:
        return f"{self.cleared_on} {self.amount}"
