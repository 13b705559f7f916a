"""Evaluation-round pages: entry sheets, review, publication and the result pages, and who may open what."""

from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from apps.bizenv.models import Entry, Result, Round
from apps.bizenv.services import results, rounds

pytestmark = pytest.mark.django_db


def _publish(round_, keeper):
    rounds.close_round(round_=round_, by=keeper)
    return results.publish_round(round_=round_, by=keeper)


def _sheet(*rows) -> SimpleUploadedFile:
    workbook = Workbook()
    workbook.active.append(["指标代码", "指标名称", "区县", "原始值", "数据说明"])
    for row in rows:
        workbook.active.append(list(row))
    buffer = BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile("填报.xlsx", buffer.getvalue())


def test_the_organiser_creates_a_round(client_for, bizenv_keeper, published, county_a, county_b):
    client = client_for(bizenv_keeper)
    data = {
        "methodology": published.pk, "name": "2025年度营商环境评价", "year": "2025", "quarter": "",
        "units": [county_a.pk, county_b.pk], "opens_on": "2026-01-05", "closes_on": "2026-01-31",
        "aggregation": "arithmetic", "threshold": "0.6667", "disclosure": "own",
    }  # fmt: skip
    response = client.post(reverse("bizenv:round_create"), data)
    round_ = Round.objects.get()
    assert response.status_code == 302
    assert set(round_.units.all()) == {county_a, county_b}
    bad = client.post(reverse("bizenv:round_create"), {**data, "year": "2026", "closes_on": "2025-12-01"})
    assert "截止日期不能早于开始日期" in bad.content.decode()
    assert Round.objects.count() == 1


def test_round_pages_list_and_filter(client_for, bizenv_keeper, make_round):
    make_round(2024)
    make_round(2025, status="draft")
    client = client_for(bizenv_keeper)
    page = client.get(reverse("bizenv:round_list"), {"status": "open"}).content.decode()
    assert "2024年度营商环境评价" in page
    assert "2025年度营商环境评价" not in page
    assert "没有符合条件的评价轮次" in client.get(reverse("bizenv:round_list"), {"q": "无此轮次"}).content.decode()


def test_the_lead_unit_fills_and_submits_its_sheet(client_for, market_lead, make_round, published, county_a, county_b):
    round_ = make_round()
    time = published.indicators.get(code="01.01")
    client = client_for(market_lead)
    url = reverse("bizenv:entry_sheet", args=[round_.pk, time.pk])
    data = {f"value_{county_a.pk}": "5", f"value_{county_b.pk}": "二十", "submit": "1"}
    refused = client.post(url, data)
    assert refused.status_code == 200
    assert "数" in refused.content.decode()
    assert not Entry.objects.exists()
    data[f"value_{county_b.pk}"] = "20"
    assert client.post(url, data).status_code == 302
    assert set(Entry.objects.values_list("status", flat=True)) == {Entry.Status.SUBMITTED}


def test_another_department_cannot_open_the_sheet(client_for, make_round, published, county_a):
    from apps.org import roles
    from apps.org.tests.factories import UserFactory

    other = UserFactory(username="dept_other", unit=county_a, roles=[roles.DEPARTMENT_HANDLER])
    round_ = make_round()
    url = reverse("bizenv:entry_sheet", args=[round_.pk, published.indicators.get(code="01.01").pk])
    assert client_for(other).get(url).status_code == 403


def test_the_organiser_returns_a_value_with_a_reason(client_for, bizenv_keeper, filled, county_a):
    entry = Entry.objects.get(round=filled, unit=county_a, indicator__code="01.01")
    entry.status = Entry.Status.SUBMITTED
    entry.save()
    client = client_for(bizenv_keeper)
    url = reverse("bizenv:entry_review", args=[entry.pk])
    page = client.post(url, {"decision": "return", "comment": ""}, follow=True).content.decode()
    assert "退回时请写明退回理由" in page
    client.post(url, {"decision": "return", "comment": "与登记系统数据不符"})
    entry.refresh_from_db()
    assert (entry.status, entry.review_comment) == (Entry.Status.RETURNED, "与登记系统数据不符")


