"""Measuring time-limit commitments on case records: durations, on time or late, statistics, indicator values.

Counting rule (受理当日不计入): as 《民法典》 art. 201 counts periods — "开始的当日不计入，自下一日开始计算"
— and apps/core/workdays.py counts working days, a case received on day D and completed on day E took
the working days after D up to and including E. Completed the day it was received (当场办结): 0 working
days; received on a Friday and completed the next Monday: 1. Holidays and weekends never count; a make-up
Saturday (调休上班) does.

Clock stops (暂停计时) follow the same rule: a stop from S to R takes out the working days after S up to
and including R — the clock stops at the end of day S (the notice to supply material is issued that day)
and starts again the day after R (the material arrives on R, which counts like a new receipt day). A
case's duration is its working days minus those of its stops; a step's duration is the working days of
its own dates minus the stopped ones inside them.

Statistics (per commitment, county, step): the number of cases completed in a period, the share on time
(working days ≤ the limit that applied when the case was received), the mean, the median (the middle
value; the mean of the two middle values for an even count) and the 90th percentile by the nearest-rank
method (the smallest value that at least 90 % of the cases do not exceed: the ⌈0.9·n⌉-th in order). They
are read as one grouped query — (county, working days, limit) → count — and computed from those counts,
so a million cases take one pass over an index in the database and a few thousand rows in Python.
"""

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, QuerySet
from django.utils import timezone

from apps.bizenv.models import Case, CaseStep, Commitment
from apps.core.workdays import WorkdayCalendar

PLACES = Decimal("0.1")


# ---- durations --------------------------------------------------------------------------------------


class WorkdayCounter:
    """Working days between dates in O(1) after one pass per year: a cumulative count by date."""

    def __init__(self, calendar: WorkdayCalendar | None = None) -> None:
        self.calendar = calendar or WorkdayCalendar.load()
        self._cumulative: dict[int, list[int]] = {}

    def _year(self, year: int) -> list[int]:
        counts = self._cumulative.get(year)
        if counts is None:
            first, total, counts = date(year, 1, 1), 0, []
            for offset in range((date(year + 1, 1, 1) - first).days):
                total += self.calendar.is_workday(first + timedelta(offset))
                counts.append(total)
            self._cumulative[year] = counts
        return counts

    def between(self, start: date, end: date) -> int:
        """Working days after ``start`` up to and including ``end`` (0 when end ≤ start)."""
        if end <= start:
            return 0
        if start.year == end.year:
            counts = self._year(start.year)
            return counts[end.timetuple().tm_yday - 1] - counts[start.timetuple().tm_yday - 1]
        years = sum(self._year(year)[-1] for year in range(start.year + 1, end.year))
        head = self._year(start.year)
        return (
            head[-1] - head[start.timetuple().tm_yday - 1] + years + self._year(end.year)[end.timetuple().tm_yday - 1]
        )


def stopped_days(counter: WorkdayCounter, stops: Iterable[tuple[date, date]], start: date, end: date) -> int:
    """Working days of the stops that fall inside (start, end]; stops do not overlap (the services check)."""
    total = 0
    for stop_start, stop_end in stops:
        lower, upper = max(stop_start, start), min(stop_end, end)
        total += counter.between(lower, upper)
    return total


def net_working_days(counter: WorkdayCounter, start: date, end: date, stops: Iterable[tuple[date, date]] = ()) -> int:
    """Working days after ``start`` up to ``end`` minus the stopped ones (受理当日不计入)."""
    return counter.between(start, end) - stopped_days(counter, stops, start, end)


def case_working_days(case: Case, counter: WorkdayCounter, *, today: date | None = None) -> int:
    """The case's working days so far: to its completion, or to ``today`` while in progress."""
    end = case.completed_on or today or timezone.localdate()
    stops = [(stop.starts_on, min(stop.ends_on, end)) for stop in case.stops.all()]
    return net_working_days(counter, case.received_on, end, stops)


def step_working_days(step: CaseStep, stops: Sequence[tuple[date, date]], counter: WorkdayCounter) -> int | None:
    """A finished step's working days, its own clock stops taken out; None until it has both dates."""
    if step.started_on is None or step.ended_on is None:
        return None
    return net_working_days(counter, step.started_on, step.ended_on, stops)


def due_date(case: Case, counter: WorkdayCounter) -> date:
    """The last day the case is on time: ``limit_days`` working days after receipt, plus the stopped ones."""
    extra = sum(counter.between(stop.starts_on, stop.ends_on) for stop in case.stops.all())
    return counter.calendar.add_working_days(case.received_on, case.limit_days + extra)


# ---- statistics ---------------------------------------------------------------------------------------


