"""Eligibility rules as data (资格规则): a small JSON format a policy officer edits in a form, never code.

    {}                                   no automatic condition: the item never matches by itself
    {"all": [node, …]} / {"any": [node, …]}
    {"field": F, "op": OP, "value": V}   a condition over a fact of apps/policies/facts.py

``parse`` is the only way in: it accepts exactly this shape (fields and operators from FIELDS, values of the
field's kind, limits on depth, size and list length) and refuses anything else with a Chinese message naming the
place; nothing in a rule is ever evaluated as code. There is no "not": negation is in the operators
(not_in, has_none, is false), and a condition on an unknown fact (no data) does not hold, whatever its operator,
so "unknown" never turns into "eligible". ``explain`` and ``holds`` share ``_holds`` (one meaning); the batch
matcher compiles the same rule to SQL (apps/policies/batch.py) and a test proves they agree.
"""

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.core.errors import BusinessRuleError
from apps.enterprises.models import AnnualFigures, Industry, Tag
from apps.policies.facts import Facts

MAX_DEPTH = 4
MAX_CONDITIONS = 30
MAX_VALUES = 200

CODE, CHOICE, TAGS, NUMBER, DATE, BOOL = "code", "choice", "tags", "number", "date", "bool"
KIND_OPS = {
    CODE: ("in", "not_in"),
    CHOICE: ("in", "not_in"),
    TAGS: ("has_any", "has_all", "has_none"),
    NUMBER: ("gte", "lte", "between"),
    DATE: ("gte", "lte", "between"),
    BOOL: ("is",),
}
OP_LABELS = {
    "in": gettext_lazy("属于"),
    "not_in": gettext_lazy("不属于"),
    "has_any": gettext_lazy("含有以下任一标签"),
    "has_all": gettext_lazy("含有以下全部标签"),
    "has_none": gettext_lazy("不含以下任何标签"),
    "gte": gettext_lazy("不低于"),
    "lte": gettext_lazy("不高于"),
    "between": gettext_lazy("介于"),
    "is": gettext_lazy("为"),
}
DATE_OP_LABELS = {"gte": gettext_lazy("不早于"), "lte": gettext_lazy("不晚于"), "between": gettext_lazy("介于")}
INDUSTRY_CODE = re.compile(r"^(?:[A-T]|\d{2,4})$")
REGION_CODE = re.compile(r"^\d{2,12}$")


@dataclass(frozen=True)
class Field:
    label: str
    kind: str
    unit: str = ""
    choices: tuple[tuple[str, str], ...] = ()

    @property
    def ops(self) -> tuple[str, ...]:
        return KIND_OPS[self.kind]


FIELDS: dict[str, Field] = {
    "industry": Field(gettext_lazy("所属行业"), CODE),
    "region": Field(gettext_lazy("注册地"), CODE),
    "tags": Field(gettext_lazy("企业标签"), TAGS),
    "scale": Field(gettext_lazy("企业规模"), CHOICE, choices=tuple(AnnualFigures.Scale.choices)),
    "registered_capital": Field(gettext_lazy("注册资本"), NUMBER, gettext_lazy("万元")),
    "founded_years": Field(gettext_lazy("成立年限"), NUMBER, gettext_lazy("年")),
    "founded_on": Field(gettext_lazy("成立日期"), DATE),
    "revenue": Field(gettext_lazy("上年度营业收入"), NUMBER, gettext_lazy("万元")),
    "tax": Field(gettext_lazy("上年度纳税额"), NUMBER, gettext_lazy("万元")),
    "rd_expense": Field(gettext_lazy("上年度研发费用"), NUMBER, gettext_lazy("万元")),
    "employees": Field(gettext_lazy("上年度从业人数"), NUMBER, gettext_lazy("人")),
    "contracted_investment": Field(gettext_lazy("在本市项目协议投资"), NUMBER, gettext_lazy("万元")),
    "funds_in_place": Field(gettext_lazy("在本市项目到位资金"), NUMBER, gettext_lazy("万元")),
    "black_listed": Field(gettext_lazy("列入信用黑名单"), BOOL),
    "red_listed": Field(gettext_lazy("列入信用红名单"), BOOL),
}


class RuleError(BusinessRuleError):
    """A rule that is not in the format; the message names the place."""

    def __init__(self, message: str) -> None:
        super().__init__(message, field="rule")


# ---- parsing --------------------------------------------------------------------------------------


