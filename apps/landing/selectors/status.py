"""Red / amber / green status of landing projects (挂图作战的红黄绿灯), with the reasons in words.

- red: a procedure step being handled past its due date, a problem still waiting for its answer past
  its deadline, or a milestone of the work plan whose planned date has passed without it being reached;
- amber: a step, problem or milestone falling due within 3 working days, or a project under
  construction without its progress report for the previous month;
- green: nothing of the above.

A milestone is reached when its actual date is entered, or — for those that are pipeline stages
(开工, 竣工, 投产, 达产) — when the project's stage is at or after it. The same rules exist twice: as
Python for a page of projects (``landing_status``, a constant number of queries) and as SQL for the
list's level filter (``filter_by_level``); tests hold them together.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.core.workdays import CalendarNotCovered, WorkdayCalendar, chinese_date
from apps.investment.models import Project, Stage
from apps.landing.models import ChecklistStep, Milestone, MilestoneKind, ProgressReport, ProjectProblem, StepStatus

RED, AMBER, GREEN = "red", "amber", "green"
LEVELS = {RED: gettext_lazy("红灯"), AMBER: gettext_lazy("黄灯"), GREEN: gettext_lazy("绿灯")}
#: how far ahead "falls due soon" looks, in working days
WARNING_DAYS = 3
#: the milestones that are pipeline stages: reached when the project's stage is at or after them
STAGE_OF_MILESTONE = {
    MilestoneKind.STARTED: Stage.STARTED,
    MilestoneKind.COMPLETED: Stage.COMPLETED,
    MilestoneKind.PRODUCING: Stage.PRODUCING,
    MilestoneKind.AT_CAPACITY: Stage.AT_CAPACITY,
}
#: stages in which a project reports its construction progress every month
REPORTING_STAGES = [Stage.STARTED, Stage.COMPLETED, Stage.PRODUCING]


@dataclass
class Status:
    level: str = GREEN
    reasons: list[str] = field(default_factory=list)

    @property
    def label(self) -> str:
        return str(LEVELS[self.level])

    def flag(self, level: str, reason: str) -> None:
        """Add a reason; the level only rises (green → amber → red)."""
        self.reasons.append(reason)
        if level == RED or self.level == GREEN:
            self.level = level


def horizon(today: date, workdays: WorkdayCalendar | None = None) -> date:
    """The last day that counts as "due soon": 3 working days ahead (calendar days for a year not entered,
    so that a missing calendar never hides a warning)."""
    workdays = workdays or WorkdayCalendar.load()
    try:
        return workdays.add_working_days(today, WARNING_DAYS)
    except CalendarNotCovered:
        return today + timedelta(days=WARNING_DAYS)


def report_month(today: date) -> date:
    """The month whose progress report is expected by now: the previous one."""
    return (today.replace(day=1) - timedelta(days=1)).replace(day=1)


def needs_report(project: Project, today: date) -> bool:
    """Under construction since before this month: the previous month's report is due."""
    if project.stage not in REPORTING_STAGES or project.status != Project.Status.ACTIVE:
        return False
    return project.started_on is None or project.started_on < today.replace(day=1)


def reached_by_stage() -> Q:
    """Milestones that the project's stage has reached (for Milestone querysets)."""
    condition = Q(pk__in=[])
    for kind, stage in STAGE_OF_MILESTONE.items():
        later = [s for s in Stage if s.rank >= stage.rank]
        condition |= Q(kind=kind, project__stage__in=later)
    return condition


def open_milestones() -> QuerySet:
    """Milestones not reached yet."""
    return Milestone.objects.filter(achieved_on=None).exclude(reached_by_stage())


# ---- a page of projects ---------------------------------------------------------------------


def landing_status(projects, *, today: date) -> dict[int, Status]:
    """{project id: Status} for the given projects, in the same few queries however many there are."""
    projects = list(projects)
    ids = [project.pk for project in projects]
    soon = horizon(today)
    statuses = {pk: Status() for pk in ids}
    _flag_steps(statuses, ids, today, soon)
    _flag_problems(statuses, ids, today, soon)
    _flag_milestones(statuses, ids, today, soon)
    _flag_reports(statuses, projects, today)
    return statuses


