"""Follow-up beyond the closing call: the expiry scan and call (超期回访), merged tickets' appellants (并单回访),
the later re-check (复查回访) — each move by the right role with one event, the scans idempotent under time
travel — and the worklist page."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse

from apps.appeals.models import Appeal, Callback, Event, TimeLimitPolicy
from apps.appeals.models.appeals import State
from apps.appeals.models.process import Action
from apps.appeals.services import follow_ups, transitions
from apps.appeals.services.transitions import OFFICE, SYSTEM, TRANSITIONS
from apps.appeals.tests.conftest import at
from apps.appeals.views.public import public_reply
from apps.core import scans
from apps.core.errors import BusinessRuleError
from apps.org import roles
from apps.org.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

CALL = {"solved": "unsolved", "satisfaction": 3, "note": "诉求人说还在等"}
REPLY = {"reply": "已修复", "legal_basis": "《城市道路管理条例》", "approved_by": "王局长"}


def _actions(appeal) -> list[str]:
    return list(Event.objects.filter(appeal=appeal).order_by("pk").values_list("action", flat=True))


def _refused(call, appeal) -> str:
    before = (Event.objects.filter(appeal=appeal).count(), Appeal.objects.get(pk=appeal.pk).state)
    with pytest.raises(BusinessRuleError) as error:
        call()
    assert (Event.objects.filter(appeal=appeal).count(), Appeal.objects.get(pk=appeal.pk).state) == before
    return error.value.message


@pytest.fixture
def agent_b(county_b):
    """A hotline agent of another county: may follow up, but not this city hotline's tickets."""
    return UserFactory(username="agent_b", name="西城坐席", unit=county_b, roles=[roles.HOTLINE_AGENT])


@pytest.fixture
def handling(dispatched, housing_handler, market_handler):
    """Signed for by both units on Friday 2025-09-26; the reply is due at the end of 2025-10-23 (15 working days,
    Sun 09-28 and Sat 10-11 make-up working days, the National Day holiday 10-01…10-08 not)."""
    for assignment, handler in ((dispatched.lead_assignment(), housing_handler), (None, market_handler)):
        assignment = assignment or dispatched.assignments.get(role="co")
        transitions.sign_for(appeal=dispatched, assignment=assignment, by=handler, now=at(2025, 9, 26, 11))
    dispatched.refresh_from_db()
    return dispatched


def _reply(appeal, housing_handler, market_handler, now):
    co = appeal.assignments.get(role="co")
    transitions.reply_appeal(appeal=appeal, assignment=co, by=market_handler, now=now, **REPLY)
    transitions.reply_appeal(appeal=appeal, assignment=appeal.lead_assignment(), by=housing_handler, now=now, **REPLY)
    appeal.refresh_from_db()


def test_the_table_has_the_new_moves_and_offers_no_system_move(handling, agent):
    assert TRANSITIONS[Action.EXPIRED].actor == SYSTEM
    assert TRANSITIONS[Action.RECHECK_DUE].actor == SYSTEM
    assert TRANSITIONS[Action.MASTER_REPLIED].actor == SYSTEM
    assert {TRANSITIONS[a].actor for a in (Action.EXPIRY_FOLLOW_UP, Action.FOLLOW_UP_MERGED, Action.RECHECK)} == {
        OFFICE
    }
    assert Action.EXPIRED not in transitions.allowed_actions_for(handling, agent)
    assert Action.EXPIRY_FOLLOW_UP in transitions.allowed_actions_for(handling, agent)


# ---- 超期回访 -----------------------------------------------------------------------------------------------


def test_the_expiry_scan_marks_once_per_due_date(handling):
    assert handling.reply_due == at(2025, 10, 23, 23, 59).replace(second=59)
    with time_machine.travel(at(2025, 10, 23, 18), tick=False):
        assert follow_ups.scan_expired() == 0
    with time_machine.travel(at(2025, 10, 24, 9), tick=False):
        assert follow_ups.scan_expired() == 1
        events = Event.objects.count()
        assert follow_ups.scan_expired() == 0
    with time_machine.travel(at(2025, 10, 30, 9), tick=False):
        assert follow_ups.scan_expired() == 0
    assert Event.objects.count() == events
    handling.refresh_from_db()
    assert (handling.state, handling.expiry_follow_up_pending, handling.expired_for) == (
        State.HANDLING, True, handling.reply_due,
    )  # fmt: skip
    event = Event.objects.get(appeal=handling, action=Action.EXPIRED)
    assert (event.actor, event.from_state, event.to_state) == (None, State.HANDLING, State.HANDLING)
    assert "2025年10月23日" in event.note


