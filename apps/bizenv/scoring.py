"""Scoring (计分) of the business-environment evaluation, version 1: indicator scores from raw values and
an indicator tree, with no database access, so that any published score can be computed again.

Each indicator's raw value is normalised to a score in [0, 100] (2 places, ROUND_HALF_UP) by its method:

- 前沿距离法 ``frontier`` (the default, World Bank Doing Business): 100 × (worst − y) ÷ (worst − best); one
  formula for both directions (lower is better: best < worst; higher is better: best > worst);
- 功效系数法 ``efficacy``: 60 + 40 × (x − 不允许值) ÷ (满意值 − 不允许值). The formula itself is linear and
  unbounded (the source's worked example scores 5.81 % against 满意值 12 % and 不允许值 6 % at 58.73, below 60),
  so below the 不允许值 the score keeps falling until 0 (reached 1.5 spans below it) and beyond the 满意值 it
  stops at 100;
- 标准值扣分法 ``standard``: ``base`` (default 100) at the ``standard`` value, ``step`` points off per unit of
  deviation on the worse side (which side comes from ``direction``), optionally ``add_step`` points per unit
  on the better side up to ``add_cap`` (additions only matter when ``base`` is below 100);
- 是否 ``yes_no``: 100 for the good answer (``good``, default yes), 0 otherwise.

Every method clips its formula's value to [0, 100] and keeps the unclipped value and the formula with its
numbers, so a page can explain the score. Parameters are named as in apps/bizenv/methods.py; other keys
(e.g. ``source``) are ignored, and the indicator's direction, when given, must agree with the order of
best/worst or 满意值/不允许值.

Aggregation walks the tree (indicator → first-level → overall) bottom-up from the children's rounded
scores, so that a reader can redo any level by hand from the scores shown: a weighted arithmetic mean by
default, a weighted geometric mean on request. Weights are relative and normalised over the children that
count; when no child of a node has a weight, all weigh the same; a weight of 0 keeps a child for
information only (it never counts, not even under equal weights). In a geometric mean a score below
``geometric_floor`` (default 1, the 1–100 range COINr recommends) counts as the floor, so a single 0 does not
wipe out the other indicators; the children floored are recorded, and a floor of 0 gives the strict
geometric mean (any 0 makes the node 0).

Missing data is never scored 0: a node is scored only if the children with a score carry at least
``threshold`` (default 2/3, as COINr's ``dat_thresh``) of its children's weight; otherwise its score is None
with the reason, and its parent treats it as missing.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from fractions import Fraction
from typing import Any, TypeVar

from django.utils.translation import gettext as _

from apps.core.errors import BusinessRuleError

VERSION = 1
CENT = Decimal("0.01")
SHARE = Decimal("0.0001")
ZERO, HUNDRED = Decimal(0), Decimal(100)

FRONTIER, EFFICACY, STANDARD, YES_NO = "frontier", "efficacy", "standard", "yes_no"
LOWER_BETTER, HIGHER_BETTER = "lower_better", "higher_better"
ARITHMETIC, GEOMETRIC = "arithmetic", "geometric"
CONFIGURED, EQUAL_WEIGHTS = "configured", "equal_weights"
VARIANTS = (CONFIGURED, EQUAL_WEIGHTS, GEOMETRIC)

DEFAULT_THRESHOLD = Fraction(2, 3)
GEOMETRIC_FLOOR = Decimal(1)
EFFICACY_BASE, EFFICACY_SPAN = Decimal(60), Decimal(40)

_YES = {"1", "是", "yes", "y", "true"}
_NO = {"0", "否", "no", "n", "false"}

Unit = TypeVar("Unit", bound=Hashable)


class ScoringError(BusinessRuleError, ValueError):
    """Scoring cannot go on; the message says why in words for the user."""


class ParameterError(ScoringError):
    """An indicator's method, parameters or weight, or the aggregation options, are configured wrongly."""


class RawValueError(ScoringError):
    """A raw value cannot be read by its indicator's method."""


