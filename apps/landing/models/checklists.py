"""Procedure checklists (手续清单): the approvals a signed project needs before and during construction.

A template (by kind of project: new build on new land, expansion on own land, leased factory …)
lists the steps with their department, statutory limit in working days and prerequisites. At
signing the template is copied into the project's checklist; a later change to the template leaves
running checklists as they are (each records the template revision it was copied from).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.core.scope import ScopedQuerySet


class ChecklistTemplate(models.Model):
    code = models.SlugField(_("代码"), max_length=40, unique=True)
    name = models.CharField(_("模板名称"), max_length=100)
    description = models.TextField(_("适用情形"), blank=True)
    #: the kind of project (Project.Kind) whose checklist starts from this template at signing
    project_kind = models.CharField(_("默认用于项目类型"), max_length=10, blank=True)
    #: the public commitment: construction permit within N working days of signing (e.g. 江苏 "3550": 50)
    commitment_days = models.PositiveSmallIntegerField(_("承诺施工许可办理时限（工作日）"), null=True, blank=True)
    commitment_note = models.CharField(_("承诺依据"), max_length=200, blank=True)
    is_active = models.BooleanField(_("启用"), default=True)
    #: bumped by every change to the template or its steps; a checklist records the revision it copied
    revision = models.PositiveIntegerField(_("版本"), default=1)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("手续清单模板")
        verbose_name_plural = _("手续清单模板")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class TemplateStep(models.Model):
    template = models.ForeignKey(ChecklistTemplate, on_delete=models.CASCADE, related_name="steps")
    order = models.PositiveSmallIntegerField(_("序号"))
    code = models.SlugField(_("代码"), max_length=40)
    name = models.CharField(_("手续名称"), max_length=100)
    department = models.ForeignKey(
        "org.Unit", verbose_name=_("责任部门"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    #: when no department is set: the name a department of the project's own area is found by (e.g. 自然资源)
    department_hint = models.CharField(_("责任部门（名称关键词）"), max_length=50, blank=True)
    time_limit_days = models.PositiveSmallIntegerField(_("法定时限（工作日）"))
    prerequisites = models.ManyToManyField(
        "self", verbose_name=_("前置手续"), symmetrical=False, blank=True, related_name="followers"
    )
    materials = models.TextField(_("申请材料"), blank=True)
    #: the kind of project document its approval is filed as (e.g. the construction permit)
    document_kind = models.CharField(_("批文归档类别"), max_length=20, blank=True)
    is_permit = models.BooleanField(_("施工许可节点"), default=False)

    class Meta:
        verbose_name = _("模板手续")
        verbose_name_plural = _("模板手续")
        ordering = ["template", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["template", "code"], name="unique_template_step_code")]

    def __str__(self) -> str:
        return self.name


class Checklist(models.Model):
    project = models.OneToOneField("investment.Project", on_delete=models.CASCADE, related_name="checklist")
    template = models.ForeignKey(
        ChecklistTemplate, verbose_name=_("模板"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    template_name = models.CharField(_("模板名称"), max_length=100)
    template_revision = models.PositiveIntegerField(_("模板版本"))
    commitment_days = models.PositiveSmallIntegerField(_("承诺施工许可办理时限（工作日）"), null=True, blank=True)
    started_on = models.DateField(_("起算日期"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("创建人"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("手续清单")
        verbose_name_plural = _("手续清单")

    def __str__(self) -> str:
        return f"{self.project_id}: {self.template_name}"


class StepStatus(models.TextChoices):
    WAITING = "waiting", _("未开始")
    IN_PROGRESS = "in_progress", _("办理中")
    DONE = "done", _("已办结")
    NOT_NEEDED = "not_needed", _("无需办理")


class ChecklistStepQuerySet(ScopedQuerySet):
    scope_owner = "checklist__project__unit"
    scope_participants = ("department",)

    def unfinished(self) -> "ChecklistStepQuerySet":
        return self.filter(status__in=[StepStatus.WAITING, StepStatus.IN_PROGRESS])

    def overdue(self, today) -> "ChecklistStepQuerySet":
        """Steps being handled past their due date."""
        return self.filter(status=StepStatus.IN_PROGRESS, due_on__lt=today)


class ChecklistStep(models.Model):
    class Source(models.TextChoices):
        TEMPLATE = "template", _("模板")
        CONDITION = "condition", _("联审条件")
        MANUAL = "manual", _("补充")

    checklist = models.ForeignKey(Checklist, on_delete=models.CASCADE, related_name="steps")
    order = models.PositiveSmallIntegerField(_("序号"))
    code = models.SlugField(_("代码"), max_length=40)
    name = models.CharField(_("手续名称"), max_length=100)
    description = models.TextField(_("说明"), blank=True)
    department = models.ForeignKey(
        "org.Unit", verbose_name=_("责任部门"), on_delete=models.PROTECT, related_name="checklist_steps"
    )
    time_limit_days = models.PositiveSmallIntegerField(_("法定时限（工作日）"))
    prerequisites = models.ManyToManyField(
        "self", verbose_name=_("前置手续"), symmetrical=False, blank=True, related_name="followers"
    )
    document_kind = models.CharField(_("批文归档类别"), max_length=20, blank=True)
    is_permit = models.BooleanField(_("施工许可节点"), default=False)
    source = models.CharField(_("来源"), max_length=10, choices=Source.choices, default=Source.TEMPLATE)
    opinion = models.ForeignKey(
        "landing.ReviewOpinion",
        verbose_name=_("联审意见"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="checklist_steps",
    )
    status = models.CharField(_("状态"), max_length=12, choices=StepStatus.choices, default=StepStatus.WAITING)
    started_on = models.DateField(_("受理日期"), null=True, blank=True)
    due_on = models.DateField(_("应办结日期"), null=True, blank=True)
    done_on = models.DateField(_("办结日期"), null=True, blank=True)
    approval_number = models.CharField(_("批准文号"), max_length=100, blank=True)
    note = models.TextField(_("办理情况"), blank=True)
    documents = models.ManyToManyField("investment.ProjectDocument", verbose_name=_("批文材料"), blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("更新人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    escalated_at = models.DateTimeField(_("逾期提醒时间"), null=True, blank=True)

    objects = ChecklistStepQuerySet.as_manager()

    class Meta:
        verbose_name = _("手续事项")
        verbose_name_plural = _("手续事项")
        ordering = ["checklist", "order", "id"]
        permissions = [("handle_step", _("办理手续事项"))]
        constraints = [models.UniqueConstraint(fields=["checklist", "code"], name="unique_checklist_step_code")]
        indexes = [models.Index(fields=["status", "due_on"], name="step_status_due")]  # overdue scan, my steps

    def __str__(self) -> str:
        return self.name
