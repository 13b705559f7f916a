"""Reading rankings: a snapshot's table, the live standing against the time-progress, the leader's page.

A ranking table is read from its snapshot alone (rows with their units, the items' names from the
stored inputs): one query for the rows, whatever the number of units and items. The live standing
is the same scoring run on today's figures, not stored.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from apps.assessment import permissions, sources
from apps.assessment.models import Metric, Scheme, Snapshot, SnapshotRow, Target
from apps.assessment.services import scoring
from apps.assessment.services.snapshots import gather_inputs
from apps.org.models import Unit


@dataclass(frozen=True)
class Column:
    """An item of the scheme as the snapshot stored it."""

    id: int
    name: str
    kind: str
    weight: Decimal
    method: str


@dataclass(frozen=True)
class Cell:
    actual: Decimal
    target: Decimal
    expected: Decimal
    completion: Decimal | None
    progress: Decimal | None
    light: str
    points: Decimal
    kind: str
    url: str | None


@dataclass(frozen=True)
class Line:
    """One unit's line of a ranking table."""

    unit: Unit
    score: Decimal
    deducted: Decimal
    rank: int
    previous_rank: int | None
    change: str
    praised: bool
    admonish: bool
    accountability: bool
    cells: list[Cell]

    @property
    def light(self) -> str:
        lights = {cell.light for cell in self.cells}
        return scoring.RED if scoring.RED in lights else scoring.AMBER if scoring.AMBER in lights else scoring.GREEN


def columns(inputs: dict) -> list[Column]:
    return [
        Column(item["id"], item.get("name", ""), item.get("kind", ""), Decimal(item["weight"]), item["method"])
        for item in inputs["items"]
    ]


def _cells(items: list[dict], cols: list[Column], links: dict) -> list[Cell]:
    by_item = {item["item"]: item for item in items}
    cells = []
    for col in cols:
        item = by_item.get(col.id)
        if item is None:
            continue
        cells.append(
            Cell(
                actual=Decimal(item["actual"]),
                target=Decimal(item["target"]),
                expected=Decimal(item["expected"]),
                completion=None if item["completion"] is None else Decimal(item["completion"]),
                progress=None if item["progress"] is None else Decimal(item["progress"]),
                light=item["light"],
                points=Decimal(item["points"]),
                kind=col.kind,
                url=links.get(col.id),
            )
        )
    return cells


def drill_links(scheme: Scheme, units: list[Unit], as_of: date) -> dict[int, dict[int, str]]:
    """Per unit and item, the page of the records behind the figure: the source's list, or the target page."""
    period = sources.year_to_date(as_of)
    items = list(scheme.items.select_related("metric"))
    targets = {
        (unit_id, item_id): pk
        for pk, unit_id, item_id in Target.objects.filter(item__scheme=scheme).values_list("pk", "unit", "item")
    }
    links: dict[int, dict[int, str]] = {}
    for unit in units:
        links[unit.pk] = {}
        for item in items:
            source = sources.SOURCES.get(item.metric.source_key) if item.metric.source == Metric.Source.LIVE else None
            if source is not None:
                links[unit.pk][item.pk] = source.drill(unit, period)
            elif (unit.pk, item.pk) in targets:
                links[unit.pk][item.pk] = reverse("assessment:target_detail", args=[targets[(unit.pk, item.pk)]])
    return links


def ranking(snapshot: Snapshot) -> tuple[list[Column], list[Line]]:
    """The snapshot's table, best first, each figure linked to its records."""
    cols = columns(snapshot.inputs)
    rows = list(snapshot.rows.select_related("unit").order_by("rank", "unit__path"))
    links = drill_links(snapshot.scheme, [row.unit for row in rows], snapshot.ends_on)
    return cols, [_line(row, cols, links.get(row.unit_id, {})) for row in rows]


