"""The ticket's history and its requests: the append-only event log (流水), returns (退单), extensions (延期)
and pauses of the clock (暂停计时)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Action(models.TextChoices):
    RECORD = "record", _("登记")
    ACCEPT = "accept", _("受理")
    REFUSE = "refuse", _("不予受理")
    DISPATCH = "dispatch", _("派单")
    ANSWER_DIRECTLY = "answer_directly", _("直接答复")
    SIGN_FOR = "sign_for", _("签收")
    CONTACT = "contact", _("联系诉求人")
    REPLY = "reply", _("答复")
    REQUEST_RETURN = "request_return", _("退单申请")
    APPROVE_RETURN = "approve_return", _("同意退单")
    REJECT_RETURN = "reject_return", _("驳回退单")
    REQUEST_EXTENSION = "request_extension", _("延期申请")
    APPROVE_EXTENSION = "approve_extension", _("批准延期")
    REJECT_EXTENSION = "reject_extension", _("驳回延期")
    PAUSE = "pause", _("暂停计时")
    RESUME = "resume", _("恢复计时")
    FOLLOW_UP = "follow_up", _("回访")
    REDO = "redo", _("重办")
    MERGE = "merge", _("并单")
    URGE = "urge", _("催办")
    SUPERVISE = "supervise", _("督办")
    ESCALATE = "escalate", _("提级")
    EXPIRED = "expired", _("超期未答复，列入回访")
    EXPIRY_FOLLOW_UP = "expiry_follow_up", _("超期回访")
    MASTER_REPLIED = "master_replied", _("主工单已答复")
    FOLLOW_UP_MERGED = "follow_up_merged", _("并单回访")
    RECHECK_DUE = "recheck_due", _("列入复查回访")
    RECHECK = "recheck", _("复查回访：仍已解决")
    REOPEN = "reopen", _("复查回访：问题反复，重办")


class Decision(models.TextChoices):
    PENDING = "pending", _("待审核")
    APPROVED = "approved", _("同意")
    REJECTED = "rejected", _("驳回")


class Event(models.Model):
    """One step in a ticket's life, never changed afterwards (Open311 notes and the KPIs come from here)."""

    appeal = models.ForeignKey(
        "appeals.Appeal", verbose_name=_("工单"), on_delete=models.CASCADE, related_name="events"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("操作人"), on_delete=models.PROTECT, null=True, related_name="+"
    )
    actor_unit = models.ForeignKey(
        "org.Unit", verbose_name=_("操作单位"), on_delete=models.PROTECT, null=True, related_name="+"
    )
    action = models.CharField(_("操作"), max_length=30, choices=Action.choices)
    from_state = models.CharField(_("原状态"), max_length=20, blank=True)
    to_state = models.CharField(_("新状态"), max_length=20, blank=True)
    note = models.TextField(_("说明"), blank=True)
    at = models.DateTimeField(_("时间"))

    class Meta:
        verbose_name = _("工单流水")
        verbose_name_plural = _("工单流水")
        ordering = ["appeal", "at", "id"]

    def __str__(self) -> str:
        return f"{self.appeal_id} {self.get_action_display()}"

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            raise ValueError("appeal events are append-only")
        super().save(*args, **kwargs)


class ReturnRequest(models.Model):
    """退单申请: an assigned unit asks to give the ticket back, with the reason and the duty's legal basis."""

    assignment = models.ForeignKey(
        "appeals.Assignment", verbose_name=_("承办记录"), on_delete=models.CASCADE, related_name="return_requests"
    )
    reason = models.TextField(_("退单理由"))
    legal_basis = models.TextField(_("依据"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("申请人"), on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(_("申请时间"))
    decision = models.CharField(_("审核结果"), max_length=10, choices=Decision.choices, default=Decision.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("审核人"), on_delete=models.PROTECT, null=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    decision_note = models.TextField(_("审核意见"), blank=True)

    class Meta:
        verbose_name = _("退单申请")
        verbose_name_plural = _("退单申请")
        ordering = ["assignment", "requested_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["assignment"], condition=Q(decision="pending"), name="appeals_one_pending_return"
            )
        ]

    def __str__(self) -> str:
        return f"{self.assignment} {self.get_decision_display()}"


class ExtensionRequest(models.Model):
    """延期申请: the lead unit asks, before the reply is due, for more working days."""

    assignment = models.ForeignKey(
        "appeals.Assignment", verbose_name=_("承办记录"), on_delete=models.CASCADE, related_name="extension_requests"
    )
    days = models.PositiveSmallIntegerField(_("延期工作日数"))
    reason = models.TextField(_("延期理由"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("申请人"), on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(_("申请时间"))
    decision = models.CharField(_("审批结果"), max_length=10, choices=Decision.choices, default=Decision.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("审批人"), on_delete=models.PROTECT, null=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("审批时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("延期申请")
        verbose_name_plural = _("延期申请")
        constraints = [
            models.UniqueConstraint(
                fields=["assignment"], condition=Q(decision="pending"), name="appeals_one_pending_extension"
            ),
            models.CheckConstraint(condition=Q(days__gte=1), name="appeals_extension_days"),
        ]

    def __str__(self) -> str:
        return f"{self.assignment} +{self.days} {self.get_decision_display()}"


class Pause(models.Model):
    """暂停计时 while the appellant supplies material; the due dates move by the paused working time on resume."""

    appeal = models.ForeignKey(
        "appeals.Appeal", verbose_name=_("工单"), on_delete=models.CASCADE, related_name="pauses"
    )
    reason = models.TextField(_("暂停理由"))
    started_at = models.DateTimeField(_("暂停时间"))
    ended_at = models.DateTimeField(_("恢复时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("暂停计时")
        verbose_name_plural = _("暂停计时")
        ordering = ["appeal", "started_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["appeal"], condition=Q(ended_at__isnull=True), name="appeals_one_open_pause"
            ),
            models.CheckConstraint(
                condition=Q(ended_at__isnull=True) | Q(ended_at__gte=models.F("started_at")), name="appeals_pause_order"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.appeal_id} {self.started_at:%Y-%m-%d %H:%M}"
