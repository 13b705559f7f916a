"""Service ratings (好差评, 国办发〔2019〕51号): five levels, 一次一评 for a service and 一事一评 for a ticket.

A rating belongs to the office that keeps it (the hotline centre, a service hall) and is seen by the rated
unit through the data scope's participants. A bad rating (差评, level 1–2) runs the rectification workflow
(差评整改) of apps/appeals/services/ratings.py; the rated unit may appeal against a mistaken or malicious
rating (申诉复核), and an upheld appeal flags the rating ``excluded`` — never deleted. Ratings nobody gave
but a local rule counts as 满意 are stored with ``defaulted`` and reported apart from real ones.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.appeals.models.appeals import Satisfaction
from apps.appeals.models.process import Decision
from apps.core.scope import ScopedQuerySet

#: 差评 = 不满意 + 非常不满意
BAD_LEVELS = (Satisfaction.DISSATISFIED, Satisfaction.VERY_DISSATISFIED)


class RatingKind(models.TextChoices):
    SERVICE = "service", _("一次一评（服务）")
    TICKET = "ticket", _("一事一评（工单办理）")


class RatingChannel(models.TextChoices):
    ONLINE = "online", _("网上")
    OFFLINE = "offline", _("现场")
    PHONE = "phone", _("电话")
    PORTAL = "portal", _("门户")


class IndicatorGroup(models.TextChoices):
    ONLINE = "online", _("网上服务")
    OFFLINE = "offline", _("现场服务")


#: which content set a channel shows: online services rate the platform, the others the people serving
GROUP_OF_CHANNEL = {
    RatingChannel.ONLINE: IndicatorGroup.ONLINE,
    RatingChannel.PORTAL: IndicatorGroup.ONLINE,
    RatingChannel.OFFLINE: IndicatorGroup.OFFLINE,
    RatingChannel.PHONE: IndicatorGroup.OFFLINE,
}


class RectificationState(models.TextChoices):
    NONE = "none", _("无需整改")
    AWAITING_VERIFICATION = "awaiting_verification", _("待核实")
    RECTIFYING = "rectifying", _("整改中")
    AWAITING_FEEDBACK = "awaiting_feedback", _("待回访")
    CLOSED = "closed", _("已办结")


OPEN_BAD_STATES = (
    RectificationState.AWAITING_VERIFICATION,
    RectificationState.RECTIFYING,
    RectificationState.AWAITING_FEEDBACK,
)


class Finding(models.TextChoices):
    TRUE = "true", _("属实")
    PARTLY = "partly", _("部分属实")
    FALSE = "false", _("不属实")


class RatingAction(models.TextChoices):
    RECORD = "record", _("登记评价")
    DEFAULT = "default", _("默认好评")
    VERIFY = "verify", _("回访核实")
    RECTIFY = "rectify", _("整改")
    FEEDBACK = "feedback", _("反馈评价人")
    FILE_APPEAL = "file_appeal", _("提出申诉")
    UPHOLD_APPEAL = "uphold_appeal", _("申诉成立")
    REJECT_APPEAL = "reject_appeal", _("驳回申诉")
    SECOND_RATING = "second_rating", _("二次评价")


class IndicatorSetQuerySet(models.QuerySet):
    def current(self, group: str, day) -> "IndicatorSet | None":
        """The content set of ``group`` in force on ``day`` (the latest version started by then)."""
        return self.filter(group=group, valid_from__lte=day).order_by("-valid_from", "-pk").first()


class IndicatorSet(models.Model):
    """评价内容: the sub-indicators shown per level, one versioned set per channel group (changed only by approval)."""

    version = models.CharField(_("版本"), max_length=40)
    group = models.CharField(_("适用渠道"), max_length=10, choices=IndicatorGroup.choices)
    valid_from = models.DateField(_("启用日期"))
    indicators = models.JSONField(_("评价指标"), help_text=_("指标名称列表"))
    options = models.JSONField(_("各等级可选内容"), help_text=_("等级（1–5）→ 可选评价内容列表"))

    objects = IndicatorSetQuerySet.as_manager()

    class Meta:
        verbose_name = _("评价内容版本")
        verbose_name_plural = _("评价内容版本")
        ordering = ["group", "-valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["group", "version"], name="appeals_indicator_set_version"),
        ]

    def __str__(self) -> str:
        return f"{self.get_group_display()} {self.version}"

    def options_for(self, level: int) -> list[str]:
        """The content a rater of this level may choose."""
        return list(self.options.get(str(level), []))


class RatingRulesQuerySet(models.QuerySet):
    def current(self, day) -> "RatingRules | None":
        """The rules in force on ``day``."""
        return self.filter(valid_from__lte=day).order_by("-valid_from", "-pk").first()


class RatingRules(models.Model):
    """好差评规则: the working-day limits of the bad-rating workflow and the local 默认好评 rule, versioned."""

    version = models.CharField(_("版本"), max_length=40, unique=True)
    valid_from = models.DateField(_("启用日期"))
    verify_days = models.PositiveSmallIntegerField(_("回访核实时限（工作日）"), default=2)
    rectify_days = models.PositiveSmallIntegerField(_("整改时限（工作日）"), default=15)
    default_enabled = models.BooleanField(
        _("启用默认好评"), default=False, help_text=_("仅在本地规则规定时启用；默认好评单独统计")
    )
    default_after_days = models.PositiveSmallIntegerField(_("未评价视为满意（工作日）"), default=5)
    source = models.CharField(_("依据"), max_length=200, blank=True)

    objects = RatingRulesQuerySet.as_manager()

    class Meta:
        verbose_name = _("好差评规则")
        verbose_name_plural = _("好差评规则")
        ordering = ["-valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(verify_days__gte=1, rectify_days__gte=1, default_after_days__gte=1),
                name="appeals_rating_rules_positive",
            ),
        ]

    def __str__(self) -> str:
        return self.version


class ServiceRatingQuerySet(ScopedQuerySet):
    scope_owner = "office"
    scope_participants = ("unit",)

    def real(self) -> "ServiceRatingQuerySet":
        """Ratings a rater gave (not defaulted) and not excluded after an appeal."""
        return self.filter(defaulted=False, excluded=False)

    def bad(self) -> "ServiceRatingQuerySet":
        """差评: 不满意 and 非常不满意."""
        return self.filter(level__in=BAD_LEVELS)

    def open_bad(self) -> "ServiceRatingQuerySet":
        """Bad ratings still in the rectification workflow."""
        return self.filter(state__in=OPEN_BAD_STATES)


class ServiceRating(models.Model):
    """好差评: one rating of a service (一次一评) or of the handling of a ticket (一事一评)."""

    kind = models.CharField(_("评价对象"), max_length=10, choices=RatingKind.choices)
    appeal = models.ForeignKey(
        "appeals.Appeal",
        verbose_name=_("工单"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="ratings",
    )
    follows = models.ForeignKey(
        "self",
        verbose_name=_("首次评价"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="second_ratings",
        help_text=_("整改反馈后的二次评价所针对的评价"),
    )
    office = models.ForeignKey(
        "org.Unit",
        verbose_name=_("登记单位"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("热线中心或政务服务中心"),
    )
    unit = models.ForeignKey("org.Unit", verbose_name=_("被评价单位"), on_delete=models.PROTECT, related_name="+")
    service_name = models.CharField(_("服务事项"), max_length=200, blank=True)
    staff_name = models.CharField(_("工作人员"), max_length=50, blank=True)
    channel = models.CharField(_("评价渠道"), max_length=10, choices=RatingChannel.choices, blank=True)
    level = models.PositiveSmallIntegerField(_("评价等级"), choices=Satisfaction.choices)
    indicator_set = models.ForeignKey(
        IndicatorSet, verbose_name=_("评价内容版本"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    selected = models.JSONField(_("评价内容"), default=list, blank=True)
    comment = models.TextField(_("评价意见"), blank=True)
    rater_name = models.CharField(_("评价人"), max_length=50, blank=True)
    rater_phone = models.CharField(_("评价人电话"), max_length=20, blank=True)
    rater_enterprise = models.CharField(_("评价人所在企业"), max_length=200, blank=True)
    defaulted = models.BooleanField(_("默认好评"), default=False)
    excluded = models.BooleanField(_("申诉剔除"), default=False)
    exclusion_reason = models.TextField(_("剔除理由"), blank=True)
    rules = models.ForeignKey(
        RatingRules, verbose_name=_("适用规则"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    state = models.CharField(
        _("整改状态"), max_length=25, choices=RectificationState.choices, default=RectificationState.NONE
    )
    verify_due = models.DateTimeField(_("核实期限"), null=True, blank=True)
    verified_at = models.DateTimeField(_("核实时间"), null=True, blank=True)
    finding = models.CharField(_("核实结论"), max_length=10, choices=Finding.choices, blank=True)
    verification_note = models.TextField(_("核实情况"), blank=True)
    rectify_due = models.DateTimeField(_("整改期限"), null=True, blank=True)
    rectified_at = models.DateTimeField(_("整改完成时间"), null=True, blank=True)
    measures = models.TextField(_("整改措施"), blank=True)
    evidence = models.FileField(_("整改佐证材料"), upload_to="appeals/ratings/%Y/%m/", blank=True)
    feedback_at = models.DateTimeField(_("反馈时间"), null=True, blank=True)
    feedback_note = models.TextField(_("反馈情况"), blank=True)
    second_invited = models.BooleanField(_("已邀请二次评价"), default=False)
    rated_at = models.DateTimeField(_("评价时间"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)

    objects = ServiceRatingQuerySet.as_manager()

    class Meta:
        verbose_name = _("好差评")
        verbose_name_plural = _("好差评")
        ordering = ["-rated_at", "-id"]
        permissions = [
            ("record_rating", _("登记好差评")),
            ("verify_rating", _("核实差评、反馈评价人、复核申诉")),
            ("rectify_rating", _("整改差评、提出申诉")),
            ("view_rater_data", _("查看评价人身份信息")),
        ]
        indexes = [
            models.Index(fields=["unit", "rated_at"], name="appeals_rating_unit_rated"),  # summary, KPI per unit
            models.Index(fields=["state", "verify_due"], name="appeals_rating_open_due"),  # bad-rating worklist
        ]
        constraints = [
            models.CheckConstraint(condition=Q(level__gte=1, level__lte=5), name="appeals_rating_level"),
            models.CheckConstraint(
                condition=(Q(kind="ticket") & Q(appeal__isnull=False)) | (Q(kind="service") & Q(appeal__isnull=True)),
                name="appeals_rating_kind_object",
            ),
            models.CheckConstraint(
                condition=Q(kind="ticket") | ~Q(service_name=""), name="appeals_rating_service_named"
            ),
            models.CheckConstraint(condition=~Q(channel="") | Q(defaulted=True), name="appeals_rating_channel"),
            models.CheckConstraint(
                condition=Q(defaulted=False) | Q(level=4, follows__isnull=True), name="appeals_rating_default_satisfied"
            ),
            # 一事一评: one first rating per ticket, one second rating per rating
            models.UniqueConstraint(
                fields=["appeal"], condition=Q(follows__isnull=True), name="appeals_one_rating_per_ticket"
            ),
            models.UniqueConstraint(fields=["follows"], name="appeals_one_second_rating"),
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.get_level_display()}"

    @property
    def is_bad(self) -> bool:
        return self.level in BAD_LEVELS

    @property
    def is_named(self) -> bool:
        """实名: the rater left a name or a phone number to call back."""
        return bool(self.rater_name or self.rater_phone)

    @property
    def object_label(self) -> str:
        """What was rated: the ticket number or the service item."""
        if self.kind == RatingKind.TICKET and self.appeal_id:
            return self.appeal.number
        return self.service_name

    @property
    def evidence_filename(self) -> str:
        return self.evidence.name.rsplit("/", 1)[-1] if self.evidence else ""


class RatingEvent(models.Model):
    """One step of a rating's life, never changed afterwards (the rating page's history)."""

    rating = models.ForeignKey(ServiceRating, verbose_name=_("评价"), on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("操作人"), on_delete=models.PROTECT, null=True, related_name="+"
    )
    actor_unit = models.ForeignKey(
        "org.Unit", verbose_name=_("操作单位"), on_delete=models.PROTECT, null=True, related_name="+"
    )
    action = models.CharField(_("操作"), max_length=20, choices=RatingAction.choices)
    from_state = models.CharField(_("原状态"), max_length=25, blank=True)
    to_state = models.CharField(_("新状态"), max_length=25, blank=True)
    note = models.TextField(_("说明"), blank=True)
    at = models.DateTimeField(_("时间"))

    class Meta:
        verbose_name = _("好差评流水")
        verbose_name_plural = _("好差评流水")
        ordering = ["rating", "at", "id"]

    def __str__(self) -> str:
        return f"{self.rating_id} {self.get_action_display()}"

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            raise ValueError("rating events are append-only")
        super().save(*args, **kwargs)


class RatingAppealQuerySet(ScopedQuerySet):
    scope_owner = "rating__office"
    scope_participants = ("rating__unit",)


class RatingAppeal(models.Model):
    """申诉复核: the rated unit contests a mistaken or malicious rating; an independent reviewer decides."""

    rating = models.ForeignKey(ServiceRating, verbose_name=_("评价"), on_delete=models.PROTECT, related_name="appeals")
    reason = models.TextField(_("申诉理由"))
    evidence = models.FileField(_("申诉证据"), upload_to="appeals/rating-appeals/%Y/%m/", blank=True)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("申诉人"), on_delete=models.PROTECT, related_name="+"
    )
    filed_at = models.DateTimeField(_("申诉时间"))
    decision = models.CharField(_("复核结果"), max_length=10, choices=Decision.choices, default=Decision.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("复核人"), on_delete=models.PROTECT, null=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("复核时间"), null=True, blank=True)
    decision_note = models.TextField(_("复核意见"), blank=True)

    objects = RatingAppealQuerySet.as_manager()

    class Meta:
        verbose_name = _("好差评申诉")
        verbose_name_plural = _("好差评申诉")
        ordering = ["rating", "filed_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["rating"], condition=Q(decision="pending"), name="appeals_one_pending_rating_appeal"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.rating} {self.get_decision_display()}"

    @property
    def evidence_filename(self) -> str:
        return self.evidence.name.rsplit("/", 1)[-1] if self.evidence else ""