def _flag_steps(statuses: dict, ids: list[int], today: date, soon: date) -> None:
    steps = ChecklistStep.objects.filter(
        checklist__project__in=ids, status=StepStatus.IN_PROGRESS, due_on__lte=soon
    ).values_list("checklist__project", "name", "due_on")
    for project_id, name, due_on in steps.order_by("due_on", "pk"):
        if due_on < today:
            statuses[project_id].flag(RED, _("手续“%(name)s”逾期未办结（应于%(day)s办结）") % _words(name, due_on))
        else:
            statuses[project_id].flag(AMBER, _("手续“%(name)s”将于%(day)s到期") % _words(name, due_on))


def _flag_problems(statuses: dict, ids: list[int], today: date, soon: date) -> None:
    problems = ProjectProblem.objects.filter(
        project__in=ids, status=ProjectProblem.Status.OPEN, due_on__lte=soon
    ).values_list("project", "title", "due_on")
    for project_id, title, due_on in problems.order_by("due_on", "pk"):
        if due_on < today:
            statuses[project_id].flag(RED, _("问题“%(name)s”逾期未答复（时限%(day)s）") % _words(title, due_on))
        else:
            statuses[project_id].flag(AMBER, _("问题“%(name)s”将于%(day)s到期") % _words(title, due_on))


def _flag_milestones(statuses: dict, ids: list[int], today: date, soon: date) -> None:
    milestones = open_milestones().filter(project__in=ids, planned_on__lte=soon)
    for project_id, kind, planned_on in milestones.values_list("project", "kind", "planned_on").order_by("planned_on"):
        words = _words(MilestoneKind(kind).label, planned_on)
        if planned_on < today:
            statuses[project_id].flag(RED, _("节点“%(name)s”计划%(day)s完成，尚未完成") % words)
        else:
            statuses[project_id].flag(AMBER, _("节点“%(name)s”计划%(day)s完成") % words)


def _flag_reports(statuses: dict, projects: list, today: date) -> None:
    month = report_month(today)
    expected = [project.pk for project in projects if needs_report(project, today)]
    reported = set(ProgressReport.objects.filter(project__in=expected, month=month).values_list("project", flat=True))
    for pk in expected:
        if pk not in reported:
            statuses[pk].flag(
                AMBER, _("未填报%(year)s年%(month)s月建设进度") % {"year": month.year, "month": month.month}
            )


def _words(name: str, day: date) -> dict:
    return {"name": name, "day": chinese_date(day)}


# ---- the list's filter ----------------------------------------------------------------------


def red_condition(today: date) -> Q:
    """Projects that are red, as a condition on Project."""
    steps = ChecklistStep.objects.overdue(today).values("checklist__project")
    problems = ProjectProblem.objects.overdue(today).values("project")
    milestones = open_milestones().filter(planned_on__lt=today).values("project")
    return Q(pk__in=steps) | Q(pk__in=problems) | Q(pk__in=milestones)


def amber_condition(today: date) -> Q:
    """Projects with something due soon or a missing report (red ones included), as a condition on Project."""
    soon = horizon(today)
    steps = ChecklistStep.objects.filter(status=StepStatus.IN_PROGRESS, due_on__gte=today, due_on__lte=soon)
    problems = ProjectProblem.objects.filter(status=ProjectProblem.Status.OPEN, due_on__gte=today, due_on__lte=soon)
    milestones = open_milestones().filter(planned_on__gte=today, planned_on__lte=soon)
    reported = ProgressReport.objects.filter(month=report_month(today)).values("project")
    unreported = (
        Q(stage__in=REPORTING_STAGES, status=Project.Status.ACTIVE)
        & (Q(started_on=None) | Q(started_on__lt=today.replace(day=1)))
        & ~Q(pk__in=reported)
    )
    return (
        Q(pk__in=steps.values("checklist__project"))
        | Q(pk__in=problems.values("project"))
        | Q(pk__in=milestones.values("project"))
        | unreported
    )


def filter_by_level(projects: QuerySet, level: str, *, today: date) -> QuerySet:
    """Only the projects of the given level."""
    if level == RED:
        return projects.filter(red_condition(today))
    if level == AMBER:
        return projects.filter(amber_condition(today)).exclude(red_condition(today))
    if level == GREEN:
        return projects.exclude(red_condition(today)).exclude(amber_condition(today))
    return projects
