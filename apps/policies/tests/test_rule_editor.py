"""The rule editor: rows become the rule's JSON and an existing rule shows as rows; malformed input is refused with
the parser's message and nothing saved; who may view, test and save; the test button's explanation; the audit
trail; the editor's query count."""

import json
from datetime import date
from decimal import Decimal

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from apps.enterprises.models import AnnualFigures, Industry, Tag
from apps.org import roles
from apps.org.tests.factories import UserFactory, make_unit
from apps.policies.rule_forms import RuleForm, build_rule, rule_to_rows
from apps.policies.rules import RuleError
from apps.policies.services.rule_editing import set_rule, try_rule

pytestmark = pytest.mark.django_db

AS_OF = date(2026, 6, 30)
INJECTION = "__import__('os').system('touch /tmp/yingshang-pwned')"


def cond(field, op, value):
    return {"field": field, "op": op, "value": value}


def form_data(rows, *, combiner="all", mode="rows", advanced="", extra_blank=1):
    """The POST of the editor: the rows (dicts of a row's inputs) and blank extra rows as a browser sends them."""
    rows = [*rows, *({"op": "in", "flag": "true"} for _ in range(extra_blank))]
    data = {"mode": mode, "combiner": combiner, "advanced": advanced, "rows-TOTAL_FORMS": str(len(rows)),
            "rows-INITIAL_FORMS": "0", "rows-MIN_NUM_FORMS": "0", "rows-MAX_NUM_FORMS": "30"}  # fmt: skip
    for index, row in enumerate(rows):
        for key, value in row.items():
            data[f"rows-{index}-{key}"] = "" if value is None else value
    return data


def rule_of(data):
    form = RuleForm(data)
    assert form.is_valid(), form.errors
    return form.rule


def errors_of(data) -> str:
    form = RuleForm(data)
    assert not form.is_valid()
    messages = [*form.non_field_errors(), *form.errors.get("advanced", [])]
    messages += [error for row in form.rows.forms for error in row.non_field_errors()]
    return " ".join(str(message) for message in messages)


# ---- rows → JSON --------------------------------------------------------------------------------


def test_flat_rows_of_every_field_kind_become_the_rule():
    rows = [
        {"field": "industry", "op": "in", "codes": ["C", "39"], "text": "6510、 6520，7310\n7320"},
        {"field": "region", "op": "not_in", "text": "990102"},
        {"field": "tags", "op": "has_any", "tags": ["高新技术企业", "专精特新"]},
        {"field": "scale", "op": "in", "scale": ["small", "micro"]},
        {"field": "registered_capital", "op": "gte", "number": "500"},
        {"field": "revenue", "op": "between", "low": "100", "high": "2000.50"},
        {"field": "founded_on", "op": "lte", "date": "2023-12-31"},
        {"field": "founded_on", "op": "between", "date_low": "2015-01-01", "date_high": "2020-12-31"},
        {"field": "black_listed", "op": "is", "flag": "false"},
        {"field": "red_listed", "op": "is", "flag": "true"},
    ]
    tags = set(Tag.objects.values_list("name", flat=True))
    assert {"高新技术企业", "专精特新"} <= tags

    assert rule_of(form_data(rows)) == {"all": [
        cond("industry", "in", ["C", "39", "6510", "6520", "7310", "7320"]),
        cond("region", "not_in", ["990102"]),
        cond("tags", "has_any", ["高新技术企业", "专精特新"]),
        cond("scale", "in", ["small", "micro"]),
        cond("registered_capital", "gte", "500"),
        cond("revenue", "between", ["100", "2000.5"]),
        cond("founded_on", "lte", "2023-12-31"),
        cond("founded_on", "between", ["2015-01-01", "2020-12-31"]),
        cond("black_listed", "is", False),
        cond("red_listed", "is", True),
    ]}  # fmt: skip


def test_rows_with_a_group_number_form_an_inner_group_combined_the_other_way():
    rows = [
        {"field": "industry", "op": "in", "codes": ["C"]},
        {"field": "tax", "op": "gte", "number": "50", "group": "1"},
        {"field": "black_listed", "op": "is", "flag": "false"},
        {"field": "employees", "op": "gte", "number": "100", "group": "1"},
        {"field": "tags", "op": "has_all", "tags": ["高新技术企业"], "group": "2"},
    ]

    assert rule_of(form_data(rows)) == {"all": [
        cond("industry", "in", ["C"]),
        {"any": [cond("tax", "gte", "50"), cond("employees", "gte", "100")]},
        cond("black_listed", "is", False),
        cond("tags", "has_all", ["高新技术企业"]),  # a group of one row is the row itself
    ]}  # fmt: skip
    assert rule_of(form_data(rows[:2] + rows[3:4], combiner="any")) == {"any": [
        cond("industry", "in", ["C"]), {"all": [cond("tax", "gte", "50"), cond("employees", "gte", "100")]},
    ]}  # fmt: skip


