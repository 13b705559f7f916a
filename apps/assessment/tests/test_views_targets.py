"""The target page: the target, its time-progress plan, its manual figures with their evidence, and who may."""

from datetime import date
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from apps.assessment.models import ManualValue, PlanPoint, Target

pytestmark = pytest.mark.django_db


def _messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def _target(scheme, code: str, unit) -> Target:
    return Target.objects.get(item__scheme=scheme, item__metric__code=code, unit=unit)


def _url(target) -> str:
    return reverse("assessment:target_detail", args=[target.pk])


def _evidence(name="储备项目台账.pdf", content=b"%PDF-1.4 ledger"):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def _plan_data(plan: str, rows: list[tuple[str, str]]) -> dict:
    data = {"action": "plan", "plan": plan, "points-TOTAL_FORMS": len(rows), "points-INITIAL_FORMS": 0}
    for n, (ends_on, value) in enumerate(rows):
        data[f"points-{n}-ends_on"], data[f"points-{n}-value"] = ends_on, value
    return data


QUARTERS = [("2026-03-31", "2"), ("2026-06-30", "5"), ("2026-09-30", "8"), ("2026-12-31", "10")]


# ---- the page -------------------------------------------------------------------------------


def test_the_page_shows_the_target_and_its_figures(client_for, clock, scheme, enter, county_a, county_keeper_a):
    target = _target(scheme, "major_reserve", county_a)
    value = enter(scheme, "major_reserve", county_a, date(2026, 9, 30), 7)
    ManualValue.objects.filter(pk=value.pk).update(note="新增储备项目 7 个")

    response = client_for(county_keeper_a).get(_url(target))

    page = response.content.decode()
    assert response.status_code == 200
    assert '<dd class="col-sm-8" data-testid="target-value">10 个</dd>' in page
    assert "按日均匀推算序时进度" in page
    table = page.split('data-testid="manual-values"')[1].split("</table>")[0]
    assert "2026年9月30日" in table
    assert "7 个" in table
    assert "新增储备项目 7 个" in table
    assert "市考核办" in table  # who entered it (the ``enter`` fixture's assessor)
    assert reverse("assessment:manual_value_evidence", args=[value.pk]) in table
    assert 'data-testid="plan-form"' in page
    assert 'data-testid="value-form"' in page


def test_a_live_metric_has_no_manual_entry(client_for, clock, scheme, county_a, county_keeper_a):
    target = _target(scheme, "signed_count", county_a)
    client = client_for(county_keeper_a)

    page = client.get(_url(target)).content.decode()
    post = client.post(_url(target), {"action": "enter", "as_of": "2026-10-31", "value": "3"})

    assert "本指标由系统从业务数据自动取数，无需填报。" in page
    assert 'data-testid="value-form"' not in page
    assert post.status_code == 403
    assert not ManualValue.objects.exists()


# ---- the plan -------------------------------------------------------------------------------


def test_asking_for_a_quarter_plan_fills_in_the_four_quarter_ends(client_for, clock, scheme, county_a,
                                                                  county_keeper_a):  # fmt: skip
    target = _target(scheme, "major_reserve", county_a)

    response = client_for(county_keeper_a).get(_url(target), {"plan": "quarter"})

    formset = response.context["plan_formset"]
    assert [form.initial["ends_on"] for form in formset] == [
        date(2026, 3, 31), date(2026, 6, 30), date(2026, 9, 30), date(2026, 12, 31),
    ]  # fmt: skip
    assert response.context["plan_form"]["plan"].value() == "quarter"
    assert 'name="points-3-ends_on" value="2026-12-31"' in response.content.decode()