def parse(data: dict | str | None) -> dict:
    """The rule checked and normalised (JSON text accepted); a RuleError saying what and where otherwise."""
    if isinstance(data, str):
        text = data.strip()
        if not text:
            return {}
        try:
            data = json.loads(text)
        except ValueError as error:
            raise RuleError(_("资格规则不是有效的 JSON：%(error)s") % {"error": error}) from None
    if data is None or data == {}:
        return {}
    counter = [0]
    rule = _node(data, (), counter)
    _check_tags_exist(rule)
    return rule


def is_empty(rule: dict | None) -> bool:
    return not rule


def _place(path: tuple[int, ...]) -> str:
    if not path:
        return _("资格规则")
    groups = "".join(_("第%(n)d组") % {"n": n} for n in path[:-1])
    return groups + _("第%(n)d个条件") % {"n": path[-1]}


def _error(path: tuple[int, ...], message: str) -> RuleError:
    return RuleError(_("%(place)s：%(message)s") % {"place": _place(path), "message": message})


def _node(data: object, path: tuple[int, ...], counter: list[int]) -> dict:
    if not isinstance(data, dict):
        raise _error(path, _("应为一个条件或一组条件。"))
    keys = set(data)
    if keys in ({"all"}, {"any"}):
        (combiner,) = keys
        return {combiner: _group(data[combiner], path, counter)}
    if keys == {"field", "op", "value"}:
        counter[0] += 1
        if counter[0] > MAX_CONDITIONS:
            raise _error(path, _("条件不能超过 %(n)d 个。") % {"n": MAX_CONDITIONS})
        return _condition(data, path)
    raise _error(path, _("只能包含 all、any（一组条件）或 field、op、value（一个条件），不能有“%(keys)s”。")
          % {"keys": "、".join(sorted(str(key) for key in keys))})  # fmt: skip


def _group(children: object, path: tuple[int, ...], counter: list[int]) -> list[dict]:
    if len(path) >= MAX_DEPTH:
        raise _error(path, _("条件组最多嵌套 %(n)d 层。") % {"n": MAX_DEPTH})
    if not isinstance(children, list) or not children:
        raise _error(path, _("一组条件至少要有一个条件。"))
    return [_node(child, (*path, index), counter) for index, child in enumerate(children, start=1)]


def _condition(data: dict, path: tuple[int, ...]) -> dict:
    name, op, value = data["field"], data["op"], data["value"]
    field = FIELDS.get(name) if isinstance(name, str) else None
    if field is None:
        raise _error(path, _("没有名为“%(name)s”的条件项。") % {"name": str(name)[:50]})
    if op not in field.ops:
        ops = "、".join(str(OP_LABELS[known]) for known in field.ops)
        raise _error(path, _("“%(field)s”只能用这些判断方式：%(ops)s。") % {"field": field.label, "ops": ops})
    return {"field": name, "op": op, "value": _value(name, field, op, value, path)}


def _value(name: str, field: Field, op: str, value: object, path: tuple[int, ...]) -> object:
    if field.kind == BOOL:
        if not isinstance(value, bool):
            raise _error(path, _("“%(field)s”的值应为“是”或“否”。") % {"field": field.label})
        return value
    if field.kind in (CODE, CHOICE, TAGS):
        return _list(name, field, value, path)
    if op == "between":
        if not isinstance(value, list) or len(value) != 2:
            raise _error(path, _("“介于”需要下限和上限两个值。"))
        low, high = (_scalar(field, part, path) for part in value)
        if low > high:
            raise _error(path, _("下限不能大于上限。"))
        return [_stored(low), _stored(high)]
    return _stored(_scalar(field, value, path))


def _stored(value: Decimal | date) -> str:
    """Numbers and dates are kept as text in the JSON, so no float rounding creeps in."""
    return value.isoformat() if isinstance(value, date) else str(value)


def _scalar(field: Field, value: object, path: tuple[int, ...]) -> Decimal | date:
    if field.kind == DATE:
        if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
            try:
                return date.fromisoformat(value.strip())
            except ValueError:
                pass
        raise _error(path, _("“%(field)s”的值应为日期，如 2020-01-01。") % {"field": field.label})
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise _error(path, _("“%(field)s”的值应为数字。") % {"field": field.label})
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        raise _error(path, _("“%(field)s”的值应为数字。") % {"field": field.label}) from None
    if not number.is_finite() or number < 0 or number > Decimal("1e12"):
        raise _error(path, _("“%(field)s”的值应为不小于 0 的有限数字。") % {"field": field.label})
    return number.to_integral_value() if number == number.to_integral_value() else number.normalize()