def test_the_import_writes_all_rows_or_none(client_for, market_lead, make_round, county_a, county_b):
    round_ = make_round()
    client = client_for(market_lead)
    url = reverse("bizenv:entry_import", args=[round_.pk])
    template = load_workbook(BytesIO(client.get(url, {"export": "xlsx"}).content)).active
    assert template.max_row == 1 + 2 * 2  # 01.01 and 01.02 for two counties; 02 is the bureau's
    bad = _sheet(("01.01", "", "东城区", "5", ""), ("01.02", "", "西城区", "很多", ""), ("02", "", "东城区", "是", ""))
    page = client.post(url, {"file": bad}).content.decode()
    assert page.count('data-testid="import-error"') == 2
    assert not Entry.objects.exists()
    good = _sheet(("01.01", "", "东城区", 5, "含公章刻制"), ("01.02", "", "990102", 4, ""))
    assert client.post(url, {"file": good}).status_code == 302
    assert Entry.objects.count() == 2


def test_publishing_through_the_page(client_for, bizenv_keeper, filled):
    client = client_for(bizenv_keeper)
    client.post(reverse("bizenv:round_action", args=[filled.pk, "close"]))
    client.post(reverse("bizenv:round_action", args=[filled.pk, "publish"]))
    filled.refresh_from_db()
    assert filled.is_published
    assert Result.objects.filter(round=filled).count() == 2
    page = client.post(reverse("bizenv:round_action", args=[filled.pk, "open"]), follow=True).content.decode()
    assert "已发布" in page


def test_result_pages_show_scores_flags_and_robustness(client_for, bizenv_keeper, filled, county_b):
    _publish(filled, bizenv_keeper)
    client = client_for(bizenv_keeper)
    ranking = client.get(reverse("bizenv:result_list", args=[filled.pk])).content.decode()
    assert "92.94" in ranking
    assert "30.51" in ranking
    result = Result.objects.get(round=filled, unit=county_b)
    county = client.get(reverse("bizenv:result_unit", args=[result.pk])).content.decode()
    assert "低于预警阈值" in county
    assert "-15.08" in county  # 01.01: 80.40 against the best county's 95.48
    flags = client.get(reverse("bizenv:flag_list", args=[filled.pk])).content.decode()
    assert "市市场监督管理局" in flags
    assert "西城区（22.22）" in flags
    export = load_workbook(
        BytesIO(client.get(reverse("bizenv:flag_list", args=[filled.pk]), {"export": "xlsx"}).content)
    )
    assert export.active.max_row == 5
    assert "三种汇总方法下名次完全一致" in client.get(reverse("bizenv:robustness", args=[filled.pk])).content.decode()
    handbook = client.get(reverse("bizenv:methodology_handbook", args=[filled.methodology_id])).content.decode()
    assert "前沿最优值 0.5" in handbook


def test_the_trend_chart_appears_from_the_second_round(client_for, bizenv_keeper, filled, make_round, county_a):
    _publish(filled, bizenv_keeper)
    later = make_round(2026)
    results.compute(round_=later, by=bizenv_keeper)
    result = Result.objects.get(round=later, unit=county_a)
    page = client_for(bizenv_keeper).get(reverse("bizenv:result_unit", args=[result.pk])).content.decode()
    assert 'data-testid="trend-chart"' in page


def test_a_county_sees_its_own_result_only_after_publication(
    client_for, bizenv_keeper, reader, filled, county_a, county_b
):
    results.compute(round_=filled, by=bizenv_keeper)
    own = Result.objects.get(round=filled, unit=county_a)
    client = client_for(reader)
    assert client.get(reverse("bizenv:result_unit", args=[own.pk])).status_code == 404
    assert "尚未发布" in client.get(reverse("bizenv:result_list", args=[filled.pk])).content.decode()
    _publish(filled, bizenv_keeper)
    own = Result.objects.get(round=filled, unit=county_a)
    other = Result.objects.get(round=filled, unit=county_b)
    assert client.get(reverse("bizenv:result_unit", args=[own.pk])).status_code == 200
    assert client.get(reverse("bizenv:result_unit", args=[other.pk])).status_code == 404
    ranking = client.get(reverse("bizenv:result_list", args=[filled.pk])).content.decode()
    assert "东城区" in ranking
    assert "西城区" not in ranking
    assert client.get(reverse("bizenv:robustness", args=[filled.pk])).status_code == 403


def test_the_ranking_takes_as_many_queries_for_more_counties(
    county_c, client_for, bizenv_keeper, filled, count_queries, make_round, county_a, county_b
):
    results.compute(round_=filled, by=bizenv_keeper)
    larger = make_round(2026, units=[county_a, county_b, county_c])
    results.compute(round_=larger, by=bizenv_keeper)
    client = client_for(bizenv_keeper)
    small = count_queries(lambda: client.get(reverse("bizenv:result_list", args=[filled.pk])))
    large = count_queries(lambda: client.get(reverse("bizenv:result_list", args=[larger.pk])))
    assert large == small