# --- normalisation -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Normalised:
    """A method's score with what explains it."""

    score: Decimal
    unclipped: Decimal
    formula: str
    params: dict[str, str]

    @property
    def clipped(self) -> bool:
        return self.score != self.unclipped


def _cent(value: Decimal) -> Decimal:
    return value.quantize(CENT, ROUND_HALF_UP)


def _show(value: Decimal) -> str:
    return f"({value})" if value < 0 else str(value)


def _finish(exact: Decimal, formula: str, params: dict[str, str]) -> Normalised:
    return Normalised(_cent(min(max(exact, ZERO), HUNDRED)), _cent(exact), formula, params)


def _to_decimal(value: Any) -> Decimal | None:
    if isinstance(value, bool):
        return None
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def _number(params: Mapping[str, Any], key: str, default: Decimal | None = None) -> Decimal:
    value = params.get(key)
    if value is None or value == "":
        if default is None:
            raise ParameterError(_("缺少参数“%(key)s”。") % {"key": key})
        return default
    number = _to_decimal(value)
    if number is None:
        raise ParameterError(_("参数“%(key)s”应为数字，现为“%(value)s”。") % {"key": key, "value": value})
    return number


def _non_negative(params: Mapping[str, Any], key: str, default: Decimal | None = None) -> Decimal:
    number = _number(params, key, default)
    if number < 0:
        raise ParameterError(_("参数“%(key)s”不能为负数。") % {"key": key})
    return number


def _raw_number(raw: Any) -> Decimal:
    number = _to_decimal(raw)
    if number is None:
        raise RawValueError(_("原始值“%(value)s”不是数字。") % {"value": raw})
    return number


def _answer(value: Any) -> bool | None:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    return True if text in _YES else False if text in _NO else None


def _direction(params: Mapping[str, Any], *, required: bool) -> str | None:
    direction = params.get("direction") or None
    if direction not in (LOWER_BETTER, HIGHER_BETTER) and (required or direction is not None):
        raise ParameterError(
            _("方向“direction”应为 %(lower)s（越低越好）或 %(higher)s（越高越好）。")
            % {"lower": LOWER_BETTER, "higher": HIGHER_BETTER}
        )
    return direction


def _ordered(params: Mapping[str, Any], good: str, bad: str, method: str) -> dict[str, Any]:
    """The two anchor values of a linear method, distinct and, when a direction is given, in its order."""
    values = {good: _number(params, good), bad: _number(params, bad)}
    if values[good] == values[bad]:
        raise ParameterError(
            _("%(method)s的参数“%(good)s”与“%(bad)s”不能相同（均为 %(value)s）。")
            % {"method": method, "good": good, "bad": bad, "value": values[good]}
        )
    direction = _direction(params, required=False)
    if direction is not None and (values[good] < values[bad]) != (direction == LOWER_BETTER):
        raise ParameterError(
            _("%(method)s的参数“%(good)s”须%(side)s“%(bad)s”。")
            % {
                "method": method,
                "good": good,
                "bad": bad,
                "side": _("小于") if direction == LOWER_BETTER else _("大于"),
            }
        )
    return values if direction is None else {**values, "direction": direction}


def _frontier_params(params: Mapping[str, Any]) -> dict[str, Any]:
    return _ordered(params, "best", "worst", _("前沿距离法"))


def _efficacy_params(params: Mapping[str, Any]) -> dict[str, Any]:
    return _ordered(params, "satisfactory", "unacceptable", _("功效系数法"))


def _standard_params(params: Mapping[str, Any]) -> dict[str, Any]:
    base = _non_negative(params, "base", HUNDRED)
    if base > HUNDRED:
        raise ParameterError(_("参数“base”（标准值处得分）不能超过 100。"))
    has_cap = params.get("add_cap") not in (None, "")
    return {
        "standard": _number(params, "standard"),
        "direction": _direction(params, required=True),
        "step": _non_negative(params, "step"),
        "add_step": _non_negative(params, "add_step", ZERO),
        "add_cap": _non_negative(params, "add_cap") if has_cap else None,
        "base": base,
    }


