"""Overdue cases: the daily scan's notices, the home page's pending items, two payments at the same moment."""

import threading
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import close_old_connections, connection
from django.utils import timezone

from apps.core import scans
from apps.core.models import Notice
from apps.core.pending import pending_for
from apps.core.workdays import add_working_days
from apps.enterprises.models import Enterprise
from apps.policies.models import Fulfilment, FulfilmentState
from apps.policies.services import fulfilment as services
from apps.policies.services.fulfilment_scan import DUE_SOON, OVERDUE, scan_fulfilments
from apps.policies.tests.fulfilment_helpers import (
    pay_fields,
    submit_at_window,
    submit_online,
    to_awaiting_payment,
    to_legal_review,
)


def set_due(case, days: int) -> None:
    """Move the case's step limit ``days`` calendar days from today (negative: overdue)."""
    Fulfilment.objects.filter(pk=case.pk).update(step_due=timezone.localdate() + timedelta(days=days))


def notices_of(user) -> list[str]:
    return list(Notice.objects.filter(recipient=user).values_list("key", flat=True))


@pytest.mark.django_db
def test_an_overdue_case_tells_the_departments_reviewers_once(item, portal_user, reviewer, reviewer_a, legal_reviewer):
    case = submit_online(item, portal_user)
    set_due(case, -3)

    assert scan_fulfilments() == {OVERDUE: 1, DUE_SOON: 0}
    assert scan_fulfilments() == {OVERDUE: 0, DUE_SOON: 0}

    case.refresh_from_db()
    assert notices_of(reviewer) == [f"policies.fulfilment.{case.pk}.submitted.{case.step_due:%Y%m%d}.overdue"]
    assert "已逾期" in Notice.objects.get(recipient=reviewer).title
    assert notices_of(reviewer_a) == []
    assert notices_of(legal_reviewer) == []


@pytest.mark.django_db
def test_the_legal_office_and_the_window_are_told_at_their_steps(
    item, portal_user, enterprise, reviewer, legal_reviewer, window_officer, policy
):
    legal_case = to_legal_review(submit_online(item, portal_user), reviewer)
    set_due(legal_case, 0)  # due today: within two working days
    other = Enterprise.objects.create(name="兑付测试企业", uscc="91990100MA0000003X")
    paying = to_awaiting_payment(submit_at_window(item, other, window_officer), reviewer, legal_reviewer)
    set_due(paying, -1)

    sent = scan_fulfilments()

    assert sent == {OVERDUE: 1, DUE_SOON: 1}
    assert [key.split(".")[3:] for key in notices_of(legal_reviewer)] == [
        ["legal_review", f"{timezone.localdate():%Y%m%d}", "due_soon"]
    ]
    assert [key.split(".")[3] for key in notices_of(window_officer)] == ["awaiting_payment"]
    assert notices_of(reviewer) == []


@pytest.mark.django_db
def test_a_case_far_from_its_limit_or_closed_is_left_alone(item, portal_user, reviewer):
    case = submit_online(item, portal_user)
    set_due(case, 30)
    rejected = services.move(case, "reject", by=reviewer, note="不符合")
    Fulfilment.objects.filter(pk=rejected.pk).update(step_due=timezone.localdate() - timedelta(days=9))

    assert scan_fulfilments() == {OVERDUE: 0, DUE_SOON: 0}


@pytest.mark.django_db
def test_a_new_step_is_told_afresh(item, portal_user, reviewer, legal_reviewer):
    case = submit_online(item, portal_user)
    set_due(case, -1)
    scan_fulfilments()
    case = to_legal_review(case, reviewer)
    case = services.move(case, "send_back", by=legal_reviewer, note="请补充依据")
    Fulfilment.objects.filter(pk=case.pk).update(step_due=timezone.localdate() - timedelta(days=2))

    assert scan_fulfilments()[OVERDUE] == 1
    assert len(notices_of(reviewer)) == 2


