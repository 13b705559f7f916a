"""Reads behind the project pages: the list's filters, the board, the lead clocks, what waits for whom."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from apps.core.workdays import CalendarNotCovered, WorkdayCalendar
from apps.enterprises.models import Enterprise
from apps.investment import permissions
from apps.investment.models import PipelineSettings, Project, Stage, StageChange, Team
from apps.org import roles
from apps.org.models import Unit
from apps.org.selectors import AREA_KINDS, area_of

#: amount bands of the list's filter, in 万元 (1亿 = 10,000 万元)
AMOUNT_BANDS = {
    "lt1": (None, Decimal(10000)),
    "1to10": (Decimal(10000), Decimal(100000)),
    "10to50": (Decimal(100000), Decimal(500000)),
    "ge50": (Decimal(500000), None),
}


def list_projects(user) -> QuerySet:
    """The user's projects with what the list shows, newest first."""
    return permissions.visible_projects(user).select_related("unit", "enterprise", "industry", "team")


def area_units(user) -> QuerySet:
    """The areas and investment units a user can filter the lists by: what lies in the user's scope."""
    return (
        Unit.objects.visible_to(user)
        .filter(
            Q(kind__in=(Unit.Kind.CITY, Unit.Kind.COUNTY, Unit.Kind.ZONE, Unit.Kind.TOWN))
            | Q(people__roles__code=roles.INVESTMENT_OFFICER)
        )
        .distinct()
    )


def active_teams(user) -> QuerySet:
    """The teams a user can filter the lists by."""
    return Team.objects.visible_to(user).filter(is_active=True)


def filter_projects(projects: QuerySet, data: dict, *, today: date | None = None) -> QuerySet:
    """Apply the list's filters (the keys of ProjectFilterForm)."""
    if data.get("q"):
        text = data["q"].strip()
        projects = projects.filter(_matching(text))
    if data.get("unit"):
        projects = projects.in_unit(data["unit"])
    for name in ("stage", "channel", "status", "team"):
        if data.get(name):
            projects = projects.filter(**{name: data[name]})
    if data.get("industry"):
        projects = projects.filter(Q(industry=data["industry"]) | Q(industry__parent=data["industry"]))
    if data.get("band"):
        projects = _in_band(projects, *AMOUNT_BANDS[data["band"]])
    if data.get("major"):
        threshold = PipelineSettings.current().major_threshold
        projects = projects.filter(Q(contracted_investment__gte=threshold) | Q(planned_investment__gte=threshold))
    if data.get("overdue"):
        projects = overdue_leads(projects, today=today)
    return projects


def _matching(text: str) -> Q:
    """Name, code or enterprise name containing the text. Chinese has no case, so Chinese text is matched
    with a plain LIKE, which PostgreSQL's trigram indexes serve (migration 0006); each side is a
    subquery so that each table uses its own index rather than testing every row."""
    lookup = "icontains" if any(c.isascii() and c.isalpha() for c in text) else "contains"
    named = Project.objects.filter(**{f"name__{lookup}": text}).values("pk")
    enterprises = Enterprise.objects.filter(**{f"name__{lookup}": text}).values("pk")
    condition = Q(pk__in=named) | Q(enterprise__in=enterprises)
    if text.isascii():
        condition |= Q(code__icontains=text)
    return condition


def _in_band(projects: QuerySet, low: Decimal | None, high: Decimal | None) -> QuerySet:
    """By the contracted investment, or the planned one while nothing is contracted yet."""
    if low is not None:
        projects = projects.filter(
            Q(contracted_investment__gte=low) | Q(contracted_investment=None, planned_investment__gte=low)
        )
    if high is not None:
        projects = projects.filter(
            Q(contracted_investment__lt=high) | Q(contracted_investment=None, planned_investment__lt=high)
        )
    return projects


# ---- the board ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    stage: Stage
    count: int
    planned: Decimal
    contracted: Decimal


def board(projects: QuerySet) -> list[Column]:
    """Open projects by reported stage: how many and how much, in one grouped query."""
    rows = (
        projects.filter(status=Project.Status.ACTIVE)
        .order_by()
        .values("stage")
        .annotate(count=Count("id"), planned=Sum("planned_investment"), contracted=Sum("contracted_investment"))
    )
    found = {row["stage"]: row for row in rows}
    return [
        Column(
            stage,
            found.get(stage, {}).get("count", 0),
            found.get(stage, {}).get("planned") or Decimal(0),
            found.get(stage, {}).get("contracted") or Decimal(0),
        )
        for stage in Stage
    ]


