"""The supervision ledgers through the API, read only and in the pages' scope."""

from datetime import date

from apps.enterprises.tests.factories import make_enterprise
from apps.supervision.models import CreditEntry, InvestorCommitment, Problem


def _problem(unit, title):
    return Problem.objects.create(
        code=f"ZG2026-{Problem.objects.count():04d}", title=title, source=Problem.Source.INSPECTION, unit=unit,
        supervising_unit=unit, due_on=date(2026, 12, 31),
    )  # fmt: skip


def test_problems_of_the_scope_only(api_a, county_a, county_b):
    own, foreign = _problem(county_a, "东城的问题"), _problem(county_b, "西城的问题")

    listed = api_a.get("/api/v1/ledgers/problems/").json()["results"]

    assert [p["title"] for p in listed] == ["东城的问题"]
    assert api_a.get(f"/api/v1/ledgers/problems/{own.pk}/").status_code == 200
    assert api_a.get(f"/api/v1/ledgers/problems/{foreign.pk}/").status_code == 404
    assert api_a.get("/api/v1/ledgers/problems/", {"due_before": "2026-01-01"}).json()["count"] == 0


def test_commitments_of_the_scope_only(api_a, county_a, county_b):
    enterprise = make_enterprise("承诺对象有限公司")
    for unit, content in ((county_a, "东城的承诺"), (county_b, "西城的承诺")):
        InvestorCommitment.objects.create(
            enterprise=enterprise, kind=InvestorCommitment.Kind.SUBSIDY, content=content, unit=unit,
            supervising_unit=unit, committed_on=date(2026, 1, 1), due_on=date(2026, 12, 31),
        )  # fmt: skip

    listed = api_a.get("/api/v1/ledgers/commitments/").json()["results"]

    assert [c["content"] for c in listed] == ["东城的承诺"]


def test_credit_lists_are_city_wide_with_their_state(api_a, county_b):
    enterprise = make_enterprise("失信样本有限公司")
    CreditEntry.objects.create(
        enterprise=enterprise, kind="black", source="court", reason="拒不履行", legal_basis="民事诉讼法",
        document_number="（2026）示执1号", decided_on=date(2026, 1, 5), effective_from=date(2026, 1, 5),
        recording_unit=county_b,
    )  # fmt: skip

    listed = api_a.get("/api/v1/ledgers/credit/", {"kind": "black"}).json()["results"]

    assert [(e["enterprise_name"], e["state"]) for e in listed] == [("失信样本有限公司", "in_force")]
    assert api_a.get("/api/v1/ledgers/credit/", {"state": "repaired"}).json()["count"] == 0


def test_ledgers_cannot_be_written(api_a):
    response = api_a.post("/api/v1/ledgers/problems/", {"title": "x"}, format="json")

    assert response.status_code == 405
    assert response.json() == {"detail": "方法 “POST” 不被允许。"}


def test_the_ledger_lists_make_the_same_queries_for_more_rows(api_a, county_a, count_queries):
    enterprise = make_enterprise("台账企业有限公司")
    api_a.get("/api/v1/ledgers/problems/")

    def add_and_list(n):
        for i in range(n):
            _problem(county_a, f"问题{i}")
            CreditEntry.objects.create(
                enterprise=enterprise, kind="red", source="tax_a", reason="A级", legal_basis="纳税信用管理办法",
                document_number=f"A{n}-{i}", decided_on=date(2026, 1, 5), effective_from=date(2026, 1, 5),
                recording_unit=county_a,
            )  # fmt: skip
        return lambda: (api_a.get("/api/v1/ledgers/problems/"), api_a.get("/api/v1/ledgers/credit/"))

    assert count_queries(add_and_list(2)) == count_queries(add_and_list(6))
