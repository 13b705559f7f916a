from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from apps.core.errors import BusinessRuleError
from apps.enterprises.models import Enterprise
from apps.supervision.models import InvestorCommitment, Problem
from apps.supervision.services import commitments as services
from apps.supervision.services.scans import scan_supervision

Status = InvestorCommitment.Status


def _pdf(name="duixian.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4", content_type="application/pdf")


@pytest.fixture
def enterprise(db):
    return Enterprise.objects.create(name="东城新材料科技有限公司")


@pytest.fixture
def make_commitment(supervisor, enterprise):
    def make(unit, *, due_on=None, **extra):
        today = timezone.localdate()
        fields = {
            "kind": InvestorCommitment.Kind.INFRASTRUCTURE, "content": "园区道路于年底前通车",
            "legal_basis": "投资合同第八条", "committed_on": today - timedelta(days=60),
            "due_on": due_on or today + timedelta(days=30), "enterprise": enterprise, **extra,
        }  # fmt: skip
        return services.create_commitment(unit=unit, by=supervisor, **fields)

    return make


def test_the_lifecycle_fulfilled_with_evidence(make_commitment, county_a, county_handler_a):
    commitment = make_commitment(county_a)
    assert commitment.status == Status.PENDING
    assert commitment.supervising_unit.name == "市人民政府办公室"

    services.fulfil_commitment(
        commitment=commitment,
        fulfilled_on=timezone.localdate(),
        note="道路已通车",
        evidence=_pdf(),
        by=county_handler_a,
    )

    commitment.refresh_from_db()
    assert commitment.status == Status.FULFILLED
    assert commitment.fulfilment_note == "道路已通车"
    assert commitment.evidence_filename.endswith(".pdf")
    assert list(commitment.events.values_list("action", flat=True)) == ["create", "fulfil"]


def test_only_the_committing_unit_fulfils_and_only_the_office_cancels(
    make_commitment, county_a, county_handler_a, supervisor
):
    commitment = make_commitment(county_a)
    with pytest.raises(BusinessRuleError, match="只有承诺单位"):
        services.fulfil_commitment(
            commitment=commitment, fulfilled_on=timezone.localdate(), note="x", evidence=_pdf(), by=supervisor
        )
    with pytest.raises(BusinessRuleError, match="只有督办单位"):
        services.cancel_commitment(commitment=commitment, reason="合同解除", by=county_handler_a)
    with pytest.raises(BusinessRuleError, match="请填写取消原因"):
        services.cancel_commitment(commitment=commitment, reason="  ", by=supervisor)

    services.cancel_commitment(commitment=commitment, reason="合同解除", by=supervisor)

    commitment.refresh_from_db()
    assert commitment.status == Status.CANCELLED
    assert commitment.cancel_reason == "合同解除"


def test_the_rules_of_a_commitment(make_commitment, county_a, county_handler_a):
    with pytest.raises(BusinessRuleError, match="至少一项"):
        make_commitment(county_a, enterprise=None)
    with pytest.raises(BusinessRuleError, match="兑现时限不能早于承诺日期"):
        make_commitment(county_a, committed_on=date(2026, 5, 1), due_on=date(2026, 4, 1))
    commitment = make_commitment(county_a)
    with pytest.raises(BusinessRuleError, match="佐证材料只能是"):
        services.fulfil_commitment(
            commitment=commitment, fulfilled_on=timezone.localdate(), note="完成",
            evidence=SimpleUploadedFile("a.exe", b"MZ"), by=county_handler_a,
        )  # fmt: skip
    assert InvestorCommitment.objects.get(pk=commitment.pk).status == Status.PENDING


def test_the_scan_raises_exactly_one_problem_and_is_idempotent(
    make_commitment, county_a, supervisor, django_capture_on_commit_callbacks
):
    today = timezone.localdate()
    overdue = make_commitment(county_a, committed_on=today - timedelta(days=90), due_on=today + timedelta(days=1))
    InvestorCommitment.objects.filter(pk=overdue.pk).update(due_on=today - timedelta(days=1))
    make_commitment(county_a)  # not yet due

    with django_capture_on_commit_callbacks(execute=True):
        assert scan_supervision(today=today)["overdue_commitments"] == 1
    assert scan_supervision(today=today)["overdue_commitments"] == 0
    assert scan_supervision(today=today + timedelta(days=1))["overdue_commitments"] == 0

    overdue.refresh_from_db()
    assert overdue.status == Status.OVERDUE
    problem = Problem.objects.get(source=Problem.Source.COMMITMENT)
    assert overdue.raised_problem == problem
    assert problem.unit == county_a
    assert problem.supervising_unit == supervisor.unit
    assert problem.source_reference == "投资合同第八条"


