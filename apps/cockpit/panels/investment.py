"""The investment panels: the year's key figures against the targets, the ranking of counties, monthly trends.

All from one KPI scan (apps/investment/selectors/kpis.py): the KPI page's own figures, grouped by county for a
city-level viewer; a county viewer's scan is their own scope, so the ranking shows their county alone. Targets are
the assessment's annual targets (apps/assessment) of the items reading the same pipeline figures.
"""

from dataclasses import dataclass
from decimal import Decimal
from urllib.parse import urlencode

from django.db.models import Sum
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.assessment.models import Target
from apps.cockpit import charts
from apps.investment.selectors.kpis import (
    Figures,
    Period,
    default_base,
    kpi_scope,
    kpis_from,
    monthly,
    scan,
    total,
    unit_breakdown,
    year_period,
)
from apps.org.models import Unit
from apps.org.selectors import area_of

AREAS = (Unit.Kind.COUNTY, Unit.Kind.ZONE)


@dataclass(frozen=True)
class KeyFigure:
    key: str
    label: str
    text: str
    url: str
    target_text: str = ""
    #: actual ÷ target, None without a target
    completion: Decimal | None = None

    @property
    def completion_percent(self) -> str:
        return f"{self.completion * 100:.1f}%" if self.completion is not None else ""


@dataclass(frozen=True)
class AreaFigures:
    unit: Unit
    figures: Figures


@dataclass(frozen=True)
class InvestmentPanel:
    period: Period
    figures: list[KeyFigure]
    areas: list[AreaFigures]
    ranking_chart: dict
    trend_chart: dict
    has_data: bool


#: key, label, the Figures field, the KPI drill-down, the assessment source of its target
KEY_FIGURES = (
    ("signed", gettext_lazy("签约项目"), "signed", "signed", "investment.signed"),
    ("contracted", gettext_lazy("协议投资额"), "contracted", "signed", "investment.contracted"),
    ("funds", gettext_lazy("到位资金"), "in_place", "funds", "investment.funds"),
    ("started", gettext_lazy("开工项目"), "started_in_period", "started_in_period", "investment.started"),
    ("over_1yi", gettext_lazy("亿元以上项目"), "over_1yi", "over_1yi", "investment.over_1yi"),
)
AMOUNTS = {"contracted", "funds"}


def drill_url(key: str, year: int, *, unit: Unit | None = None, month: int | None = None) -> str:
    """The KPI drill-down of ``key`` for the year (or one of its months), optionally within a unit."""
    query: dict = {"period": "month", "year": year, "month": month} if month else {"period": "year", "year": year}
    if unit is not None:
        query["unit"] = unit.pk
    return f"{reverse('investment:kpi_drilldown', args=[key])}?{urlencode(query)}"


def investment_panel(user, year: int) -> InvestmentPanel:
    period = year_period(year)
    scope = kpi_scope(user)
    base = default_base(user)
    if base is not None and base.is_city_level:
        rows, cells = unit_breakdown(scope, period, base)
        by_path = _by_path(cells)
        areas = [AreaFigures(row.unit, by_path.get(row.unit.path) or Figures()) for row in rows if _is_area(row)]
    else:
        cells = scan(scope, period)
        own = area_of(base) if base is not None else None
        areas = [AreaFigures(own, total(cells))] if own is not None else []
    figures = total(cells)
    areas.sort(key=lambda area: (-area.figures.contracted, area.unit.path))
    return InvestmentPanel(
        period=period,
        figures=_key_figures(figures, _targets(user, [area.unit for area in areas], year), year),
        areas=areas,
        ranking_chart=_ranking_chart(areas, year),
        trend_chart=_trend_chart(cells, period, year),
        has_data=bool(cells),
    )


def _is_area(row) -> bool:
    return row.role == "child" and row.unit.kind in AREAS


def _by_path(cells) -> dict[str, Figures]:
    """The breakdown's cells summed by child unit (their key is the child's path)."""
    sums: dict[str, Figures] = {}
    for cell in cells:
        sums[cell.key] = sums.get(cell.key, Figures()) + cell.figures
    return sums


def _targets(user, units: list[Unit], year: int) -> dict[str, Decimal]:
    """The year's targets of these units by assessment source: one grouped query."""
    sources = [spec[4] for spec in KEY_FIGURES]
    targets = (
        Target.objects.visible_to(user)
        .filter(unit__in=units, item__scheme__year=year, item__metric__source_key__in=sources)
        .order_by()
        .values("item__metric__source_key")
        .annotate(total=Sum("value"))
    )
    return {row["item__metric__source_key"]: row["total"] for row in targets}


def _key_figures(figures: Figures, targets: dict[str, Decimal], year: int) -> list[KeyFigure]:
    kpis = kpis_from(figures)
    texts = {
        "signed": kpis["signed_count"].value_text,
        "contracted": kpis["contracted"].value_text,
        "funds": kpis["funds_in_place"].value_text,
        "started": _("%(n)s 个") % {"n": figures.started_in_period},
        "over_1yi": kpis["share_1yi"].numerator_text,
    }
    result = []
    for key, label, field, drill, source in KEY_FIGURES:
        target = targets.get(source)
        actual = Decimal(getattr(figures, field))
        result.append(
            KeyFigure(
                key=key,
                label=str(label),
                text=texts[key],
                url=drill_url(drill, year),
                target_text=_target_text(key, target),
                completion=actual / target if target else None,
            )
        )
    return result


def _target_text(key: str, target: Decimal | None) -> str:
    if target is None:
        return ""
    if key in AMOUNTS:
        return _("%(n)s 万元") % {"n": f"{target:,.0f}"}
    return _("%(n)s 个") % {"n": f"{target:.0f}"}


def _ranking_chart(areas: list[AreaFigures], year: int) -> dict:
    points = [charts.point(area.figures.contracted, drill_url("signed", year, unit=area.unit)) for area in areas]
    names = [area.unit.display_name for area in areas]
    return charts.horizontal_bars(names, _("协议投资额"), points, unit=_("万元"))


def _trend_chart(cells, period: Period, year: int) -> dict:
    months = monthly(cells, period)
    labels = [_("%(m)s月") % {"m": row.month.month} for row in months]
    contracted = [charts.point(row.contracted, drill_url("signed", year, month=row.month.month)) for row in months]
    funds = [charts.point(row.funds, drill_url("funds", year, month=row.month.month)) for row in months]
    series = [(_("协议投资额"), "bar", contracted), (_("到位资金"), "line", funds)]
    return charts.bars(labels, series, unit=_("万元"))
