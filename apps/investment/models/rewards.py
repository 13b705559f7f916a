"""Introducers (引荐人) and their rewards: a rule by bands of actual fixed-asset investment, claims
confirmed jointly by the investment bureau and the project's county, then paid."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.core.masking import mask_id_number, mask_phone
from apps.core.scope import ScopedQuerySet


class IntroducerQuerySet(ScopedQuerySet):
    scope_owner = "unit"


class Introducer(models.Model):
    class Kind(models.TextChoices):
        PERSON = "person", _("个人")
        ENTERPRISE = "enterprise", _("企业或机构")

    kind = models.CharField(_("类别"), max_length=10, choices=Kind.choices)
    name = models.CharField(_("姓名或名称"), max_length=200)
    enterprise = models.ForeignKey(
        "enterprises.Enterprise", verbose_name=_("对应企业"), on_delete=models.PROTECT, null=True, blank=True
    )
    phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    id_number = models.CharField(_("身份证号"), max_length=18, blank=True)
    unit = models.ForeignKey("org.Unit", verbose_name=_("备案单位"), on_delete=models.PROTECT, related_name="+")
    note = models.CharField(_("备注"), max_length=200, blank=True)
    registered_on = models.DateField(_("备案日期"))

    objects = IntroducerQuerySet.as_manager()

    class Meta:
        verbose_name = _("引荐人")
        verbose_name_plural = _("引荐人")
        ordering = ["-registered_on", "-id"]

    def __str__(self) -> str:
        return self.name

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.phone)

    @property
    def masked_id_number(self) -> str:
        return mask_id_number(self.id_number)


class RewardRule(models.Model):
    """How much an introducer earns: per mille of actual fixed-asset investment, by band, with a cap.

    ``bands`` is a list of {"from": 万元, "per_mille": ‰}, lowest band first; each part of the
    investment above a band's lower bound earns that band's rate (宣州区: 3‰ / 2‰ / 1.5‰).
    """

    name = models.CharField(_("名称"), max_length=100)
    bands = models.JSONField(_("分档比例"), default=list)
    cap = models.DecimalField(_("单个项目上限（万元）"), max_digits=12, decimal_places=2, null=True, blank=True)
    claim_within_days = models.PositiveIntegerField(_("申报期限（投产后天数）"), default=365)
    valid_from = models.DateField(_("生效日期"))
    valid_to = models.DateField(_("失效日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("引荐奖励办法")
        verbose_name_plural = _("引荐奖励办法")
        ordering = ["-valid_from"]

    def __str__(self) -> str:
        return self.name

    def reward_for(self, investment: Decimal) -> Decimal:
        """The reward (万元) on an actual fixed-asset investment (万元), before any share."""
        total = Decimal(0)
        bands = sorted(self.bands, key=lambda b: Decimal(str(b["from"])))
        for n, band in enumerate(bands):
            low = Decimal(str(band["from"]))
            high = Decimal(str(bands[n + 1]["from"])) if n + 1 < len(bands) else None
            if investment <= low:
                break
            part = (min(investment, high) if high is not None else investment) - low
            total += part * Decimal(str(band["per_mille"])) / 1000
        if self.cap is not None:
            total = min(total, self.cap)
        return total.quantize(Decimal("0.01"))


class RewardClaimQuerySet(ScopedQuerySet):
    scope_owner = "project__unit"


class RewardClaim(models.Model):
    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("已申报")
        BUREAU_CONFIRMED = "bureau_confirmed", _("招商部门已确认")
        CONFIRMED = "confirmed", _("已联合确认")
        PAID = "paid", _("已兑付")
        REJECTED = "rejected", _("不予奖励")

    project = models.ForeignKey(
        "investment.Project", verbose_name=_("项目"), on_delete=models.PROTECT, related_name="rewards"
    )
    introducer = models.ForeignKey(
        Introducer, verbose_name=_("引荐人"), on_delete=models.PROTECT, related_name="rewards"
    )
    rule = models.ForeignKey(RewardRule, verbose_name=_("奖励办法"), on_delete=models.PROTECT)
    share = models.PositiveSmallIntegerField(_("分成比例（%）"), default=100)
    base_investment = models.DecimalField(_("实际固定资产投资（万元）"), max_digits=14, decimal_places=2)
    amount = models.DecimalField(_("奖励金额（万元）"), max_digits=12, decimal_places=2)
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.SUBMITTED)
    bureau_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    bureau_confirmed_at = models.DateTimeField(_("招商部门确认时间"), null=True, blank=True)
    county_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    county_confirmed_at = models.DateTimeField(_("区县确认时间"), null=True, blank=True)
    returned_reason = models.TextField(_("退回原因"), blank=True)
    returned_at = models.DateTimeField(_("退回时间"), null=True, blank=True)
    rejected_reason = models.TextField(_("不予奖励理由"), blank=True)
    rejected_at = models.DateTimeField(_("不予奖励时间"), null=True, blank=True)
    paid_on = models.DateField(_("兑付日期"), null=True, blank=True)
    voucher_number = models.CharField(_("兑付凭证号"), max_length=50, blank=True)
    paid_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("兑付登记人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    note = models.TextField(_("说明"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = RewardClaimQuerySet.as_manager()

    class Meta:
        verbose_name = _("引荐奖励")
        verbose_name_plural = _("引荐奖励")
        ordering = ["-created_at", "-id"]
        permissions = [("confirm_reward", _("确认引荐奖励"))]
        constraints = [
            models.UniqueConstraint(fields=["project", "introducer"], name="one_reward_per_introducer_and_project"),
            models.CheckConstraint(condition=models.Q(share__gte=1, share__lte=100), name="reward_share_percent"),
        ]

    def __str__(self) -> str:
        return f"{self.project_id} · {self.introducer_id}"
