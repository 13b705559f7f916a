"""Reads behind the task force pages: the project's panel, the list, the leader's page (我包抓的项目).

Scope: task forces follow their project's unit, the units that sit on them and their leader
(permissions.visible_task_forces). The people a task force may draw on are those of the project's own
area (the county and its departments and towns) and of the levels above it with their departments (the
city's leaders and bureaus) — never another county's.
"""

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from apps.investment import permissions as pipeline
from apps.investment.models import Project
from apps.landing import permissions
from apps.landing.models import ChecklistStep, Milestone, ProjectProblem, TaskForce, TaskForceMember
from apps.landing.selectors.projects import landing_projects
from apps.landing.selectors.status import Status, filter_by_level, landing_status, open_milestones
from apps.landing.services.taskforces import can_keep, is_major, major_without_task_force
from apps.org import roles
from apps.org.models import Unit, User
from apps.org.selectors import area_of


def panel(project, user) -> dict:
    """What the project's landing page shows of taskforces (the context of landing/_taskforces_panel.html)."""
    if not user.has_perm(permissions.VIEW_TASK_FORCE):
        return {"task_force_shown": False}
    task_force = TaskForce.objects.select_related("leader__unit", "lead_unit").filter(project=project).first()
    members = task_force.members.select_related("person__unit") if task_force else TaskForceMember.objects.none()
    return {
        "task_force_shown": True,
        "task_force": task_force,
        "task_force_members": list(members),
        "task_force_can_keep": can_keep(user, project),
        "task_force_missing": task_force is None and is_major(project),
    }


# ---- whom a task force draws on --------------------------------------------------------------