def test_a_paused_ticket_is_not_marked(handling, housing_handler):
    lead = handling.lead_assignment()
    transitions.pause_clock(appeal=handling, assignment=lead, reason="等材料", by=housing_handler, now=at(2025, 10, 20))
    assert follow_ups.scan_expired(now=at(2025, 10, 27, 9)) == 0


def test_the_expiry_call_is_recorded_and_the_unit_keeps_handling(handling, agent, housing_handler, agent_b):
    follow_ups.scan_expired(now=at(2025, 10, 24, 9))
    handling.refresh_from_db()
    call = lambda by: follow_ups.follow_up_expired(appeal=handling, by=by, now=at(2025, 10, 24, 10), **CALL)  # noqa: E731
    assert "无权" in _refused(lambda: call(housing_handler), handling)
    assert "无权" in _refused(lambda: call(agent_b), handling)

    call(agent)

    handling.refresh_from_db()
    assert (handling.state, handling.expiry_follow_up_pending) == (State.HANDLING, False)
    assert _actions(handling)[-2:] == [Action.EXPIRED, Action.EXPIRY_FOLLOW_UP]
    callback = Callback.objects.get(appeal=handling)
    assert (callback.kind, callback.solved, callback.satisfaction, callback.by) == ("expiry", "unsolved", 3, agent)
    assert "不在超期回访名单" in _refused(lambda: call(agent), handling)


def test_a_reply_takes_the_ticket_off_the_expiry_list(handling, housing_handler, market_handler):
    follow_ups.scan_expired(now=at(2025, 10, 24, 9))
    _reply(handling, housing_handler, market_handler, at(2025, 10, 24, 15))
    assert (handling.state, handling.expiry_follow_up_pending) == (State.AWAITING_FOLLOW_UP, False)
    assert not follow_ups.awaiting_expiry_follow_up(Appeal.objects.all()).exists()


def test_a_redo_that_expires_again_is_marked_again(handling, agent, housing_handler, market_handler):
    follow_ups.scan_expired(now=at(2025, 10, 24, 9))
    _reply(handling, housing_handler, market_handler, at(2025, 10, 24, 15))
    transitions.follow_up_appeal(
        appeal=handling, solved="unsolved", satisfaction=2, unit_at_fault=True, note="", by=agent,
        now=at(2025, 10, 27, 10),
    )  # fmt: skip
    handling.refresh_from_db()
    assert follow_ups.scan_expired(now=handling.reply_due - timedelta(hours=1)) == 0
    assert follow_ups.scan_expired(now=handling.reply_due + timedelta(hours=10)) == 1
    assert _actions(handling).count(Action.EXPIRED) == 2


# ---- 并单回访 -----------------------------------------------------------------------------------------------


@pytest.fixture
def merged(make_appeal, agent, housing, market):
    """Two repeats merged into a master that is dispatched at once."""
    master = make_appeal(now=at(2025, 9, 26, 10))
    repeats = [make_appeal(now=at(2025, 9, 26, 10 + i), citizen_name=f"诉求人{i}") for i in (1, 2)]
    for appeal in (master, *repeats):
        transitions.accept_appeal(appeal=appeal, by=agent, now=at(2025, 9, 26, 13))
    for repeat in repeats:
        transitions.merge_appeal(appeal=repeat, master=master, by=agent, now=at(2025, 9, 26, 14))
    transitions.dispatch_appeal(appeal=master, lead_unit=housing, co_units=[market], by=agent, now=at(2025, 9, 26, 15))
    master.refresh_from_db()
    return master, repeats


def test_the_masters_reply_reaches_every_merged_ticket(merged, agent, housing_handler, market_handler):
    master, repeats = merged
    call = lambda: follow_ups.follow_up_merged(appeal=repeats[0], by=agent, now=at(2025, 9, 30), **CALL)  # noqa: E731
    assert "尚未答复" in _refused(call, repeats[0])
    for assignment, handler in ((master.lead_assignment(), housing_handler), (None, market_handler)):
        assignment = assignment or master.assignments.get(role="co")
        transitions.sign_for(appeal=master, assignment=assignment, by=handler, now=at(2025, 9, 29, 9))

    _reply(master, housing_handler, market_handler, at(2025, 9, 29, 15))

    for repeat in repeats:
        assert _actions(repeat)[-1] == Action.MASTER_REPLIED
        repeat.refresh_from_db()
        assert public_reply(repeat) == "已修复"
    assert set(follow_ups.awaiting_merged_follow_up(Appeal.objects.all())) == set(repeats)


