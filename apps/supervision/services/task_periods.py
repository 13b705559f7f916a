"""Reporting periods of supervision tasks, their red/amber/green light and the month's overdue list.

Periods: a 旬报 task reports every 旬 — 上旬 days 1–10, 中旬 days 11–20, 下旬 day 21 to the month's end (28, 29, 30
or 31); a 月报 task every calendar month; a 一次性 task reports once, when it asks for closure.

A period's report is due by the period's last day. The unit owes one for every *full* period of the task: from the
first period that starts on or after the day the task was assigned, up to the last one that ended before today
and before the unit asked for closure (the closure report covers the rest). A report not filed by the end of
its period is missing (缺报) until filed; one filed later is late (迟报).

Light (like problems' in deadlines.py, in working days): a task the unit still works on (在办) is red when today
is after its due date, amber when it is due within AMBER_WORKING_DAYS working days, green otherwise; a task
asking for closure or closed has none.

The month's overdue list (``monthly_overdue``) is what the monthly bulletin reports: tasks overdue on at least
one day of the month (due before that day and the unit not done by it), and the reports of periods ending in
the month that were not filed by the period's end.
"""

import calendar
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.core.workdays import WorkdayCalendar
from apps.supervision.models import ProgressReport, SupervisionTask
from apps.supervision.services import deadlines

Cycle = SupervisionTask.Cycle
TEN_DAY_NAMES = {1: gettext_lazy("上旬"), 11: gettext_lazy("中旬"), 21: gettext_lazy("下旬")}


@dataclass(frozen=True, order=True)
class Period:
    start: date
    end: date
    cycle: str

    @property
    def label(self) -> str:
        """2026年3月上旬, or 2026年3月 for a month."""
        month = _("%(year)s年%(month)s月") % {"year": self.start.year, "month": self.start.month}
        if self.cycle == Cycle.TEN_DAY:
            return month + str(TEN_DAY_NAMES[self.start.day])
        return month

    def following(self) -> "Period":
        return period_of(self.end + timedelta(days=1), self.cycle)