def test_a_quarter_plan_is_saved_through_the_page(client_for, clock, scheme, county_a, county_keeper_a):
    target = _target(scheme, "major_reserve", county_a)
    client = client_for(county_keeper_a)

    response = client.post(_url(target), _plan_data("quarter", QUARTERS), follow=True)

    target.refresh_from_db()
    assert target.plan == "quarter"
    assert list(PlanPoint.objects.filter(target=target).values_list("ends_on", "value")) == [
        (date(2026, 3, 31), Decimal(2)), (date(2026, 6, 30), Decimal(5)), (date(2026, 9, 30), Decimal(8)),
        (date(2026, 12, 31), Decimal(10)),
    ]  # fmt: skip
    assert response.redirect_chain == [(_url(target), 302)]
    assert _messages(response) == ["已保存序时计划：分季计划。"]
    points = response.content.decode().split('data-testid="plan-points"')[1].split("</table>")[0]
    assert "2026年6月30日" in points
    assert "5 个" in points
    # the form shows the stored plan again, to correct it
    assert [form.initial["value"] for form in response.context["plan_formset"]] == [2, 5, 8, 10]


def test_empty_rows_are_left_out(client_for, clock, scheme, county_a, county_keeper_a):
    target = _target(scheme, "major_reserve", county_a)
    rows = [("2026-03-31", "2"), ("", ""), ("", ""), ("2026-12-31", "10")]

    client_for(county_keeper_a).post(_url(target), _plan_data("quarter", rows))

    assert list(PlanPoint.objects.filter(target=target).values_list("ends_on", flat=True)) == [
        date(2026, 3, 31), date(2026, 12, 31),
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("plan", "rows", "message"),
    [
        ("quarter", [("2026-03-31", "5"), ("2026-06-30", "3")], "累计计划不能比前一期少（2026年6月30日）。"),
        ("quarter", [("2026-04-30", "5")], "2026年4月30日不是分季计划的期末日。"),
        ("quarter", [], "请填写分期累计计划。"),
        ("even", [("2026-03-31", "5")], "按日均匀推算时不需要填写分期计划。"),
        ("quarter", [("2026-03-31", "")], "期末日期和累计计划须同时填写。"),
    ],
)
def test_a_wrong_plan_shows_the_rule_and_keeps_the_old_one(client_for, clock, scheme, county_a, county_keeper_a,
                                                           plan, rows, message):  # fmt: skip
    target = _target(scheme, "major_reserve", county_a)

    response = client_for(county_keeper_a).post(_url(target), _plan_data(plan, rows))

    assert response.status_code == 200
    page = response.content.decode()
    assert message in page.split('data-testid="plan-form"')[1]
    target.refresh_from_db()
    assert target.plan == "even"
    assert not PlanPoint.objects.exists()


def test_at_most_36_rows_are_taken(client_for, clock, scheme, county_a, county_keeper_a):
    target = _target(scheme, "major_reserve", county_a)
    rows = [(f"2026-01-{day:02d}", "1") for day in range(1, 32)] + [(f"2026-02-{d:02d}", "1") for d in range(1, 7)]

    response = client_for(county_keeper_a).post(_url(target), _plan_data("dekad", rows))

    assert "序时计划最多 36 期（按旬计划每年 36 期）。" in response.content.decode().split('data-testid="plan-form"')[1]
    assert not PlanPoint.objects.exists()


# ---- manual figures -------------------------------------------------------------------------


