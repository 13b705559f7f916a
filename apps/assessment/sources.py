"""Live sources of the metrics: the figures of other apps (investment pipeline, project landing, time-limit
commitments, appeals), cumulative from the year's start, per unit.

Each source reads every assessed unit at once (a few queries, whatever the number of units) and knows
the page that lists the records behind a unit's figure. A unit's figure covers its whole subtree.
"""

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from urllib.parse import urlencode

from django.db.models import Count, F, Q
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from apps.appeals.services import statistics as appeal_statistics
from apps.bizenv.models import Case
from apps.investment.models import Project
from apps.investment.selectors.kpis import Figures, Period, custom_period, scan
from apps.landing.models import ProjectProblem
from apps.org.models import Unit

Reader = Callable[[Sequence[Unit], Period], dict[int, Decimal]]


@dataclass(frozen=True)
class LiveSource:
    key: str
    name: Promise
    read: Reader
    #: the records behind a unit's figure: a URL, or None when no page lists them
    drill: Callable[[Unit, Period], str | None]


def year_to_date(ends_on: date) -> Period:
    """From 1 January to ``ends_on``: what a year's target is measured against."""
    return custom_period(date(ends_on.year, 1, 1), ends_on)


# ---- the investment pipeline ----------------------------------------------------------------


#: the scans made inside ``shared_scans()``, by units and period
_scans: ContextVar[dict | None] = ContextVar("assessment_scans", default=None)


@contextmanager
def shared_scans() -> Iterator[None]:
    """Inside the block the pipeline sources share one scan per units and period (a scheme has up to six)."""
    token = _scans.set({})
    try:
        yield
    finally:
        _scans.reset(token)


def _figures_by_unit(units: Sequence[Unit], period: Period) -> dict[int, Figures]:
    """The pipeline's sums of each unit's subtree: one scan grouped by the deepest unit's path."""
    scans, key = _scans.get(), (tuple((unit.pk, unit.path) for unit in units), period)
    if scans is not None and key in scans:
        return scans[key]
    length = max((len(unit.path) for unit in units), default=0)
    cells = scan(Project.objects.all(), period, path_length=length)
    figures = {unit.pk: Figures() for unit in units}
    for cell in cells:
        for unit in units:
            if cell.key.startswith(unit.path):
                figures[unit.pk] += cell.figures
    if scans is not None:
        scans[key] = figures
    return figures


def _pipeline(attribute: str) -> Reader:
    def read(units: Sequence[Unit], period: Period) -> dict[int, Decimal]:
        return {pk: Decimal(getattr(f, attribute)) for pk, f in _figures_by_unit(units, period).items()}

    return read


def _pipeline_drill(drill: str) -> Callable[[Unit, Period], str]:
    def url(unit: Unit, period: Period) -> str:
        query = {"period": "custom", "start": period.start.isoformat(), "end": period.end.isoformat(), "unit": unit.pk}
        return f"{reverse('investment:kpi_drilldown', args=[drill])}?{urlencode(query)}"

    return url


# ---- project landing ----------------------------------------------------------------------


def problems_answered_on_time(units: Sequence[Unit], period: Period) -> dict[int, Decimal]:
    """Of the problems due in the period, the share answered by their deadline (100 when none was due)."""
    rows = (
        ProjectProblem.objects.filter(due_on__range=(period.start, period.end))
        .order_by()
        .values("project__unit__path")
        .annotate(due=Count("pk"), on_time=Count("pk", filter=Q(answered_on__lte=F("due_on"))))
    )
    rows = list(rows)
    rates = {}
    for unit in units:
        mine = [row for row in rows if row["project__unit__path"].startswith(unit.path)]
        rates[unit.pk] = _percent(sum(row["on_time"] for row in mine), sum(row["due"] for row in mine))
    return rates


def department_answers_on_time(units: Sequence[Unit], period: Period) -> dict[int, Decimal]:
    """Of the problems given to the unit (as the department to answer) and due in the period, the share
    answered by their deadline (100 when none was due)."""
    rows = list(
        ProjectProblem.objects.filter(due_on__range=(period.start, period.end))
        .order_by()
        .values("department__path")
        .annotate(due=Count("pk"), on_time=Count("pk", filter=Q(answered_on__lte=F("due_on"))))
    )
    rates = {}
    for unit in units:
        mine = [row for row in rows if row["department__path"].startswith(unit.path)]
        rates[unit.pk] = _percent(sum(row["on_time"] for row in mine), sum(row["due"] for row in mine))
    return rates


