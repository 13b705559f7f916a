"""Gantt-style charts (挂图作战): the geometry of bars, milestone diamonds, month ticks and the today line.

Templates draw the SVG from these numbers only (landing/_gantt.svg.html); nothing is computed there.
Two charts: one project's procedure steps and milestones, and a county's projects from signing to
the planned 达产. A step not started yet is forecast from its prerequisites and statutory limit in
working days; where the working-day calendar does not cover a year yet, the forecast counts five
working days a week (it is a forecast, shown as one, never a deadline).
"""

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from apps.core.workdays import CalendarNotCovered, WorkdayCalendar
from apps.investment.models import PipelineSettings, Project, Stage, StageChange
from apps.investment.selectors.projects import list_projects
from apps.landing.models import ChecklistStep, MilestoneKind, StepStatus
from apps.landing.selectors.milestones import MilestoneState, milestone_states, pending_changes, signing_day

CHART_WIDTH = 1100
ROW_HEIGHT = 26
TOP = 34  # room for the month ticks
BAR_HEIGHT = 14
DIAMOND = 6
#: the stages whose projects hang on the county's chart
CHART_STAGES = [stage for stage in Stage if stage.rank >= Stage.SIGNED.rank]


@dataclass(frozen=True)
class Scale:
    """Days to x: ``left`` is where the time axis begins, ``width`` how wide it is."""

    start: date
    end: date
    left: int
    width: int

    @property
    def days(self) -> int:
        return max((self.end - self.start).days, 1)

    def x(self, day: date) -> float:
        """The x of a day, held inside the chart when the day lies outside the window."""
        day = min(max(day, self.start), self.end)
        return round(self.left + (day - self.start).days * self.width / self.days, 1)

    def contains(self, day: date | None) -> bool:
        return day is not None and self.start <= day <= self.end


@dataclass(frozen=True)
class Bar:
    x: float
    width: float
    css: str
    title: str


@dataclass(frozen=True)
class Mark:
    """A milestone diamond centred on (x, y)."""

    x: float
    y: float
    css: str
    title: str

    @property
    def points(self) -> str:
        x, y, d = self.x, self.y, DIAMOND
        return f"{x},{y - d} {x + d},{y} {x},{y + d} {x - d},{y}"


@dataclass
class Row:
    label: str
    y: int
    title: str = ""
    sub: str = ""
    url: str = ""
    css: str = ""
    bars: list[Bar] = field(default_factory=list)
    marks: list[Mark] = field(default_factory=list)

    @property
    def bar_y(self) -> float:
        return self.y + (ROW_HEIGHT - BAR_HEIGHT) / 2

    @property
    def mid_y(self) -> float:
        return self.y + ROW_HEIGHT / 2

    @property
    def text_y(self) -> float:
        return self.y + ROW_HEIGHT / 2 + 4


@dataclass(frozen=True)
class Tick:
    x: float
    label: str
    is_year: bool


@dataclass
class Chart:
    scale: Scale
    rows: list[Row]
    ticks: list[Tick]
    today_x: float | None

    @property
    def width(self) -> int:
        return self.scale.left + self.scale.width + 10

    @property
    def height(self) -> int:
        return TOP + len(self.rows) * ROW_HEIGHT + 6

    @property
    def bottom(self) -> int:
        return self.height - 6

    @property
    def label_x(self) -> int:
        return self.scale.left - 8

    @property
    def row_height(self) -> int:
        return ROW_HEIGHT

    @property
    def bar_height(self) -> int:
        return BAR_HEIGHT


def month_start(day: date) -> date:
    return day.replace(day=1)


def next_month(day: date) -> date:
    return (day.replace(day=28) + timedelta(days=4)).replace(day=1)


def month_ticks(scale: Scale) -> list[Tick]:
    """A tick at the first of every month (every quarter over two years), the year written at January."""
    months = []
    day = month_start(scale.start)
    if day < scale.start:
        day = next_month(day)
    while day <= scale.end:
        months.append(day)
        day = next_month(day)
    step = 3 if len(months) > 24 else 1
    ticks = []
    for index, day in enumerate(months):
        if index % step and day.month != 1:
            continue
        is_year = day.month == 1 or index == 0
        label = (
            _("%(year)s年%(month)s月") % {"year": day.year, "month": day.month}
            if is_year
            else _("%(month)s月") % {"month": day.month}
        )
        ticks.append(Tick(scale.x(day), label, is_year))
    return ticks


def _bar(scale: Scale, start: date, end: date, css: str, title: str) -> Bar:
    x = scale.x(start)
    return Bar(x, max(round(scale.x(end) - x, 1), 2.0), css, title)