def test_an_overdue_commitment_may_still_be_fulfilled(make_commitment, county_a, county_handler_a):
    today = timezone.localdate()
    commitment = make_commitment(county_a)
    InvestorCommitment.objects.filter(pk=commitment.pk).update(due_on=today - timedelta(days=1))
    scan_supervision(today=today)
    commitment.refresh_from_db()

    services.fulfil_commitment(commitment=commitment, fulfilled_on=today, note="补兑现", evidence=_pdf(),
                               by=county_handler_a)  # fmt: skip

    assert InvestorCommitment.objects.get(pk=commitment.pk).status == Status.FULFILLED


def test_the_ledger_is_scoped_and_another_countys_commitment_is_a_404(
    client_for, make_commitment, county_a, county_b, county_handler_a, supervisor
):
    make_commitment(county_a, content="东城承诺")
    other = make_commitment(county_b, content="西城承诺")

    county_page = client_for(county_handler_a).get(reverse("supervision:commitment_list")).content.decode()
    office_page = client_for(supervisor).get(reverse("supervision:commitment_list")).content.decode()

    assert "东城承诺" in county_page
    assert "西城承诺" not in county_page
    assert "东城承诺" in office_page
    assert "西城承诺" in office_page
    detail = reverse("supervision:commitment_detail", args=[other.pk])
    assert client_for(county_handler_a).get(detail).status_code == 404


def test_the_list_filters_and_exports(client_for, make_commitment, county_a, supervisor):
    make_commitment(county_a, content="土地按协议价出让", kind="land_price")
    make_commitment(county_a, content="三年税收返还", kind="tax")
    client = client_for(supervisor)

    page = client.get(reverse("supervision:commitment_list"), {"kind": "tax"}).content.decode()
    export = client.get(reverse("supervision:commitment_list"), {"kind": "tax", "export": "xlsx"})

    assert "三年税收返还" in page
    assert "土地按协议价出让" not in page
    assert export.status_code == 200
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")
    empty = client.get(reverse("supervision:commitment_list"), {"q": "不存在"}).content.decode()
    assert "没有符合条件的政府承诺事项" in empty


@pytest.mark.parametrize("who", ["anonymous", "other_county", "unit", "office"])
def test_cancel_by_the_office_only(client, client_for, make_commitment, county_a, who, request):
    commitment = make_commitment(county_a)
    users = {"other_county": "county_handler_b", "unit": "county_handler_a", "office": "supervisor"}
    browser = client if who == "anonymous" else client_for(request.getfixturevalue(users[who]))

    response = browser.post(reverse("supervision:commitment_cancel", args=[commitment.pk]), {"reason": "合同解除"})

    assert response.status_code == {"anonymous": 302, "other_county": 404, "unit": 403, "office": 302}[who]
    cancelled = InvestorCommitment.objects.get(pk=commitment.pk).status == Status.CANCELLED
    assert cancelled == (who == "office")


def test_fulfil_through_the_page(client_for, make_commitment, county_a, county_handler_a):
    commitment = make_commitment(county_a)
    url = reverse("supervision:commitment_fulfil", args=[commitment.pk])
    data = {"fulfilled_on": timezone.localdate().isoformat(), "note": "已兑现", "evidence": _pdf()}

    response = client_for(county_handler_a).post(url, data)

    assert response.status_code == 302
    assert InvestorCommitment.objects.get(pk=commitment.pk).status == Status.FULFILLED


def test_the_create_form_speaks_chinese(client_for, supervisor, county_a):
    response = client_for(supervisor).post(
        reverse("supervision:commitment_create"),
        {"kind": "subsidy", "content": "", "unit": county_a.pk, "legal_basis": "", "committed_on": "2026-05-01",
         "due_on": "2026-04-01"},
    )  # fmt: skip

    page = response.content.decode()
    assert response.status_code == 200
    assert "请填写承诺内容。" in page
    assert "请填写承诺依据（如合同条款）。" in page
    assert "至少一项" in page
    assert "兑现时限不能早于承诺日期。" in page
    assert not InvestorCommitment.objects.exists()


def test_the_office_registers_through_the_page(client_for, supervisor, county_a, enterprise):
    response = client_for(supervisor).post(
        reverse("supervision:commitment_create"),
        {"enterprise": enterprise.pk, "kind": "subsidy", "content": "设备补贴500万元", "unit": county_a.pk,
         "legal_basis": "补充协议第三条", "committed_on": "2026-01-10", "due_on": "2026-12-31"},
    )  # fmt: skip

    commitment = InvestorCommitment.objects.get()
    assert response.status_code == 302
    assert commitment.unit == county_a
    assert commitment.created_by == supervisor