@dataclass
class Stats:
    """Statistics of a set of completed cases, from their (working days, limit) counts."""

    histogram: Counter = field(default_factory=Counter)  # (working_days, limit_days) → cases

    def add(self, days: int, limit: int, count: int = 1) -> None:
        self.histogram[(days, limit)] += count

    def merge(self, other: "Stats") -> None:
        self.histogram.update(other.histogram)

    @property
    def cases(self) -> int:
        return sum(self.histogram.values())

    @property
    def on_time(self) -> int:
        return sum(count for (days, limit), count in self.histogram.items() if days <= limit)

    @property
    def late(self) -> int:
        return self.cases - self.on_time

    @property
    def on_time_share(self) -> Decimal | None:
        """Percent on time, one decimal; None without cases."""
        return _round(Decimal(100 * self.on_time) / self.cases) if self.cases else None

    @property
    def mean(self) -> Decimal | None:
        if not self.cases:
            return None
        total = sum(days * count for (days, _limit), count in self.histogram.items())
        return _round(Decimal(total) / self.cases)

    @property
    def median(self) -> Decimal | None:
        values = self._by_days()
        if not values:
            return None
        n = sum(count for _days, count in values)
        low, high = _nth(values, (n + 1) // 2), _nth(values, n // 2 + 1)
        return _round(Decimal(low + high) / 2)

    @property
    def p90(self) -> Decimal | None:
        """Nearest rank: the ⌈0.9·n⌉-th smallest value."""
        values = self._by_days()
        if not values:
            return None
        n = sum(count for _days, count in values)
        return Decimal(_nth(values, math.ceil(Decimal(9) * n / 10)))

    @property
    def longest(self) -> int | None:
        return max((days for days, _limit in self.histogram), default=None)

    def _by_days(self) -> list[tuple[int, int]]:
        days: Counter = Counter()
        for (value, _limit), count in self.histogram.items():
            days[value] += count
        return sorted(days.items())


def _nth(values: list[tuple[int, int]], rank: int) -> int:
    """The value at 1-based ``rank`` of the sorted (value, count) pairs."""
    seen = 0
    for value, count in values:
        seen += count
        if seen >= rank:
            return value
    raise ValueError(rank)


def _round(value: Decimal) -> Decimal:
    return value.quantize(PLACES, rounding=ROUND_HALF_UP)


def percentile(values: Iterable[int], share: Decimal) -> int | None:
    """The nearest-rank percentile of plain values (``share`` 0.9 for P90): used by tests and the bench."""
    ordered = sorted(values)
    if not ordered:
        return None
    return ordered[max(1, math.ceil(share * len(ordered))) - 1]


def stats_by(cases: QuerySet, key: str) -> dict[object, Stats]:
    """Statistics of completed cases grouped by ``key`` (a field lookup such as "unit_id"): one query."""
    rows = cases.completed().order_by().values_list(key, "working_days", "limit_days").annotate(n=Count("pk"))
    grouped: dict[object, Stats] = {}
    for group, days, limit, count in rows:
        grouped.setdefault(group, Stats()).add(days, limit, count)
    return grouped


def total(groups: dict[object, Stats]) -> Stats:
    """The statistics of every group together."""
    merged = Stats()
    for stats in groups.values():
        merged.merge(stats)
    return merged


def step_stats(cases: QuerySet) -> dict[str, Stats]:
    """Per step name, the statistics of the finished steps of these cases: one query."""
    rows = (
        CaseStep.objects.filter(case__in=cases.values("pk"), working_days__isnull=False)
        .order_by()
        .values_list("name", "working_days", "limit_days")
        .annotate(n=Count("pk"))
    )
    grouped: dict[str, Stats] = {}
    for name, days, limit, count in rows:
        grouped.setdefault(name, Stats()).add(days, limit, count)
    return grouped


def late_in_progress(cases: QuerySet, *, today: date | None = None, limit: int = 500) -> list[tuple[Case, int]]:
    """Cases still in progress that are already past their limit today, with their working days so far."""
    today = today or timezone.localdate()
    counter = WorkdayCounter()
    # no case can be late before ``limit_days`` calendar days have passed: skip those in the database
    running = cases.in_progress().select_related("unit", "commitment").prefetch_related("stops").order_by("received_on")
    found = []
    for case in running.iterator(chunk_size=500):
        if (today - case.received_on).days <= case.limit_days:
            continue
        days = case_working_days(case, counter, today=today)
        if days > case.limit_days:
            found.append((case, days))
            if len(found) >= limit:
                break
    return found


# ---- the indicator ------------------------------------------------------------------------------------


def indicator_value(commitment: Commitment, unit, starts_on: date, ends_on: date) -> Decimal | None:
    """The median working days of the commitment's cases completed in the period in the unit's area."""
    cases = Case.objects.filter(commitment=commitment, unit__path__startswith=unit.path)
    return total(stats_by(cases.completed_between(starts_on, ends_on), "commitment_id")).median


def indicator_values(indicator_code: str, units: Iterable, starts_on: date, ends_on: date) -> dict[int, Decimal]:
    """For each unit with cases, the median working days of the active commitments feeding ``indicator_code``."""
    units = list(units)
    cases = Case.objects.filter(commitment__indicator_code=indicator_code, commitment__is_active=True)
    by_path = stats_by(cases.completed_between(starts_on, ends_on), "unit__path")
    values = {}
    for unit in units:
        merged = total({path: stats for path, stats in by_path.items() if path.startswith(unit.path)})
        if merged.cases:
            values[unit.pk] = merged.median
    return values
