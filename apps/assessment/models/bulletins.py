"""Bulletins (通报): the monthly bulletin, quarterly analysis, half-year summary and year-end ranking as
Word and PDF, made from a snapshot with a Word template the administrator edits. An issued bulletin is
kept byte for byte; a new version supersedes it, visibly."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.core.scope import ScopedQuerySet


class BulletinKind(models.TextChoices):
    MONTHLY = "monthly", _("月度通报")
    QUARTERLY = "quarterly", _("季度分析")
    HALF_YEAR = "half_year", _("半年总结")
    YEAR_END = "year_end", _("年终排名")


class BulletinTemplate(models.Model):
    kind = models.CharField(_("通报类别"), max_length=12, choices=BulletinKind.choices, unique=True)
    file = models.FileField(_("Word 模板"), upload_to="assessment/templates/")
    revision = models.PositiveIntegerField(_("版本"), default=1)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("通报模板")
        verbose_name_plural = _("通报模板")
        ordering = ["kind"]

    def __str__(self) -> str:
        return self.get_kind_display()


class BulletinQuerySet(ScopedQuerySet):
    scope_owner = "snapshot__scheme__unit"
    scope_participants = ("snapshot__rows__unit",)


class Bulletin(models.Model):
    """One version of a bulletin. It is requested on a page, made by the task worker (Word, then PDF) and
    then never changes; correcting it means issuing a new version under the same 文号."""

    class Status(models.TextChoices):
        GENERATING = "generating", _("生成中")
        ISSUED = "issued", _("已印发")
        SUPERSEDED = "superseded", _("已被新版本替代")
        FAILED = "failed", _("生成失败")

    snapshot = models.ForeignKey("assessment.Snapshot", on_delete=models.PROTECT, related_name="bulletins")
    kind = models.CharField(_("通报类别"), max_length=12, choices=BulletinKind.choices)
    number = models.CharField(_("文号"), max_length=40)
    title = models.CharField(_("标题"), max_length=200)
    issued_on = models.DateField(_("印发日期"))
    issuing_unit = models.ForeignKey("org.Unit", verbose_name=_("印发单位"), on_delete=models.PROTECT, related_name="+")
    recipients = models.CharField(_("主送单位"), max_length=200)
    summary = models.TextField(_("综述"))
    requirements = models.TextField(_("下一步工作要求"), blank=True)
    version = models.PositiveSmallIntegerField(_("版本"), default=1)
    supersedes = models.OneToOneField(
        "self", verbose_name=_("替代"), on_delete=models.PROTECT, null=True, blank=True, related_name="superseded_by"
    )
    revision_reason = models.TextField(_("修订理由"), blank=True)
    status = models.CharField(_("状态"), max_length=12, choices=Status.choices, default=Status.GENERATING)
    #: 0–100 while the worker makes the files
    progress = models.PositiveSmallIntegerField(_("进度"), default=0)
    error = models.TextField(_("失败原因"), blank=True)
    docx = models.FileField(_("Word 文件"), upload_to="assessment/bulletins/%Y/", blank=True)
    pdf = models.FileField(_("PDF 文件"), upload_to="assessment/bulletins/%Y/", blank=True)
    #: SHA-256 of each file as issued, so a download can prove it is unchanged
    docx_sha256 = models.CharField(max_length=64, blank=True)
    pdf_sha256 = models.CharField(max_length=64, blank=True)
    #: the revision of the uploaded template used; 0 for the platform's default template
    template_revision = models.PositiveIntegerField(_("模板版本"))
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(_("提交时间"), auto_now_add=True)
    issued_at = models.DateTimeField(_("印发时间"), null=True, blank=True)

    objects = BulletinQuerySet.as_manager()

    class Meta:
        verbose_name = _("考核通报")
        verbose_name_plural = _("考核通报")
        ordering = ["-issued_on", "-id"]
        permissions = [("issue_bulletin", _("印发考核通报")), ("manage_bulletin_template", _("管理通报模板"))]
        constraints = [models.UniqueConstraint(fields=["number", "version"], name="one_bulletin_per_number_version")]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    @property
    def is_running(self) -> bool:
        return self.status == self.Status.GENERATING
