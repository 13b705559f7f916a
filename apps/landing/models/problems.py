"""Project problems (项目问题): raised by the task force or the enterprise, answered by a department,
closed by the raiser; past the deadline they go to the leader in charge."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.core.scope import ScopedQuerySet


class ProblemQuerySet(ScopedQuerySet):
    scope_owner = "project__unit"
    scope_participants = ("department",)

    def unresolved(self) -> "ProblemQuerySet":
        return self.exclude(status=ProjectProblem.Status.CLOSED)

    def overdue(self, today) -> "ProblemQuerySet":
        """Problems still waiting for the department's answer after their deadline."""
        return self.filter(status=ProjectProblem.Status.OPEN, due_on__lt=today)


class ProjectProblem(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("待答复")
        ANSWERED = "answered", _("已答复")
        CLOSED = "closed", _("已解决")

    class Source(models.TextChoices):
        TASK_FORCE = "task_force", _("项目专班")
        ENTERPRISE = "enterprise", _("企业反映")
        STAFF = "staff", _("工作人员")

    class Category(models.TextChoices):
        LAND = "land", _("用地")
        PLANNING = "planning", _("规划")
        APPROVAL = "approval", _("审批手续")
        UTILITIES = "utilities", _("水电气暖")
        FUNDING = "funding", _("融资")
        LABOUR = "labour", _("用工")
        POLICY = "policy", _("政策兑现")
        ENVIRONMENT = "environment", _("施工环境")
        OTHER = "other", _("其他")

    code = models.CharField(_("问题编号"), max_length=20, unique=True)
    project = models.ForeignKey("investment.Project", on_delete=models.CASCADE, related_name="problems")
    title = models.CharField(_("问题"), max_length=200)
    description = models.TextField(_("具体情况"), blank=True)
    category = models.CharField(_("类别"), max_length=12, choices=Category.choices, default=Category.OTHER)
    source = models.CharField(_("提出方"), max_length=12, choices=Source.choices, default=Source.TASK_FORCE)
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("提出人"), on_delete=models.PROTECT, related_name="+"
    )
    raised_on = models.DateField(_("提出日期"))
    department = models.ForeignKey(
        "org.Unit", verbose_name=_("责任部门"), on_delete=models.PROTECT, related_name="project_problems"
    )
    due_on = models.DateField(_("办理时限"))
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.OPEN)
    answer = models.TextField(_("答复意见"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("答复人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    answered_on = models.DateField(_("答复日期"), null=True, blank=True)
    closed_on = models.DateField(_("解决日期"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("升级包抓领导时间"), null=True, blank=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = ProblemQuerySet.as_manager()

    class Meta:
        verbose_name = _("项目问题")
        verbose_name_plural = _("项目问题")
        ordering = ["-raised_on", "-id"]
        permissions = [("answer_problem", _("答复项目问题"))]
        indexes = [models.Index(fields=["status", "due_on"], name="problem_status_due")]  # the overdue scan

    def __str__(self) -> str:
        return self.title


class ProblemEvent(models.Model):
    """One step in a problem's history: raised, reassigned, answered, returned, closed, escalated."""

    class Kind(models.TextChoices):
        RAISE = "raise", _("提出")
        REASSIGN = "reassign", _("改派")
        ANSWER = "answer", _("答复")
        REOPEN = "reopen", _("退回重办")
        CLOSE = "close", _("确认解决")
        ESCALATE = "escalate", _("逾期升级")

    problem = models.ForeignKey(ProjectProblem, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("动作"), max_length=10, choices=Kind.choices)
    note = models.TextField(_("说明"), blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("操作人"), on_delete=models.PROTECT, null=True, related_name="+"
    )
    at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("问题办理记录")
        verbose_name_plural = _("问题办理记录")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.problem_id}: {self.kind}"
