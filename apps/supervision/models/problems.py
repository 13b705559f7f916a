"""The rectification ledger (问题整改台账): problems found by a self-check, an inspection, an evaluation …,
each rectified by its responsible unit on a timetable and signed off (销号) by the supervising office.

A problem belongs to its responsible unit (the scope owner); its co-units and its supervising unit take part
in it and see it. Status moves are in services/problems.py (one table); every move, reminder and upload is a
ProblemEvent, which nothing edits.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.scope import ScopedQuerySet


class ProblemQuerySet(ScopedQuerySet):
    scope_owner = "unit"
    scope_participants = ("co_units", "supervising_unit")

    def open(self) -> "ProblemQuerySet":
        """Problems the responsible unit still works on (待整改, 整改中)."""
        return self.filter(status__in=Problem.OPEN_STATUSES)

    def search(self, text: str) -> "ProblemQuerySet":
        """Problems whose code, title, source reference or measures contain the text."""
        if not text:
            return self
        return self.filter(
            Q(code__icontains=text)
            | Q(title__icontains=text)
            | Q(source_reference__icontains=text)
            | Q(measures__icontains=text)
        )


class Problem(models.Model):
    """整改问题: one problem on the ledger."""

    class Status(models.TextChoices):
        PENDING = "pending", _("待整改")
        IN_PROGRESS = "in_progress", _("整改中")
        REPORTED = "reported", _("已报告完成")
        SIGNED_OFF = "signed_off", _("已销号")

    class Source(models.TextChoices):
        SELF_CHECK = "self_check", _("自查表")
        INSPECTION = "inspection", _("明察暗访")
        THIRD_PARTY = "third_party", _("第三方评估")
        BIZENV_FLAG = "bizenv_flag", _("营商环境评价预警")
        APPEAL_HOTSPOT = "appeal_hotspot", _("诉求热点")
        INSTRUCTION = "instruction", _("领导批示")
        COMMITMENT = "commitment", _("承诺未兑现")
        GOVERNMENT_DEFAULT = "gov_default", _("政府违约失信")
        OTHER = "other", _("其他")

    class Kind(models.TextChoices):
        """The three kinds of a self-check form (自查表)."""

        DISHONEST = "dishonest", _("不诚信")
        IRREGULAR = "irregular", _("不规范")
        INACTION = "inaction", _("不担当")

    OPEN_STATUSES = (Status.PENDING, Status.IN_PROGRESS)

    code = models.CharField(_("问题编号"), max_length=20, unique=True)
    title = models.CharField(_("问题"), max_length=200)
    description = models.TextField(_("具体表现"), blank=True)
    source = models.CharField(_("问题来源"), max_length=16, choices=Source.choices)
    kind = models.CharField(_("自查类别"), max_length=10, choices=Kind.choices, blank=True)
    source_reference = models.CharField(
        _("来源说明"), max_length=200, blank=True, help_text=_("如：2026年第一轮自查、市长批示〔2026〕3号")
    )
    unit = models.ForeignKey("org.Unit", verbose_name=_("责任单位"), on_delete=models.PROTECT, related_name="+")
    co_units = models.ManyToManyField("org.Unit", verbose_name=_("配合单位"), blank=True, related_name="+")
    supervising_unit = models.ForeignKey(
        "org.Unit", verbose_name=_("督办单位"), on_delete=models.PROTECT, related_name="+"
    )
    measures = models.TextField(_("整改措施"), blank=True)
    due_on = models.DateField(_("整改时限"))
    status = models.CharField(_("状态"), max_length=12, choices=Status.choices, default=Status.PENDING)
    report = models.TextField(_("整改完成情况"), blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("报告人"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )  # fmt: skip
    reported_at = models.DateTimeField(_("报告时间"), null=True, blank=True)
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("销号人"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )  # fmt: skip
    signed_off_at = models.DateTimeField(_("销号时间"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("登记人"), on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("登记时间"), default=timezone.now)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = ProblemQuerySet.as_manager()

    class Meta:
        verbose_name = _("整改问题")
        verbose_name_plural = _("整改问题")
        ordering = ["due_on", "code"]
        permissions = [
            ("manage_problem", _("督办整改问题（立项、核验、销号、退回、导入）")),
            ("report_progress", _("报告整改进展")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="signed_off") | Q(signed_off_at__isnull=False), name="supervision_signed_off_dated"
            ),
        ]
        indexes = [
            models.Index(fields=["status", "due_on"], name="supervision_status_due"),  # the daily scan, RAG filters
            models.Index(fields=["unit", "status"], name="supervision_unit_status"),  # a unit's own ledger
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    @property
    def created_on(self):
        return timezone.localtime(self.created_at).date()


class Milestone(models.Model):
    """A step of the problem's timetable (时间表): what is to be done by when, and when it was done."""

    problem = models.ForeignKey(Problem, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(_("节点任务"), max_length=200)
    due_on = models.DateField(_("完成时限"))
    done_on = models.DateField(_("完成日期"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("确认人"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )  # fmt: skip

    class Meta:
        verbose_name = _("整改节点")
        verbose_name_plural = _("整改节点")
        ordering = ["problem", "due_on", "id"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_done(self) -> bool:
        return self.done_on is not None


class Evidence(models.Model):
    """佐证材料: a file the responsible unit uploads to show the rectification."""

    problem = models.ForeignKey(Problem, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(_("文件"), upload_to="supervision/evidence/%Y/%m/")
    description = models.CharField(_("说明"), max_length=200)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("上传人"), on_delete=models.PROTECT, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("上传时间"), default=timezone.now)

    class Meta:
        verbose_name = _("佐证材料")
        verbose_name_plural = _("佐证材料")
        ordering = ["problem", "uploaded_at", "id"]

    def __str__(self) -> str:
        return self.description

    @property
    def filename(self) -> str:
        return self.file.name.rsplit("/", 1)[-1]


class ProblemEvent(models.Model):
    """One line of a problem's history (append-only: no page or service changes one)."""

    class Action(models.TextChoices):
        CREATE = "create", _("立项")
        UPDATE = "update", _("修改")
        START = "start", _("开始整改")
        MILESTONE = "milestone", _("完成节点")
        EVIDENCE = "evidence", _("上传佐证材料")
        REPORT = "report", _("报告整改完成")
        RETURN = "return", _("退回")
        SIGN_OFF = "sign_off", _("销号")
        REMIND = "remind", _("提醒")
        URGE = "urge", _("催办")
        SUPERVISE = "supervise", _("督办")
        CLEARANCE = "clearance", _("登记清偿")

    problem = models.ForeignKey(Problem, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("动作"), max_length=10, choices=Action.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("操作人"), on_delete=models.PROTECT, null=True, related_name="+"
    )
    note = models.TextField(_("说明"), blank=True)
    at = models.DateTimeField(_("时间"), default=timezone.now)

    class Meta:
        verbose_name = _("整改记录")
        verbose_name_plural = _("整改记录")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.problem_id}: {self.action}"


class Reminder(models.Model):
    """A 提醒/催办/督办 the scan sent: at most one per level for each due date of a problem."""

    class Level(models.TextChoices):
        REMIND = "remind", _("提醒")
        URGE = "urge", _("催办")
        SUPERVISE = "supervise", _("督办")

    problem = models.ForeignKey(Problem, on_delete=models.CASCADE, related_name="reminders")
    level = models.CharField(_("级别"), max_length=10, choices=Level.choices)
    due_on = models.DateField(_("当时的整改时限"))
    sent_at = models.DateTimeField(_("发送时间"), default=timezone.now)

    class Meta:
        verbose_name = _("提醒催办记录")
        verbose_name_plural = _("提醒催办记录")
        ordering = ["problem", "sent_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["problem", "level", "due_on"], name="supervision_one_reminder_per_level")
        ]

    def __str__(self) -> str:
        return f"{self.problem_id}: {self.level} {self.due_on}"