def _line(row: SnapshotRow, cols: list[Column], links: dict) -> Line:
    return Line(
        unit=row.unit, score=row.score, deducted=row.deducted, rank=row.rank, previous_rank=row.previous_rank,
        change=row.change, praised=row.praised, admonish=row.admonish, accountability=row.accountability,
        cells=_cells(row.items, cols, links),
    )  # fmt: skip


def standing(scheme: Scheme, *, day: date | None = None) -> tuple[list[Column], list[Line], date]:
    """Every unit's figures as of ``day`` (yesterday by default: today is not over) against its time-progress."""
    day = day or timezone.localdate() - timedelta(days=1)
    if day.year != scheme.year:
        day = min(max(day, date(scheme.year, 1, 1)), date(scheme.year, 12, 31))
    inputs = gather_inputs(scheme, day)
    units = {unit.pk: unit for unit in Unit.objects.filter(pk__in=[u["id"] for u in inputs["units"]])}
    links = drill_links(scheme, list(units.values()), day)
    cols = columns(inputs)
    lines = [
        Line(
            unit=units[result.unit],
            score=result.score,
            deducted=result.deducted,
            rank=result.rank,
            previous_rank=None,
            change="new",
            praised=result.praised,
            admonish=result.admonish,
            accountability=False,
            cells=_cells([item.as_json() for item in result.items], cols, links.get(result.unit, {})),
        )  # fmt: skip
        for result in scoring.score(inputs)
    ]
    return cols, lines, day


def latest_snapshot(scheme: Scheme) -> Snapshot | None:
    """The most recent ranking, the monthly one when a month and a longer period end on the same day."""
    order = {"month": 0, "quarter": 1, "half": 2, "year": 3, "dekad": 4}
    snapshots = list(scheme.snapshots.order_by("-ends_on")[:5])
    if not snapshots:
        return None
    last_day = snapshots[0].ends_on
    return min((s for s in snapshots if s.ends_on == last_day), key=lambda s: order.get(s.kind, 9))


def visible_snapshots(user) -> QuerySet:
    return permissions.visible_snapshots(user).select_related("scheme")


def current_schemes(user, year: int | None = None) -> list[Scheme]:
    year = year or timezone.localdate().year
    return list(permissions.visible_schemes(user).filter(year=year).select_related("unit").order_by("group"))


# ---- the time-progress chart ----------------------------------------------------------------

CHART_WIDTH, LABEL_WIDTH, ROW_HEIGHT, CHART_MAX = 720, 130, 26, Decimal("1.5")


@dataclass(frozen=True)
class Bar:
    label: str
    y: int
    width: float
    marker_x: float | None
    light: str
    text: str


@dataclass(frozen=True)
class Chart:
    bars: list[Bar]
    height: int
    full_x: float
    width: int = CHART_WIDTH
    left: int = LABEL_WIDTH


def _x(share: Decimal) -> float:
    span = CHART_WIDTH - LABEL_WIDTH - 60
    return round(LABEL_WIDTH + float(min(share, CHART_MAX) / CHART_MAX) * span, 1)


def progress_chart(lines: list[Line], index: int) -> Chart:
    """Each unit's completion of one item as a bar, its time-progress as a marker (100 % is the full line)."""
    bars = []
    for n, line in enumerate(sorted(lines, key=lambda line: line.unit.path)):
        if index >= len(line.cells):
            continue
        cell = line.cells[index]
        share = cell.completion or Decimal(0)
        expected_share = cell.expected / cell.target if cell.target > 0 else None
        bars.append(
            Bar(
                label=line.unit.short_name or line.unit.name,
                y=30 + n * ROW_HEIGHT,
                width=max(_x(share) - LABEL_WIDTH, 1.0),
                marker_x=None if expected_share is None else _x(expected_share),
                light=cell.light,
                text=f"{share * 100:.1f}%",
            )
        )
    return Chart(bars=bars, height=40 + len(bars) * ROW_HEIGHT, full_x=_x(Decimal(1)))
