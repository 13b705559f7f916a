"""The assessment periods: 旬 (1–10, 11–20, 21–end), month, quarter, half-year and year."""

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from apps.assessment.models import PeriodKind

DEKAD_NAMES = {1: gettext_noop("上旬"), 2: gettext_noop("中旬"), 3: gettext_noop("下旬")}


@dataclass(frozen=True)
class AssessmentPeriod:
    kind: str
    starts_on: date
    ends_on: date
    label: str


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def period_of(kind: str, day: date) -> AssessmentPeriod:
    """The period of ``kind`` that contains ``day``."""
    year, month = day.year, day.month
    if kind == PeriodKind.DEKAD:
        index = min((day.day - 1) // 10 + 1, 3)
        start = date(year, month, 10 * (index - 1) + 1)
        end = _month_end(year, month) if index == 3 else start + timedelta(days=9)
        label = _("%(year)s年%(month)s月%(dekad)s") % {"year": year, "month": month, "dekad": _(DEKAD_NAMES[index])}
        return AssessmentPeriod(kind, start, end, label)
    if kind == PeriodKind.MONTH:
        label = _("%(year)s年%(month)s月") % {"year": year, "month": month}
        return AssessmentPeriod(kind, date(year, month, 1), _month_end(year, month), label)
    if kind == PeriodKind.QUARTER:
        quarter = (month - 1) // 3 + 1
        label = _("%(year)s年第%(quarter)s季度") % {"year": year, "quarter": "一二三四"[quarter - 1]}
        return AssessmentPeriod(kind, date(year, 3 * quarter - 2, 1), _month_end(year, 3 * quarter), label)
    if kind == PeriodKind.HALF:
        first = month <= 6
        label = _("%(year)s年上半年") % {"year": year} if first else _("%(year)s年下半年") % {"year": year}
        start, end = (date(year, 1, 1), date(year, 6, 30)) if first else (date(year, 7, 1), date(year, 12, 31))
        return AssessmentPeriod(kind, start, end, label)
    if kind == PeriodKind.YEAR:
        return AssessmentPeriod(kind, date(year, 1, 1), date(year, 12, 31), _("%(year)s年") % {"year": year})
    raise ValueError(kind)


def periods_of_year(kind: str, year: int) -> list[AssessmentPeriod]:
    """Every period of ``kind`` in the year, in order."""
    periods, day = [], date(year, 1, 1)
    while day.year == year:
        period = period_of(kind, day)
        periods.append(period)
        day = period.ends_on + timedelta(days=1)
    return periods


def ended_periods(kind: str, year: int, today: date) -> list[AssessmentPeriod]:
    """The periods of the year that are over by ``today`` (their last day is before it)."""
    return [period for period in periods_of_year(kind, year) if period.ends_on < today]