def test_a_figure_is_entered_with_its_evidence_and_downloaded(client_for, clock, scheme, county_a, county_keeper_a):
    target = _target(scheme, "major_reserve", county_a)
    client = client_for(county_keeper_a)
    data = {"action": "enter", "as_of": "2026-10-31", "value": "6", "note": "新增两个", "evidence": _evidence()}

    response = client.post(_url(target), data, follow=True)

    value = ManualValue.objects.get(target=target)
    assert (value.as_of, value.value, value.note, value.entered_by) == (
        date(2026, 10, 31), Decimal(6), "新增两个", county_keeper_a,
    )  # fmt: skip
    assert _messages(response) == ["已填报截至2026年10月31日的累计完成数：6 个。"]
    download = client.get(reverse("assessment:manual_value_evidence", args=[value.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"%PDF-1.4 ledger"
    assert "attachment" in download["Content-Disposition"]


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"evidence": None}, "evidence", "请上传佐证材料。"),
        ({"as_of": "2026-11-30"}, "as_of", "截至日期不能晚于今天。"),
        ({"as_of": "2025-12-31"}, "as_of", "截至日期须在2026年内。"),
        ({"value": "-1"}, "value", "累计完成不能为负数。"),
        ({"as_of": ""}, "as_of", "这个字段是必填项。"),
    ],
)
def test_a_wrong_figure_shows_the_rule_on_its_field(client_for, clock, scheme, county_a, county_keeper_a, changes,
                                                    field, message):  # fmt: skip
    target = _target(scheme, "major_reserve", county_a)
    data = {"action": "enter", "as_of": "2026-10-31", "value": "6", "evidence": _evidence(), **changes}
    data = {key: value for key, value in data.items() if value is not None}

    response = client_for(county_keeper_a).post(_url(target), data)

    assert response.context["value_form"].errors == {field: [message]}
    assert f'<div class="invalid-feedback d-block">{message}</div>' in response.content.decode()
    assert not ManualValue.objects.exists()


def test_a_rate_above_100_is_refused(client_for, clock, scheme, county_a, county_keeper_a):
    target = _target(scheme, "policy_delivery", county_a)
    data = {"action": "enter", "as_of": "2026-10-31", "value": "101", "evidence": _evidence()}

    response = client_for(county_keeper_a).post(_url(target), data)

    assert response.context["value_form"].errors == {"value": ["比率不能超过100。"]}


# ---- who may ---------------------------------------------------------------------------------


def test_the_keeper_reads_the_target_but_enters_nothing(client_for, clock, scheme, county_a, keeper):
    target = _target(scheme, "major_reserve", county_a)
    client = client_for(keeper)

    page = client.get(_url(target)).content.decode()
    statuses = [
        client.post(_url(target), {"action": "enter", "as_of": "2026-10-31", "value": "6",
                                   "evidence": _evidence()}).status_code,
        client.post(_url(target), _plan_data("quarter", QUARTERS)).status_code,
    ]  # fmt: skip

    assert "东城区 · 重大项目谋划储备数" in page
    assert 'data-testid="value-form"' not in page
    assert 'data-testid="plan-form"' not in page
    assert statuses == [403, 403]
    assert not ManualValue.objects.exists()
    assert not PlanPoint.objects.exists()


def test_a_reader_without_the_entry_role_cannot_enter(client_for, clock, scheme, county_a, officer_a):
    """An investment officer of 东城区 holds no assessment permission at all."""
    target = _target(scheme, "major_reserve", county_a)

    assert client_for(officer_a).get(_url(target)).status_code == 403


def test_another_countys_target_and_evidence_are_not_found(client_for, clock, scheme, enter, county_b,
                                                           county_keeper_a):  # fmt: skip
    target = _target(scheme, "major_reserve", county_b)
    value = enter(scheme, "major_reserve", county_b, date(2026, 9, 30), 3)
    client = client_for(county_keeper_a)

    assert client.get(_url(target)).status_code == 404
    assert client.post(_url(target), _plan_data("quarter", QUARTERS)).status_code == 404
    assert client.get(reverse("assessment:manual_value_evidence", args=[value.pk])).status_code == 404
    assert not PlanPoint.objects.exists()


def test_the_keeper_downloads_a_countys_evidence(client_for, clock, scheme, enter, county_b, keeper):
    value = enter(scheme, "major_reserve", county_b, date(2026, 9, 30), 3)

    response = client_for(keeper).get(reverse("assessment:manual_value_evidence", args=[value.pk]))

    assert b"".join(response.streaming_content) == b"%PDF-1.4 evidence"