def _yes_no_params(params: Mapping[str, Any]) -> dict[str, bool]:
    good = _answer(params.get("good", True))
    if good is None:
        raise ParameterError(_("参数“good”应为“是”或“否”。"))
    return {"good": good}


def _label(answer: bool) -> str:
    return _("是") if answer else _("否")


def _as_text(parsed: Mapping[str, Any]) -> dict[str, str]:
    return {
        key: ("yes" if value else "no") if isinstance(value, bool) else str(value)
        for key, value in parsed.items()
        if value is not None
    }


def distance_to_frontier(raw: Any, params: Mapping[str, Any]) -> Normalised:
    """前沿距离法: 100 × (worst − y) ÷ (worst − best), clipped to [0, 100]."""
    p = _frontier_params(params)
    y = _raw_number(raw)
    exact = HUNDRED * (p["worst"] - y) / (p["worst"] - p["best"])
    formula = f"100 × ({_show(p['worst'])} − {_show(y)}) ÷ ({_show(p['worst'])} − {_show(p['best'])})"
    return _finish(exact, formula, _as_text(p))


def efficacy_coefficient(raw: Any, params: Mapping[str, Any]) -> Normalised:
    """功效系数法: 60 + 40 × (x − 不允许值) ÷ (满意值 − 不允许值), clipped to [0, 100]."""
    p = _efficacy_params(params)
    x = _raw_number(raw)
    high, low = p["satisfactory"], p["unacceptable"]
    exact = EFFICACY_BASE + EFFICACY_SPAN * (x - low) / (high - low)
    formula = f"60 + 40 × ({_show(x)} − {_show(low)}) ÷ ({_show(high)} − {_show(low)})"
    return _finish(exact, formula, _as_text(p))


def standard_value(raw: Any, params: Mapping[str, Any]) -> Normalised:
    """标准值扣分法: base at the standard, minus points per unit worse, plus (capped) points per unit better."""
    p = _standard_params(params)
    x = _raw_number(raw)
    gain = x - p["standard"] if p["direction"] == HIGHER_BETTER else p["standard"] - x
    if gain < 0:
        exact = p["base"] + p["step"] * gain
        formula = f"{p['base']} − {p['step']} × {-gain}"
    else:
        bonus = p["add_step"] * gain
        formula = f"{p['base']} + {p['add_step']} × {gain}"
        if p["add_cap"] is not None:
            bonus = min(bonus, p["add_cap"])
            formula = f"{p['base']} + min({p['add_step']} × {gain}, {p['add_cap']})"
        exact = p["base"] + bonus
    return _finish(exact, formula, _as_text(p))


def yes_no(raw: Any, params: Mapping[str, Any]) -> Normalised:
    """是否: 100 for the good answer, 0 otherwise."""
    p = _yes_no_params(params)
    answer = _answer(raw)
    if answer is None:
        raise RawValueError(_("原始值“%(value)s”不是“是”或“否”。") % {"value": raw})
    exact = HUNDRED if answer == p["good"] else ZERO
    return _finish(exact, f"{_label(answer)} {'=' if exact else '≠'} {_label(p['good'])} → {exact}", _as_text(p))


NORMALISERS: dict[str, Callable[[Any, Mapping[str, Any]], Normalised]] = {
    FRONTIER: distance_to_frontier,
    EFFICACY: efficacy_coefficient,
    STANDARD: standard_value,
    YES_NO: yes_no,
}
_PARSERS: dict[str, Callable[[Mapping[str, Any]], Mapping[str, Any]]] = {
    FRONTIER: _frontier_params,
    EFFICACY: _efficacy_params,
    STANDARD: _standard_params,
    YES_NO: _yes_no_params,
}


def _method(method: str) -> None:
    if method not in NORMALISERS:
        raise ParameterError(_("未知的计分方法“%(method)s”。") % {"method": method})


