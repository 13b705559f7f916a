"""Credit lists through the pages: the ledger, the entry page, forms, repairs, rules, the import, the marks on
the enterprise and project pages, permissions and query counts."""

from datetime import timedelta
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from apps.investment.tests.factories import lead
from apps.org import roles
from apps.org.tests.factories import UserFactory
from apps.supervision.models import CreditEffectLog, CreditEffectRule, CreditEntry, CreditPlace, CreditRepair
from apps.supervision.services import credit as services
from apps.supervision.services.credit_import import template_headers
from apps.supervision.tests.credit_helpers import enterprise_with_code, list_enterprise, valid_uscc


@pytest.fixture
def second_supervisor(office):
    return UserFactory(username="ducha2", name="督查室副主任", unit=office, roles=[roles.SUPERVISION_OFFICER])


@pytest.fixture
def blacklisted(supervisor):
    return list_enterprise(enterprise_with_code("示范市失信建材有限公司"), by=supervisor, kind="black")


@pytest.fixture
def redlisted(supervisor):
    return list_enterprise(enterprise_with_code("示范市守信电子有限公司"), by=supervisor, kind="red")


def _pdf() -> SimpleUploadedFile:
    return SimpleUploadedFile("lvxing.pdf", b"%PDF-1.4", content_type="application/pdf")


# ---- the ledger -------------------------------------------------------------------------------


def test_every_county_reads_the_city_wide_lists(client_for, blacklisted, county_handler_a, county_handler_b):
    for person in (county_handler_a, county_handler_b):
        client = client_for(person)
        assert "示范市失信建材有限公司" in client.get(reverse("supervision:credit_list")).content.decode()
        assert client.get(reverse("supervision:credit_detail", args=[blacklisted.pk])).status_code == 200


def test_the_ledger_filters_searches_and_exports(client_for, supervisor, blacklisted, redlisted):
    today = timezone.localdate()
    expiring = list_enterprise(enterprise_with_code("即将到期科技有限公司"), by=supervisor,
                               expires_on=today + timedelta(days=10))  # fmt: skip
    client = client_for(supervisor)
    url = reverse("supervision:credit_list")

    red = client.get(url, {"kind": "red"}).content.decode()
    assert "示范市守信电子有限公司" in red
    assert "示范市失信建材有限公司" not in red
    by_code = client.get(url, {"q": blacklisted.enterprise.uscc}).content.decode()
    assert "示范市失信建材有限公司" in by_code
    assert "示范市守信电子有限公司" not in by_code
    soon = client.get(url, {"expiring": "on"}).content.decode()
    assert expiring.enterprise.name in soon
    assert "示范市失信建材有限公司" not in soon
    assert "没有符合条件的信用名单条目" in client.get(url, {"state": "repaired"}).content.decode()
    export = client.get(url, {"kind": "black", "export": "xlsx"})
    rows = list(load_workbook(BytesIO(export.content)).active.iter_rows(values_only=True))
    assert rows[0][:3] == ("企业名称", "统一社会信用代码", "名单")
    assert {row[0] for row in rows[1:]} == {"示范市失信建材有限公司", "即将到期科技有限公司"}
    assert rows[1][10] == "有效"


def test_the_ledger_makes_the_same_queries_for_more_entries(client_for, supervisor, count_queries):
    client = client_for(supervisor)
    url = reverse("supervision:credit_list")
    list_enterprise(enterprise_with_code(), by=supervisor)
    client.get(url)
    few = count_queries(lambda: client.get(url))
    for _n in range(8):
        list_enterprise(enterprise_with_code(), by=supervisor, kind="red")

    assert count_queries(lambda: client.get(url)) == few
    assert count_queries(lambda: client.get(url, {"export": "xlsx"})) <= few


