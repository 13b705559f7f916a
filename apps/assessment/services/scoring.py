"""Scoring (计分), version 1: a snapshot's rows from its stored inputs, with no database access, so that
any snapshot can be computed again and give the same ranking.

The inputs (JSON, amounts as strings) hold the units, the scheme's items (weight, method, cap), each
unit's actual figure, target and time-progress per item, the deductions, the previous ranking and the
scheme's settings. Per item:

- 按完成率计分: points = weight × min(actual ÷ target, cap);
- 按排名计分: the units ranked by their actual figure; points = weight × (n − rank + 1) ÷ n.

The score is the sum of the points less the deductions (never below zero). Units with the same score
share a rank (1, 2, 2, 4). The first ``praise_top`` places are praised, the last ``admonish_bottom``
places are flagged for an admonition talk, and a unit flagged in the previous snapshot of the same kind
too is marked for accountability (问责) review.
"""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

VERSION = 1
CENT = Decimal("0.01")
RATE = Decimal("0.0001")

GREEN, AMBER, RED = "green", "amber", "red"


@dataclass
class ItemResult:
    item: int
    actual: Decimal
    target: Decimal
    expected: Decimal
    completion: Decimal | None
    progress: Decimal | None
    light: str
    points: Decimal

    def as_json(self) -> dict:
        return {
            "item": self.item,
            "actual": str(self.actual),
            "target": str(self.target),
            "expected": str(self.expected),
            "completion": None if self.completion is None else str(self.completion),
            "progress": None if self.progress is None else str(self.progress),
            "light": self.light,
            "points": str(self.points),
        }


@dataclass
class RowResult:
    unit: int
    score: Decimal
    deducted: Decimal
    items: list[ItemResult] = field(default_factory=list)
    rank: int = 0
    previous_rank: int | None = None
    change: str = "new"
    praised: bool = False
    admonish: bool = False
    accountability: bool = False

    @property
    def light(self) -> str:
        """The unit's worst item against its time-progress."""
        lights = {item.light for item in self.items}
        return RED if RED in lights else AMBER if AMBER in lights else GREEN


def _ratio(part: Decimal, whole: Decimal) -> Decimal | None:
    return (part / whole).quantize(RATE, ROUND_HALF_UP) if whole > 0 else None


def _light(progress: Decimal | None, amber_share: Decimal) -> str:
    if progress is None or progress >= 1:
        return GREEN
    return AMBER if progress >= amber_share else RED


def competition_ranks(values: dict[int, Decimal]) -> dict[int, int]:
    """Ranks by value, highest first; equal values share the better rank (1, 2, 2, 4)."""
    ordered = sorted(values.values(), reverse=True)
    return {key: ordered.index(value) + 1 for key, value in values.items()}


def score(inputs: dict) -> list[RowResult]:
    """The rows of a snapshot, best first (ties by the units' order in the inputs)."""
    amber_share = Decimal(inputs["amber_share"])
    units = [unit["id"] for unit in inputs["units"]]
    rows = {pk: RowResult(unit=pk, score=Decimal(0), deducted=Decimal(0)) for pk in units}
    for item in inputs["items"]:
        figures = {pk: inputs["values"][str(pk)][str(item["id"])] for pk in units}
        actuals = {pk: Decimal(figures[pk]["actual"]) for pk in units}
        ranks = competition_ranks(actuals) if item["method"] == "ranking" else {}
        for pk in units:
            rows[pk].items.append(_item(item, figures[pk], ranks.get(pk), len(units), amber_share))
    for pk in units:
        row = rows[pk]
        deductions = inputs["deductions"].get(str(pk), [])
        row.deducted = sum((Decimal(d["points"]) for d in deductions), Decimal(0))
        row.score = max(sum((i.points for i in row.items), Decimal(0)) - row.deducted, Decimal(0)).quantize(CENT)
    _place(list(rows.values()), inputs)
    return sorted(rows.values(), key=lambda row: (row.rank, units.index(row.unit)))


def _item(item: dict, figure: dict, rank: int | None, count: int, amber_share: Decimal) -> ItemResult:
    weight, cap = Decimal(item["weight"]), Decimal(item["cap"])
    actual, target, expected = (Decimal(figure[name]) for name in ("actual", "target", "expected"))
    completion = _ratio(actual, target)
    by_rank = rank is not None
    points = weight * (count - rank + 1) / count if by_rank else weight * min(completion or Decimal(0), cap)
    progress = _ratio(actual, expected)
    return ItemResult(
        item=item["id"],
        actual=actual,
        target=target,
        expected=expected,
        completion=completion,
        progress=progress,
        light=_light(progress, amber_share),
        points=points.quantize(CENT, ROUND_HALF_UP),
    )


def _place(rows: list[RowResult], inputs: dict) -> None:
    ranks = competition_ranks({row.unit: row.score for row in rows})
    count = len(rows)
    previous = inputs.get("previous") or {}
    for row in rows:
        row.rank = ranks[row.unit]
        row.praised = row.rank <= inputs["praise_top"] and row.score > 0
        row.admonish = count > inputs["admonish_bottom"] and row.rank > count - inputs["admonish_bottom"]
        before = previous.get(str(row.unit))
        if before is None:
            continue
        row.previous_rank = before["rank"]
        row.change = "up" if row.rank < before["rank"] else "down" if row.rank > before["rank"] else "same"
        row.accountability = row.admonish and before["admonish"]