def check_params(method: str, params: Mapping[str, Any]) -> dict[str, str]:
    """The parameters a method will use (defaults filled in), or a ParameterError saying what is wrong."""
    _method(method)
    return _as_text(_PARSERS[method](params))


def normalise(method: str, raw: Any, params: Mapping[str, Any]) -> Normalised:
    """The raw value's score by the named method."""
    _method(method)
    return NORMALISERS[method](raw, params)


# --- the tree and its results ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Indicator:
    """A leaf of the tree: its raw value is looked up by code."""

    code: str
    method: str = FRONTIER
    params: Mapping[str, Any] = field(default_factory=dict)
    weight: Decimal | int | str | None = None
    direction: str | None = None

    @property
    def method_params(self) -> Mapping[str, Any]:
        """The parameters with the indicator's direction, which the standard-value method needs."""
        return self.params if self.direction is None else {**self.params, "direction": self.direction}


@dataclass(frozen=True)
class Group:
    """A first-level indicator, or the overall score: the aggregate of its children."""

    code: str
    children: Sequence[Indicator | Group]
    weight: Decimal | int | str | None = None


@dataclass(frozen=True)
class IndicatorResult:
    """An indicator's score (None with a reason when there is no data) and what reproduces it."""

    code: str
    method: str
    raw: Any
    params: dict[str, str]
    score: Decimal | None
    unclipped: Decimal | None = None
    formula: str = ""
    reason: str | None = None

    def walk(self) -> Iterator[IndicatorResult | GroupResult]:
        yield self

    def as_json(self) -> dict:
        raw = self.raw if self.raw is None or isinstance(self.raw, bool) else str(self.raw)
        return {
            "code": self.code,
            "method": self.method,
            "raw": raw,
            "params": self.params,
            "score": _text(self.score),
            "unclipped": _text(self.unclipped),
            "formula": self.formula,
            "reason": self.reason,
        }


@dataclass(frozen=True)
class GroupResult:
    """An aggregate's score (None with a reason when data is insufficient), its children and the weights used."""

    code: str
    aggregation: str
    threshold: Fraction
    coverage: Fraction
    score: Decimal | None
    children: tuple[IndicatorResult | GroupResult, ...]
    weights: dict[str, Decimal]
    weights_used: dict[str, Decimal]
    floored: tuple[str, ...] = ()
    reason: str | None = None
    version: int = VERSION

    def walk(self) -> Iterator[IndicatorResult | GroupResult]:
        """This result and every result under it, depth first."""
        yield self
        for child in self.children:
            yield from child.walk()

    def find(self, code: str) -> IndicatorResult | GroupResult:
        """The result of the node with this code."""
        for result in self.walk():
            if result.code == code:
                return result
        raise KeyError(code)

    def as_json(self) -> dict:
        return {
            "version": self.version,
            "code": self.code,
            "aggregation": self.aggregation,
            "threshold": str(self.threshold),
            "coverage": str(self.coverage),
            "score": _text(self.score),
            "weights": {code: str(weight) for code, weight in self.weights.items()},
            "weights_used": {code: str(weight) for code, weight in self.weights_used.items()},
            "floored": list(self.floored),
            "reason": self.reason,
            "children": [child.as_json() for child in self.children],
        }