def _chart(scale: Scale, rows: list[Row], today: date) -> Chart:
    return Chart(scale, rows, month_ticks(scale), scale.x(today) if scale.contains(today) else None)


def _short(text: str, length: int) -> str:
    return text if len(text) <= length else text[: length - 1] + "…"


def _fmt(day: date) -> str:
    return f"{day:%Y-%m-%d}"


# ---- milestones as diamonds ----------------------------------------------------------------


def milestone_marks(scale: Scale, state: MilestoneState, y: float) -> list[Mark]:
    """The planned diamond (hollow; red once passed unreached) and the actual one (filled; 待确认 if waiting)."""
    marks = []
    if scale.contains(state.planned_on):
        css = "mark-planned mark-overdue" if state.overdue else "mark-planned"
        title = _("%(kind)s 计划 %(date)s") % {"kind": state.label, "date": _fmt(state.planned_on)}
        if state.overdue:
            title += _("（已逾期未完成）")
        marks.append(Mark(scale.x(state.planned_on), y, css, title))
    if scale.contains(state.actual_on):
        css = "mark-actual mark-pending" if state.pending else "mark-actual"
        title = _("%(kind)s 实际 %(date)s") % {"kind": state.label, "date": _fmt(state.actual_on)}
        if state.pending:
            title += _("（待确认）")
        marks.append(Mark(scale.x(state.actual_on), y, css, title))
    return marks


# ---- one project ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Span:
    start: date
    end: date
    css: str


class _Forecaster:
    """Working days for forecasts, with the five-day week where the calendar has no entry yet."""

    def __init__(self) -> None:
        self.calendar = WorkdayCalendar.load()

    def add(self, start: date, days: int) -> date:
        try:
            return self.calendar.add_working_days(start, days)
        except CalendarNotCovered:
            return start + timedelta(days=math.ceil(days * 7 / 5))


def step_spans(steps: Iterable[ChecklistStep], today: date) -> dict[int, Span]:
    """When each step ran or is expected to run: done, being handled (overdue or not), or forecast."""
    live = {step.pk: step for step in steps if step.status != StepStatus.NOT_NEEDED}
    forecaster = _Forecaster()
    spans: dict[int, Span] = {}

    def span(step: ChecklistStep, path: tuple[int, ...] = ()) -> Span:
        if step.pk not in spans:
            ends = []
            if step.status == StepStatus.WAITING:  # a waiting step starts when its prerequisites end
                before = [live[p.pk] for p in step.prerequisites.all() if p.pk in live and p.pk not in path]
                ends = [span(p, (*path, step.pk)).end for p in before]
            spans[step.pk] = _span(step, today, forecaster, ends)
        return spans[step.pk]

    for step in live.values():
        span(step)
    return spans


def _span(step: ChecklistStep, today: date, forecaster: _Forecaster, prerequisite_ends: list[date]) -> Span:
    if step.status == StepStatus.DONE:
        end = step.done_on or step.started_on or today
        return Span(step.started_on or end, end, "bar-done")
    if step.status == StepStatus.IN_PROGRESS:
        start = step.started_on or today
        end = step.due_on or forecaster.add(start, step.time_limit_days)
        return Span(start, end, "bar-overdue" if end < today else "bar-active")
    start = max([today, *prerequisite_ends])
    return Span(start, forecaster.add(start, step.time_limit_days), "bar-forecast")


STEP_TITLES = {
    "bar-done": gettext_noop("%(name)s：%(start)s — %(end)s 已办结"),
    "bar-active": gettext_noop("%(name)s：%(start)s 受理，应于 %(end)s 前办结"),
    "bar-overdue": gettext_noop("%(name)s：%(start)s 受理，应于 %(end)s 前办结，已逾期"),
    "bar-forecast": gettext_noop("%(name)s：预计 %(start)s — %(end)s"),
}


def project_chart(project: Project, *, today: date | None = None) -> Chart | None:
    """The project's procedure steps as bars and its milestones as planned/actual diamonds; None if empty."""
    today = today or timezone.localdate()
    steps = list(
        ChecklistStep.objects.filter(checklist__project=project)
        .exclude(status=StepStatus.NOT_NEEDED)
        .prefetch_related("prerequisites")
        .order_by("order", "id")
    )
    spans = step_spans(steps, today)
    states = milestone_states(
        project, project.milestones.all(), pending_changes([project]).get(project.pk), today=today, only_planned=True
    )
    if not steps and not states:
        return None
    scale = _project_scale(project, spans.values(), states, today)
    rows = [_step_row(step, spans[step.pk], scale, index) for index, step in enumerate(steps)]
    for state in states:
        row = Row(label=state.label, y=TOP + len(rows) * ROW_HEIGHT, css="row-milestone")
        row.marks = milestone_marks(scale, state, row.mid_y)
        rows.append(row)
    return _chart(scale, rows, today)


