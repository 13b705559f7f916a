"""Leader in charge and task force (包抓领导 / 专班) for major projects, and the work plan's milestones.

"一个项目、一名领导、一个团队、一套方案、一抓到底": one leader, one task force with members from
several departments, one plan with milestones, kept until the project is at full capacity.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.core.scope import ScopedQuerySet


class TaskForceQuerySet(ScopedQuerySet):
    scope_owner = "project__unit"
    scope_participants = ("members__person__unit", "lead_unit")


class TaskForce(models.Model):
    project = models.OneToOneField("investment.Project", on_delete=models.CASCADE, related_name="task_force")
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("包抓领导"), on_delete=models.PROTECT, related_name="led_task_forces"
    )
    lead_unit = models.ForeignKey(
        "org.Unit", verbose_name=_("牵头单位"), on_delete=models.PROTECT, related_name="led_task_forces"
    )
    plan = models.TextField(_("工作方案"), blank=True)
    established_on = models.DateField(_("成立日期"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("登记人"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    objects = TaskForceQuerySet.as_manager()

    class Meta:
        verbose_name = _("项目专班")
        verbose_name_plural = _("项目专班")
        ordering = ["-established_on", "-id"]

    def __str__(self) -> str:
        return str(_("%(project)s专班") % {"project": self.project})


class TaskForceMember(models.Model):
    class Role(models.TextChoices):
        HEAD = "head", _("牵头负责人")
        MEMBER = "member", _("专班成员")
        SERVICE = "service", _("服务专员")
        AGENT = "agent", _("代办员")

    task_force = models.ForeignKey(TaskForce, on_delete=models.CASCADE, related_name="members")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("成员"), on_delete=models.PROTECT, related_name="task_force_seats"
    )
    role = models.CharField(_("职责"), max_length=10, choices=Role.choices, default=Role.MEMBER)
    duty = models.CharField(_("分工"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("专班成员")
        verbose_name_plural = _("专班成员")
        ordering = ["task_force", "role", "id"]
        constraints = [models.UniqueConstraint(fields=["task_force", "person"], name="one_seat_per_person")]

    def __str__(self) -> str:
        return f"{self.task_force_id} · {self.person_id}"


class MilestoneKind(models.TextChoices):
    """The construction milestones; those that are pipeline stages are reached through the pipeline."""

    STARTED = "started", _("开工")
    MAIN_STRUCTURE = "main_structure", _("主体完工")
    COMPLETED = "completed", _("竣工")
    PRODUCING = "producing", _("投产")
    AT_CAPACITY = "at_capacity", _("达产")


class MilestoneQuerySet(ScopedQuerySet):
    scope_owner = "project__unit"


class Milestone(models.Model):
    """A planned milestone of the work plan. For 开工, 竣工, 投产 and 达产 the actual date is the pipeline
    stage's (one entry); only 主体完工, which is no stage, keeps its own actual date."""

    project = models.ForeignKey("investment.Project", on_delete=models.CASCADE, related_name="milestones")
    kind = models.CharField(_("节点"), max_length=20, choices=MilestoneKind.choices)
    planned_on = models.DateField(_("计划日期"))
    achieved_on = models.DateField(_("实际日期"), null=True, blank=True)
    note = models.CharField(_("说明"), max_length=200, blank=True)

    objects = MilestoneQuerySet.as_manager()

    class Meta:
        verbose_name = _("项目节点")
        verbose_name_plural = _("项目节点")
        ordering = ["project", "planned_on", "id"]
        constraints = [models.UniqueConstraint(fields=["project", "kind"], name="one_milestone_per_kind")]

    def __str__(self) -> str:
        return f"{self.project_id}: {self.kind}"
