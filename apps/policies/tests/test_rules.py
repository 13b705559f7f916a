"""The rule format: what parse accepts and refuses (with the place named), what explain and holds find, and that
nothing in a rule can run as code."""

import json
from datetime import date
from decimal import Decimal

import pytest

from apps.enterprises.models import AnnualFigures, Industry, Tag
from apps.investment.models import Project
from apps.policies import rules
from apps.policies.facts import facts_for, facts_for_many
from apps.policies.rules import RuleError

pytestmark = pytest.mark.django_db

AS_OF = date(2026, 6, 30)


def cond(field, op, value):
    return {"field": field, "op": op, "value": value}


@pytest.fixture
def manufacturer(enterprise):
    """星火: division 39 (under section C), 东城区, 3,000 万元 capital, founded 2018-05-20, 高新技术企业, 2025 figures."""
    enterprise.industry = Industry.objects.get(code="39")
    enterprise.save()
    enterprise.tags.add(Tag.objects.get(name="高新技术企业"))
    AnnualFigures.objects.create(enterprise=enterprise, year=2024, scale="small")
    AnnualFigures.objects.create(enterprise=enterprise, year=2025, scale="medium", revenue=Decimal("8000"),
                                 tax=Decimal("420.5"), employees=230)  # fmt: skip
    return enterprise


# ---- parse -------------------------------------------------------------------------------------


def test_empty_rules_stay_empty():
    assert rules.parse({}) == {}
    assert rules.parse("") == {}
    assert rules.parse(None) == {}


def test_a_rule_is_normalised():
    parsed = rules.parse(
        {"all": [cond("industry", "in", ["c", "39"]), cond("registered_capital", "gte", 500.0),
                 cond("founded_on", "between", ["2015-01-01", "2020-12-31"]), cond("black_listed", "is", False)]}
    )  # fmt: skip

    assert parsed == {"all": [cond("industry", "in", ["C", "39"]), cond("registered_capital", "gte", "500"),
                              cond("founded_on", "between", ["2015-01-01", "2020-12-31"]),
                              cond("black_listed", "is", False)]}  # fmt: skip


def test_json_text_is_accepted():
    assert rules.parse(json.dumps(cond("tax", "gte", "12.50"))) == cond("tax", "gte", "12.5")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ("{not json", "资格规则不是有效的 JSON"),
        ([cond("tax", "gte", 1)], "应为一个条件或一组条件"),
        ({"all": []}, "一组条件至少要有一个条件"),
        ({"all": [cond("tax", "gte", 1), cond("salary", "gte", 1)]}, "第2个条件：没有名为“salary”的条件项"),
        ({"all": [cond("tax", "gte", 1), {"any": [cond("tax", "in", ["1"])]}]}, "第2组第1个条件：“上年度纳税额”只能用"),
        (cond("tax", "gte", "很多"), "“上年度纳税额”的值应为数字"),
        (cond("tax", "gte", True), "“上年度纳税额”的值应为数字"),
        (cond("tax", "gte", "NaN"), "不小于 0 的有限数字"),
        (cond("tax", "gte", -1), "不小于 0 的有限数字"),
        (cond("tax", "between", [10, 1]), "下限不能大于上限"),
        (cond("tax", "between", [10]), "需要下限和上限两个值"),
        (cond("founded_on", "gte", "2020/01/01"), "的值应为日期"),
        (cond("founded_on", "gte", "2020-02-30"), "的值应为日期"),
        (cond("industry", "in", ["C39x"]), "不是国民经济行业分类代码"),
        (cond("region", "in", ["东城"]), "不是行政区划代码"),
        (cond("scale", "in", ["huge"]), "不是可选值"),
        (cond("tags", "has_any", ["不存在的标签"]), "企业标签中没有：不存在的标签"),
        (cond("tags", "has_any", []), "请至少填写一个"),
        (cond("black_listed", "is", "false"), "的值应为“是”或“否”"),
        ({"field": "tax", "op": "gte", "value": 1, "extra": 2}, "只能包含 all、any"),
        ({"all": [cond("tax", "gte", 1)], "any": [cond("tax", "gte", 1)]}, "只能包含 all、any"),
    ],
)
def test_malformed_rules_are_refused_with_the_place(data, message):
    with pytest.raises(RuleError) as refused:
        rules.parse(data)
    assert message in refused.value.message
    assert refused.value.field == "rule"


