"""Tickets (工单) and their assignments to units (主办/协办).

A ticket belongs to the unit that recorded it (the hotline centre or an area's window): that unit and its
ancestors see it; the units it is assigned to see it by the data scope's participants. The state machine
and every change of state live in apps/appeals/services/transitions.py.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.appeals.models.policies import AppealType, Urgency
from apps.core.masking import mask_id_number, mask_phone
from apps.core.scope import ScopedQuerySet


class Channel(models.TextChoices):
    HOTLINE = "hotline", _("12345热线")
    WINDOW = "window", _("窗口")
    ONLINE = "online", _("网上")
    ENTERPRISE_OFFICER = "enterprise_officer", _("企业服务官")
    CANNOT_DO_WINDOW = "cannot_do_window", _("办不成事窗口")
    LETTER = "letter", _("信件")


class Triage(models.TextChoices):
    HANDLE = "handle", _("受理办理")
    TRANSFER_110 = "transfer_110", _("转110")
    TRANSFER_119 = "transfer_119", _("转119")
    TRANSFER_120 = "transfer_120", _("转120")
    TRANSFER_122 = "transfer_122", _("转122")
    LEGAL_ROUTE = "legal_route", _("告知法定途径")
    EXPLAIN_REFUSE = "explain_refuse", _("解释不予受理")


class State(models.TextChoices):
    REGISTERED = "registered", _("已登记")
    AWAITING_DISPATCH = "awaiting_dispatch", _("待派单")
    AWAITING_SIGN_FOR = "awaiting_sign_for", _("待签收")
    HANDLING = "handling", _("办理中")
    RETURN_PENDING = "return_pending", _("退单待审")
    AWAITING_FOLLOW_UP = "awaiting_follow_up", _("待回访")
    RESOLVED = "resolved", _("已办结")
    MERGED = "merged", _("已合并")
    REFUSED = "refused", _("不予受理")


CLOSED_STATES = (State.RESOLVED, State.MERGED, State.REFUSED)


class Solved(models.TextChoices):
    SOLVED = "solved", _("解决")
    PARTLY = "partly", _("部分解决")
    UNSOLVED = "unsolved", _("未解决")


class Satisfaction(models.IntegerChoices):
    VERY_SATISFIED = 5, _("非常满意")
    SATISFIED = 4, _("满意")
    BASICALLY = 3, _("基本满意")
    DISSATISFIED = 2, _("不满意")
    VERY_DISSATISFIED = 1, _("非常不满意")


class AppealQuerySet(ScopedQuerySet):
    scope_owner = "unit"
    scope_participants = ("assignments__unit",)
    scope_probe = True  # millions of tickets: a handling unit owns none, the hotline centre takes part in none

    def open(self) -> "AppealQuerySet":
        """Tickets not closed (办结, 合并 or 不予受理)."""
        return self.exclude(state__in=CLOSED_STATES)


class Appeal(models.Model):
    """工单: one appeal from a citizen or an enterprise."""

    number = models.CharField(_("工单编号"), max_length=20, unique=True)
    query_code = models.CharField(_("查询码"), max_length=8)
    channel = models.CharField(_("来源渠道"), max_length=20, choices=Channel.choices)
    appeal_type = models.CharField(_("诉求类型"), max_length=20, choices=AppealType.choices)
    category = models.ForeignKey(
        "appeals.Category", verbose_name=_("诉求分类"), on_delete=models.PROTECT, related_name="appeals"
    )
    urgency = models.CharField(_("紧急程度"), max_length=10, choices=Urgency.choices, default=Urgency.NORMAL)
    title = models.CharField(_("标题"), max_length=200)
    content = models.TextField(_("诉求内容"))
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("企业"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="appeals",
    )
    citizen_name = models.CharField(_("诉求人"), max_length=50, blank=True)
    phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    id_number = models.CharField(_("证件号码"), max_length=18, blank=True)
    confidential = models.BooleanField(_("保密"), default=False)
    triage = models.CharField(_("分流结果"), max_length=20, choices=Triage.choices, blank=True)
    triage_note = models.TextField(_("分流说明"), blank=True)
    state = models.CharField(_("状态"), max_length=20, choices=State.choices, default=State.REGISTERED)
    unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("受理单位"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("热线中心或地区"),
    )
    area = models.ForeignKey(
        "org.Unit",
        verbose_name=_("发生地区"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    policy = models.ForeignKey(
        "appeals.TimeLimitPolicy", verbose_name=_("办理时限规则"), on_delete=models.PROTECT, related_name="+"
    )
    dispatched_at = models.DateTimeField(_("派单时间（本轮计时起点）"), null=True, blank=True)
    sign_for_due = models.DateTimeField(_("签收期限"), null=True, blank=True)
    contact_due = models.DateTimeField(_("联系期限"), null=True, blank=True)
    reply_due = models.DateTimeField(_("答复期限"), null=True, blank=True)
    #: when the running stage turns amber (services/clocks.warn_moment), so that lists filter lights in SQL
    warn_at = models.DateTimeField(_("黄灯时间"), null=True, blank=True, editable=False)
    merged_into = models.ForeignKey(
        "self", verbose_name=_("并入工单"), on_delete=models.PROTECT, null=True, blank=True, related_name="merged"
    )
    redo_count = models.PositiveSmallIntegerField(_("重办次数"), default=0)
    solved = models.CharField(_("解决情况"), max_length=10, choices=Solved.choices, blank=True)
    satisfaction = models.PositiveSmallIntegerField(_("满意度"), choices=Satisfaction.choices, null=True, blank=True)
    created_at = models.DateTimeField(_("登记时间"))
    closed_at = models.DateTimeField(_("关闭时间"), null=True, blank=True)
    #: the reply due date that expired without a reply and put the ticket on the follow-up worklist (超期回访)
    expired_for = models.DateTimeField(_("超期未答复的答复期限"), null=True, blank=True)
    expiry_follow_up_pending = models.BooleanField(_("待超期回访"), default=False)
    #: the later "is it still solved?" check (复查回访), scheduled by a solved follow-up
    recheck_due = models.DateTimeField(_("复查回访日期"), null=True, blank=True)
    recheck_listed_at = models.DateTimeField(_("列入复查时间"), null=True, blank=True)
    rechecked_at = models.DateTimeField(_("复查回访时间"), null=True, blank=True)

    objects = AppealQuerySet.as_manager()

    class Meta:
        verbose_name = _("诉求工单")
        verbose_name_plural = _("诉求工单")
        ordering = ["-created_at", "-id"]
        permissions = [
            ("record_appeal", _("登记诉求")),
            ("manage_dispatch", _("派单与审核退单、延期")),
            ("handle_appeal", _("办理诉求")),
            ("follow_up_appeal", _("回访诉求")),
            ("view_appellant_data", _("查看诉求人完整个人信息")),
            ("maintain_codes", _("维护派单目录和办理时限")),
        ]
        indexes = [
            models.Index(fields=["phone", "created_at"], name="appeals_phone_recent"),  # likely_duplicates
            models.Index(fields=["enterprise", "created_at"], name="appeals_enterprise_recent"),  # likely_duplicates
            models.Index(fields=["state", "reply_due"], name="appeals_open_due"),  # overdue scans
            models.Index(fields=["state", "warn_at"], name="appeals_open_warn"),  # the amber filter
            models.Index(fields=["state", "id"], name="appeals_state_number"),  # a unit's list by state, in order
            models.Index(fields=["created_at"], name="appeals_recorded"),  # the list's and the hot spots' dates
            models.Index(fields=["state", "recheck_due"], name="appeals_recheck_due"),  # scan_rechecks
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(satisfaction__isnull=True) | Q(satisfaction__gte=1, satisfaction__lte=5),
                name="appeals_appeal_satisfaction",
            ),
            models.CheckConstraint(
                condition=Q(merged_into__isnull=True) | Q(state="merged"), name="appeals_appeal_merged_state"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    @property
    def is_closed(self) -> bool:
        return self.state in CLOSED_STATES

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.phone)

    @property
    def masked_id_number(self) -> str:
        return mask_id_number(self.id_number)

    def lead_assignment(self) -> "Assignment | None":
        """The current lead unit's assignment (主办), if dispatched."""
        return self.assignments.filter(role=Assignment.Role.LEAD).exclude(state=Assignment.State.RETURNED).first()


