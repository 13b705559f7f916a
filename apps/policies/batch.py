"""Matching the whole enterprise registry against the policy items at once, on DuckDB (in memory).

The facts of every active enterprise are read with one query per table (``facts.registry_rows``) straight into
the columns of a pyarrow table, one column per fact (industry codes and tags as list columns), registered in an
in-memory DuckDB. Each item's rule is compiled to a SQL condition with bound parameters only: the column names
come from the fixed table ``COLUMNS`` (keyed by the rules' field names, which ``rules.parse`` has checked), never
from the rule's text. The compiled condition means exactly what ``rules.holds`` means — an unknown fact (NULL)
never holds, whatever the operator (each condition is wrapped in COALESCE(…, FALSE)) — and a test proves it on
seeded-random rules and facts.

Numbers are kept exactly: money columns as whole multiples of 1/10,000 万元 (BIGINT), and a bound is rounded to
that grid in the direction that keeps the comparison the same (``x ≥ b`` ⇔ ``x ≥ ⌈b⌉``, ``x ≤ b`` ⇔ ``x ≤ ⌊b⌋``),
so no float rounding creeps in. Whole-number facts (years, employees) use the grid of 1.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal

import duckdb
import pyarrow as pa

from apps.policies import rules
from apps.policies.facts import Facts, IndustryPaths, registry_rows, years_since
from apps.supervision.models import CreditKind

TABLE = "facts"
#: money facts are stored as multiples of 1/SCALE 万元
SCALE = 10_000


@dataclass(frozen=True)
class Column:
    name: str
    type: pa.DataType
    #: 1/step is the grid of a number column (SCALE for money, 1 for whole numbers); 0 for other kinds
    scale: int = 0


COLUMNS: dict[str, Column] = {
    "industry": Column("industry_codes", pa.list_(pa.string())),
    "region": Column("region_code", pa.string()),
    "tags": Column("tags", pa.list_(pa.string())),
    "scale": Column("scale", pa.string()),
    "registered_capital": Column("registered_capital", pa.int64(), SCALE),
    "founded_years": Column("founded_years", pa.int64(), 1),
    "founded_on": Column("founded_on", pa.date32()),
    "revenue": Column("revenue", pa.int64(), SCALE),
    "tax": Column("tax", pa.int64(), SCALE),
    "rd_expense": Column("rd_expense", pa.int64(), SCALE),
    "employees": Column("employees", pa.int64(), 1),
    "contracted_investment": Column("contracted_investment", pa.int64(), SCALE),
    "funds_in_place": Column("funds_in_place", pa.int64(), SCALE),
    "black_listed": Column("black_listed", pa.bool_()),
    "red_listed": Column("red_listed", pa.bool_()),
}
assert set(COLUMNS) == set(rules.FIELDS), "every rule field needs a column"  # noqa: S101


# ---- the facts table ------------------------------------------------------------------------------


def _scaled(value: Decimal | int | None, scale: int) -> int | None:
    """The number on the column's grid (exact; a value off the grid is a programming error)."""
    if value is None:
        return None
    scaled = Decimal(value) * scale
    if scaled != scaled.to_integral_value():
        raise ValueError(f"{value} has more decimals than the batch matcher keeps")
    return int(scaled)


def _row_values(facts: Facts) -> dict[str, object]:
    values: dict[str, object] = {
        "industry_codes": sorted(facts.industry_codes),
        "region_code": facts.region_code or None,
        "tags": sorted(facts.tags),
        "scale": facts.scale or None,
        "founded_on": facts.founded_on,
        "black_listed": facts.black_listed,
        "red_listed": facts.red_listed,
    }
    for field, column in COLUMNS.items():
        if column.scale:
            values[column.name] = _scaled(rules._fact(facts, field), column.scale)
    return values


def _schema() -> pa.Schema:
    return pa.schema([("enterprise_id", pa.int64()), *((c.name, c.type) for c in COLUMNS.values())])


def facts_table(facts: Iterable[Facts]) -> pa.Table:
    """The facts as a pyarrow table: enterprise_id and one column per rule field."""
    data: dict[str, list] = {name: [] for name in _schema().names}
    for one in facts:
        data["enterprise_id"].append(one.enterprise_id)
        for name, value in _row_values(one).items():
            data[name].append(value)
    return pa.table(data, schema=_schema())


MONEY_FIGURES = ("revenue", "tax", "rd_expense")