def test_depth_and_size_are_limited():
    deep = cond("tax", "gte", 1)
    for _level in range(rules.MAX_DEPTH + 1):
        deep = {"all": [deep]}
    with pytest.raises(RuleError, match="最多嵌套"):
        rules.parse(deep)
    with pytest.raises(RuleError, match="条件不能超过 30 个"):
        rules.parse({"all": [cond("tax", "gte", n) for n in range(31)]})
    with pytest.raises(RuleError, match="最多 200 个值"):
        rules.parse(cond("region", "in", [f"{n:06d}" for n in range(201)]))


CODE_ATTEMPTS = [
    cond("__import__('os').system('touch /tmp/yingshang-pwned')", "gte", 1),
    cond("tax", "__class__", 1),
    cond("tax", "gte", "__import__('os').system('touch /tmp/yingshang-pwned')"),
    cond("tax", "gte", "1e999999"),
    cond("founded_on", "gte", "__import__('os')"),
    {"__class__": {"__init__": {"__globals__": "os"}}},
    {"all": "(lambda: __import__('os').system('touch /tmp/yingshang-pwned'))()"},
]


@pytest.mark.parametrize("data", CODE_ATTEMPTS)
def test_code_in_a_rule_is_refused_and_never_run(data, tmp_path, monkeypatch):
    """Rules are data: field and operator names come from a fixed table, values are checked literals; the
    attempts are refused, and neither eval nor exec is reached."""
    import builtins

    def forbidden(*args, **kwargs):
        raise AssertionError("a rule reached eval/exec")

    monkeypatch.setattr(builtins, "eval", forbidden)
    monkeypatch.setattr(builtins, "exec", forbidden)
    with pytest.raises(RuleError):
        rules.parse(data)


def test_code_as_a_tag_or_code_value_is_only_text(manufacturer):
    """A value that looks like code is compared as text: it is an unknown tag and matches nothing."""
    with pytest.raises(RuleError, match="企业标签中没有"):
        rules.parse(cond("tags", "has_any", ["__import__('os').system('id')"]))
    parsed = rules.parse(cond("region", "not_in", ["990102"]))
    assert rules.holds(parsed, facts_for(manufacturer, AS_OF))


# ---- evaluation ----------------------------------------------------------------------------------


def test_the_facts_of_an_enterprise(manufacturer, county_a, officer_a):
    Project.objects.create(code="XM0001", name="星火新建项目", unit=county_a, enterprise=manufacturer,
                           channel="professional", contracted_investment=Decimal("12000"), created_by=officer_a)  # fmt: skip
    Project.objects.create(code="XM0002", name="星火终止项目", unit=county_a, enterprise=manufacturer,
                           channel="professional", contracted_investment=Decimal("500"), status="dropped", created_by=officer_a)  # fmt: skip
    facts = facts_for(manufacturer, AS_OF)

    assert facts.industry_codes == {"C", "39"}
    assert facts.tags == {"高新技术企业"}
    assert facts.scale == "medium"  # the latest year with a scale
    assert (facts.revenue, facts.tax, facts.employees, facts.rd_expense) == (Decimal("8000"), Decimal("420.5"), 230,
                                                                            None)  # fmt: skip
    assert facts.founded_years == 8
    assert facts.contracted_investment == Decimal("12000")
    assert facts.funds_in_place is None
    assert (facts.black_listed, facts.red_listed) == (False, False)
    assert facts_for_many([manufacturer.pk], AS_OF)[manufacturer.pk] == facts