def test_the_ledger_needs_the_reading_right(client, client_for, city):
    nobody = UserFactory(username="wuquan", unit=city, roles=[roles.HOTLINE_AGENT])
    assert client_for(nobody).get(reverse("supervision:credit_list")).status_code == 403
    client.logout()
    assert client.get(reverse("supervision:credit_list")).status_code == 302


# ---- forms ------------------------------------------------------------------------------------


def test_the_office_records_an_entry_through_the_form(client_for, supervisor):
    enterprise = enterprise_with_code()
    data = {
        "uscc": enterprise.uscc, "kind": "black", "source": "market", "reason": "提供虚假材料取得许可",
        "legal_basis": "《市场监督管理严重违法失信名单管理办法》第十条", "document_number": "示市监信〔2026〕8号",
        "decided_on": (timezone.localdate() - timedelta(days=3)).isoformat(),
    }  # fmt: skip

    response = client_for(supervisor).post(reverse("supervision:credit_create"), data)

    entry = CreditEntry.objects.get()
    assert response.status_code == 302
    assert entry.enterprise == enterprise
    assert entry.recording_unit == supervisor.unit


def test_the_form_speaks_chinese(client_for, supervisor):
    data = {"uscc": valid_uscc(424242), "kind": "red", "source": "court", "reason": "", "decided_on": "2026-13-01"}

    page = client_for(supervisor).post(reverse("supervision:credit_create"), data).content.decode()

    assert "请填写列入原因。" in page
    assert "请填写认定文书号。" in page
    assert "请输入正确的日期。" in page
    assert not CreditEntry.objects.exists()


@pytest.mark.parametrize("who", ["anonymous", "county", "other_office", "office"])
def test_correcting_an_entry(client, client_for, blacklisted, county_b, who, request):
    users = {
        "county": lambda: request.getfixturevalue("county_handler_a"),
        "other_office": lambda: UserFactory(username="xc_ducha", unit=county_b, roles=[roles.SUPERVISION_OFFICER]),
        "office": lambda: request.getfixturevalue("supervisor"),
    }
    browser = client if who == "anonymous" else client_for(users[who]())
    data = {
        "uscc": blacklisted.enterprise.uscc, "kind": "black", "source": "court", "reason": "改过的原因",
        "legal_basis": blacklisted.legal_basis, "document_number": blacklisted.document_number,
        "decided_on": blacklisted.decided_on.isoformat(),
    }  # fmt: skip

    response = browser.post(reverse("supervision:credit_edit", args=[blacklisted.pk]), data)

    assert response.status_code == {"anonymous": 302, "county": 403, "other_office": 403, "office": 302}[who]
    changed = CreditEntry.objects.get(pk=blacklisted.pk).reason == "改过的原因"
    assert changed == (who == "office")


# ---- repairs through the page -----------------------------------------------------------------


def test_repair_request_and_approval_through_the_pages(client_for, blacklisted, supervisor, second_supervisor):
    client = client_for(supervisor)
    page = client.get(reverse("supervision:credit_detail", args=[blacklisted.pk])).content.decode()
    assert 'data-testid="repair-form"' in page
    response = client.post(
        reverse("supervision:credit_repair_request", args=[blacklisted.pk]), {"reason": "已履行", "evidence": _pdf()}
    )
    assert response.status_code == 302
    repair = CreditRepair.objects.get()
    decide = reverse("supervision:credit_repair_decide", args=[repair.pk])

    assert (
        'data-testid="decide-form"'
        not in client.get(reverse("supervision:credit_detail", args=[blacklisted.pk])).content.decode()
    )
    assert client.post(decide, {"action": "approve"}).status_code == 403
    assert client_for(second_supervisor).post(decide, {"action": "approve", "note": "属实"}).status_code == 302

    assert CreditEntry.objects.get(pk=blacklisted.pk).repaired_at is not None
    evidence = client.get(reverse("supervision:credit_repair_evidence", args=[repair.pk]))
    assert evidence.status_code == 200