def test_each_merged_appellant_gets_their_own_call(merged, agent, agent_b, housing_handler, market_handler):
    master, repeats = merged
    for assignment, handler in ((master.lead_assignment(), housing_handler), (None, market_handler)):
        assignment = assignment or master.assignments.get(role="co")
        transitions.sign_for(appeal=master, assignment=assignment, by=handler, now=at(2025, 9, 29, 9))
    _reply(master, housing_handler, market_handler, at(2025, 9, 29, 15))
    call = lambda by: follow_ups.follow_up_merged(appeal=repeats[0], by=by, now=at(2025, 9, 30), **CALL)  # noqa: E731
    assert "无权" in _refused(lambda: call(housing_handler), repeats[0])
    assert "无权" in _refused(lambda: call(agent_b), repeats[0])

    call(agent)

    repeats[0].refresh_from_db()
    assert (repeats[0].state, repeats[0].solved, repeats[0].satisfaction) == (State.MERGED, "unsolved", 3)
    assert _actions(repeats[0])[-1] == Action.FOLLOW_UP_MERGED
    assert list(follow_ups.awaiting_merged_follow_up(Appeal.objects.all())) == [repeats[1]]
    assert "已回访" in _refused(lambda: call(agent), repeats[0])


def test_the_query_page_of_a_merged_ticket_shows_the_masters_reply(client, merged, housing_handler, market_handler):
    master, repeats = merged
    for assignment, handler in ((master.lead_assignment(), housing_handler), (None, market_handler)):
        assignment = assignment or master.assignments.get(role="co")
        transitions.sign_for(appeal=master, assignment=assignment, by=handler, now=at(2025, 9, 29, 9))
    _reply(master, housing_handler, market_handler, at(2025, 9, 29, 15))
    page = client.get(reverse("appeals:query"), {"number": repeats[1].number, "code": repeats[1].query_code})
    assert "已修复" in page.content.decode()


# ---- 复查回访 -----------------------------------------------------------------------------------------------


@pytest.fixture
def resolved(handling, agent, housing_handler, market_handler):
    """Replied 2025-10-09 and followed up as solved on Friday 2025-10-10 at 10:00."""
    _reply(handling, housing_handler, market_handler, at(2025, 10, 9, 15))
    transitions.follow_up_appeal(
        appeal=handling, solved="solved", satisfaction=5, unit_at_fault=False, note="", by=agent,
        now=at(2025, 10, 10, 10),
    )  # fmt: skip
    handling.refresh_from_db()
    return handling


def test_a_solved_follow_up_schedules_the_recheck_20_working_days_later(resolved):
    # Sat 10-11 is a make-up working day: 10-11, 10-13…17, 10-20…24, 10-27…31, 11-03, 11-04 → the 20th is 11-06
    assert resolved.recheck_due == at(2025, 11, 6, 23, 59).replace(second=59)


def test_no_recheck_when_not_solved_or_switched_off(handling, agent, housing_handler, market_handler):
    TimeLimitPolicy.objects.filter(pk=handling.policy_id).update(recheck_days=0)
    _reply(handling, housing_handler, market_handler, at(2025, 10, 9, 15))
    transitions.follow_up_appeal(
        appeal=handling, solved="solved", satisfaction=5, unit_at_fault=False, note="", by=agent, now=at(2025, 10, 10)
    )
    handling.refresh_from_db()
    assert handling.recheck_due is None


def test_the_recheck_scan_lists_once(resolved):
    with time_machine.travel(at(2025, 11, 6, 12), tick=False):
        assert follow_ups.scan_rechecks() == 0
    with time_machine.travel(at(2025, 11, 7, 9), tick=False):
        assert follow_ups.scan_rechecks() == 1
        events = Event.objects.count()
        assert follow_ups.scan_rechecks() == 0
    with time_machine.travel(at(2025, 12, 1, 9), tick=False):
        assert follow_ups.scan_rechecks() == 0
    assert Event.objects.count() == events
    assert _actions(resolved)[-1] == Action.RECHECK_DUE
    assert list(follow_ups.awaiting_recheck(Appeal.objects.all())) == [resolved]


def test_still_solved_is_recorded(resolved, agent, housing_handler):
    call = lambda by: follow_ups.record_recheck(appeal=resolved, still_solved=True, note="", by=by, now=at(2025, 11, 7))  # noqa: E731
    assert "不在复查回访名单" in _refused(lambda: call(agent), resolved)
    follow_ups.scan_rechecks(now=at(2025, 11, 7, 9))
    resolved.refresh_from_db()
    assert "无权" in _refused(lambda: call(housing_handler), resolved)

    call(agent)

    resolved.refresh_from_db()
    assert (resolved.state, resolved.rechecked_at) == (State.RESOLVED, at(2025, 11, 7))
    assert _actions(resolved)[-1] == Action.RECHECK
    assert Callback.objects.get(appeal=resolved).still_solved is True
    assert not follow_ups.awaiting_recheck(Appeal.objects.all()).exists()


