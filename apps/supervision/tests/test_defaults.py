"""Government defaults (政府违约失信): registered by the office, cleared by the unit that defaulted, signed off through
the problem's lifecycle; the ledger's totals, filters, export and scope."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from apps.core.errors import BusinessRuleError
from apps.enterprises.tests.factories import make_enterprise, valid_uscc
from apps.supervision.models import GovernmentDefault, Problem, ProblemEvent
from apps.supervision.services import defaults, problems

pytestmark = pytest.mark.django_db


@pytest.fixture
def creditor(db):
    return make_enterprise("示范市宏达建设工程有限公司", uscc=valid_uscc("91990100MA0000001"))


@pytest.fixture
def arrears(supervisor, department, creditor):
    today = timezone.localdate()
    return defaults.register_default(
        title="拖欠厂房代建款", unit=department, due_on=today + timedelta(days=30), enterprise=creditor,
        kind="arrears", found_by="complaint", found_on=today - timedelta(days=3), amount_owed=Decimal("120.50"),
        description="2024年厂房代建合同尾款未付", by=supervisor,
    )  # fmt: skip


def test_a_default_is_a_problem_of_its_own_source(arrears, department, office):
    problem = arrears.problem
    assert (problem.source, problem.unit, problem.supervising_unit) == ("gov_default", department, office)
    assert "企业投诉" in problem.source_reference
    assert arrears.amount_outstanding == Decimal("120.50")


def test_the_unit_clears_in_parts_never_more_than_it_owes(arrears, handler, supervisor):
    today = timezone.localdate()
    defaults.record_clearance(default=arrears, cleared_on=today, amount=Decimal("100"), note="支付首笔", by=handler)
    with pytest.raises(BusinessRuleError, match="超过尚欠金额"):
        defaults.record_clearance(default=arrears, cleared_on=today, amount=Decimal("30"), note="多付", by=handler)
    with pytest.raises(BusinessRuleError, match="责任单位"):
        defaults.record_clearance(default=arrears, cleared_on=today, amount=Decimal("1"), note="代付", by=supervisor)
    with pytest.raises(BusinessRuleError, match="晚于今天"):
        defaults.record_clearance(
            default=arrears, cleared_on=today + timedelta(days=1), amount=Decimal("1"), note="预付", by=handler
        )
    defaults.record_clearance(default=arrears, cleared_on=today, amount=Decimal("20.50"), note="付清", by=handler)
    arrears.refresh_from_db()
    assert arrears.amount_outstanding == Decimal("0")
    assert ProblemEvent.objects.filter(problem=arrears.problem, action="clearance").count() == 2

    voucher = SimpleUploadedFile("付款凭证.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
    problems.add_evidence(problem=arrears.problem, file=voucher, description="付款凭证", by=handler)
    problem = problems.report_completion(problem=arrears.problem, report="已全部付清", by=handler)
    with pytest.raises(BusinessRuleError, match="已报告完成或已销号"):
        defaults.record_clearance(default=arrears, cleared_on=today, amount=Decimal("0"), note="补记", by=handler)
    problems.sign_off_problem(problem=problem, by=supervisor)
    assert Problem.objects.get(pk=problem.pk).status == "signed_off"


def test_registration_checks_the_details(supervisor, department, creditor):
    today = timezone.localdate()
    fields = {
        "title": "未兑现补贴", "unit": department, "due_on": today + timedelta(days=10), "enterprise": creditor,
        "kind": "commitment", "found_by": "survey", "found_on": today,
    }  # fmt: skip
    with pytest.raises(BusinessRuleError, match="应大于0"):
        defaults.register_default(**fields, amount_owed=Decimal("0"), by=supervisor)
    with pytest.raises(BusinessRuleError, match="晚于今天"):
        defaults.register_default(**fields | {"found_on": today + timedelta(days=1)}, by=supervisor)
    assert not GovernmentDefault.objects.exists()
    assert not Problem.objects.exists()  # nothing half-written


def test_the_ledger_pages(arrears, supervisor, handler, county_handler_b, client_for, creditor):
    client = client_for(supervisor)
    page = client.get(reverse("supervision:default_list"), {"kind": "arrears"}).content.decode()
    assert "拖欠厂房代建款" in page
    assert "120.50" in page
    assert (
        "拖欠厂房代建款" not in client.get(reverse("supervision:default_list"), {"kind": "judgment"}).content.decode()
    )
    export = client.get(reverse("supervision:default_list"), {"export": "xlsx"})
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")
    assert (
        "拖欠厂房代建款" not in client_for(county_handler_b).get(reverse("supervision:default_list")).content.decode()
    )

    detail = client_for(handler).get(reverse("supervision:problem_detail", args=[arrears.problem.pk])).content.decode()
    assert 'data-testid="government-default"' in detail
    assert "登记清偿" in detail
    response = client_for(handler).post(
        reverse("supervision:clearance_create", args=[arrears.problem.pk]),
        {"cleared_on": f"{timezone.localdate():%Y-%m-%d}", "amount": "20", "note": "支付部分"},
    )
    assert response.status_code == 302
    assert arrears.clearances.count() == 1
    refused = client_for(supervisor).post(
        reverse("supervision:clearance_create", args=[arrears.problem.pk]),
        {"cleared_on": f"{timezone.localdate():%Y-%m-%d}", "amount": "1", "note": "代付"},
    )
    assert refused.status_code == 403


def test_the_office_registers_through_the_form(supervisor, handler, department, creditor, client_for):
    assert client_for(handler).get(reverse("supervision:default_create")).status_code == 403
    today = timezone.localdate()
    form = {
        "title": "不履行生效判决", "enterprise_code": "91990100MA0000009", "kind": "judgment", "found_by": "court",
        "found_on": f"{today:%Y-%m-%d}", "unit": department.pk, "due_on": f"{today + timedelta(days=15):%Y-%m-%d}",
    }  # fmt: skip
    page = client_for(supervisor).post(reverse("supervision:default_create"), form).content.decode()
    assert "企业库中没有统一社会信用代码为" in page
    response = client_for(supervisor).post(
        reverse("supervision:default_create"), form | {"enterprise_code": creditor.uscc}
    )
    default = GovernmentDefault.objects.get()
    assert response.url == reverse("supervision:problem_detail", args=[default.problem.pk])


def test_the_ledger_reads_a_fixed_number_of_queries(
    arrears, supervisor, department, creditor, client_for, count_queries
):
    client = client_for(supervisor)
    url = reverse("supervision:default_list")
    small = count_queries(lambda: client.get(url))
    today = timezone.localdate()
    for n in range(5):
        defaults.register_default(
            title=f"拖欠款项{n}", unit=department, due_on=today + timedelta(days=9), enterprise=creditor,
            kind="arrears", found_by="audit", found_on=today, amount_owed=Decimal(n + 1), by=supervisor,
        )  # fmt: skip
    assert count_queries(lambda: client.get(url)) == small
