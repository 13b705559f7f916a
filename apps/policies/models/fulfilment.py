"""Fulfilment cases (政策兑现件): one enterprise's claim to one policy item, from application to payment.

A case belongs to the item's responsible department (``unit``, the owner of the data scope); the service window
that recorded it (``window_unit``) takes part in it. The state machine lives in apps/policies/services/
fulfilment.py (one table of allowed moves); every move is a FulfilmentEvent. ``step_due`` is the deadline of the
current step in working days, set by each move from the item's time limits; a case past it is overdue.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.core.masking import mask_phone
from apps.core.scope import ScopedQuerySet


class FulfilmentState(models.TextChoices):
    PENDING_CONFIRMATION = "pending_confirmation", _("待确认（免申即享）")
    SUBMITTED = "submitted", _("待审核")
    RETURNED = "returned", _("退回补正")
    LEGAL_REVIEW = "legal_review", _("法制审核")
    AWAITING_PAYMENT = "awaiting_payment", _("待兑付")
    PAID = "paid", _("已兑付")
    REJECTED = "rejected", _("不予兑现")
    STOPPED = "stopped", _("已中止（信用限制）")
    WITHDRAWN = "withdrawn", _("已撤回")


#: states in which a case is still being worked
OPEN_STATES = (
    FulfilmentState.PENDING_CONFIRMATION,
    FulfilmentState.SUBMITTED,
    FulfilmentState.RETURNED,
    FulfilmentState.LEGAL_REVIEW,
    FulfilmentState.AWAITING_PAYMENT,
)


class FulfilmentQuerySet(ScopedQuerySet):
    scope_owner = "unit"
    scope_participants = ("window_unit",)

    def open(self) -> "FulfilmentQuerySet":
        return self.filter(state__in=OPEN_STATES)


class Fulfilment(models.Model):
    class Channel(models.TextChoices):
        ONLINE = "online", _("网上申报（企业门户）")
        WINDOW = "window", _("窗口申报")
        AUTO = "auto", _("免申即享")

    class PaymentMethod(models.TextChoices):
        WINDOW = "window", _("窗口兑付")
        TRANSFER = "transfer", _("银行转账")
        OFFSET = "offset", _("抵扣、减免")

    number = models.CharField(_("兑现件编号"), max_length=20, unique=True)
    item = models.ForeignKey("policies.PolicyItem", verbose_name=_("政策条款"), on_delete=models.PROTECT,
                             related_name="fulfilments")  # fmt: skip
    enterprise = models.ForeignKey(
        "enterprises.Enterprise", verbose_name=_("企业"), on_delete=models.PROTECT, related_name="fulfilments"
    )
    unit = models.ForeignKey("org.Unit", verbose_name=_("责任部门"), on_delete=models.PROTECT, related_name="+")
    window_unit = models.ForeignKey(
        "org.Unit", verbose_name=_("受理窗口"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    channel = models.CharField(_("申报渠道"), max_length=10, choices=Channel.choices)
    state = models.CharField(_("状态"), max_length=24, choices=FulfilmentState.choices)
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("申报人账号"), on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )  # fmt: skip
    contact_name = models.CharField(_("联系人"), max_length=50, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    declared_amount = models.DecimalField(_("申报金额（万元）"), max_digits=12, decimal_places=2, null=True, blank=True)
    proposed_amount = models.DecimalField(
        _("拟兑现金额（万元）"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    approved_amount = models.DecimalField(_("核定金额（万元）"), max_digits=12, decimal_places=2, null=True, blank=True)
    paid_amount = models.DecimalField(_("兑付金额（万元）"), max_digits=12, decimal_places=2, null=True, blank=True)
    paid_on = models.DateField(_("兑付日期"), null=True, blank=True)
    payment_method = models.CharField(_("兑付方式"), max_length=10, choices=PaymentMethod.choices, blank=True)
    voucher_number = models.CharField(_("凭证号"), max_length=60, blank=True)
    voucher = models.FileField(_("兑付凭证"), upload_to="policies/vouchers/%Y/", blank=True)
    #: why the matcher found the enterprise eligible (免申即享 cases): the explanation lines of rules.explain
    match_reasons = models.JSONField(_("匹配理由"), default=list, blank=True)
    stop_reason = models.CharField(_("中止原因"), max_length=500, blank=True)
    step_started_on = models.DateField(_("本环节开始日期"), null=True, blank=True)
    step_due = models.DateField(_("本环节办理期限"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("申报时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("生成时间"), auto_now_add=True)

    objects = FulfilmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("政策兑现件")
        verbose_name_plural = _("政策兑现件")
        ordering = ["-id"]
        permissions = [
            ("apply_fulfilment", _("受理窗口申报")),
            ("review_fulfilment", _("审核兑现申请、提出兑现意见")),
            ("legal_review_fulfilment", _("法制审核")),
            ("pay_fulfilment", _("登记兑付")),
        ]
        constraints = [
            # the locks in services/fulfilment.py make the second application wait and refuse it; this holds too
            models.UniqueConstraint(
                fields=["item", "enterprise"],
                condition=models.Q(state__in=[*OPEN_STATES, FulfilmentState.PAID]),
                name="one_live_fulfilment_per_item_and_enterprise",
            ),
        ]
        indexes = [
            models.Index(fields=["unit", "state"], name="fulfilment_unit_state"),
            models.Index(fields=["item", "enterprise"], name="fulfilment_item_enterprise"),
            models.Index(fields=["state", "step_due"], name="fulfilment_state_due"),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.contact_phone)


class FulfilmentEvent(models.Model):
    """A line of a case's history: every move, who made it, when and why."""

    fulfilment = models.ForeignKey(Fulfilment, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("操作"), max_length=20)
    from_state = models.CharField(_("原状态"), max_length=24, choices=FulfilmentState.choices, blank=True)
    to_state = models.CharField(_("新状态"), max_length=24, choices=FulfilmentState.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("操作人"), on_delete=models.PROTECT, null=True, related_name="+"
    )
    note = models.TextField(_("说明"), blank=True)
    amount = models.DecimalField(_("金额（万元）"), max_digits=12, decimal_places=2, null=True, blank=True)
    at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("兑现件记录")
        verbose_name_plural = _("兑现件记录")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.fulfilment_id} {self.action}"


class FulfilmentMaterial(models.Model):
    """A file the enterprise or the window handed in for a case."""

    fulfilment = models.ForeignKey(Fulfilment, on_delete=models.CASCADE, related_name="materials")
    name = models.CharField(_("材料名称"), max_length=100)
    file = models.FileField(_("文件"), upload_to="policies/materials/%Y/%m/")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("上传人"), on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("申报材料")
        verbose_name_plural = _("申报材料")
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.name