def month_end(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def period_of(day: date, cycle: str) -> Period:
    """The period of the cycle that contains the day."""
    if cycle == Cycle.MONTHLY:
        return Period(day.replace(day=1), month_end(day), cycle)
    if cycle != Cycle.TEN_DAY:
        raise ValueError(f"a {cycle!r} task has no reporting periods")
    if day.day <= 10:
        return Period(day.replace(day=1), day.replace(day=10), cycle)
    if day.day <= 20:
        return Period(day.replace(day=11), day.replace(day=20), cycle)
    return Period(day.replace(day=21), month_end(day), cycle)


def periods_from(first: date, cycle: str) -> Iterator[Period]:
    """Every period from the one containing ``first`` on (endless: the caller stops)."""
    period = period_of(first, cycle)
    while True:
        yield period
        period = period.following()


def due_periods(task: SupervisionTask, today: date) -> list[Period]:
    """The full periods the unit owes a report for, as of today (see the module's docstring)."""
    if not task.is_periodic:
        return []
    limit = min(today, task.completed_on) if task.completed_on else today
    rows = []
    for period in periods_from(task.assigned_on, task.cycle):
        if period.end >= limit:
            break
        if period.start >= task.assigned_on:
            rows.append(period)
    return rows


def reportable_periods(task: SupervisionTask, today: date, filed: Iterable[date]) -> list[Period]:
    """Periods a report may be filed for now, latest first: begun, not before the task, not yet reported."""
    if not task.is_periodic:
        return []
    done = set(filed)
    rows = []
    for period in periods_from(task.assigned_on, task.cycle):
        if period.start > today:
            break
        if period.start not in done:
            rows.append(period)
    return rows[::-1]


def missing_periods(task: SupervisionTask, today: date, filed: Iterable[date]) -> list[Period]:
    """The due periods with no report filed (by period start)."""
    done = set(filed)
    return [period for period in due_periods(task, today) if period.start not in done]


def is_valid_period(task: SupervisionTask, start: date) -> bool:
    """The day is the first day of one of the task's periods."""
    return task.is_periodic and period_of(start, task.cycle).start == start


# ---- light ----------------------------------------------------------------------------------


def light(task: SupervisionTask, thresholds: deadlines.Thresholds) -> str:
    """red, amber, green, or "" for a task no longer with its unit."""
    if task.status != SupervisionTask.Status.IN_PROGRESS:
        return ""
    if task.due_on < thresholds.today:
        return deadlines.RED
    return deadlines.AMBER if task.due_on < thresholds.green_from else deadlines.GREEN


def light_condition(value: str, thresholds: deadlines.Thresholds) -> Q:
    """The tasks of that light, as a filter."""
    with_unit = Q(status=SupervisionTask.Status.IN_PROGRESS)
    if value == deadlines.RED:
        return with_unit & Q(due_on__lt=thresholds.today)
    if value == deadlines.AMBER:
        return with_unit & Q(due_on__gte=thresholds.today, due_on__lt=thresholds.green_from)
    return with_unit & Q(due_on__gte=thresholds.green_from)


# ---- the month's overdue list ---------------------------------------------------------------


@dataclass(frozen=True)
class OverdueTask:
    task: SupervisionTask
    #: working days past the due date at the end of the month (or when the unit finished, if earlier)
    overdue_days: int
    #: still not done at the end of the month (or today)
    still_open: bool


@dataclass(frozen=True)
class MissingReport:
    task: SupervisionTask
    period: Period
    #: the late report, when one was filed after the period ended
    late_report: ProgressReport | None = None


@dataclass(frozen=True)
class MonthlyOverdue:
    first: date
    last: date
    #: the day the list is taken as of: the month's last day, or today for the current month
    as_of: date
    tasks: list[OverdueTask] = field(default_factory=list)
    missing: list[MissingReport] = field(default_factory=list)


def monthly_overdue(
    *, year: int, month: int, tasks: QuerySet | None = None, today: date | None = None
) -> MonthlyOverdue:
    """The tasks overdue in the month and the reports missing for its periods (for the monthly bulletin; the
    pages pass the viewer's scoped tasks)."""
    today = today or timezone.localdate()
    first = date(year, month, 1)
    last = month_end(first)
    as_of = min(last, today)
    result = MonthlyOverdue(first, last, as_of)
    if as_of < first:
        return result
    tasks = (SupervisionTask.objects.all() if tasks is None else tasks).select_related("unit", "supervising_unit")
    workdays = WorkdayCalendar.load()
    overdue = tasks.filter(due_on__lt=as_of).filter(
        Q(completed_on__isnull=True) | Q(completed_on__gte=first, completed_on__gt=F("due_on"))
    )
    for task in overdue.order_by("unit__path", "due_on", "code"):
        done = task.completed_on if task.completed_on and task.completed_on <= as_of else None
        days = workdays.working_days_between(task.due_on, done or as_of)
        result.tasks.append(OverdueTask(task, days, done is None))
    result.missing.extend(_missing_in_month(tasks, first, last, today))
    return result


def _missing_in_month(tasks: QuerySet, first: date, last: date, today: date) -> list[MissingReport]:
    periodic = (
        tasks.exclude(cycle=Cycle.ONCE)
        .filter(assigned_on__lte=last)
        .filter(Q(completed_on__isnull=True) | Q(completed_on__gt=first))
        .order_by("unit__path", "code")
    )
    periodic = list(periodic)
    reports = ProgressReport.objects.filter(task__in=[t.pk for t in periodic], period_end__gte=first,
                                            period_end__lte=last)  # fmt: skip
    by_task: dict[int, dict[date, ProgressReport]] = {}
    for report in reports:
        by_task.setdefault(report.task_id, {})[report.period_start] = report
    rows = []
    for task in periodic:
        filed = by_task.get(task.pk, {})
        for period in due_periods(task, min(today, last + timedelta(days=1))):
            if not first <= period.end <= last:
                continue
            report = filed.get(period.start)
            if report is None or report.is_late:
                rows.append(MissingReport(task, period, report))
    return rows
