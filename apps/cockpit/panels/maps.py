"""The map panel: the viewer's active region map with each county's figures, for ECharts' registerMap and visualMap.

A county viewer's map is their city's, with values for their own county only (the others stay grey).
"""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from apps.cockpit.models import RegionMap
from apps.cockpit.panels.appeals import AppealsPanel
from apps.cockpit.panels.investment import InvestmentPanel, drill_url
from apps.org.models import Unit


@dataclass(frozen=True)
class MapFigure:
    key: str
    label: str
    unit: str


def figures() -> list[MapFigure]:
    return [
        MapFigure("contracted", _("协议投资额"), _("万元")),
        MapFigure("funds", _("到位资金"), _("万元")),
        MapFigure("signed", _("签约项目"), _("个")),
        MapFigure("started", _("开工项目"), _("个")),
        MapFigure("satisfaction", _("诉求满意率"), "%"),
    ]


def region_map_for(unit: Unit | None) -> RegionMap | None:
    """The active map of the nearest unit above (or at) ``unit`` that has one."""
    if unit is None:
        return None
    paths = [unit.path[:end] for end in range(Unit.steplen, len(unit.path) + 1, Unit.steplen)]
    return RegionMap.objects.active().filter(unit__path__in=paths).order_by("-unit__depth").first()


def map_payload(region_map: RegionMap, investment: InvestmentPanel | None, appeals: AppealsPanel | None) -> dict:
    """What cockpit.js draws: the GeoJSON, each region's figures with the link to its records, the choices
    (those of the panels the viewer sees)."""
    year = investment.period.start.year if investment else 0
    by_unit = {area.unit.pk: area for area in investment.areas} if investment else {}
    satisfaction = appeals.satisfaction_by_area if appeals else {}
    regions = []
    for name, unit_id in region_map.mapping.items():
        values = {}
        area = by_unit.get(unit_id)
        if area is not None:
            values = {
                "contracted": _value(area.figures.contracted, drill_url("signed", year, unit=area.unit)),
                "funds": _value(area.figures.in_place, drill_url("funds", year, unit=area.unit)),
                "signed": _value(area.figures.signed, drill_url("signed", year, unit=area.unit)),
                "started": _value(area.figures.started_in_period, drill_url("started_in_period", year, unit=area.unit)),
            }
        if satisfaction.get(unit_id) is not None:
            values["satisfaction"] = _value(satisfaction[unit_id], appeals.area_url(unit_id))
        regions.append({"name": name, "values": values})
    return {
        "name": f"region-{region_map.pk}",
        "nameProperty": region_map.name_property,
        "geojson": region_map.geojson,
        "regions": regions,
        "figures": [f.__dict__ for f in figures() if (appeals if f.key == "satisfaction" else investment)],
    }


def _value(value, url: str) -> dict:
    return {"value": float(value), "url": url}
