"""The policy registry (惠企政策库): policy documents in "1+N" sets and their items (条款).

A main policy (``kind`` MAIN) and its implementing measures (MEASURE, ``parent`` the main policy) form a set.
Documents are city-wide reference information: every staff user reads them all; the issuing unit (or the city's
policy office) edits them. Whether a document is in force is computed from its dates on every read
(``PolicyQuerySet.state_condition``), never stored, so an expired policy is kept and shown as 已失效 without a scan.

An item says what is given, to whom, on which conditions, by which department, with which materials, and holds
its eligibility rule as data (``rule``, the format of apps/policies/rules.py). A 免申即享 item (``auto_grant``)
has its fulfilment cases opened by the matcher, for the department to confirm.
"""

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class PolicyState(models.TextChoices):
    """A document's state on a day, computed from its dates (and repeal)."""

    DRAFT = "draft", _("草稿")
    PENDING = "pending", _("尚未施行")
    IN_FORCE = "in_force", _("有效")
    EXPIRED = "expired", _("已失效")
    REPEALED = "repealed", _("已废止")


class PolicyQuerySet(models.QuerySet):
    def in_state(self, state: str, today: date) -> "PolicyQuerySet":
        return self.filter(self.state_condition(state, today))

    def in_force(self, today: date) -> "PolicyQuerySet":
        return self.in_state(PolicyState.IN_FORCE, today)

    @staticmethod
    def state_condition(state: str, today: date) -> Q:
        """The condition of a document being in the state on the day (the one rule, also in ``Policy.state_on``)."""
        published = Q(published_at__isnull=False, repealed_on__isnull=True)
        not_expired = Q(expires_on__isnull=True) | Q(expires_on__gte=today)
        conditions = {
            PolicyState.DRAFT: Q(published_at__isnull=True),
            PolicyState.REPEALED: Q(published_at__isnull=False, repealed_on__isnull=False),
            PolicyState.EXPIRED: published & Q(expires_on__lt=today),
            PolicyState.PENDING: published & not_expired & Q(effective_from__gt=today),
            PolicyState.IN_FORCE: published & not_expired & Q(effective_from__lte=today),
        }
        return conditions[state]


class Policy(models.Model):
    """A policy document (政策文件): a main policy or one of its implementing measures."""

    class Kind(models.TextChoices):
        MAIN = "main", _("主政策（“1”）")
        MEASURE = "measure", _("配套实施细则（“N”）")

    title = models.CharField(_("政策名称"), max_length=200)
    document_number = models.CharField(_("文号"), max_length=60)
    kind = models.CharField(_("类别"), max_length=10, choices=Kind.choices, default=Kind.MAIN)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("所属主政策"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="measures",
        help_text=_("配套实施细则填其所依据的主政策。"),
    )
    issuing_unit = models.ForeignKey("org.Unit", verbose_name=_("发文单位"), on_delete=models.PROTECT, related_name="+")
    issued_on = models.DateField(_("发文日期"))
    effective_from = models.DateField(_("施行日期"))
    expires_on = models.DateField(_("有效期至"), null=True, blank=True, help_text=_("长期有效的不填。"))
    summary = models.TextField(_("政策摘要"), blank=True)
    full_text = models.TextField(_("政策原文"), blank=True)
    attachment = models.FileField(_("政策文件"), upload_to="policies/documents/%Y/", blank=True)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    repealed_on = models.DateField(_("废止日期"), null=True, blank=True)
    repeal_note = models.CharField(_("废止说明"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("录入人"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("录入时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = PolicyQuerySet.as_manager()

    class Meta:
        verbose_name = _("惠企政策")
        verbose_name_plural = _("惠企政策")
        ordering = ["-issued_on", "-id"]
        permissions = [
            ("manage_policy", _("维护惠企政策及其条款、资格规则")),
            ("run_matching", _("发起政策匹配")),
            ("view_review", _("查看政策兑现回头看统计")),
        ]
        constraints = [
            models.UniqueConstraint(fields=["document_number"], name="unique_policy_document_number"),
            models.CheckConstraint(
                condition=Q(kind="main", parent__isnull=True) | Q(kind="measure", parent__isnull=False),
                name="policy_measure_has_parent",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title}（{self.document_number}）"

    def state_on(self, today: date) -> str:
        """The document's state on the day (the same rule as ``PolicyQuerySet.state_condition``)."""
        if self.published_at is None:
            return PolicyState.DRAFT
        if self.repealed_on is not None:
            return PolicyState.REPEALED
        if self.expires_on is not None and self.expires_on < today:
            return PolicyState.EXPIRED
        if self.effective_from > today:
            return PolicyState.PENDING
        return PolicyState.IN_FORCE


class BenefitKind(models.TextChoices):
    SUBSIDY = "subsidy", _("资金补贴")
    REWARD = "reward", _("奖励")
    RATE_REDUCTION = "rate_reduction", _("税费减免、费率降低")
    LAND = "land", _("用地保障")
    FEE_WAIVER = "fee_waiver", _("费用减免")
    LOAN = "loan", _("贷款贴息、融资支持")
    SERVICE = "service", _("服务保障")


class PolicyItem(models.Model):
    """An item of a policy (政策条款): one benefit with its conditions, department, materials and rule."""

    policy = models.ForeignKey(Policy, verbose_name=_("所属政策"), on_delete=models.CASCADE, related_name="items")
    number = models.CharField(_("条款序号"), max_length=20, help_text=_("如“第三条”“（二）”。"))
    title = models.CharField(_("条款名称"), max_length=200)
    benefit_kind = models.CharField(_("支持方式"), max_length=20, choices=BenefitKind.choices)
    benefit = models.TextField(_("支持内容"), help_text=_("给予什么：补贴标准或计算方式、减免比例、用地或服务。"))
    #: a fixed amount per enterprise (万元), when the item gives one; otherwise the department proposes it
    fixed_amount = models.DecimalField(_("定额（万元）"), max_digits=12, decimal_places=2, null=True, blank=True)
    cap_amount = models.DecimalField(_("最高限额（万元）"), max_digits=12, decimal_places=2, null=True, blank=True)
    beneficiaries = models.CharField(_("支持对象"), max_length=200)
    conditions = models.TextField(_("申报条件"), help_text=_("政策原文中的条件表述；可自动判断的部分写入资格规则。"))
    materials = models.TextField(_("申报材料"), blank=True, help_text=_("每行一项。"))
    department = models.ForeignKey(
        "org.Unit", verbose_name=_("责任部门"), on_delete=models.PROTECT, related_name="+",
        help_text=_("负责受理审核、提出兑现意见的部门。"),
    )  # fmt: skip
    #: the eligibility rule (apps/policies/rules.py); empty: no condition can be checked automatically
    rule = models.JSONField(_("资格规则"), default=dict, blank=True)
    auto_grant = models.BooleanField(
        _("免申即享"), default=False, help_text=_("符合条件的企业无需申请，由系统生成兑现件，责任部门确认后兑现。")
    )
    review_days = models.PositiveSmallIntegerField(_("部门审核时限（工作日）"), default=10)
    legal_days = models.PositiveSmallIntegerField(_("法制审核时限（工作日）"), default=5)
    payment_days = models.PositiveSmallIntegerField(_("兑付时限（工作日）"), default=10)
    position = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("政策条款")
        verbose_name_plural = _("政策条款")
        ordering = ["policy", "position", "id"]

    def __str__(self) -> str:
        return f"{self.policy.title} {self.number} {self.title}"

    @property
    def material_list(self) -> list[str]:
        return [line.strip() for line in self.materials.splitlines() if line.strip()]