def _text(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


# --- aggregation ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Options:
    aggregation: str
    threshold: Fraction
    equal_weights: bool
    floor: Decimal


def _options(aggregation: str, threshold: Fraction | Decimal | str, equal: bool, floor: Decimal) -> _Options:
    if aggregation not in (ARITHMETIC, GEOMETRIC):
        raise ParameterError(_("未知的汇总方法“%(method)s”。") % {"method": aggregation})
    try:
        share = Fraction(threshold)
    except (ValueError, TypeError):
        share = Fraction(-1)
    if not 0 <= share <= 1:
        raise ParameterError(_("数据完整度阈值应在 0 与 1 之间，现为“%(value)s”。") % {"value": threshold})
    if floor < 0:
        raise ParameterError(_("几何平均的下限不能为负数。"))
    return _Options(aggregation, share, equal, floor)


def score_indicator(indicator: Indicator, values: Mapping[str, Any]) -> IndicatorResult:
    """An indicator's result from the raw values by code; a missing or empty value gives no score."""
    raw = values.get(indicator.code)
    try:
        params = check_params(indicator.method, indicator.method_params)
        if raw is None or raw == "":
            return IndicatorResult(indicator.code, indicator.method, raw, params, None, reason=_("无数据。"))
        result = normalise(indicator.method, raw, indicator.method_params)
    except ScoringError as error:
        raise type(error)(
            _("指标 %(code)s：%(message)s") % {"code": indicator.code, "message": error.message}
        ) from error
    return IndicatorResult(
        indicator.code, indicator.method, raw, result.params, result.score, result.unclipped, result.formula
    )


def _weight(node: Indicator | Group) -> Decimal:
    weight = _to_decimal(node.weight)
    if weight is None or weight < 0:
        raise ParameterError(
            _("指标 %(code)s 的权重“%(weight)s”应为非负数。") % {"code": node.code, "weight": node.weight}
        )
    return weight


def _weights(group: Group, equal: bool) -> dict[str, Decimal]:
    codes = [child.code for child in group.children]
    if not codes:
        raise ParameterError(_("指标 %(code)s 没有下级指标。") % {"code": group.code})
    if len(set(codes)) != len(codes):
        raise ParameterError(_("指标 %(code)s 的下级指标编码重复。") % {"code": group.code})
    given = [child.weight is not None for child in group.children]
    if not any(given):
        return dict.fromkeys(codes, Decimal(1))
    if not all(given):
        raise ParameterError(_("指标 %(code)s 的下级指标要么都填权重，要么都不填。") % {"code": group.code})
    weights = {child.code: _weight(child) for child in group.children}
    if not any(weights.values()):
        raise ParameterError(_("指标 %(code)s 的下级指标权重不能全为 0。") % {"code": group.code})
    return {code: Decimal(1) if weight else ZERO for code, weight in weights.items()} if equal else weights


def _aggregate(
    scores: dict[str, Decimal], weights: dict[str, Decimal], options: _Options
) -> tuple[Decimal, tuple[str, ...]]:
    total = sum(weights.values(), ZERO)
    if options.aggregation == ARITHMETIC:
        return _cent(sum((weights[code] * score for code, score in scores.items()), ZERO) / total), ()
    floored = tuple(code for code, score in scores.items() if score < options.floor)
    logs = (weights[code] * max(score, options.floor).ln() for code, score in scores.items())
    return _cent((sum(logs, ZERO) / total).exp()), floored


def _percent(share: Fraction) -> Decimal:
    return _cent(Decimal(share.numerator) * HUNDRED / Decimal(share.denominator))


def _score_node(node: Indicator | Group, values: Mapping[str, Any], options: _Options) -> IndicatorResult | GroupResult:
    if isinstance(node, Group):
        return _score_group(node, values, options)
    return score_indicator(node, values)


def _score_group(group: Group, values: Mapping[str, Any], options: _Options) -> GroupResult:
    weights = _weights(group, options.equal_weights)
    children = tuple(_score_node(child, values, options) for child in group.children)
    counted = {child.code: weights[child.code] for child in children if child.score is not None and weights[child.code]}
    covered, total = sum(counted.values(), ZERO), sum(weights.values(), ZERO)
    coverage = Fraction(covered) / Fraction(total)
    result = GroupResult(group.code, options.aggregation, options.threshold, coverage, None, children, weights, {})
    if not counted or coverage < options.threshold:
        reason = _("数据不足：有数据的下级指标权重占 %(coverage)s%%，低于要求的 %(threshold)s%%。") % {
            "coverage": _percent(coverage),
            "threshold": _percent(options.threshold),
        }
        return replace(result, reason=reason)
    scores = {child.code: child.score for child in children if child.code in counted and child.score is not None}
    score, floored = _aggregate(scores, counted, options)
    used = {code: weight / covered for code, weight in counted.items()}
    return replace(result, score=score, weights_used=used, floored=floored)


def score_tree(
    tree: Group,
    values: Mapping[str, Any],
    *,
    aggregation: str = ARITHMETIC,
    threshold: Fraction | Decimal | str = DEFAULT_THRESHOLD,
    equal_weights: bool = False,
    geometric_floor: Decimal = GEOMETRIC_FLOOR,
) -> GroupResult:
    """One unit's results over the whole tree, from its raw values by indicator code."""
    options = _options(aggregation, threshold, equal_weights, geometric_floor)
    return _score_group(tree, values, options)


def score_units(
    tree: Group, values_by_unit: Mapping[Unit, Mapping[str, Any]], **options: Any
) -> dict[Unit, GroupResult]:
    """Every unit's results over the tree (the options as for score_tree)."""
    return {unit: score_tree(tree, values, **options) for unit, values in values_by_unit.items()}


# --- ranking ----------------------------------------------------------------------------------------------


def competition_ranks(scores: Mapping[Unit, Decimal | None]) -> dict[Unit, int | None]:
    """Ranks by score, highest first; equal scores share the better rank (1, 2, 2, 4); no score, no rank."""
    first: dict[Decimal, int] = {}
    for place, score in enumerate(sorted((s for s in scores.values() if s is not None), reverse=True), start=1):
        first.setdefault(score, place)
    return {unit: None if score is None else first[score] for unit, score in scores.items()}


@dataclass(frozen=True)
class RobustnessRow:
    """A unit's overall score and rank under each variant (configured, equal_weights, geometric)."""

    unit: Hashable
    scores: dict[str, Decimal | None]
    ranks: dict[str, int | None]

    @property
    def changed(self) -> bool:
        return len(set(self.ranks.values())) > 1

    @property
    def largest_shift(self) -> int:
        """The largest move away from the configured rank (0 when a rank is missing on either side)."""
        base = self.ranks[CONFIGURED]
        moves = [abs(rank - base) for rank in self.ranks.values() if rank is not None and base is not None]
        return max(moves, default=0)


@dataclass(frozen=True)
class Robustness:
    """The ranking under the configured weights, equal weights and geometric aggregation."""

    rows: tuple[RobustnessRow, ...]

    @property
    def changed(self) -> bool:
        return any(row.changed for row in self.rows)


def rank_robustness(
    tree: Group,
    values_by_unit: Mapping[Unit, Mapping[str, Any]],
    *,
    threshold: Fraction | Decimal | str = DEFAULT_THRESHOLD,
    geometric_floor: Decimal = GEOMETRIC_FLOOR,
) -> Robustness:
    """Does the ranking change under equal weights or a geometric mean? Rows by configured rank, unranked last."""
    variants = {
        CONFIGURED: {"aggregation": ARITHMETIC},
        EQUAL_WEIGHTS: {"aggregation": ARITHMETIC, "equal_weights": True},
        GEOMETRIC: {"aggregation": GEOMETRIC},
    }
    scores: dict[str, dict[Unit, Decimal | None]] = {}
    for name, options in variants.items():
        results = score_units(tree, values_by_unit, threshold=threshold, geometric_floor=geometric_floor, **options)
        scores[name] = {unit: result.score for unit, result in results.items()}
    ranks = {name: competition_ranks(by_unit) for name, by_unit in scores.items()}
    rows = [
        RobustnessRow(
            unit, {name: scores[name][unit] for name in VARIANTS}, {name: ranks[name][unit] for name in VARIANTS}
        )
        for unit in values_by_unit
    ]
    rows.sort(key=lambda row: (row.ranks[CONFIGURED] is None, row.ranks[CONFIGURED] or 0))
    return Robustness(tuple(rows))