def test_no_rows_is_the_empty_rule():
    assert rule_of(form_data([])) == {}
    assert build_rule("all", []) == {}


# ---- JSON → rows ------------------------------------------------------------------------------


def initial_as_post(form: RuleForm) -> dict:
    """What the browser posts back for a form shown with its initial data."""
    rows = [dict(row.initial.items()) for row in form.rows.forms if row.initial]
    return form_data(rows, combiner=form.initial["combiner"], mode=form.initial["mode"],
                     advanced=form.initial["advanced"])  # fmt: skip


@pytest.mark.parametrize(
    "rule",
    [
        {"all": [cond("industry", "in", ["C", "3911"]), cond("region", "in", ["990101"]),
                 cond("tags", "has_none", ["高新技术企业"]), cond("scale", "not_in", ["large"]),
                 cond("founded_years", "between", ["3", "10"]), cond("founded_on", "gte", "2010-01-01"),
                 cond("rd_expense", "lte", "12.5"), cond("red_listed", "is", False)]},
        {"any": [cond("tax", "gte", "100"), {"all": [cond("industry", "in", ["39"]), cond("employees", "gte", "50")]},
                 {"all": [cond("black_listed", "is", False), cond("funds_in_place", "gte", "1000")]}]},
        {"all": [cond("contracted_investment", "between", ["5000", "100000"])]},
    ],
    ids=["flat", "grouped", "single"],
)  # fmt: skip
def test_an_existing_rule_shows_as_rows_and_comes_back_unchanged(rule):
    form = RuleForm(rule=rule)

    assert form.initial["mode"] == "rows"
    assert rule_of(initial_as_post(form)) == rule


def test_the_industry_picker_holds_sections_and_divisions_and_deeper_codes_are_typed():
    combiner, rows = rule_to_rows({"all": [cond("industry", "in", ["C", "39", "3911"])]})

    assert rows[0]["codes"] == ["C", "39"]
    assert rows[0]["text"] == "3911"
    picker = dict(RuleForm().rows.forms[0].fields["codes"].choices)
    section_c = next(options for label, options in picker.items() if label.startswith("C "))
    assert ("39", f"39 {Industry.objects.get(code='39').name}") in section_c


def test_a_deeper_rule_opens_in_the_json_textarea_and_saves_from_it():
    rule = {"all": [cond("tax", "gte", "1"), {"any": [cond("employees", "gte", "5"),
                                                        {"all": [cond("revenue", "gte", "9"), cond("tax", "lte", "3")]}]}]}  # fmt: skip
    form = RuleForm(rule=rule)

    assert rule_to_rows(rule) is None
    assert form.initial["mode"] == "json"
    assert json.loads(form.initial["advanced"]) == rule
    assert rule_of(initial_as_post(form)) == rule
    same_way = {"all": [{"all": [cond("tax", "gte", "1")]}]}  # a group combined like the top: not rows either
    assert rule_to_rows(same_way) is None