@pytest.mark.parametrize(
    ("condition", "expected"),
    [
        (cond("industry", "in", ["C"]), True),
        (cond("industry", "in", ["3911"]), False),
        (cond("industry", "not_in", ["I"]), True),
        (cond("region", "in", ["9901"]), True),
        (cond("region", "not_in", ["990101"]), False),
        (cond("tags", "has_any", ["专精特新", "高新技术企业"]), True),
        (cond("tags", "has_all", ["专精特新", "高新技术企业"]), False),
        (cond("tags", "has_none", ["专精特新"]), True),
        (cond("scale", "in", ["small", "medium"]), True),
        (cond("registered_capital", "gte", 3000), True),
        (cond("registered_capital", "lte", 2999.99), False),
        (cond("founded_years", "between", [3, 8]), True),
        (cond("founded_on", "lte", "2018-05-19"), False),
        (cond("revenue", "gte", 8000), True),
        (cond("tax", "lte", "420.4"), False),
        (cond("employees", "between", [100, 300]), True),
        (cond("black_listed", "is", False), True),
        (cond("red_listed", "is", True), False),
    ],
)
def test_each_condition(manufacturer, condition, expected):
    facts = facts_for(manufacturer, AS_OF)
    assert rules.holds(rules.parse(condition), facts) is expected
    assert rules.explain(rules.parse(condition), facts).passed is expected


@pytest.mark.parametrize(
    "condition",
    [
        cond("rd_expense", "gte", 0),
        cond("rd_expense", "lte", 10**9),
        cond("funds_in_place", "lte", 10**9),
        cond("contracted_investment", "gte", 0),
    ],
)
def test_an_unknown_fact_never_holds(manufacturer, condition):
    assert rules.holds(rules.parse(condition), facts_for(manufacturer, AS_OF)) is False


def test_an_unclassified_enterprise_fails_not_in_as_well(enterprise):
    facts = facts_for(enterprise, AS_OF)
    assert not rules.holds(rules.parse(cond("industry", "not_in", ["C"])), facts)


def test_groups_and_the_explanation(manufacturer):
    rule = rules.parse({"all": [
        cond("industry", "in", ["C"]),
        {"any": [cond("tags", "has_any", ["专精特新"]), cond("revenue", "gte", 5000)]},
        cond("registered_capital", "gte", 5000),
    ]})  # fmt: skip

    explanation = rules.explain(rule, facts_for(manufacturer, AS_OF))

    assert explanation.passed is False
    assert [(line.text, line.passed, line.depth) for line in explanation.lines] == [
        ("所属行业属于C：符合（39 计算机、通信和其他电子设备制造业）", True, 0),
        ("以下条件符合其一：符合", True, 0),
        ("企业标签含有以下任一标签专精特新：不符合（高新技术企业）", False, 1),
        ("上年度营业收入不低于 5,000 万元：符合（8,000 万元）", True, 1),
        ("注册资本不低于 5,000 万元：不符合（3,000 万元）", False, 0),
    ]
    assert rules.holds(rule, facts_for(manufacturer, AS_OF)) is False


def test_an_empty_rule_is_never_met_automatically(manufacturer):
    explanation = rules.explain({}, facts_for(manufacturer, AS_OF))
    assert explanation.passed is False
    assert "人工审核" in explanation.lines[0].text
    assert rules.holds({}, facts_for(manufacturer, AS_OF)) is False


def test_describe_names_the_industries():
    rule = rules.parse({"all": [cond("industry", "in", ["C", "39"]), {"any": [cond("tax", "between", [10, 100])]}]})

    assert rules.describe(rule) == [
        "所属行业属于C（制造业）、39（计算机、通信和其他电子设备制造业）",
        "以下条件符合其一：",
        "　上年度纳税额介于 10—100 万元",
    ]


def test_facts_of_many_take_a_fixed_number_of_queries(manufacturer, count_queries):
    from apps.enterprises.models import Enterprise

    others = [Enterprise.objects.create(name=f"示范市第{n}科技有限公司") for n in range(20)]
    one = count_queries(lambda: facts_for_many([manufacturer.pk], AS_OF))
    many = count_queries(lambda: facts_for_many([manufacturer.pk, *(other.pk for other in others)], AS_OF))
    assert one == many