def test_came_back_reopens_as_a_redo(resolved, agent):
    follow_ups.scan_rechecks(now=at(2025, 11, 7, 9))
    resolved.refresh_from_db()
    assert "请记录" in _refused(
        lambda: follow_ups.record_recheck(appeal=resolved, still_solved=False, note=" ", by=agent, now=at(2025, 11, 7)),
        resolved,
    )

    follow_ups.record_recheck(appeal=resolved, still_solved=False, note="路面又塌了", by=agent, now=at(2025, 11, 7, 10))

    resolved.refresh_from_db()
    assert (resolved.state, resolved.redo_count, resolved.closed_at) == (State.HANDLING, 1, None)
    assert resolved.reply_due == at(2025, 11, 28, 23, 59).replace(second=59)
    assert set(resolved.assignments.values_list("state", flat=True)) == {"handling"}
    assert _actions(resolved)[-1] == Action.REOPEN


def test_the_scans_are_registered():
    assert {"appeals_expiry_follow_up", "appeals_recheck"} <= set(scans.names())


# ---- the worklist page and the ticket page --------------------------------------------------------------


def test_the_worklist_lists_every_kind_of_call(client_for, agent, merged, make_appeal, housing_handler, market_handler):
    master, repeats = merged
    for assignment, handler in ((master.lead_assignment(), housing_handler), (None, market_handler)):
        assignment = assignment or master.assignments.get(role="co")
        transitions.sign_for(appeal=master, assignment=assignment, by=handler, now=at(2025, 9, 29, 9))
    _reply(master, housing_handler, market_handler, at(2025, 9, 29, 15))
    client = client_for(agent)
    page = client.get(reverse("appeals:follow_up_list")).content.decode()
    for appeal in (master, *repeats):
        assert appeal.number in page
    assert page.count('data-kind="merged"') == 2
    assert page.count('data-kind="reply"') == 1
    merged_only = client.get(reverse("appeals:follow_up_list"), {"kind": "merged"}).content.decode()
    assert (merged_only.count('data-kind="merged"'), merged_only.count('data-kind="reply"')) == (2, 0)
    export = client.get(reverse("appeals:follow_up_list"), {"export": "xlsx"})
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "没有待回访的工单" in client.get(reverse("appeals:follow_up_list"), {"kind": "recheck"}).content.decode()


def test_the_worklist_is_for_the_hotline_and_scoped(client_for, housing_handler, agent_b, merged):
    assert client_for(housing_handler).get(reverse("appeals:follow_up_list")).status_code == 403
    page = client_for(agent_b).get(reverse("appeals:follow_up_list")).content.decode()
    assert merged[0].number not in page


def test_the_ticket_page_offers_the_expiry_call_and_records_it(client_for, agent, handling):
    follow_ups.scan_expired(now=at(2025, 10, 24, 9))
    client = client_for(agent)
    detail = reverse("appeals:detail", kwargs={"pk": handling.pk})
    assert 'id="action-expiry_follow_up"' in client.get(detail).content.decode()
    url = reverse("appeals:act", kwargs={"pk": handling.pk, "action": "expiry_follow_up"})
    assert client.post(url, {"solved": "partly", "satisfaction": "4", "note": "正在处理"}).status_code == 302
    page = client.get(detail).content.decode()
    assert 'data-testid="callbacks"' in page
    assert 'id="action-expiry_follow_up"' not in page
    assert client.post(url, {"solved": "partly", "satisfaction": "4"}).status_code == 403


def test_the_ticket_page_records_the_recheck(client_for, agent, resolved):
    follow_ups.scan_rechecks(now=at(2025, 11, 7, 9))
    client = client_for(agent)
    url = reverse("appeals:act", kwargs={"pk": resolved.pk, "action": "recheck"})
    assert client.post(url, {"answer": "came_back", "note": "又坏了"}).status_code == 302
    resolved.refresh_from_db()
    assert resolved.state == State.HANDLING


def test_the_worklist_runs_a_fixed_number_of_queries(client_for, agent, make_appeal, count_queries):
    client = client_for(agent)

    def add(count):
        for _ in range(count):
            appeal = make_appeal()
            Appeal.objects.filter(pk=appeal.pk).update(state=State.AWAITING_FOLLOW_UP)

    add(2)
    few = count_queries(lambda: client.get(reverse("appeals:follow_up_list")))
    add(6)
    assert count_queries(lambda: client.get(reverse("appeals:follow_up_list"))) == few