def _list(name: str, field: Field, value: object, path: tuple[int, ...]) -> list[str]:
    values = [value] if isinstance(value, str) else value
    if not isinstance(values, list) or not values:
        raise _error(path, _("请至少填写一个“%(field)s”的值。") % {"field": field.label})
    if len(values) > MAX_VALUES:
        raise _error(path, _("一个条件最多 %(n)d 个值。") % {"n": MAX_VALUES})
    cleaned: list[str] = []
    for item in values:
        if not isinstance(item, str) or not item.strip() or len(item.strip()) > 50:
            raise _error(path, _("“%(field)s”的每个值应为不超过 50 个字的文字。") % {"field": field.label})
        text = item.strip().upper() if name == "industry" else item.strip()
        if name == "industry" and not INDUSTRY_CODE.match(text):
            raise _error(path, _("“%(code)s”不是国民经济行业分类代码（门类字母或 2—4 位数字）。") % {"code": text})
        if name == "region" and not REGION_CODE.match(text):
            raise _error(path, _("“%(code)s”不是行政区划代码（2—12 位数字）。") % {"code": text})
        if field.kind == CHOICE and text not in dict(field.choices):
            names = "、".join(f"{code}（{label}）" for code, label in field.choices)
            raise _error(path, _("“%(value)s”不是可选值，可选：%(names)s。") % {"value": text, "names": names})
        if text not in cleaned:
            cleaned.append(text)
    return cleaned


def conditions(rule: dict) -> Iterator[dict]:
    """Every condition of the rule, depth first."""
    if not rule:
        return
    if "field" in rule:
        yield rule
        return
    for child in rule.get("all", rule.get("any", [])):
        yield from conditions(child)


def _check_tags_exist(rule: dict) -> None:
    named = {tag for condition in conditions(rule) if condition["field"] == "tags" for tag in condition["value"]}
    missing = sorted(named - set(Tag.objects.filter(name__in=named).values_list("name", flat=True)))
    if missing:
        raise RuleError(_("企业标签中没有：%(tags)s。") % {"tags": "、".join(missing)})


# ---- evaluation -----------------------------------------------------------------------------------


def _fact(facts: Facts, name: str) -> object:
    return facts.founded_years if name == "founded_years" else getattr(facts, name)


def _holds(condition: dict, facts: Facts) -> bool:
    """Whether a (parsed) condition holds; an unknown fact never holds."""
    name, op, value = condition["field"], condition["op"], condition["value"]
    if name == "industry":
        if not facts.industry_codes:
            return False
        hit = bool(facts.industry_codes & set(value))
        return hit if op == "in" else not hit
    if name == "region":
        if not facts.region_code:
            return False
        hit = any(facts.region_code.startswith(prefix) for prefix in value)
        return hit if op == "in" else not hit
    if name == "tags":
        wanted = set(value)
        return {"has_any": bool(facts.tags & wanted), "has_all": wanted <= facts.tags,
                "has_none": not facts.tags & wanted}[op]  # fmt: skip
    actual = _fact(facts, name)
    if actual is None:
        return False
    kind = FIELDS[name].kind
    if kind == BOOL:
        return actual is value
    if kind == CHOICE:
        return (actual in value) if op == "in" else (actual not in value)
    convert = date.fromisoformat if kind == DATE else Decimal
    if op == "between":
        low, high = (convert(part) for part in value)
        return low <= actual <= high
    bound = convert(value)
    return actual >= bound if op == "gte" else actual <= bound


def holds(rule: dict, facts: Facts) -> bool:
    """Whether the enterprise meets the rule (an empty rule is never met automatically)."""
    if not rule:
        return False
    if "all" in rule:
        return all(holds(child, facts) for child in rule["all"])
    if "any" in rule:
        return any(holds(child, facts) for child in rule["any"])
    return _holds(rule, facts)


@dataclass(frozen=True)
class Line:
    text: str
    passed: bool
    depth: int


@dataclass(frozen=True)
class Explanation:
    passed: bool
    lines: tuple[Line, ...]

    @property
    def reasons(self) -> list[str]:
        """The lines as text, as a fulfilment case keeps them (match_reasons)."""
        return [("　" * line.depth) + line.text for line in self.lines]


