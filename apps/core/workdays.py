"""Working days (工作日): Chinese public holidays and make-up workdays, with database overrides.

Where the status of one date comes from, first match wins:

1. a ``CalendarDay`` row — the administrator's override of that single date;
2. chinese-calendar, for the years the installed package covers (holidays and make-up workdays
   from the State Council's annual notice);
3. for a year that a ``CalendarYear`` row declares entered (a year the package does not cover
   yet): Monday to Friday are working days, Saturday and Sunday are not.

A year covered by neither the package nor a ``CalendarYear`` row raises ``CalendarNotCovered``:
a deadline computed from a guessed calendar would be silently wrong.

Counting convention (see docs/workdays.md): ``working_days_between(start, end)`` counts the
working days after ``start`` up to and including ``end``; ``add_working_days(start, n)`` is the
n-th working day after ``start``. The two agree: for any working day ``end`` after ``start``,
``add_working_days(start, working_days_between(start, end)) == end``.

Scans over many records build one ``WorkdayCalendar`` (two queries) and ask it every question.
"""

import calendar
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import NamedTuple

import chinese_calendar
from django.utils.dateformat import format as format_date
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.core.errors import BusinessRuleError
from apps.core.models import CalendarDay, CalendarYear

#: dates the package lists: rest days of a holiday and make-up workdays, each with its holiday
LIBRARY_HOLIDAYS = chinese_calendar.holidays
LIBRARY_WORKDAYS = chinese_calendar.workdays
#: the years the installed chinese-calendar package knows
LIBRARY_YEARS = range(min(LIBRARY_HOLIDAYS).year, max(LIBRARY_HOLIDAYS).year + 1)

Holiday = chinese_calendar.Holiday
#: the package's holiday names (its dates map to the English value) as the offices write them
HOLIDAY_NAMES = {
    Holiday.new_years_day.value: gettext_lazy("元旦"),
    Holiday.spring_festival.value: gettext_lazy("春节"),
    Holiday.tomb_sweeping_day.value: gettext_lazy("清明节"),
    Holiday.labour_day.value: gettext_lazy("劳动节"),
    Holiday.dragon_boat_festival.value: gettext_lazy("端午节"),
    Holiday.national_day.value: gettext_lazy("国庆节"),
    Holiday.mid_autumn_festival.value: gettext_lazy("中秋节"),
    Holiday.anti_fascist_70th_day.value: gettext_lazy("抗战胜利70周年纪念日"),
}


class CalendarNotCovered(BusinessRuleError):  # noqa: N818 - the name callers know it by
    """Neither chinese-calendar nor the database has the holiday arrangement of a year."""

    def __init__(self, year: int) -> None:
        super().__init__(_("%(year)s 年的节假日安排尚未录入，请系统管理员在“工作日历”中录入。") % {"year": year})
        self.year = year


class Override(NamedTuple):
    is_workday: bool
    note: str
    pk: int | None = None


@dataclass(frozen=True)
class DayInfo:
    """What the calendar says about one date, and where it says it from."""

    day: date
    is_workday: bool
    note: str = ""
    override_id: int | None = None

    @property
    def from_database(self) -> bool:
        return self.override_id is not None

    @property
    def kind(self) -> str:
        """workday / makeup (work on a weekend) / holiday (a named or weekday rest) / weekend."""
        weekend = self.day.weekday() >= 5
        if self.is_workday:
            return "makeup" if weekend else "workday"
        return "weekend" if weekend and not self.note else "holiday"

    @property
    def is_notable(self) -> bool:
        """Worth listing: an override, a named holiday or a make-up workday."""
        return self.from_database or self.kind in {"holiday", "makeup"}


