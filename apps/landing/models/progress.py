"""Construction progress: a monthly report per started project, and batch starts (集中开工)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.core.scope import ScopedQuerySet


class ProgressReportQuerySet(ScopedQuerySet):
    scope_owner = "project__unit"


class ProgressReport(models.Model):
    """Investment completed in a month and to date (万元), with what was done and photos."""

    project = models.ForeignKey("investment.Project", on_delete=models.CASCADE, related_name="progress_reports")
    month = models.DateField(_("月份"))  # the first day of the month
    invested_in_month = models.DecimalField(_("当月完成投资（万元）"), max_digits=14, decimal_places=2)
    invested_to_date = models.DecimalField(_("累计完成投资（万元）"), max_digits=14, decimal_places=2)
    description = models.TextField(_("形象进度"))
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("填报人"), on_delete=models.PROTECT, related_name="+"
    )
    reported_at = models.DateTimeField(_("填报时间"), auto_now=True)

    objects = ProgressReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("月度建设进度")
        verbose_name_plural = _("月度建设进度")
        ordering = ["project", "-month"]
        constraints = [models.UniqueConstraint(fields=["project", "month"], name="one_report_per_month")]

    def __str__(self) -> str:
        return f"{self.project_id}: {self.month:%Y-%m}"


class ProgressPhotoQuerySet(ScopedQuerySet):
    scope_owner = "report__project__unit"


class ProgressPhoto(models.Model):
    report = models.ForeignKey(ProgressReport, on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(_("照片"), upload_to="landing/progress/%Y/%m/")
    caption = models.CharField(_("说明"), max_length=100, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("上传人"), on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    objects = ProgressPhotoQuerySet.as_manager()

    class Meta:
        verbose_name = _("进度照片")
        verbose_name_plural = _("进度照片")
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.caption or self.image.name


class BatchStartQuerySet(ScopedQuerySet):
    scope_owner = "unit"
    #: a county sees the city's ceremony where its own projects start
    scope_participants = ("projects__unit",)


class BatchStart(models.Model):
    """A ceremony where several projects start construction on one day (集中开工)."""

    name = models.CharField(_("活动名称"), max_length=200)
    unit = models.ForeignKey("org.Unit", verbose_name=_("主办单位"), on_delete=models.PROTECT, related_name="+")
    held_on = models.DateField(_("开工日期"))
    venue = models.CharField(_("主会场"), max_length=200, blank=True)
    note = models.TextField(_("说明"), blank=True)
    projects = models.ManyToManyField(
        "investment.Project", verbose_name=_("开工项目"), blank=True, related_name="batch_starts"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("登记人"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    objects = BatchStartQuerySet.as_manager()

    class Meta:
        verbose_name = _("集中开工")
        verbose_name_plural = _("集中开工")
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return self.name