@pytest.mark.parametrize("who", ["anonymous", "county", "requester", "second"])
def test_who_may_decide_a_repair(client, client_for, blacklisted, supervisor, who, request):
    repair = services.request_repair(entry=blacklisted, reason="已履行", evidence=_pdf(), by=supervisor)
    users = {"county": "county_handler_a", "requester": "supervisor", "second": "second_supervisor"}
    browser = client if who == "anonymous" else client_for(request.getfixturevalue(users[who]))

    response = browser.post(reverse("supervision:credit_repair_decide", args=[repair.pk]), {"action": "approve"})

    assert response.status_code == {"anonymous": 302, "county": 403, "requester": 403, "second": 302}[who]
    assert (CreditRepair.objects.get(pk=repair.pk).status == CreditRepair.Status.APPROVED) == (who == "second")


# ---- rules ------------------------------------------------------------------------------------


def test_the_rules_are_read_by_all_and_changed_by_the_city_office(client_for, supervisor, county_handler_a):
    rule = CreditEffectRule.objects.get(kind="black", place=CreditPlace.SCREENING)
    edit = reverse("supervision:credit_rule_edit", args=[rule.pk])
    assert "政策兑现" in client_for(county_handler_a).get(reverse("supervision:credit_rules")).content.decode()
    assert client_for(county_handler_a).post(edit, {"effect": "none"}).status_code == 403

    assert client_for(supervisor).post(edit, {"effect": "none", "basis": "暂停"}).status_code == 302

    assert CreditEffectRule.objects.get(pk=rule.pk).effect == "none"


# ---- the marks where the enterprise appears ---------------------------------------------------


def test_the_enterprise_page_warns_and_shows_the_credit_record(client_for, blacklisted, county_handler_a):
    page = client_for(county_handler_a).get(reverse("enterprises:detail", args=[blacklisted.enterprise.pk]))

    text = page.content.decode()
    assert 'class="alert alert-danger' in text
    assert "失信惩戒" in text
    assert "信用记录" in text
    assert blacklisted.document_number in text
    log = CreditEffectLog.objects.get(place=CreditPlace.DISPLAY)
    assert log.object_key == f"enterprises.enterprise:{blacklisted.enterprise.pk}"


def test_the_red_listed_get_the_fast_lane_mark(client_for, redlisted, county_handler_a):
    text = client_for(county_handler_a).get(reverse("enterprises:list")).content.decode()

    assert "绿色通道" in text


def test_the_enterprise_list_marks_without_extra_queries(client_for, supervisor, county_handler_a, count_queries):
    client = client_for(county_handler_a)
    url = reverse("enterprises:list")
    list_enterprise(enterprise_with_code(), by=supervisor)
    client.get(url)
    few = count_queries(lambda: client.get(url))
    for n in range(6):
        list_enterprise(enterprise_with_code(), by=supervisor, kind="black" if n % 2 else "red")

    page = client.get(url).content.decode()
    assert page.count('data-testid="credit-mark"') == 7
    assert count_queries(lambda: client.get(url)) == few


def test_the_project_page_warns_where_the_investor_appears(client_for, blacklisted, officer_a):
    project = lead(officer_a, enterprise=blacklisted.enterprise)

    text = client_for(officer_a).get(reverse("investment:project_detail", args=[project.pk])).content.decode()

    assert 'class="alert alert-danger' in text
    assert "拒不履行" in text
    places = set(
        CreditEffectLog.objects.filter(object_key=f"investment.project:{project.pk}").values_list("place", flat=True)
    )
    assert places == {CreditPlace.SCREENING, CreditPlace.DISPLAY}


def test_the_project_list_marks_investors_without_extra_queries(client_for, supervisor, officer_a, count_queries):
    client = client_for(officer_a)
    url = reverse("investment:project_list")
    lead(officer_a, enterprise=list_enterprise(enterprise_with_code(), by=supervisor).enterprise)
    client.get(url)
    few = count_queries(lambda: client.get(url))
    for n in range(5):
        kind = "black" if n % 2 else "red"
        lead(officer_a, enterprise=list_enterprise(enterprise_with_code(), by=supervisor, kind=kind).enterprise)
    lead(officer_a)

    page = client.get(url).content.decode()
    assert page.count('data-testid="credit-mark"') == 6
    assert count_queries(lambda: client.get(url)) == few


