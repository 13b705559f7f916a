"""ECharts options built here, passed to the page with json_script, drawn by static/cockpit/cockpit.js.

Every data point may carry a ``url``: a click opens the records behind it. No functions in the options (they are
JSON), so labels and tooltips use ECharts' string templates.
"""

from collections.abc import Sequence
from decimal import Decimal

Point = dict


def point(value, url: str = "", name: str = "") -> Point:
    """One clickable value; amounts become floats (JSON has no decimals)."""
    data: Point = {"value": float(value) if isinstance(value, Decimal) else value}
    if url:
        data["url"] = url
    if name:
        data["name"] = name
    return data


def bars(categories: Sequence[str], series: Sequence[tuple[str, str, list[Point]]], *, unit: str = "") -> dict:
    """Grouped bars (or lines): ``series`` as (name, "bar" or "line", points)."""
    return {
        "tooltip": {"trigger": "axis"},
        "legend": {"top": 0},
        "grid": {"left": 50, "right": 20, "top": 36, "bottom": 30, "containLabel": True},
        "xAxis": {"type": "category", "data": list(categories)},
        "yAxis": {"type": "value", "name": unit},
        "series": [{"name": name, "type": kind, "data": points, "cursor": "pointer"} for name, kind, points in series],
    }


def horizontal_bars(categories: Sequence[str], name: str, points: list[Point], *, unit: str = "") -> dict:
    """A ranking: one bar per unit, the first on top."""
    return {
        "tooltip": {"trigger": "axis", "axisPointer": {"type": "shadow"}},
        "grid": {"left": 10, "right": 40, "top": 10, "bottom": 20, "containLabel": True},
        "xAxis": {"type": "value", "name": unit},
        "yAxis": {"type": "category", "data": list(categories), "inverse": True},
        "series": [
            {
                "name": name,
                "type": "bar",
                "data": points,
                "barMaxWidth": 28,
                "label": {"show": True, "position": "right"},
            }
        ],
    }


def funnel(name: str, points: list[Point]) -> dict:
    return {
        "tooltip": {"trigger": "item", "formatter": "{b}：{c}"},
        "series": [
            {
                "name": name,
                "type": "funnel",
                "sort": "none",
                "left": "10%",
                "width": "80%",
                "minSize": "20%",
                "label": {"show": True, "position": "inside", "formatter": "{b} {c}"},
                "data": points,
            }
        ],
    }


def pie(name: str, points: list[Point], *, colours: Sequence[str] = ()) -> dict:
    option = {
        "tooltip": {"trigger": "item", "formatter": "{b}：{c}（{d}%）"},
        "legend": {"bottom": 0},
        "series": [
            {"name": name, "type": "pie", "radius": ["40%", "68%"], "data": points, "label": {"formatter": "{b} {c}"}}
        ],
    }
    if colours:
        option["color"] = list(colours)
    return option
