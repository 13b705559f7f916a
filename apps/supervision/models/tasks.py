"""Supervision tasks (督办事项): what a meeting decided or a leader instructed, given to a responsible unit with a
due date, reported on every period (旬报 or 月报) and closed by the supervising office.

A task belongs to its responsible unit (the scope owner); its co-units and its supervising unit take part in it.
The unit files one progress report (进展报告) per period; when it is done it asks for closure (申请办结), which the
office closes (已办结) or returns (退回, back to 在办). Moves are in services/tasks.py (one table); every move,
report and reminder is a TaskEvent, which nothing edits.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.scope import ScopedQuerySet


class TaskQuerySet(ScopedQuerySet):
    scope_owner = "unit"
    scope_participants = ("co_units", "supervising_unit")

    def with_unit(self) -> "TaskQuerySet":
        """Tasks the responsible unit still works on (在办)."""
        return self.filter(status=SupervisionTask.Status.IN_PROGRESS)

    def search(self, text: str) -> "TaskQuerySet":
        """Tasks whose code, title, content, source document or leader contain the text."""
        if not text:
            return self
        return self.filter(
            Q(code__icontains=text)
            | Q(title__icontains=text)
            | Q(content__icontains=text)
            | Q(document_title__icontains=text)
            | Q(document_number__icontains=text)
            | Q(leader__icontains=text)
        )


class SupervisionTask(models.Model):
    """督办事项: one task on the supervision ledger."""

    class Source(models.TextChoices):
        STANDING_MEETING = "standing_meeting", _("常务会议")
        SPECIAL_MEETING = "special_meeting", _("专题会议")
        INSTRUCTION = "instruction", _("领导批示")
        ASSIGNED = "assigned", _("上级交办")

    class Cycle(models.TextChoices):
        TEN_DAY = "ten_day", _("旬报")
        MONTHLY = "monthly", _("月报")
        ONCE = "once", _("一次性")

    class Status(models.TextChoices):
        IN_PROGRESS = "in_progress", _("在办")
        CLOSING = "closing", _("申请办结")
        CLOSED = "closed", _("已办结")

    code = models.CharField(_("事项编号"), max_length=20, unique=True)
    title = models.CharField(_("督办事项"), max_length=200)
    content = models.TextField(_("督办内容"))
    source = models.CharField(_("事项来源"), max_length=20, choices=Source.choices)
    document_title = models.CharField(_("来源文件"), max_length=200, help_text=_("如：市政府第12次常务会议纪要"))
    document_number = models.CharField(_("文号"), max_length=60, blank=True, help_text=_("如：示府阅〔2026〕12号"))
    document_date = models.DateField(_("文件日期"))
    document_file = models.FileField(_("来源文件附件"), upload_to="supervision/tasks/%Y/%m/", blank=True)
    leader = models.CharField(_("批示领导"), max_length=50, blank=True, help_text=_("如：张市长"))
    unit = models.ForeignKey("org.Unit", verbose_name=_("责任单位"), on_delete=models.PROTECT, related_name="+")
    co_units = models.ManyToManyField("org.Unit", verbose_name=_("配合单位"), blank=True, related_name="+")
    supervising_unit = models.ForeignKey(
        "org.Unit", verbose_name=_("督办单位"), on_delete=models.PROTECT, related_name="+"
    )
    assigned_on = models.DateField(_("交办日期"), default=timezone.localdate)
    due_on = models.DateField(_("办结时限"))
    cycle = models.CharField(_("报告周期"), max_length=10, choices=Cycle.choices)
    status = models.CharField(_("状态"), max_length=12, choices=Status.choices, default=Status.IN_PROGRESS)
    #: the day the unit asked for closure (its work done); cleared when the office returns the task
    completed_on = models.DateField(_("完成日期"), null=True, blank=True)
    completion_report = models.TextField(_("办结情况"), blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("办结审核人"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )  # fmt: skip
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("登记人"), on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("登记时间"), default=timezone.now)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = TaskQuerySet.as_manager()

    class Meta:
        verbose_name = _("督办事项")
        verbose_name_plural = _("督办事项")
        ordering = ["due_on", "code"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="closed") | Q(closed_at__isnull=False), name="supervision_task_closed_dated"
            ),
            models.CheckConstraint(
                condition=Q(status="in_progress") | Q(completed_on__isnull=False),
                name="supervision_task_completed_dated",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "due_on"], name="supervision_task_status_due"),  # the scan, overdue filter
            models.Index(fields=["unit", "status"], name="supervision_task_unit"),  # a unit's own tasks
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    @property
    def is_open(self) -> bool:
        return self.status != self.Status.CLOSED

    @property
    def is_periodic(self) -> bool:
        return self.cycle != self.Cycle.ONCE

    @property
    def document_filename(self) -> str:
        return self.document_file.name.rsplit("/", 1)[-1] if self.document_file else ""


class ProgressReport(models.Model):
    """进展报告: what the responsible unit reports for one period (a 旬 or a month) of a task."""

    task = models.ForeignKey(SupervisionTask, on_delete=models.CASCADE, related_name="reports")
    period_start = models.DateField(_("报告期起"))
    period_end = models.DateField(_("报告期止"))
    text = models.TextField(_("进展情况"))
    percent = models.PositiveSmallIntegerField(_("完成进度（%）"))
    attachment = models.FileField(_("附件"), upload_to="supervision/task_reports/%Y/%m/", blank=True)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("报送人"), on_delete=models.PROTECT, null=True, related_name="+"
    )
    filed_at = models.DateTimeField(_("报送时间"), default=timezone.now)

    class Meta:
        verbose_name = _("督办事项进展报告")
        verbose_name_plural = _("督办事项进展报告")
        ordering = ["task", "period_start"]
        constraints = [
            models.UniqueConstraint(fields=["task", "period_start"], name="supervision_one_report_per_period"),
            models.CheckConstraint(condition=Q(percent__lte=100), name="supervision_report_percent_max"),
            models.CheckConstraint(condition=Q(period_end__gte=models.F("period_start")), name="supervision_period"),
        ]

    def __str__(self) -> str:
        return f"{self.task_id}: {self.period_start}"

    @property
    def is_late(self) -> bool:
        """Filed after the period ended."""
        return timezone.localtime(self.filed_at).date() > self.period_end

    @property
    def attachment_filename(self) -> str:
        return self.attachment.name.rsplit("/", 1)[-1] if self.attachment else ""


class TaskEvent(models.Model):
    """One line of a task's history (append-only)."""

    class Action(models.TextChoices):
        CREATE = "create", _("交办")
        UPDATE = "update", _("修改")
        REPORT = "report", _("报送进展")
        REQUEST_CLOSE = "request_close", _("申请办结")
        RETURN = "return", _("退回")
        CLOSE = "close", _("办结")
        REMIND = "remind", _("提醒")
        URGE = "urge", _("催办")
        MISSING_REPORT = "missing_report", _("缺报提醒")

    task = models.ForeignKey(SupervisionTask, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("动作"), max_length=16, choices=Action.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("操作人"), on_delete=models.PROTECT, null=True, related_name="+"
    )
    note = models.TextField(_("说明"), blank=True)
    at = models.DateTimeField(_("时间"), default=timezone.now)

    class Meta:
        verbose_name = _("督办事项记录")
        verbose_name_plural = _("督办事项记录")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.task_id}: {self.action}"


class TaskReminder(models.Model):
    """A reminder the scan sent about a task: once per level and day it is about (the due date, or the first day
    of the period whose report is missing)."""

    class Level(models.TextChoices):
        REMIND = "remind", _("提醒")
        URGE = "urge", _("催办")
        MISSING_REPORT = "missing_report", _("缺报提醒")

    task = models.ForeignKey(SupervisionTask, on_delete=models.CASCADE, related_name="reminders")
    level = models.CharField(_("级别"), max_length=16, choices=Level.choices)
    about = models.DateField(_("所涉日期"))
    sent_at = models.DateTimeField(_("发送时间"), default=timezone.now)

    class Meta:
        verbose_name = _("督办事项提醒记录")
        verbose_name_plural = _("督办事项提醒记录")
        ordering = ["task", "sent_at", "id"]
        constraints = [models.UniqueConstraint(fields=["task", "level", "about"], name="supervision_one_task_reminder")]

    def __str__(self) -> str:
        return f"{self.task_id}: {self.level} {self.about}"
