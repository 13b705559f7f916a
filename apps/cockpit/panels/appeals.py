"""The appeals panel: the last kept month's rates (from its monthly snapshot, never the slow live count) and
the hot spots of the last three months (apps/appeals/services/hot_spots.py) over the viewer's tickets."""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext as _

from apps.appeals import permissions
from apps.appeals.models import MonthlySnapshot
from apps.appeals.models.statistics import Indicator
from apps.appeals.services import hot_spots as hot_spot_service
from apps.appeals.services import statistics
from apps.cockpit import charts
from apps.org.models import Unit

RATES = (Indicator.RESOLVED_ON_TIME, Indicator.RESOLUTION, Indicator.SATISFACTION)
AREAS = (Unit.Kind.COUNTY, Unit.Kind.ZONE)
HOT_MONTHS, HOT_TOP = 3, 6


@dataclass(frozen=True)
class Rate:
    label: str
    rate: Decimal | None
    numerator: Decimal
    denominator: int


@dataclass(frozen=True)
class AppealsPanel:
    month_label: str
    rates: list[Rate]
    url: str
    #: area id → satisfaction rate, for the map
    satisfaction_by_area: dict[int, Decimal]
    hot_chart: dict
    hot_total: int
    hot_label: str
    #: the snapshot's month, first and last day
    start: date | None = None
    end: date | None = None

    def area_url(self, unit_id: int) -> str:
        """The tickets of one area in the snapshot's month."""
        return _list_url(self.start, self.end, unit=unit_id) if self.start and self.end else ""

    @property
    def has_rates(self) -> bool:
        return any(rate.denominator for rate in self.rates)


def _list_url(start: date, end: date, **query) -> str:
    return f"{reverse('appeals:list')}?{urlencode({**query, 'start': start.isoformat(), 'end': end.isoformat()})}"


def area_units(user) -> list[Unit]:
    """The counties and zones whose figures the viewer reads (their own only, for a county)."""
    return list(permissions.statistics_units(user).filter(kind__in=AREAS).order_by("path"))


def appeals_panel(user, today: date) -> AppealsPanel:
    snapshot = MonthlySnapshot.objects.order_by("-month").first()
    rates, by_area, month_label, url = [Rate(str(i.label), None, Decimal(0), 0) for i in RATES], {}, "", ""
    start = end = None
    if snapshot is not None:
        figures = statistics.snapshot_figures(snapshot)
        areas = area_units(user)
        summed = statistics.summed(figures, [user.unit, *areas])
        own = summed[user.unit.pk]
        rates = [Rate(str(i.label), *_parts(own.get(i, statistics.ZERO))) for i in RATES]
        by_area = {
            area.pk: summed[area.pk][Indicator.SATISFACTION].rate
            for area in areas
            if Indicator.SATISFACTION in summed[area.pk]
        }
        month_label = statistics.chinese_month(snapshot.month)
        start, end = snapshot.month, statistics.next_month(snapshot.month) - timedelta(days=1)
        url = _list_url(start, end)
    hot_chart, hot_total, hot_label = _hot_spots(user, today)
    return AppealsPanel(month_label, rates, url, by_area, hot_chart, hot_total, hot_label, start, end)


def _parts(fraction: statistics.Fraction) -> tuple:
    return fraction.rate, fraction.numerator, fraction.denominator


def _hot_spots(user, today: date) -> tuple[dict, int, str]:
    """The first-level categories with most tickets recorded in the last three whole months."""
    end = statistics.previous_month(today)
    start = hot_spot_service.shift(end, HOT_MONTHS - 1)
    analysis = hot_spot_service.hot_spots(permissions.visible_appeals(user), start, end)
    last_day = statistics.next_month(end) - timedelta(days=1)
    top = analysis.by_category[:HOT_TOP]
    points = [charts.point(count, _list_url(start, last_day, category=category.pk)) for category, _row, count in top]
    chart = charts.horizontal_bars([category.name for category, _row, _count in top], _("诉求件数"), points)
    label = _("%(start)s至%(end)s") % {"start": statistics.chinese_month(start), "end": statistics.chinese_month(end)}
    return chart, analysis.total, label
