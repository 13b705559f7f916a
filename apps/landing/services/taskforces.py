"""Leader in charge and task force (包抓领导 / 专班): one per project, kept by the project's owning side.

"一个项目、一名领导、一个团队、一套方案、一抓到底". The task force is set up once the project is in
negotiation or further; its leader, lead unit and members' units take part in the project (so they
can open it), and a new leader or member is told once. Changes of leader or plan are kept by the
audit log, which the project's history reads.
"""

from datetime import date

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.audit import records_actor
from apps.core.errors import BusinessRuleError
from apps.core.notices import notify
from apps.investment import permissions as pipeline
from apps.investment.models import PipelineSettings, Project, ProjectParticipant, Stage
from apps.landing import permissions
from apps.landing.models import TaskForce, TaskForceMember

#: a task force is set up from negotiation on (洽谈 is where a major project's team starts work)
FIRST_STAGE = Stage.NEGOTIATION
PARTICIPANT_ROLE = "项目专班"


def is_major(project: Project) -> bool:
    """At or above the configured threshold (万元) on contracted or planned investment."""
    threshold = PipelineSettings.current().major_threshold
    amounts = (project.contracted_investment, project.planned_investment)
    return any(amount is not None and amount >= threshold for amount in amounts)


def major_projects_q() -> Q:
    """The same rule as is_major, for a queryset of projects."""
    threshold = PipelineSettings.current().major_threshold
    return Q(contracted_investment__gte=threshold) | Q(planned_investment__gte=threshold)


def major_without_task_force(projects: QuerySet) -> QuerySet:
    """Open major projects, negotiation or further, with no task force ("重大项目未建专班")."""
    stages = [stage for stage in Stage if stage.rank >= FIRST_STAGE.rank and stage != Stage.AT_CAPACITY]
    return projects.filter(major_projects_q(), stage__in=stages, status=Project.Status.ACTIVE, task_force=None)


def can_keep(user, project: Project) -> bool:
    """The project's owning side with the right to keep task forces."""
    return user.has_perm(permissions.CHANGE_TASK_FORCE) and pipeline.owns(user, project)


def _require_keeper(user, project: Project) -> None:
    if not can_keep(user, project):
        raise BusinessRuleError(_("只有项目责任单位可以设立和调整项目专班。"))


def _require_staff(person, field: str) -> None:
    if person is None or not person.is_active or person.unit_id is None:
        raise BusinessRuleError(_("请选择在用的工作人员账号。"), field=field)


def _check(task_force: TaskForce) -> None:
    _require_staff(task_force.leader, "leader")
    if task_force.lead_unit is None or not task_force.lead_unit.is_active:
        raise BusinessRuleError(_("请选择在用的牵头单位。"), field="lead_unit")
    if task_force.established_on is None:
        raise BusinessRuleError(_("请填写成立日期。"), field="established_on")
    if task_force.established_on > timezone.localdate():
        raise BusinessRuleError(_("成立日期不能晚于今天。"), field="established_on")
    task_force.plan = task_force.plan.strip()


def _take_part(project: Project, unit) -> None:
    """The unit sees the project from now on (nothing to add for the owner's own subtree)."""
    if unit is None or project.unit.path.startswith(unit.path):
        return
    ProjectParticipant.objects.get_or_create(project=project, unit=unit, defaults={"role": PARTICIPANT_ROLE})


def _tell(task_force: TaskForce, person, what: str) -> None:
    """A new leader or member is told once (the key is per person and task force)."""
    key = f"landing.taskforce.{task_force.pk}.member.{person.pk}"
    url = reverse("landing:project_landing", args=[task_force.project_id])
    title = _("您已被确定为“%(project)s”的%(what)s") % {"project": task_force.project.name, "what": what}
    # a notice is a row of the same database: written in the same transaction, it goes or stays with the change
    notify(recipients=[person], key=key, title=title, url=url)


@records_actor
@transaction.atomic
def set_up_task_force(
    *, project: Project, leader: AbstractBaseUser, lead_unit, plan: str, established_on: date, by: AbstractBaseUser
) -> TaskForce:
    """Set up the project's task force (专班) with its leader in charge (包抓领导) and work plan."""
    _require_keeper(by, project)
    if Stage(project.stage).rank < FIRST_STAGE.rank or project.status == Project.Status.DROPPED:
        raise BusinessRuleError(_("项目进入洽谈阶段后才能设立专班，已终止的项目不能设立。"))
    if TaskForce.objects.filter(project=project).exists():
        raise BusinessRuleError(_("该项目已设立专班，请直接调整。"))
    task_force = TaskForce(
        project=project, leader=leader, lead_unit=lead_unit, plan=plan, established_on=established_on, created_by=by
    )
    _check(task_force)
    try:
        with transaction.atomic():
            task_force.save()
    except IntegrityError as exc:  # another person set one up a moment ago
        raise BusinessRuleError(_("该项目已设立专班，请直接调整。")) from exc
    for unit in (lead_unit, leader.unit):
        _take_part(project, unit)
    _tell(task_force, leader, _("包抓领导"))
    return task_force


@records_actor
@transaction.atomic
def update_task_force(
    *, task_force: TaskForce, leader: AbstractBaseUser, lead_unit, plan: str, established_on: date, by
) -> TaskForce:
    """Change the leader, lead unit, plan or date; the audit log keeps what they were."""
    task_force = TaskForce.objects.select_for_update().select_related("project__unit").get(pk=task_force.pk)
    _require_keeper(by, task_force.project)
    new_leader = task_force.leader_id != leader.pk
    task_force.leader, task_force.lead_unit = leader, lead_unit
    task_force.plan, task_force.established_on = plan, established_on
    _check(task_force)
    task_force.save()
    for unit in (lead_unit, leader.unit):
        _take_part(task_force.project, unit)
    if new_leader:
        _tell(task_force, leader, _("包抓领导"))
    return task_force


@records_actor
@transaction.atomic
def add_member(
    *, task_force: TaskForce, person: AbstractBaseUser, role: str, duty: str = "", by: AbstractBaseUser
) -> TaskForceMember:
    """A person joins the task force with a role (牵头负责人/专班成员/服务专员/代办员); their unit takes part."""
    _require_keeper(by, task_force.project)
    _require_staff(person, "person")
    member = TaskForceMember(task_force=task_force, person=person, role=role, duty=duty.strip())
    _check_role(member)
    try:
        with transaction.atomic():
            member.save()
    except IntegrityError as exc:
        raise BusinessRuleError(_("%(name)s已是专班成员。") % {"name": person.name}, field="person") from exc
    _take_part(task_force.project, person.unit)
    _tell(task_force, person, member.get_role_display())
    return member


def _check_role(member: TaskForceMember) -> None:
    if member.role not in TaskForceMember.Role.values:
        raise BusinessRuleError(_("请选择专班职责。"), field="role")


@records_actor
@transaction.atomic
def change_member(*, member: TaskForceMember, role: str, duty: str = "", by: AbstractBaseUser) -> TaskForceMember:
    """Change a member's role or duty."""
    _require_keeper(by, member.task_force.project)
    member.role, member.duty = role, duty.strip()
    _check_role(member)
    member.save(update_fields=["role", "duty"])
    return member


@records_actor
@transaction.atomic
def remove_member(*, member: TaskForceMember, by: AbstractBaseUser) -> None:
    """A member leaves the task force (the audit log keeps that they were on it); their unit stays a participant,
    as its problems and steps on the project may still be open."""
    _require_keeper(by, member.task_force.project)
    member.delete()