class WorkdayCalendar:
    """Answers many working-day questions from one load of the database overrides."""

    def __init__(self, overrides: Mapping[date, Override], entered_years: Iterable[int]) -> None:
        self._overrides = dict(overrides)
        self._entered_years = frozenset(entered_years)

    @classmethod
    def load(cls) -> "WorkdayCalendar":
        """Every override and every declared year: two queries, whatever is asked afterwards."""
        rows = CalendarDay.objects.values_list("date", "is_workday", "note", "pk")
        overrides = {day: Override(is_workday, note, pk) for day, is_workday, note, pk in rows}
        return cls(overrides, CalendarYear.objects.values_list("year", flat=True))

    def covers(self, year: int) -> bool:
        """True when the year's arrangement is known (from chinese-calendar or declared entered)."""
        return year in LIBRARY_YEARS or year in self._entered_years

    def is_entered(self, year: int) -> bool:
        """True when a CalendarYear row declares the year entered."""
        return year in self._entered_years

    def is_workday(self, day: date) -> bool:
        """Whether people work on ``day``; raises CalendarNotCovered for an unknown year."""
        if not self.covers(day.year):
            raise CalendarNotCovered(day.year)
        override = self._overrides.get(day)
        if override is not None:
            return override.is_workday
        if day.year in LIBRARY_YEARS:
            return day in LIBRARY_WORKDAYS or (day.weekday() < 5 and day not in LIBRARY_HOLIDAYS)
        return day.weekday() < 5

    def add_working_days(self, start: date, n: int) -> date:
        """The n-th working day after ``start`` (before it when n < 0); ``start`` itself when n == 0."""
        _check_date(start)
        step = timedelta(days=1 if n >= 0 else -1)
        day, remaining = start, abs(n)
        while remaining:
            day += step
            if self.is_workday(day):
                remaining -= 1
        return day

    def working_days_between(self, start: date, end: date) -> int:
        """Working days after ``start`` up to and including ``end``; negative when ``end`` is earlier."""
        _check_date(start)
        _check_date(end)
        if end < start:
            return -self.working_days_between(end, start)
        return sum(1 for offset in range(1, (end - start).days + 1) if self.is_workday(start + timedelta(offset)))

    def describe(self, day: date) -> DayInfo:
        """The status of ``day`` for display; in an uncovered year, the weekend rule and the overrides so far."""
        override = self._overrides.get(day)
        if override is not None:
            return DayInfo(day, override.is_workday, override.note, override.pk)
        if day.year in LIBRARY_YEARS:
            return DayInfo(day, self.is_workday(day), library_note(day))
        return DayInfo(day, day.weekday() < 5)


def library_note(day: date) -> str:
    """The holiday that chinese-calendar names for ``day`` ("国庆节", "国庆节调休上班"), or ""."""
    if day in LIBRARY_WORKDAYS:
        return _("%(holiday)s调休上班") % {"holiday": _holiday_name(LIBRARY_WORKDAYS[day])}
    if day in LIBRARY_HOLIDAYS:
        return str(_holiday_name(LIBRARY_HOLIDAYS[day]))
    return ""


def chinese_date(day: date) -> str:
    """2024年10月8日, as the offices write dates."""
    return format_date(day, "Y年n月j日")


def _holiday_name(value: str) -> str:
    return str(HOLIDAY_NAMES.get(value, value))


def _check_date(value: date) -> None:
    if isinstance(value, datetime) or not isinstance(value, date):
        raise TypeError(f"expected a date, got {type(value).__name__} (use timezone.localdate() for today)")


def add_working_days(start: date, n: int) -> date:
    """The n-th working day after ``start`` (before it when n < 0); ``start`` itself when n == 0.

    Example: add_working_days(date(2024, 9, 27), 3) == date(2024, 10, 8), across the National Day holiday.
    """
    return WorkdayCalendar.load().add_working_days(start, n)


def working_days_between(start: date, end: date) -> int:
    """Working days after ``start`` up to and including ``end``; ``-working_days_between(end, start)`` if end < start.

    Example: working_days_between(date(2024, 9, 27), date(2024, 10, 14)) == 8.
    """
    return WorkdayCalendar.load().working_days_between(start, end)


def year_is_covered(year: int) -> bool:
    """Whether the year's arrangement is known, in at most one query."""
    return year in LIBRARY_YEARS or CalendarYear.objects.filter(year=year).exists()


def month_weeks(workdays: WorkdayCalendar, year: int, month: int) -> list[list[DayInfo | None]]:
    """A month as weeks from Monday to Sunday; days of the neighbouring months are None."""
    weeks = calendar.Calendar(firstweekday=0).monthdatescalendar(year, month)
    return [[workdays.describe(day) if day.month == month else None for day in week] for week in weeks]


def notable_days(workdays: WorkdayCalendar, year: int) -> list[DayInfo]:
    """The year's holidays, make-up workdays and overrides, in date order."""
    day, last = date(year, 1, 1), date(year, 12, 31)
    found = []
    while day <= last:
        info = workdays.describe(day)
        if info.is_notable:
            found.append(info)
        day += timedelta(days=1)
    return found
