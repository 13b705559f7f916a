from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.core.scope import ScopedQuerySet


class CalendarYear(models.Model):
    """A year whose holiday arrangement an administrator has entered (for years chinese-calendar lacks)."""

    year = models.PositiveSmallIntegerField(_("年份"), unique=True)
    source = models.CharField(_("依据"), max_length=200, help_text=_("如：国务院办公厅关于2027年部分节假日安排的通知"))
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("录入人"), on_delete=models.PROTECT, null=True, blank=True
    )
    entered_at = models.DateTimeField(_("录入时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("节假日安排年度")
        verbose_name_plural = _("节假日安排年度")
        ordering = ["-year"]

    def __str__(self) -> str:
        return str(self.year)


class CalendarDay(models.Model):
    """One date whose status differs from an ordinary week: a holiday on a weekday or a make-up workday."""

    date = models.DateField(_("日期"), unique=True)
    is_workday = models.BooleanField(_("是否工作日"))
    note = models.CharField(_("说明"), max_length=100, blank=True, help_text=_("如：国庆节、国庆节调休上班"))

    class Meta:
        verbose_name = _("日历调整")
        verbose_name_plural = _("日历调整")
        ordering = ["date"]
        permissions = [("manage_calendar", _("维护工作日历"))]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d}"


class ImportRecord(models.Model):
    """An Excel file on its way in: checked row by row by the task worker, previewed, then committed all
    at once or not at all. Each importing app keeps its own kind of record (the registry's, the ledgers')."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("排队中")
        CHECKING = "checking", _("检查中")
        CHECKED = "checked", _("已检查")
        COMMITTING = "committing", _("导入中")
        COMMITTED = "committed", _("已导入")
        FAILED = "failed", _("失败")

    unit = models.ForeignKey("org.Unit", verbose_name=_("导入单位"), on_delete=models.PROTECT, related_name="+")
    filename = models.CharField(_("文件名"), max_length=200)
    content = models.BinaryField(editable=False)
    status = models.CharField(_("状态"), max_length=12, choices=Status.choices, default=Status.QUEUED)
    total_rows = models.PositiveIntegerField(_("行数"), default=0)
    processed_rows = models.PositiveIntegerField(_("已处理行数"), default=0)
    #: one entry per data row: its number, values, errors by column and what the app decided for it
    rows = models.JSONField(default=list, editable=False)
    #: problems with the file as a whole (missing headers, not a workbook)
    errors = models.JSONField(default=list, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("导入人"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("上传时间"), auto_now_add=True)
    committed_at = models.DateTimeField(_("导入时间"), null=True, blank=True)

    class Meta:
        abstract = True
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.filename

    @property
    def progress_percent(self) -> int:
        return round(100 * self.processed_rows / self.total_rows) if self.total_rows else 0

    @property
    def is_running(self) -> bool:
        return self.status in {self.Status.QUEUED, self.Status.CHECKING, self.Status.COMMITTING}

    @property
    def error_rows(self) -> int:
        return sum(1 for row in self.rows if row.get("errors"))

    @property
    def can_commit(self) -> bool:
        return self.status == self.Status.CHECKED and not self.errors and bool(self.rows) and not self.error_rows


class LedgerImportQuerySet(ScopedQuerySet):
    scope_owner = "unit"


class LedgerImport(ImportRecord):
    """Any app's ledger on its way in; ``kind`` says which (e.g. "investment.projects")."""

    kind = models.CharField(_("台账类别"), max_length=40, db_index=True)
    #: what the commit did, counted by the app, e.g. {"projects": 12, "enterprises_created": 3}
    summary = models.JSONField(default=dict, editable=False)

    objects = LedgerImportQuerySet.as_manager()

    class Meta(ImportRecord.Meta):
        verbose_name = _("台账导入")
        verbose_name_plural = _("台账导入")


class Notice(models.Model):
    """A message in a person's in-app inbox. ``key`` names the event it is about, so the same event never
    gives the same person two notices (a scan that runs twice sends one)."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("接收人"), on_delete=models.CASCADE, related_name="notices"
    )
    key = models.CharField(_("事件"), max_length=200)
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"), blank=True)
    url = models.CharField(_("链接"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("发送时间"), auto_now_add=True)
    read_at = models.DateTimeField(_("阅读时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("消息")
        verbose_name_plural = _("消息")
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["recipient", "key"], name="one_notice_per_event")]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notice_unread")]  # the header's count

    def __str__(self) -> str:
        return self.title


from apps.core.notice_models import Delivery, GroupRobot, NoticePreference  # noqa: E402 - one models module for Django

__all__ = ["CalendarDay", "CalendarYear", "Delivery", "GroupRobot", "LedgerImport", "Notice", "NoticePreference"]