def registry_table(as_of: date) -> pa.Table:
    """The facts table of every active enterprise, built column by column from ``registry_rows``: what
    ``facts_table`` makes of each enterprise's Facts (a test proves the two equal), without the objects."""
    rows = registry_rows(as_of)
    paths = IndustryPaths()
    codes: dict[int | None, list[str]] = {}
    data: dict[str, list] = {name: [] for name in _schema().names}
    money = SCALE
    nothing: dict = {}
    for pk, industry_id, region, capital, founded in rows.base:
        if industry_id not in codes:
            codes[industry_id] = sorted(code for code, _name in paths.path(industry_id))
        figures = rows.figures.get(pk, nothing)
        listed = rows.listed.get(pk, ())
        data["enterprise_id"].append(pk)
        data["industry_codes"].append(codes[industry_id])
        data["region_code"].append(region or None)
        data["tags"].append(sorted(rows.tags.get(pk, ())))
        data["scale"].append(rows.scales.get(pk) or None)
        data["registered_capital"].append(_scaled(capital, money))
        data["founded_years"].append(years_since(founded, as_of))
        data["founded_on"].append(founded)
        for name in MONEY_FIGURES:
            data[name].append(_scaled(figures.get(name), money))
        data["employees"].append(figures.get("employees"))
        data["contracted_investment"].append(_scaled(rows.contracted.get(pk), money))
        data["funds_in_place"].append(_scaled(rows.funds.get(pk), money))
        data["black_listed"].append(CreditKind.BLACK in listed)
        data["red_listed"].append(CreditKind.RED in listed)
    return pa.table(data, schema=_schema())


# ---- compiling rules ------------------------------------------------------------------------------


def compile_rule(rule: dict) -> tuple[str, list]:
    """The (parsed, non-empty) rule as a SQL condition over the facts table and its parameters."""
    if not rule:
        raise ValueError("an empty rule matches nothing; leave the item out")
    params: list = []
    return _compile(rule, params), params


def _compile(node: dict, params: list) -> str:
    if "all" in node or "any" in node:
        joiner = " AND " if "all" in node else " OR "
        children = node["all"] if "all" in node else node["any"]
        return "(" + joiner.join(_compile(child, params) for child in children) + ")"
    return f"COALESCE({_condition(node, params)}, FALSE)"


def _bind(params: list, value: object) -> str:
    params.append(value)
    return "?"


def _condition(condition: dict, params: list) -> str:
    name, op, value = condition["field"], condition["op"], condition["value"]
    field, column = rules.FIELDS[name], COLUMNS[name]
    col = f'"{column.name}"'
    if name == "industry":
        hit = f"list_has_any({col}, {_bind(params, list(value))}::VARCHAR[])"
        return f"(len({col}) > 0 AND {hit if op == 'in' else f'NOT {hit}'})"
    if name == "region":
        hit = "(" + " OR ".join(f"starts_with({col}, {_bind(params, prefix)})" for prefix in value) + ")"
        return f"({col} <> '' AND {hit if op == 'in' else f'NOT {hit}'})"
    if field.kind == rules.TAGS:
        wanted = _bind(params, list(value))
        return {
            "has_any": f"list_has_any({col}, {wanted}::VARCHAR[])",
            "has_all": f"list_has_all({col}, {wanted}::VARCHAR[])",
            "has_none": f"NOT list_has_any({col}, {wanted}::VARCHAR[])",
        }[op]
    if field.kind == rules.BOOL:
        return f"({col} = {_bind(params, bool(value))})"
    if field.kind == rules.CHOICE:
        hit = f"list_contains({_bind(params, list(value))}::VARCHAR[], {col})"
        return f"({col} IS NOT NULL AND {hit if op == 'in' else f'NOT {hit}'})"
    if field.kind == rules.DATE:
        if op == "between":
            low, high = (date.fromisoformat(part) for part in value)
            return f"({col} BETWEEN {_bind(params, low)} AND {_bind(params, high)})"
        sign = ">=" if op == "gte" else "<="
        return f"({col} {sign} {_bind(params, date.fromisoformat(value))})"
    if op == "between":
        low, high = value
        return f"({col} BETWEEN {_bind(params, _grid(low, column, up=True))} AND {_bind(params, _grid(high, column))})"
    if op == "gte":
        return f"({col} >= {_bind(params, _grid(value, column, up=True))})"
    return f"({col} <= {_bind(params, _grid(value, column))})"


def _grid(bound: str, column: Column, *, up: bool = False) -> int:
    """The bound on the column's grid, rounded so that the comparison with any value on the grid is unchanged."""
    scaled = Decimal(bound) * column.scale
    return int(scaled.to_integral_value(rounding=ROUND_CEILING if up else ROUND_FLOOR))


# ---- matching -------------------------------------------------------------------------------------


class Matcher:
    """An in-memory DuckDB holding the facts table; ``matching(rule)`` gives the enterprise ids meeting a rule."""

    def __init__(self, table: pa.Table) -> None:
        self.connection = duckdb.connect(":memory:")
        self.connection.register("facts_arrow", table)
        self.connection.execute(f"CREATE TABLE {TABLE} AS SELECT * FROM facts_arrow")  # noqa: S608 (a constant)
        self.connection.unregister("facts_arrow")
        self.size = table.num_rows

    def matching(self, rule: dict) -> list[int]:
        if rules.is_empty(rule):
            return []
        condition, params = compile_rule(rule)
        sql = f"SELECT enterprise_id FROM {TABLE} WHERE {condition} ORDER BY enterprise_id"  # noqa: S608
        return [row[0] for row in self.connection.execute(sql, params).fetchall()]

    def close(self) -> None:
        self.connection.close()

    def __enter__(self) -> "Matcher":
        return self

    def __exit__(self, *exc) -> None:
        self.close()