@pytest.mark.django_db
def test_the_scan_is_registered_and_says_what_it_did(item, portal_user, reviewer):
    set_due(submit_online(item, portal_user), -1)

    assert scans.run_scan("policies_fulfilment") == "兑现件逾期提醒 1；即将到期提醒 0"


@pytest.mark.django_db
def test_the_scan_makes_the_same_queries_for_one_case_or_many(count_queries, item, portal_user, reviewer, policy):
    set_due(submit_online(item, portal_user), -1)
    one = count_queries(scan_fulfilments)
    for n in range(5):
        enterprise = Enterprise.objects.create(name=f"逾期企业{n}")
        Fulfilment.objects.create(
            number=f"ZC1999{n:06d}", item=item, enterprise=enterprise, unit=item.department, channel="window",
            state="submitted", step_due=timezone.localdate() - timedelta(days=2),
        )  # fmt: skip

    assert count_queries(scan_fulfilments) == one


# ---- pending items --------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_home_page_counts_each_step_and_its_overdue_cases(
    item, portal_user, enterprise, reviewer, reviewer_b, legal_reviewer, window_officer
):
    first = submit_online(item, portal_user)
    set_due(first, -1)
    other = Enterprise.objects.create(name="第二家企业", uscc="91990100MA0000004X")
    to_legal_review(submit_at_window(item, other, window_officer), reviewer)

    assert [(p.title, p.count, p.level) for p in pending_for(reviewer)] == [
        ("待审核兑现申请 1 件（逾期 1）", 1, "danger")
    ]
    assert [(p.title, p.level) for p in pending_for(legal_reviewer)] == [("待法制审核兑现件 1 件（逾期 0）", "warning")]
    assert pending_for(window_officer) == []
    assert pending_for(reviewer_b) == []
    assert pending_for(portal_user) == []
    assert pending_for(reviewer)[0].url.endswith("?queue=review")


@pytest.mark.django_db
def test_the_window_sees_the_cases_awaiting_payment(item, portal_user, reviewer, legal_reviewer, window_officer):
    to_awaiting_payment(submit_online(item, portal_user), reviewer, legal_reviewer)

    assert [p.title for p in pending_for(window_officer)] == ["待兑付兑现件 1 件（逾期 0）"]


# ---- two people at once (PostgreSQL) --------------------------------------------------------


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_payments_at_the_same_moment_exactly_one_wins(item, portal_user, reviewer, legal_reviewer, window_officer):
    case = to_awaiting_payment(submit_online(item, portal_user), reviewer, legal_reviewer)
    barrier = threading.Barrier(2)
    results, errors = [], []

    def pay():
        try:
            stale = Fulfilment.objects.get(pk=case.pk)  # each loaded it before the other paid
            barrier.wait()
            results.append(services.move(stale, "pay", by=window_officer, **pay_fields(Decimal("150"))))
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=pay) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len(results) == 1
    assert [str(error) for error in errors] == ["该兑现件刚被他人处理（现为“已兑付”），请刷新后查看。"]
    assert Fulfilment.objects.get(pk=case.pk).state == FulfilmentState.PAID
    assert Fulfilment.objects.get(pk=case.pk).events.filter(action="pay").count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_applications_at_the_same_moment_make_one_case(item, portal_user, enterprise, window_officer):
    barrier = threading.Barrier(2)
    errors = []

    def apply(by):
        try:
            barrier.wait()
            if by is portal_user:
                submit_online(item, portal_user)
            else:
                submit_at_window(item, enterprise, window_officer)
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=apply, args=(by,)) for by in (portal_user, window_officer)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert Fulfilment.objects.filter(item=item, enterprise=enterprise).count() == 1
    assert len(errors) == 1
    assert "正在办理的兑现件" in str(errors[0])


def test_the_limit_of_a_step_is_counted_in_working_days(db, item):
    today = timezone.localdate()
    case = Fulfilment(item=item)

    assert services.step_values(case, FulfilmentState.LEGAL_REVIEW, today)["step_due"] == add_working_days(
        today, item.legal_days
    )
    assert services.step_values(case, FulfilmentState.RETURNED, today)["step_due"] is None