class Assignment(models.Model):
    """One unit's part in a ticket: lead (主办) or co-handling (协办), each signing for and replying."""

    class Role(models.TextChoices):
        LEAD = "lead", _("主办")
        CO = "co", _("协办")

    class State(models.TextChoices):
        AWAITING_SIGN_FOR = "awaiting_sign_for", _("待签收")
        HANDLING = "handling", _("办理中")
        RETURN_PENDING = "return_pending", _("退单待审")
        REPLIED = "replied", _("已答复")
        RETURNED = "returned", _("已退单")

    appeal = models.ForeignKey(Appeal, verbose_name=_("工单"), on_delete=models.CASCADE, related_name="assignments")
    unit = models.ForeignKey("org.Unit", verbose_name=_("承办单位"), on_delete=models.PROTECT, related_name="+")
    role = models.CharField(_("承办角色"), max_length=10, choices=Role.choices)
    state = models.CharField(_("状态"), max_length=20, choices=State.choices, default=State.AWAITING_SIGN_FOR)
    created_at = models.DateTimeField(_("派单时间"))
    signed_at = models.DateTimeField(_("签收时间"), null=True, blank=True)
    contacted_at = models.DateTimeField(_("联系时间"), null=True, blank=True)
    replied_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    reply = models.TextField(_("答复内容"), blank=True)
    legal_basis = models.TextField(_("答复依据"), blank=True)
    approved_by = models.CharField(_("审核人"), max_length=50, blank=True)

    class Meta:
        verbose_name = _("承办记录")
        verbose_name_plural = _("承办记录")
        ordering = ["appeal", "role", "id"]
        indexes = [
            # a unit's tickets in number order: merged with the tickets' primary key (core/scope.py)
            models.Index(fields=["unit", "appeal"], name="appeals_assignment_unit_appeal"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["appeal"],
                condition=Q(role="lead") & ~Q(state="returned"),
                name="appeals_one_active_lead",
            ),
            models.UniqueConstraint(
                fields=["appeal", "unit"], condition=~Q(state="returned"), name="appeals_one_active_assignment"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.appeal.number} {self.get_role_display()} {self.unit}"

    @property
    def is_active(self) -> bool:
        return self.state != self.State.RETURNED
