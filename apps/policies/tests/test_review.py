"""The review (回头看) on a hand-computed fixture, its scope, its filters, its export and its query count."""

import itertools
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from apps.enterprises.models import Enterprise
from apps.org import roles
from apps.org.tests.factories import UserFactory
from apps.policies.models import Fulfilment, Policy, PolicyItem, PolicyMatch
from apps.policies.services.review import build_review

pytestmark = pytest.mark.django_db
_numbers = itertools.count(1)


def at(day: date):
    return timezone.make_aware(datetime.combine(day, time(9)))


def case(item, enterprise, state, *, submitted=None, paid_on=None, proposed=None, approved=None, paid=None,
         step_due=None, channel="online", created=None) -> Fulfilment:  # fmt: skip
    fulfilment = Fulfilment.objects.create(
        number=f"ZX{next(_numbers):06d}", item=item, enterprise=enterprise, unit=item.department, channel=channel,
        state=state, submitted_at=at(submitted) if submitted else None, paid_on=paid_on,
        proposed_amount=proposed, approved_amount=approved, paid_amount=paid, step_due=step_due,
    )  # fmt: skip
    if created:
        Fulfilment.objects.filter(pk=fulfilment.pk).update(created_at=at(created))
    return fulfilment


def match(item, enterprise, current=True) -> None:
    now = timezone.now()
    PolicyMatch.objects.create(item=item, enterprise=enterprise, current=current, first_matched_at=now,
                               changed_at=now)  # fmt: skip


@pytest.fixture
def fixture(policy, item, enterprise, units):
    """The hand-computed table (amounts 万元, days = working days from submission to payment, March 2026 has no
    holiday: 3-02 → 3-09 is 5, 3-02 → 3-16 is 10, 3-02 → 3-04 is 2; "today" overdue = step_due before today).

    Enterprises E1 (the fixture's), E2, E3, E4. Matches (current): A: E1 E2 E3 (E4 no longer), B: E1 E2, C: E3.
    Cases:
      1 A E1 paid      submitted 2026-03-02 paid 03-09  proposed 100 approved 90 paid 90   (5 days)
      2 A E2 paid      submitted 2026-03-02 paid 03-16  proposed 50  approved 50 paid 50   (10 days)
      3 A E3 legal_review submitted 2026-04-01 proposed 30, step_due yesterday              (open, overdue)
      4 A E3 rejected  submitted 2026-03-10                                                   (E3 counted once)
      5 B E1 paid      免申即享, never submitted, opened 03-02, paid 03-04, 20/20/20           (2 days)
      6 B E2 submitted 2026-04-02, step_due in 5 days                                         (open, not overdue)
      7 A E4 rejected  submitted 2025-11-03 proposed 10                                        (not in year 2026)

    Year 2026:
      item | qualify | applied | paid | proposed | approved | paid | avg days | max | open | overdue
      A    |    3    |    3    |  2   |   180    |   140    | 140  |   7.5    | 10  |  1   |   1
      B    |    2    |    2    |  1   |    20    |    20    |  20  |   2.0    |  2  |  1   |   0
      C    |    1    |    0    |  0   |     0    |     0    |   0  |    —     |  —  |  0   |   0   无人申报
      P    |    3    |    3    |  2   |   200    |   160    | 160  |   5.7    | 10  |  2   |   1
    (P: distinct enterprises over its items — E1 paid on A and B counts once; days (5+10+2)/3 = 5.67.)
    All years: A applied 4 (E4), proposed 190; P applied 4.
    """
    e1 = enterprise
    e2, e3, e4 = (Enterprise.objects.create(name=f"示范市回头看企业{n}号") for n in (2, 3, 4))
    item_b = PolicyItem.objects.create(
        policy=policy, number="第四条", title="首台套奖励", benefit_kind="reward", benefit="奖励", beneficiaries="企业",
        conditions="首台套", department=units["industry"], auto_grant=True, position=2,
    )  # fmt: skip
    item_c = PolicyItem.objects.create(
        policy=policy, number="第五条", title="上市奖励", benefit_kind="reward", benefit="奖励", beneficiaries="企业",
        conditions="上市", department=units["industry"], position=3,
    )  # fmt: skip
    for target, enterprises in ((item, (e1, e2, e3)), (item_b, (e1, e2)), (item_c, (e3,))):
        for each in enterprises:
            match(target, each)
    match(item, e4, current=False)
    today = timezone.localdate()
    d = Decimal
    case(item, e1, "paid", submitted=date(2026, 3, 2), paid_on=date(2026, 3, 9), proposed=d(100), approved=d(90),
         paid=d(90))  # fmt: skip
    case(item, e2, "paid", submitted=date(2026, 3, 2), paid_on=date(2026, 3, 16), proposed=d(50), approved=d(50),
         paid=d(50))  # fmt: skip
    case(item, e3, "legal_review", submitted=date(2026, 4, 1), proposed=d(30), step_due=today - timedelta(days=1))
    case(item, e3, "rejected", submitted=date(2026, 3, 10))
    case(item_b, e1, "paid", channel="auto", created=date(2026, 3, 2), paid_on=date(2026, 3, 4), proposed=d(20),
         approved=d(20), paid=d(20))  # fmt: skip
    case(item_b, e2, "submitted", submitted=date(2026, 4, 2), step_due=today + timedelta(days=5))
    case(item, e4, "rejected", submitted=date(2025, 11, 3), proposed=d(10))
    return {"A": item, "B": item_b, "C": item_c}


