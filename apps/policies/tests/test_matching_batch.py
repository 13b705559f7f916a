"""The batch matcher's SQL means what rules.holds means: seeded-random rules against seeded-random facts."""

import random
from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

import pytest

from apps.policies import batch, rules
from apps.policies.facts import Facts

AS_OF = date(2026, 6, 15)
MONEY = [Decimal(v) for v in ("0", "0.01", "99.99", "100", "100.01", "250.5", "999.99", "1000", "5000")]
BOUNDS = ["0", "0.005", "99.99", "100", "100.005", "100.01", "250.5", "999.999", "1000", "4999.99"]
WHOLE_BOUNDS = ["0", "1", "2", "2.5", "3", "5", "7.9", "10", "300"]
DATES = [
    date(2016, 6, 15),
    date(2016, 6, 16),
    date(2020, 1, 1),
    date(2023, 6, 14),
    date(2023, 6, 15),
    date(2026, 6, 15),
]
INDUSTRIES = [(), ("C", "39", "391", "3911"), ("C", "38"), ("I", "65", "651"), ("A",)]
REGIONS = ["", "990101", "990102003", "990201", "99"]
TAGS = ["高新技术企业", "专精特新", "科技型中小企业", "上市企业", "瞪羚企业"]
SCALES = [None, "large", "medium", "small", "micro"]


def random_facts(rng: random.Random, pk: int) -> Facts:
    def maybe(values):
        return None if rng.random() < 0.2 else rng.choice(values)

    path = rng.choice(INDUSTRIES)
    employees = maybe([0, 1, 2, 3, 5, 10, 300])
    return Facts(
        enterprise_id=pk, as_of=AS_OF, industry_codes=frozenset(path),
        industry_names=tuple((code, code) for code in path), region_code=rng.choice(REGIONS),
        tags=frozenset(rng.sample(TAGS, rng.choice([0, 0, 1, 2, 3]))), scale=rng.choice(SCALES),
        registered_capital=maybe(MONEY), founded_on=maybe(DATES), revenue=maybe(MONEY), tax=maybe(MONEY),
        rd_expense=maybe(MONEY), employees=employees, contracted_investment=maybe(MONEY),
        funds_in_place=maybe(MONEY), black_listed=rng.random() < 0.2, red_listed=rng.random() < 0.3,
    )  # fmt: skip


def random_condition(rng: random.Random) -> dict:
    name = rng.choice(list(rules.FIELDS))
    field = rules.FIELDS[name]
    op = rng.choice(field.ops)
    if field.kind == rules.BOOL:
        value = rng.random() < 0.5
    elif name == "industry":
        value = rng.sample(["C", "39", "391", "3911", "38", "I", "651", "A", "B"], rng.randint(1, 3))
    elif name == "region":
        value = rng.sample(["99", "9901", "990101", "990102", "990201", "98"], rng.randint(1, 2))
    elif name == "tags":
        value = rng.sample(TAGS, rng.randint(1, 3))
    elif name == "scale":
        value = rng.sample(["large", "medium", "small", "micro"], rng.randint(1, 2))
    elif field.kind == rules.DATE:
        days = sorted(rng.sample(DATES, 2))
        value = [d.isoformat() for d in days] if op == "between" else days[0].isoformat()
    else:
        pool = WHOLE_BOUNDS if name in ("founded_years", "employees") else BOUNDS
        low, high = sorted(rng.sample(pool, 2), key=Decimal)
        value = [low, high] if op == "between" else low
    return {"field": name, "op": op, "value": value}


def random_rule(rng: random.Random, depth: int = 0) -> dict:
    if depth >= 3 or rng.random() < 0.35:
        return random_condition(rng)
    combiner = rng.choice(["all", "any"])
    return {combiner: [random_rule(rng, depth + 1) for _ in range(rng.randint(1, 3))]}


def test_sql_agrees_with_holds_on_random_rules_and_facts():
    rng = random.Random(20261206)
    facts = [random_facts(rng, pk) for pk in range(1, 301)]
    with batch.Matcher(batch.facts_table(facts)) as matcher:
        assert matcher.size == 300
        hits = 0
        for _ in range(400):
            rule = random_rule(rng)
            expected = sorted(f.enterprise_id for f in facts if rules.holds(rule, f))
            assert matcher.matching(rule) == expected, rule
            hits += bool(expected) and len(expected) < len(facts)
    assert hits > 100  # the rules were not trivially all-or-nothing


@pytest.mark.parametrize(
    ("condition", "expected"),
    [
        ({"field": "revenue", "op": "gte", "value": "100"}, {2, 3}),
        ({"field": "revenue", "op": "gte", "value": "100.005"}, {3}),
        ({"field": "revenue", "op": "lte", "value": "100.005"}, {1, 2}),
        ({"field": "revenue", "op": "between", "value": ["100", "100"]}, {2}),
        ({"field": "founded_years", "op": "gte", "value": "2.5"}, {1, 2}),
        ({"field": "founded_years", "op": "lte", "value": "2.5"}, {3}),
        ({"field": "tags", "op": "has_none", "value": ["专精特新"]}, {1, 2, 3, 4}),
        ({"field": "scale", "op": "not_in", "value": ["large"]}, {1}),
        ({"field": "industry", "op": "not_in", "value": ["C"]}, {2}),
        ({"field": "region", "op": "not_in", "value": ["9901"]}, {2}),
        ({"field": "founded_on", "op": "lte", "value": "2023-06-15"}, {1, 2}),
    ],
)
def test_boundaries_and_unknowns(condition, expected):
    """Unknown facts (no revenue, no scale, no industry, no region) never hold, also for not_in."""
    base = random_facts(random.Random(1), 0)
    rows = [
        replace(base, enterprise_id=1, revenue=Decimal("99.99"), scale="small", industry_codes=frozenset({"C", "39"}), region_code="990101", founded_on=date(2023, 6, 14), tags=frozenset()),
        replace(base, enterprise_id=2, revenue=Decimal("100"), scale=None, industry_codes=frozenset({"I"}), region_code="990201", founded_on=date(2023, 6, 15), tags=frozenset({"上市企业"})),
        replace(base, enterprise_id=3, revenue=Decimal("100.01"), scale=None, industry_codes=frozenset(), region_code="", founded_on=AS_OF - timedelta(days=1), tags=frozenset()),
        replace(base, enterprise_id=4, revenue=None, scale=None, industry_codes=frozenset(), region_code="", founded_on=None, tags=frozenset()),
    ]  # fmt: skip
    with batch.Matcher(batch.facts_table(rows)) as matcher:
        found = set(matcher.matching(condition))
    assert found == {f.enterprise_id for f in rows if rules.holds(condition, f)} == expected


def test_rule_text_never_reaches_the_sql():
    condition = {"field": "tags", "op": "has_any", "value": ["x'); DROP TABLE facts; --"]}
    sql, params = batch.compile_rule(condition)
    assert "DROP" not in sql
    assert params == [["x'); DROP TABLE facts; --"]]
    with batch.Matcher(batch.facts_table([random_facts(random.Random(2), 1)])) as matcher:
        assert matcher.matching(condition) == []
        assert matcher.size == 1