# ---- the business environment ---------------------------------------------------------------


def commitments_on_time(units: Sequence[Unit], period: Period) -> dict[int, Decimal]:
    """Of the time-limit commitment cases completed in the period in the unit's area, the share completed
    within the committed working days (100 when none was completed)."""
    rows = list(
        Case.objects.completed_between(period.start, period.end)
        .order_by()
        .values("unit__path")
        .annotate(done=Count("pk"), on_time=Count("pk", filter=Q(working_days__lte=F("limit_days"))))
    )
    rates = {}
    for unit in units:
        mine = [row for row in rows if row["unit__path"].startswith(unit.path)]
        rates[unit.pk] = _percent(sum(row["on_time"] for row in mine), sum(row["done"] for row in mine))
    return rates


# ---- appeals ---------------------------------------------------------------------------------


def _appeals_rate(indicator: str) -> Reader:
    """An appeals indicator of the tickets dispatched in the period, over the unit's subtree (100 when none)."""

    def read(units: Sequence[Unit], period: Period) -> dict[int, Decimal]:
        scheme = appeal_statistics.scheme_for(period.end)
        figures = appeal_statistics.count_figures(period.start, period.end + timedelta(days=1), scheme)
        summed = appeal_statistics.summed(figures, units)
        rates = {}
        for unit in units:
            fraction = summed[unit.pk].get(indicator, appeal_statistics.ZERO)
            rates[unit.pk] = _percent(fraction.numerator, fraction.denominator)
        return rates

    return read


def _appeal_drill(unit: Unit, period: Period) -> str:
    query = {"unit": unit.pk, "start": period.start.isoformat(), "end": period.end.isoformat()}
    return f"{reverse('appeals:list')}?{urlencode(query)}"


def _case_drill(unit: Unit, period: Period) -> str:
    query = {"unit": unit.pk, "starts_on": period.start.isoformat(), "ends_on": period.end.isoformat()}
    return f"{reverse('bizenv:case_list')}?{urlencode(query)}"


def _percent(part: int | Decimal, whole: int) -> Decimal:
    if not whole:
        return Decimal(100)
    return (Decimal(part) * 100 / whole).quantize(Decimal("0.01"))


def _problem_drill(unit: Unit, period: Period) -> str:
    return f"{reverse('landing:problem_list')}?{urlencode({'unit': unit.pk})}"


def _answer_drill(unit: Unit, period: Period) -> str:
    return f"{reverse('landing:problem_list')}?{urlencode({'department': unit.pk})}"


SOURCES = {
    source.key: source
    for source in (
        LiveSource("investment.signed", _("签约项目数"), _pipeline("signed"), _pipeline_drill("signed")),
        LiveSource("investment.contracted", _("协议投资额"), _pipeline("contracted"), _pipeline_drill("signed")),
        LiveSource("investment.funds", _("到位资金"), _pipeline("in_place"), _pipeline_drill("funds")),
        LiveSource(
            "investment.out_of_province",
            _("省外到位资金"),
            _pipeline("out_of_province_funds"),
            _pipeline_drill("out_of_province"),
        ),
        LiveSource(
            "investment.started", _("开工项目数"), _pipeline("started_in_period"), _pipeline_drill("started_in_period")
        ),
        LiveSource("investment.over_1yi", _("亿元以上签约项目数"), _pipeline("over_1yi"), _pipeline_drill("over_1yi")),
        LiveSource("landing.problems_on_time", _("项目问题按期答复率"), problems_answered_on_time, _problem_drill),
        LiveSource(
            "landing.department_answers_on_time",
            _("交办问题按期答复率"),
            department_answers_on_time,
            _answer_drill,
        ),
        LiveSource("bizenv.commitments_on_time", _("承诺时限按时办结率"), commitments_on_time, _case_drill),
        LiveSource("appeals.resolved_on_time", _("诉求按时办结率"), _appeals_rate("resolved_on_time"), _appeal_drill),
        LiveSource("appeals.satisfaction", _("诉求满意率"), _appeals_rate("satisfaction"), _appeal_drill),
    )
}