def _project_scale(project, spans, states, today) -> Scale:
    days = [today, *(s.start for s in spans), *(s.end for s in spans)]
    days += [d for state in states for d in (state.planned_on, state.actual_on) if d is not None]
    signed = signing_day(project)
    if signed is not None:
        days.append(signed)
    return Scale(month_start(min(days)), next_month(max(days)), left=220, width=CHART_WIDTH - 230)


def _step_row(step: ChecklistStep, span: Span, scale: Scale, index: int) -> Row:
    title = _(STEP_TITLES[span.css]) % {"name": step.name, "start": _fmt(span.start), "end": _fmt(span.end)}
    row = Row(label=_short(step.name, 14), title=title, y=TOP + index * ROW_HEIGHT, sub=step.get_status_display())
    row.bars.append(_bar(scale, span.start, span.end, span.css, title))
    return row


# ---- a county's projects -------------------------------------------------------------------


def chart_projects(user, data: dict, year: int) -> QuerySet:
    """Signed-or-later, undropped projects in the user's scope that are under way in the year."""
    # a signing not yet confirmed has no signed_on: its claimed date decides instead
    claimed_later = StageChange.objects.filter(
        project=OuterRef("pk"),
        to_stage=Stage.SIGNED,
        approval=StageChange.Approval.PENDING,
        happened_on__gt=date(year, 12, 31),
    )
    projects = (
        list_projects(user)
        .filter(stage__in=CHART_STAGES)
        .exclude(status=Project.Status.DROPPED)
        .alias(claimed_later=Exists(claimed_later))
        .filter(Q(signed_on__lte=date(year, 12, 31)) | Q(signed_on=None, claimed_later=False))
        .filter(Q(at_capacity_on=None) | Q(at_capacity_on__gte=date(year, 1, 1)))
    )
    if data.get("unit"):
        projects = projects.in_unit(data["unit"])
    if data.get("major"):
        threshold = PipelineSettings.current().major_threshold
        projects = projects.filter(contracted_investment__gte=threshold)
    return projects.prefetch_related("milestones").order_by("unit__path", "signed_on", "id")


def county_chart(projects: Iterable[Project], year: int, *, today: date | None = None) -> Chart:
    """One row per project: a bar from signing to the planned 达产, milestone diamonds, red where late."""
    today = today or timezone.localdate()
    projects = list(projects)
    pending = pending_changes(projects)
    scale = Scale(date(year, 1, 1), date(year + 1, 1, 1), left=300, width=CHART_WIDTH - 310)
    rows = [_project_row(p, pending.get(p.pk), scale, TOP + i * ROW_HEIGHT, today) for i, p in enumerate(projects)]
    return _chart(scale, rows, today)


def _project_row(project: Project, pending, scale: Scale, y: int, today: date) -> Row:
    states = milestone_states(project, project.milestones.all(), pending, today=today)
    late = any(state.overdue for state in states)
    row = Row(
        label=_short(project.name, 15),
        title=f"{project.name} · {project.unit.name}",
        sub=_short(project.unit.short_name or project.unit.name, 6),
        url=reverse("landing:project_landing", args=[project.pk]),
        css="row-late" if late else "",
        y=y,
    )
    bar = _project_bar(project, pending, states, scale, late)
    if bar is not None:
        row.bars.append(bar)
    for state in states:
        row.marks.extend(milestone_marks(scale, state, row.mid_y))
    return row


def _project_bar(project, pending, states, scale: Scale, late: bool) -> Bar | None:
    signed = project.signed_on
    if signed is None and pending is not None and pending.to_stage == Stage.SIGNED:
        signed = pending.happened_on
    start = signed or scale.start
    by_kind = {state.kind: state for state in states}
    capacity = by_kind.get(MilestoneKind.AT_CAPACITY)
    if project.at_capacity_on:
        end, css = project.at_capacity_on, "bar-done"
    elif capacity is not None and capacity.planned_on is not None:
        end, css = capacity.planned_on, "bar-late" if late else "bar-active"
    else:
        planned = [state.planned_on for state in states if state.planned_on is not None]
        end, css = (max(planned), "bar-late" if late else "bar-active") if planned else (scale.end, "bar-unplanned")
    if end < scale.start or start > scale.end:
        return None
    title = _("%(name)s：%(start)s 签约，计划 %(end)s 达产") % {
        "name": project.name,
        "start": _fmt(signed) if signed else "—",
        "end": _fmt(capacity.planned_on) if capacity and capacity.planned_on else "—",
    }
    return _bar(scale, start, max(end, start), css, title)