def explain(rule: dict, facts: Facts) -> Explanation:
    """Whether the rule holds, with one line per condition and group saying what was checked and found."""
    if not rule:
        return Explanation(False, (Line(_("本条款没有可自动判断的条件，需责任部门人工审核。"), False, 0),))
    lines: list[Line] = []
    if "all" in rule:  # the usual top level: its conditions directly, without a heading line
        results = [_explain(child, facts, 0, lines) for child in rule["all"]]  # every line, no short cut
        passed = all(results)
    else:
        passed = _explain(rule, facts, 0, lines)
    return Explanation(passed, tuple(lines))


def _explain(node: dict, facts: Facts, depth: int, lines: list[Line]) -> bool:
    if "field" in node:
        passed = _holds(node, facts)
        found = _found(node["field"], facts)
        lines.append(Line(_("%(condition)s：%(verdict)s（%(found)s）") % {
            "condition": _condition_text(node, {}), "verdict": _("符合") if passed else _("不符合"), "found": found,
        }, passed, depth))  # fmt: skip
        return passed
    combiner = "all" if "all" in node else "any"
    heading = len(lines)
    lines.append(Line("", False, depth))
    results = [_explain(child, facts, depth + 1, lines) for child in node[combiner]]
    passed = all(results) if combiner == "all" else any(results)
    title = _("以下条件全部符合") if combiner == "all" else _("以下条件符合其一")
    lines[heading] = Line(_("%(title)s：%(verdict)s") % {"title": title, "verdict": _("符合") if passed else _("不符合")},
                          passed, depth)  # fmt: skip
    return passed


def _found(name: str, facts: Facts) -> str:
    """What the platform holds for the fact, in words."""
    if name == "industry":
        if not facts.industry_names:
            return _("未登记所属行业")
        code, label = facts.industry_names[-1]
        return f"{code} {label}"
    if name == "region":
        return facts.region_code or _("未登记注册地")
    if name == "tags":
        return "、".join(sorted(facts.tags)) or _("无标签")
    actual = _fact(facts, name)
    if actual is None:
        return _("无数据")
    field = FIELDS[name]
    if field.kind == BOOL:
        return _("是") if actual else _("否")
    if field.kind == CHOICE:
        return str(dict(field.choices).get(actual, actual))
    if field.kind == DATE:
        return actual.isoformat()
    return f"{_number(actual)} {field.unit}".strip()


def _number(value: object) -> str:
    number = Decimal(str(value))
    return f"{number:,.2f}".rstrip("0").rstrip(".") if number != number.to_integral() else f"{number:,.0f}"


# ---- words --------------------------------------------------------------------------------------


def _condition_text(condition: dict, names: dict[str, str]) -> str:
    name, op, value = condition["field"], condition["op"], condition["value"]
    field = FIELDS[name]
    if field.kind == BOOL:
        return f"{field.label}{OP_LABELS['is']}{_('是') if value else _('否')}"
    if field.kind in (CODE, CHOICE, TAGS):
        labels = dict(field.choices)
        shown = [f"{item}（{names[item]}）" if item in names else str(labels.get(item, item)) for item in value]
        return f"{field.label}{OP_LABELS[op]}{'、'.join(shown)}"
    op_label = DATE_OP_LABELS[op] if field.kind == DATE else OP_LABELS[op]
    unit = f" {field.unit}" if field.unit else ""
    if op == "between":
        low, high = (_number(part) if field.kind == NUMBER else part for part in value)
        return f"{field.label}{op_label} {low}—{high}{unit}"
    shown = _number(value) if field.kind == NUMBER else value
    return f"{field.label}{op_label} {shown}{unit}"


def describe(rule: dict) -> list[str]:
    """The rule in words, a line per condition or group (industry codes with their names: one query)."""
    if not rule:
        return []
    codes = {code for condition in conditions(rule) if condition["field"] == "industry" for code in condition["value"]}
    names = dict(Industry.objects.filter(code__in=codes).values_list("code", "name")) if codes else {}
    lines: list[str] = []
    for node in rule.get("all", [rule]):
        _describe(node, names, 0, lines)
    return lines


def _describe(node: dict, names: dict[str, str], depth: int, lines: list[str]) -> None:
    indent = "　" * depth
    if "field" in node:
        lines.append(indent + _condition_text(node, names))
        return
    lines.append(indent + (_("以下条件全部符合：") if "all" in node else _("以下条件符合其一：")))
    for child in node["all" if "all" in node else "any"]:
        _describe(child, names, depth + 1, lines)