def candidate_units(project: Project) -> QuerySet:
    """Active units of the project's area and of the levels above it with their own departments."""
    area = area_of(project.unit) or project.unit
    steplen = Unit.steplen
    condition = Q(path__startswith=area.path)
    for end in range(steplen, len(area.path), steplen):
        prefix = area.path[:end]
        condition |= Q(path=prefix) | Q(path__startswith=prefix, depth=end // steplen + 1, kind=Unit.Kind.DEPARTMENT)
    return Unit.objects.filter(condition, is_active=True).order_by("path")


def candidate_people(project: Project) -> QuerySet:
    """Staff of those units (not the three administrators), by unit."""
    return (
        User.objects.filter(unit__in=candidate_units(project), is_active=True)
        .exclude(roles__is_administrator=True)
        .select_related("unit")
        .order_by("unit__path", "name")
    )


# ---- the list --------------------------------------------------------------------------------


def list_task_forces(user) -> QuerySet:
    """The user's task forces with what the list shows, newest first."""
    return (
        permissions.visible_task_forces(user)
        .select_related("project__unit", "project__enterprise", "leader", "lead_unit")
        .annotate(member_count=Count("members", distinct=True))
        .order_by("-established_on", "-id")
    )


def filter_task_forces(task_forces: QuerySet, data: dict) -> QuerySet:
    """Apply the list's filters (the keys of TaskForceFilterForm)."""
    if data.get("q"):
        text = data["q"].strip()
        task_forces = task_forces.filter(Q(project__name__contains=text) | Q(project__code__icontains=text))
    if data.get("unit"):
        task_forces = task_forces.filter(project__unit__path__startswith=data["unit"].path)
    if data.get("leader"):
        task_forces = task_forces.filter(leader=data["leader"])
    return task_forces


def missing_task_forces(user, data: dict | None = None) -> QuerySet:
    """Major projects of the user's scope with no task force yet (重大项目未建专班)."""
    projects = major_without_task_force(landing_projects(user)).select_related("unit", "enterprise")
    data = data or {}
    if data.get("q"):
        text = data["q"].strip()
        projects = projects.filter(Q(name__contains=text) | Q(code__icontains=text))
    if data.get("unit"):
        projects = projects.filter(unit__path__startswith=data["unit"].path)
    return projects


def leaders_in_scope(user) -> QuerySet:
    """The leaders in charge of the task forces the user sees."""
    led = permissions.visible_task_forces(user).values("leader")
    return User.objects.filter(pk__in=led).select_related("unit").order_by("unit__path", "name")


# ---- the leader's page -----------------------------------------------------------------------


def can_pick_leader(user) -> bool:
    """The coordinating unit and the city's leaders look at any leader's projects in their scope."""
    if not user.has_perm(permissions.VIEW_TASK_FORCE):
        return False
    return pipeline.is_coordinator(user) or user.roles.filter(code=roles.CITY_LEADER).exists()


def may_open_leader_page(user) -> bool:
    """Leaders of a task force, and whoever may see task forces."""
    if not user.is_authenticated:
        return False
    return user.has_perm(permissions.VIEW_TASK_FORCE) or TaskForce.objects.filter(leader=user).exists()


def shows_leader_page(user) -> bool:
    """The menu's test: as may_open_leader_page, but the lookup runs only for staff who read projects
    (a leader does), so that every page of the three administrators is spared a query."""
    if user.has_perm(permissions.VIEW_TASK_FORCE):
        return True
    return user.has_perm(pipeline.VIEW) and TaskForce.objects.filter(leader=user).exists()


@dataclass
class LeaderRow:
    task_force: TaskForce
    status: Status
    open_problems: int
    overdue_problems: int
    overdue_steps: int
    next_milestone: Milestone | None

    @property
    def project(self) -> Project:
        return self.task_force.project


def leader_task_forces(viewer, leader) -> QuerySet:
    """The leader's task forces that the viewer sees (all of them when the leader looks)."""
    task_forces = TaskForce.objects.filter(leader=leader)
    if viewer.pk != leader.pk:
        task_forces = task_forces.filter(pk__in=permissions.visible_task_forces(viewer).values("pk"))
    return task_forces.select_related("project__unit", "project__enterprise", "lead_unit").order_by(
        "project__unit__path", "-established_on", "pk"
    )


def leader_rows(task_forces, *, today: date | None = None) -> list[LeaderRow]:
    """One row per task force with its project's status and counts, in a fixed number of queries."""
    today = today or timezone.localdate()
    task_forces = list(task_forces)
    projects = [task_force.project for task_force in task_forces]
    ids = [project.pk for project in projects]
    statuses = landing_status(projects, today=today)
    problems = _problem_counts(ids, today)
    steps = dict(
        ChecklistStep.objects.overdue(today)
        .filter(checklist__project__in=ids)
        .values_list("checklist__project")
        .annotate(n=Count("pk"))
        .order_by()
    )
    milestones = _next_milestones(ids)
    return [
        LeaderRow(
            task_force=task_force,
            status=statuses[task_force.project_id],
            open_problems=problems.get(task_force.project_id, (0, 0))[0],
            overdue_problems=problems.get(task_force.project_id, (0, 0))[1],
            overdue_steps=steps.get(task_force.project_id, 0),
            next_milestone=milestones.get(task_force.project_id),
        )
        for task_force in task_forces
    ]


def _problem_counts(ids: list[int], today: date) -> dict[int, tuple[int, int]]:
    rows = (
        ProjectProblem.objects.unresolved()
        .filter(project__in=ids)
        .values("project")
        .annotate(n=Count("pk"), late=Count("pk", filter=Q(status=ProjectProblem.Status.OPEN, due_on__lt=today)))
        .order_by()
    )
    return {row["project"]: (row["n"], row["late"]) for row in rows}


def _next_milestones(ids: list[int]) -> dict[int, Milestone]:
    """The earliest milestone not reached yet of each project."""
    found: dict[int, Milestone] = {}
    for milestone in open_milestones().filter(project__in=ids).order_by("planned_on", "pk"):
        found.setdefault(milestone.project_id, milestone)
    return found


# ---- the landing project list -----------------------------------------------------------------


def filter_landing(projects: QuerySet, data: dict, *, today: date) -> QuerySet:
    """The landing list's own filters: status light, task force or not, leader in charge."""
    if data.get("level"):
        projects = filter_by_level(projects, data["level"], today=today)
    if data.get("task_force") == "yes":
        projects = projects.exclude(task_force=None)
    elif data.get("task_force") == "no":
        projects = projects.filter(task_force=None)
    if data.get("leader"):
        projects = projects.filter(task_force__leader=data["leader"])
    return projects


def with_status(projects, *, today: date) -> list:
    """The projects (a page of them) each carrying its ``light`` (a Status)."""
    projects = list(projects)
    statuses = landing_status(projects, today=today)
    for project in projects:
        project.light = statuses[project.pk]
    return projects