# ---- lead clocks --------------------------------------------------------------------------


@dataclass(frozen=True)
class LeadClock:
    """Where a lead stands against its time limits: respond in N working days, assess in M."""

    respond_by: date
    assess_by: date
    state: str  # done / green / amber / red

    @property
    def label(self) -> str:
        from django.utils.translation import gettext as _

        return {"done": _("已研判"), "green": _("正常"), "amber": _("今日到期"), "red": _("已超时")}[self.state]


def lead_clock(project: Project, workdays: WorkdayCalendar, limits: PipelineSettings, today: date) -> LeadClock | None:
    """The clock of a lead still waiting (None for a project past the lead stage or closed)."""
    if project.stage != Stage.LEAD or project.status != Project.Status.ACTIVE:
        return None
    registered = timezone.localtime(project.created_at).date()
    respond_by = workdays.add_working_days(registered, limits.respond_days)
    assess_by = workdays.add_working_days(registered, limits.assess_days)
    due = assess_by if project.responded_at else respond_by
    if project.assessed_at:
        state = "done"
    elif today > due:
        state = "red"
    elif today == due:
        state = "amber"
    else:
        state = "green"
    return LeadClock(respond_by, assess_by, state)


def lead_clocks(projects, *, today: date | None = None) -> dict[int, LeadClock]:
    """Clocks of the leads among ``projects`` (a page of them), with one calendar and one settings read.

    None are shown while the year's holidays are not entered: a wrong clock is worse than none, and the
    calendar's own pending item asks the administrator to enter them.
    """
    today = today or timezone.localdate()
    workdays, limits = WorkdayCalendar.load(), PipelineSettings.current()
    clocks = {}
    try:
        for project in projects:
            clock = lead_clock(project, workdays, limits, today)
            if clock is not None:
                clocks[project.pk] = clock
    except CalendarNotCovered:
        return {}
    return clocks


def last_overdue_day(limit: int, workdays: WorkdayCalendar, today: date) -> date:
    """The latest registration day whose ``limit`` working days have passed before today."""
    day = today
    while workdays.add_working_days(day, limit) >= today:
        day -= timedelta(days=1)
    return day


def overdue_leads(projects: QuerySet, *, today: date | None = None) -> QuerySet:
    """Leads past a time limit: not responded within the first, or not assessed within the second
    (none while the year's holidays are not entered, as for the clocks)."""
    today = today or timezone.localdate()
    workdays, limits = WorkdayCalendar.load(), PipelineSettings.current()
    try:
        respond = _day_end(last_overdue_day(limits.respond_days, workdays, today))
        assess = _day_end(last_overdue_day(limits.assess_days, workdays, today))
    except CalendarNotCovered:
        return projects.none()
    waiting = projects.filter(stage=Stage.LEAD, status=Project.Status.ACTIVE, assessed_at=None)
    return waiting.filter(Q(responded_at=None, created_at__lt=respond) | Q(created_at__lt=assess))


def _day_end(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day + timedelta(days=1), datetime.min.time()))


# ---- what waits for whom ------------------------------------------------------------------


def waiting_confirmation(user) -> QuerySet:
    """Claimed stages the user may confirm: those of projects below the user's level (see permissions)."""
    changes = StageChange.objects.filter(approval=StageChange.Approval.PENDING).select_related(
        "project__unit", "project__enterprise", "by"
    )
    unit = getattr(user, "unit", None)
    if unit is None or not user.has_perm(permissions.APPROVE):
        return changes.none()
    changes = changes.filter(project__in=permissions.visible_projects(user)).exclude(project__unit=unit)
    if permissions.is_coordinator(user):
        return changes.exclude(project__unit__path__startswith=unit.path)
    area = area_of(unit)
    below = Unit.objects.filter(path__startswith=area.path, kind__in=AREA_KINDS).exclude(pk=area.pk)
    condition = Q(pk__in=[])
    for path in below.values_list("path", flat=True):
        condition |= Q(project__unit__path__startswith=path)
    return changes.filter(condition)