def test_a_repaired_entry_leaves_no_mark(client_for, blacklisted, supervisor, second_supervisor, county_handler_a):
    repair = services.request_repair(entry=blacklisted, reason="已履行", evidence=_pdf(), by=supervisor)
    services.decide_repair(repair=repair, action="approve", note="", by=second_supervisor)

    text = (
        client_for(county_handler_a)
        .get(reverse("enterprises:detail", args=[blacklisted.enterprise.pk]))
        .content.decode()
    )

    assert 'data-testid="credit-mark"' not in text
    assert "已修复移出" in text


# ---- import -----------------------------------------------------------------------------------


def _sheet(*rows) -> SimpleUploadedFile:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(template_headers())
    for row in rows:
        sheet.append(list(row))
    buffer = BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile("xinyong.xlsx", buffer.getvalue())


def _row(uscc, *, kind="黑名单", source="法院失信被执行人", number="（2026）示01执1号", decided="2026-03-01",
         effective="", expires=""):  # fmt: skip
    return (uscc, "", kind, source, "拒不履行", "最高法规定", number, decided, effective, expires)


def test_import_preview_then_commit(client_for, supervisor):
    first, second = enterprise_with_code(), enterprise_with_code()
    sheet = _sheet(_row(first.uscc), _row(second.uscc, kind="红名单", source="税务A级纳税人", number="A2025",
                                           expires="2027年12月31日"))  # fmt: skip
    client = client_for(supervisor)
    url = reverse("supervision:credit_import")

    preview = client.post(url, {"file": sheet})

    assert 'data-testid="import-preview"' in preview.content.decode()
    assert first.name in preview.content.decode()
    assert not CreditEntry.objects.exists()
    assert client.post(url, {"confirm": "1"}).status_code == 302
    assert CreditEntry.objects.count() == 2
    red = CreditEntry.objects.get(kind="red")
    assert red.expires_on.isoformat() == "2027-12-31"
    assert list(red.events.values_list("action", flat=True)) == ["import"]


def test_import_reports_every_error_by_row_and_writes_nothing(client_for, supervisor):
    good, listed = enterprise_with_code(), enterprise_with_code()
    list_enterprise(listed, by=supervisor, document_number="（2025）示01执9号")
    bad_check = good.uscc[:-1] + ("0" if good.uscc[-1] != "0" else "1")
    sheet = _sheet(
        _row(good.uscc),
        _row(bad_check),
        _row(valid_uscc(777777)),
        _row(good.uscc, number="（2026）示01执2号", decided="昨天"),
        _row(good.uscc, number="（2026）示01执3号", decided="2026-02-30"),
        _row(good.uscc),
        _row(listed.uscc, number="（2025）示01执9号"),
        _row(good.uscc, number="X4", kind="灰名单"),
    )

    page = client_for(supervisor).post(reverse("supervision:credit_import"), {"file": sheet}).content.decode()

    assert "校验位不正确" in page
    assert "企业库中没有统一社会信用代码为" in page
    assert "认定日期“昨天”不是日期" in page
    assert "认定日期“2026-02-30”不是日期" in page
    assert "与第 2 行是同一条目" in page
    assert "不能重复登记" in page
    assert "“灰名单”不是名单类别" in page
    assert 'data-testid="import-preview"' not in page
    assert CreditEntry.objects.count() == 1


def test_import_is_for_the_office_only(client_for, county_handler_a):
    assert client_for(county_handler_a).get(reverse("supervision:credit_import")).status_code == 403
    assert client_for(county_handler_a).get(reverse("supervision:credit_import_template")).status_code == 403