# ---- malformed input ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ({"field": "profit", "op": "gte", "number": "1"}, "没有名为“profit”的条件项"),
        ({"field": "industry", "op": "gte", "text": "C"}, "“所属行业”只能用这些判断方式：属于、不属于"),
        ({"field": "revenue", "op": "gte", "number": "十万"}, "“上年度营业收入”的值应为数字"),
        ({"field": "revenue", "op": "between", "low": "9", "high": "1"}, "下限不能大于上限"),
        ({"field": "tags", "op": "has_any", "tags": ["不存在的标签"]}, "企业标签中没有：不存在的标签"),
        ({"field": "industry", "op": "in", "text": "X99"}, "“X99”不是国民经济行业分类代码"),
        ({"field": "scale", "op": "in", "scale": []}, "请至少填写一个“企业规模”的值"),
        ({"field": "founded_on", "op": "gte", "date": "2020-13-01"}, "“成立日期”的值应为日期"),
        ({"field": INJECTION, "op": "gte", "number": "1"}, "没有名为“__import__"),
        ({"field": "tax", "op": INJECTION, "number": "1"}, "“上年度纳税额”只能用这些判断方式"),
        ({"field": "tax", "op": "gte", "number": INJECTION}, "“上年度纳税额”的值应为数字"),
        ({"field": "industry", "op": "in", "text": INJECTION}, "不是国民经济行业分类代码"),
    ],
    ids=["field", "op", "number", "bounds", "tag", "code", "empty", "date", "code-field", "code-op", "code-value",
         "code-list"],
)  # fmt: skip
def test_a_wrong_row_is_refused_with_the_parse_message_on_its_row(row, message):
    data = form_data([{"field": "tax", "op": "gte", "number": "1"}, row])
    form = RuleForm(data)

    assert not form.is_valid()
    assert not form.rows.forms[0].non_field_errors()
    assert message in " ".join(form.rows.forms[1].non_field_errors())
    assert "有条件行填写有误" in " ".join(form.non_field_errors())


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('{"all": [', "资格规则不是有效的 JSON"),
        (json.dumps({"all": [cond(INJECTION, "gte", 1)]}), "第1个条件：没有名为“__import__"),
        (json.dumps({"all": [cond("tax", INJECTION, 1)]}), "第1个条件：“上年度纳税额”只能用这些判断方式"),
        (json.dumps({"all": [cond("tax", "gte", INJECTION)]}), "第1个条件：“上年度纳税额”的值应为数字"),
        (json.dumps({"all": INJECTION}), "一组条件至少要有一个条件"),
        (json.dumps({"not": [cond("tax", "gte", 1)]}), "不能有“not”"),
    ],
    ids=["syntax", "code-field", "code-op", "code-value", "code-group", "not"],
)
def test_wrong_json_is_refused_with_the_parse_message(text, message, tmp_path):
    assert message in errors_of(form_data([], mode="json", advanced=text))


def test_a_wrong_rule_posted_to_the_editor_saves_nothing(item, policy_officer, client_for):
    item.rule = {"all": [cond("tax", "gte", "10")]}
    item.save()
    client = client_for(policy_officer)
    url = reverse("policies:item_rule", args=[item.pk])
    updates = LogEntry.objects.get_for_object(item).filter(action=LogEntry.Action.UPDATE).count()

    bad_rows = client.post(url, form_data([{"field": "tags", "op": "has_any", "tags": ["不存在的标签"]}]))
    bad_json = client.post(url, form_data([], mode="json", advanced=json.dumps(cond(INJECTION, "gte", 1))))

    assert bad_rows.status_code == bad_json.status_code == 200
    assert "企业标签中没有：不存在的标签" in bad_rows.content.decode()
    assert "没有名为" in bad_json.content.decode()
    item.refresh_from_db()
    assert item.rule == {"all": [cond("tax", "gte", "10")]}
    assert LogEntry.objects.get_for_object(item).filter(action=LogEntry.Action.UPDATE).count() == updates


def test_the_service_refuses_a_malformed_rule_and_saves_nothing(item, policy_officer):
    with pytest.raises(RuleError, match="没有名为"):
        set_rule(item, {"all": [cond(INJECTION, "gte", 1)]}, by=policy_officer)

    item.refresh_from_db()
    assert item.rule == {}


# ---- saving, permissions, audit -----------------------------------------------------------------


def test_the_policy_officer_saves_the_rows_and_the_change_is_audited(item, policy_officer, client_for):
    client = client_for(policy_officer)
    url = reverse("policies:item_rule", args=[item.pk])
    rows = [{"field": "industry", "op": "in", "codes": ["C"]}, {"field": "tax", "op": "gte", "number": "50"}]

    response = client.post(url, form_data(rows))

    assert response.status_code == 302
    assert response.url == url
    item.refresh_from_db()
    assert item.rule == {"all": [cond("industry", "in", ["C"]), cond("tax", "gte", "50")]}
    entry = LogEntry.objects.get_for_object(item).get(action=LogEntry.Action.UPDATE)
    assert entry.actor == policy_officer
    assert "rule" in entry.changes_dict
    page = client.get(url).content.decode()
    assert "上年度纳税额不低于 50 万元" in page


def test_the_service_records_its_actor(item, policy_officer):
    set_rule(item, json.dumps({"any": [cond("red_listed", "is", True)]}), by=policy_officer)

    item.refresh_from_db()
    assert item.rule == {"any": [cond("red_listed", "is", True)]}
    entry = LogEntry.objects.get_for_object(item).get(action=LogEntry.Action.UPDATE)
    assert entry.actor == policy_officer