def figures(f) -> tuple:
    return (f.qualified, f.applied, f.paid, f.proposed_amount, f.approved_amount, f.paid_amount, f.average_days,
            f.max_days, f.open, f.overdue)  # fmt: skip


def test_the_hand_computed_table(fixture, policy, policy_officer):
    review = build_review(policy_officer, year=2026)

    (row,) = [r for r in review.policies if r.policy == policy]
    by_title = {r.item.title: r for r in row.items}
    d = Decimal
    assert figures(by_title["技术改造补助"].figures) == (3, 3, 2, d(180), d(140), d(140), d("7.5"), 10, 1, 1)
    assert figures(by_title["首台套奖励"].figures) == (2, 2, 1, d(20), d(20), d(20), d("2.0"), 2, 1, 0)
    assert figures(by_title["上市奖励"].figures) == (1, 0, 0, d(0), d(0), d(0), None, None, 0, 0)
    assert figures(row.figures) == (3, 3, 2, d(200), d(160), d(160), d("5.7"), 10, 2, 1)
    assert [r.item.title for r in row.items if r.unapplied] == ["上市奖励"]
    assert row.unapplied_items == 1


def test_without_the_year_the_older_case_counts(fixture, policy, policy_officer):
    (row,) = build_review(policy_officer).policies

    assert (row.items[0].figures.applied, row.items[0].figures.proposed_amount) == (4, Decimal(190))
    assert row.figures.applied == 4


def test_the_review_counts_only_the_cases_the_user_reads(fixture, county_b):
    outsider = UserFactory(username="admin_b", name="西城营商办", unit=county_b, roles=[roles.COUNTY_ADMIN])

    (row,) = build_review(outsider).policies

    assert (row.figures.applied, row.figures.paid, row.figures.paid_amount) == (0, 0, Decimal(0))


def test_filters_by_issuing_unit_and_state(fixture, policy, policy_officer, units):
    Policy.objects.create(
        title="东城区配套", document_number="东政发〔2026〕1号", issuing_unit=units["industry_a"],
        issued_on=date(2026, 1, 1), effective_from=date(2026, 1, 1),
    )  # fmt: skip

    assert [r.policy.title for r in build_review(policy_officer, issuing_unit=units["industry_a"]).policies] == [
        "东城区配套"
    ]
    assert [r.policy.title for r in build_review(policy_officer, state="draft").policies] == ["东城区配套"]


def test_review_pages_and_workbook(client_for, fixture, policy, policy_officer):
    client = client_for(policy_officer)

    page = client.get(reverse("policies:review"), {"year": 2026})
    assert page.status_code == 200
    detail = client.get(reverse("policies:review_policy", args=[policy.pk]), {"year": 2026})
    assert 'data-testid="unapplied"' in detail.content.decode()
    export = client.get(reverse("policies:review"), {"year": 2026, "export": "xlsx"})
    workbook = load_workbook(BytesIO(export.content))
    assert workbook.sheetnames == ["政策汇总", "条款明细"]
    summary = list(workbook["政策汇总"].iter_rows(min_row=2, values_only=True))
    assert summary[0][:10] == (policy.title, "示政发〔2026〕8号", "主政策（“1”）", "市发展和改革委员会", "有效", 3, 1, 3,
                               3, 2)  # fmt: skip
    items = list(workbook["条款明细"].iter_rows(min_row=2, values_only=True))
    assert [(row[3], row[6]) for row in items] == [("技术改造补助", None), ("首台套奖励", None), ("上市奖励", "是")]


def test_a_department_handler_may_not_open_the_review(client_for, reviewer):
    assert client_for(reviewer).get(reverse("policies:review")).status_code == 403


def test_query_count_does_not_grow_with_items_and_cases(policy, item, enterprise, policy_officer, units,
                                                        count_queries):  # fmt: skip
    case(item, enterprise, "paid", submitted=date(2026, 3, 2), paid_on=date(2026, 3, 9), paid=Decimal(1))
    build_review(policy_officer)
    one = count_queries(lambda: build_review(policy_officer))
    for n in range(6):
        extra = PolicyItem.objects.create(
            policy=policy, number=f"第{n}条", title=f"条款{n}", benefit_kind="reward", benefit="b", beneficiaries="b",
            conditions="c", department=units["industry"],
        )  # fmt: skip
        other = Enterprise.objects.create(name=f"回头看企业{n}")
        case(extra, other, "paid", submitted=date(2026, 3, 2), paid_on=date(2026, 3, 9), paid=Decimal(1))
        match(extra, other)
    assert count_queries(lambda: build_review(policy_officer)) == one


def test_one_policys_review_and_its_workbook(client_for, fixture, policy, policy_officer):
    client = client_for(policy_officer)
    url = reverse("policies:review_policy", args=[policy.pk])

    page = client.get(url, {"year": 2025})
    assert [row.figures.applied for row in page.context["row"].items] == [1, 0, 0]  # only E4's 2025 case
    export = client.get(url, {"year": 2026, "export": "xlsx"})
    items = list(load_workbook(BytesIO(export.content))["条款明细"].iter_rows(min_row=2, values_only=True))
    assert [row[7:13] for row in items][0] == (3, 3, 2, 180, 140, 140)