def test_a_department_handler_views_and_tests_but_cannot_save(item, reviewer, client_for, enterprise):
    item.rule = {"all": [cond("registered_capital", "gte", "1000")]}
    item.save()
    client = client_for(reviewer)
    url = reverse("policies:item_rule", args=[item.pk])

    page = client.get(url)
    test = client.get(reverse("policies:item_rule_test", args=[item.pk]), {"enterprise": enterprise.pk})
    posted = client.post(url, form_data([{"field": "tax", "op": "gte", "number": "1"}]))

    assert page.status_code == 200
    content = page.content.decode()
    assert "注册资本不低于 1,000 万元" in content
    assert "上年度设备投资500万元以上。" in content
    assert 'id="rule-form"' not in content
    assert page.context["form"] is None
    assert test.status_code == 200
    assert "注册资本不低于 1,000 万元：符合" in test.content.decode()
    assert posted.status_code == 403
    item.refresh_from_db()
    assert item.rule == {"all": [cond("registered_capital", "gte", "1000")]}
    with pytest.raises(PermissionDenied):
        set_rule(item, {}, by=reviewer)


def test_a_county_policy_officer_cannot_save_a_city_documents_item(item, units, client_for, county_b):
    office_b = make_unit(parent=county_b, name="西城区发展和改革局", kind="department", code="990102D09")
    officer_b = UserFactory(username="policy_b", unit=office_b, roles=[roles.POLICY_OFFICER])
    client = client_for(officer_b)
    url = reverse("policies:item_rule", args=[item.pk])

    assert client.get(url).context["can_edit"] is False
    response = client.post(url, form_data([{"field": "tax", "op": "gte", "number": "1"}]))

    assert response.status_code == 403
    item.refresh_from_db()
    assert item.rule == {}


def test_without_view_policy_the_editor_is_refused(item, client_for, units):
    outsider = UserFactory(username="outsider", unit=units["legal"], roles=[])

    assert client_for(outsider).get(reverse("policies:item_rule", args=[item.pk])).status_code == 403
    assert client_for(outsider).get(reverse("policies:item_rule_test", args=[item.pk])).status_code == 403


def test_anonymous_users_are_sent_to_log_in(item, client):
    response = client.post(reverse("policies:item_rule", args=[item.pk]), form_data([]))

    assert response.status_code == 302
    assert "login" in response.url


# ---- the test button ----------------------------------------------------------------------------


@pytest.fixture
def manufacturer(enterprise):
    """星火: division 39 (under C), 高新技术企业, 3,000 万元 capital, founded 2018; no annual figures."""
    enterprise.industry = Industry.objects.get(code="39")
    enterprise.save()
    enterprise.tags.add(Tag.objects.get(name="高新技术企业"))
    return enterprise


TEST_RULE = {"all": [cond("industry", "in", ["C"]), cond("revenue", "gte", "100"),
                     {"any": [cond("tags", "has_any", ["高新技术企业"]), cond("employees", "gte", "10")]}]}  # fmt: skip


def test_try_rule_marks_the_lines_whose_fact_is_unknown(manufacturer):
    trial = try_rule(TEST_RULE, manufacturer, AS_OF)

    assert trial.passed is False
    assert [(line.passed, line.unknown, line.depth) for line in trial.lines] == [
        (True, False, 0), (False, True, 0), (True, False, 0), (True, False, 1), (False, True, 1),
    ]  # fmt: skip
    AnnualFigures.objects.create(enterprise=manufacturer, year=AS_OF.year - 1, revenue=Decimal("150"), employees=3)
    trial = try_rule(TEST_RULE, manufacturer, AS_OF)
    assert trial.passed is True
    assert [line.unknown for line in trial.lines] == [False] * 5


def test_the_saved_rule_is_explained_for_an_enterprise_found_by_its_uscc(item, manufacturer, reviewer, client_for):
    item.rule = {"all": [*TEST_RULE["all"], cond("region", "in", ["990102"])]}  # 星火 is in 990101
    item.save()
    url = reverse("policies:item_rule_test", args=[item.pk])

    response = client_for(reviewer).get(url, {"q": manufacturer.uscc}, HTTP_HX_REQUEST="true")

    assert response.status_code == 200
    content = response.content.decode()
    assert "<html" not in content  # the partial for the editor page
    assert manufacturer.name in content
    assert "按已保存的规则判断" in content
    assert "✓" in content
    assert "✗" in content
    assert "未知（无数据）" in content
    assert "所属行业属于C：符合（39 计算机、通信和其他电子设备制造业）" in content
    assert "上年度营业收入不低于 100 万元：不符合（无数据）" in content
    assert "注册地属于990102：不符合（990101）" in content
    trial = response.context["trial"]
    assert trial.passed is False
    assert trial.enterprise == manufacturer


def test_the_unsaved_rule_of_the_editor_is_tested_and_not_saved(item, manufacturer, policy_officer, client_for):
    url = reverse("policies:item_rule_test", args=[item.pk])
    data = form_data([{"field": "registered_capital", "op": "gte", "number": "2000"}])

    response = client_for(policy_officer).post(url, {**data, "enterprise": manufacturer.pk}, HTTP_HX_REQUEST="true")

    assert response.status_code == 200
    content = response.content.decode()
    assert "按编辑中（尚未保存）的规则判断" in content
    assert "注册资本不低于 2,000 万元：符合" in content
    assert response.context["trial"].passed is True
    item.refresh_from_db()
    assert item.rule == {}


def test_a_wrong_unsaved_rule_is_reported_instead_of_tested(item, manufacturer, policy_officer, client_for):
    url = reverse("policies:item_rule_test", args=[item.pk])
    data = form_data([{"field": "registered_capital", "op": "gte", "number": "很多"}])

    response = client_for(policy_officer).post(url, {**data, "enterprise": manufacturer.pk})

    content = response.content.decode()
    assert "规则填写有误，无法测试" in content
    assert "第1行：" in content
    assert "的值应为数字" in content
    assert "trial" not in response.context


def test_the_test_page_without_an_enterprise_says_what_to_do(item, reviewer, client_for):
    response = client_for(reviewer).get(reverse("policies:item_rule_test", args=[item.pk]))

    assert response.status_code == 200
    assert "选择一家企业后点击“测试”" in response.content.decode()


# ---- queries ----------------------------------------------------------------------------------


def test_the_editor_page_makes_the_same_queries_for_one_condition_or_many(item, policy_officer, client_for,
                                                                            count_queries):  # fmt: skip
    client = client_for(policy_officer)
    url = reverse("policies:item_rule", args=[item.pk])
    client.get(url)

    def page(rule):
        item.rule = rule
        item.save()
        return count_queries(lambda: client.get(url))

    small = page({"all": [cond("industry", "in", ["C"])]})
    many = [cond("industry", "in", ["C", str(n + 10)]) for n in range(10)]
    many += [cond("tags", "has_any", ["高新技术企业"]) for _ in range(10)]
    many.append({"any": [cond("tax", "gte", "1"), cond("employees", "gte", "2")]})
    large = page({"all": many})

    assert small == large


def test_the_test_button_makes_the_same_queries_for_one_condition_or_many(item, manufacturer, reviewer, client_for,
                                                                           count_queries):  # fmt: skip
    client = client_for(reviewer)
    url = reverse("policies:item_rule_test", args=[item.pk])
    client.get(url, {"enterprise": manufacturer.pk})

    def test(rule):
        item.rule = rule
        item.save()
        return count_queries(lambda: client.get(url, {"enterprise": manufacturer.pk}, HTTP_HX_REQUEST="true"))

    small = test({"all": [cond("industry", "in", ["C"])]})
    many = [cond("tags", "has_any", ["高新技术企业"]), cond("revenue", "gte", "1"), cond("region", "in", ["9901"])]
    large = test({"all": many * 6 + [{"any": [cond("tax", "gte", "1"), cond("funds_in_place", "gte", "2")]}]})

    assert small == large


def test_a_rule_saved_from_the_json_textarea(item, policy_officer, client_for):
    rule = {"any": [cond("tax", "gte", "1"), {"all": [cond("employees", "gte", "5"),
                                                       {"any": [cond("revenue", "gte", "9")]}]}]}  # fmt: skip
    client = client_for(policy_officer)
    url = reverse("policies:item_rule", args=[item.pk])

    response = client.post(url, form_data([], mode="json", advanced=json.dumps(rule)))

    assert response.status_code == 302
    item.refresh_from_db()
    assert item.rule == rule
    page = client.get(url)
    assert page.context["form"].initial["mode"] == "json"
