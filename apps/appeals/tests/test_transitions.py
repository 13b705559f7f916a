"""The state machine: allowed moves per role each write exactly one event; forbidden ones change nothing."""

import pytest

from apps.appeals import permissions
from apps.appeals.models import Appeal, Event
from apps.appeals.models.appeals import State
from apps.appeals.services import transitions
from apps.appeals.services.duplicates import likely_duplicates
from apps.appeals.tests.conftest import at
from apps.core.errors import BusinessRuleError

pytestmark = pytest.mark.django_db


def _events(appeal) -> int:
    return Event.objects.filter(appeal=appeal).count()


def _refused(call, appeal) -> str:
    before = (_events(appeal), Appeal.objects.get(pk=appeal.pk).state)
    with pytest.raises(BusinessRuleError) as error:
        call()
    assert (_events(appeal), Appeal.objects.get(pk=appeal.pk).state) == before
    return error.value.message


def test_the_whole_loop_with_co_unit(dispatched, agent, housing_handler, market_handler):
    lead = dispatched.lead_assignment()
    co = dispatched.assignments.get(role="co")
    steps = [
        lambda: transitions.sign_for(appeal=dispatched, assignment=lead, by=housing_handler, now=at(2025, 9, 26, 11)),
        lambda: transitions.sign_for(appeal=dispatched, assignment=co, by=market_handler, now=at(2025, 9, 26, 11)),
        lambda: transitions.contact_appellant(
            appeal=dispatched, assignment=lead, note="电话联系", by=housing_handler, now=at(2025, 9, 26, 14)
        ),
        lambda: transitions.reply_appeal(
            appeal=dispatched,
            assignment=co,
            reply="已核查",
            legal_basis="《食品安全法》",
            approved_by="李科长",
            by=market_handler,
            now=at(2025, 9, 29),
        ),  # fmt: skip
        lambda: transitions.reply_appeal(
            appeal=dispatched,
            assignment=lead,
            reply="已修复",
            legal_basis="《城市道路管理条例》",
            approved_by="王局长",
            by=housing_handler,
            now=at(2025, 9, 30),
        ),  # fmt: skip
        lambda: transitions.follow_up_appeal(
            appeal=dispatched,
            solved="solved",
            satisfaction=5,
            unit_at_fault=False,
            note="",
            by=agent,
            now=at(2025, 10, 9),
        ),  # fmt: skip
    ]
    states = []
    for step in steps:
        count = _events(dispatched)
        step()
        assert _events(dispatched) == count + 1
        dispatched.refresh_from_db()
        states.append(dispatched.state)
    assert states == ["handling", "handling", "handling", "handling", "awaiting_follow_up", "resolved"]
    assert (dispatched.solved, dispatched.satisfaction, dispatched.closed_at) == ("solved", 5, at(2025, 10, 9))
    actions = list(dispatched.events.values_list("action", flat=True))
    assert actions == ["record", "accept", "dispatch", "sign_for", "sign_for", "contact", "reply", "reply", "follow_up"]


def test_lead_cannot_reply_before_its_co_units(dispatched, housing_handler):
    lead = dispatched.lead_assignment()
    transitions.sign_for(appeal=dispatched, assignment=lead, by=housing_handler, now=at(2025, 9, 26, 11))
    message = _refused(
        lambda: transitions.reply_appeal(
            appeal=dispatched,
            assignment=lead,
            reply="已修复",
            legal_basis="条例",
            approved_by="王局长",
            by=housing_handler,
            now=at(2025, 9, 30),
        ),  # fmt: skip
        dispatched,
    )
    assert message == "协办单位尚未全部答复，主办单位暂不能答复办结。"


def test_only_the_assigned_unit_signs_for(dispatched, market_handler, agent):
    lead = dispatched.lead_assignment()
    for person in (market_handler, agent):
        message = _refused(
            lambda person=person: transitions.sign_for(
                appeal=dispatched, assignment=lead, by=person, now=at(2025, 9, 27)
            ),
            dispatched,
        )
        assert message == "只有承办单位的经办人可以签收。"


def test_a_handler_cannot_dispatch_or_follow_up(make_appeal, agent, housing_handler, housing):
    appeal = make_appeal()
    _refused(lambda: transitions.accept_appeal(appeal=appeal, by=housing_handler, now=at(2025, 9, 26)), appeal)
    transitions.accept_appeal(appeal=appeal, by=agent, now=at(2025, 9, 26))
    message = _refused(
        lambda: transitions.dispatch_appeal(appeal=appeal, lead_unit=housing, by=housing_handler, now=at(2025, 9, 26)),
        appeal,
    )
    assert message == "您无权对该工单执行“派单”。"


def test_wrong_state_is_refused(make_appeal, agent, housing):
    appeal = make_appeal()
    message = _refused(
        lambda: transitions.dispatch_appeal(appeal=appeal, lead_unit=housing, by=agent, now=at(2025, 9, 26)), appeal
    )
    assert message == "工单当前状态为“已登记”，不能派单。"


def test_functional_matter_is_not_dispatched_to_a_town(make_appeal, agent, town_a):
    appeal = make_appeal()
    transitions.accept_appeal(appeal=appeal, by=agent, now=at(2025, 9, 26))
    message = _refused(
        lambda: transitions.dispatch_appeal(appeal=appeal, lead_unit=town_a, by=agent, now=at(2025, 9, 26)), appeal
    )
    assert message == "职能部门职责事项不得派往乡镇街道。"


def test_refuse_at_triage(make_appeal, agent):
    appeal = make_appeal()
    transitions.refuse_appeal(
        appeal=appeal, triage="transfer_110", note="涉及治安，已转110", by=agent, now=at(2025, 9, 26)
    )
    appeal.refresh_from_db()
    assert (appeal.state, appeal.triage, appeal.closed_at) == ("refused", "transfer_110", at(2025, 9, 26))


def test_return_approved_then_redispatched(dispatched, agent, housing_handler, housing):
    from apps.org.models import Unit

    other = Unit.objects.get(code="990101D01")
    lead = dispatched.lead_assignment()
    transitions.request_return(
        appeal=dispatched, assignment=lead, reason="不属本局职责", legal_basis="三定方案", by=housing_handler,
        now=at(2025, 9, 26, 11),
    )  # fmt: skip
    assert Appeal.objects.get(pk=dispatched.pk).state == State.RETURN_PENDING
    transitions.approve_return(appeal=dispatched, assignment=lead, note="同意", by=agent, now=at(2025, 9, 26, 14))
    assert Appeal.objects.get(pk=dispatched.pk).state == State.AWAITING_DISPATCH
    _refused(
        lambda: transitions.dispatch_appeal(appeal=dispatched, lead_unit=housing, by=agent, now=at(2025, 9, 26, 15)),
        dispatched,
    )
    transitions.dispatch_appeal(appeal=dispatched, lead_unit=other, by=agent, now=at(2025, 9, 29, 9))
    dispatched.refresh_from_db()
    assert dispatched.lead_assignment().unit == other
    assert dispatched.reply_due.replace(second=0) == at(2025, 10, 27, 23, 59)  # a fresh clock from 09-29


def test_return_rejected(dispatched, agent, housing_handler):
    lead = dispatched.lead_assignment()
    transitions.request_return(
        appeal=dispatched,
        assignment=lead,
        reason="不属本局",
        legal_basis="三定",
        by=housing_handler,
        now=at(2025, 9, 26, 11),
    )
    transitions.reject_return(
        appeal=dispatched, assignment=lead, note="属道路管养职责", by=agent, now=at(2025, 9, 26, 12)
    )
    dispatched.refresh_from_db()
    assert dispatched.state == State.AWAITING_SIGN_FOR
    assert list(dispatched.events.values_list("action", flat=True))[-2:] == ["request_return", "reject_return"]


def test_extension_beyond_the_maximum_is_refused(dispatched, housing_handler):
    lead = dispatched.lead_assignment()
    transitions.sign_for(appeal=dispatched, assignment=lead, by=housing_handler, now=at(2025, 9, 26, 11))
    dispatched.refresh_from_db()
    message = _refused(
        lambda: transitions.request_extension(
            appeal=dispatched, assignment=lead, days=11, reason="复杂", by=housing_handler, now=at(2025, 10, 9)
        ),
        dispatched,
    )
    assert message == "延期累计不得超过 10 个工作日（已批准 0 个）。"


def test_unsatisfied_by_fault_is_redone(dispatched, agent, housing_handler, market_handler):
    lead, co = dispatched.lead_assignment(), dispatched.assignments.get(role="co")
    for assignment, person in ((lead, housing_handler), (co, market_handler)):
        transitions.sign_for(appeal=dispatched, assignment=assignment, by=person, now=at(2025, 9, 26, 11))
        dispatched.refresh_from_db()
    for assignment, person in ((co, market_handler), (lead, housing_handler)):
        transitions.reply_appeal(
            appeal=dispatched, assignment=assignment, reply="答复", legal_basis="依据", approved_by="审核人",
            by=person, now=at(2025, 9, 29),
        )  # fmt: skip
        dispatched.refresh_from_db()
    transitions.follow_up_appeal(
        appeal=dispatched, solved="unsolved", satisfaction=2, unit_at_fault=True, note="路面仍未修复", by=agent,
        now=at(2025, 9, 30),
    )  # fmt: skip
    dispatched.refresh_from_db()
    assert (dispatched.state, dispatched.redo_count, dispatched.solved, dispatched.satisfaction) == (
        "handling", 1, "unsolved", 2,
    )  # fmt: skip
    assert dispatched.events.last().action == "redo"
    assert set(dispatched.assignments.values_list("state", flat=True)) == {"handling"}


def test_duplicates_suggested_and_merged(make_appeal, agent):
    master = make_appeal(now=at(2025, 9, 20))
    make_appeal(now=at(2025, 9, 21), title="噪音扰民", content="楼下商铺夜间噪音")
    repeat = make_appeal(now=at(2025, 9, 26), title="小区门口的道路破损", content="小区门口的道路破损很严重")
    found = likely_duplicates(
        category=repeat.category, text=repeat.title + repeat.content, phone=repeat.phone, now=at(2025, 9, 26, 11),
        exclude_pk=repeat.pk,
    )  # fmt: skip
    assert [candidate.appeal for candidate in found] == [master]
    transitions.merge_appeal(appeal=repeat, master=master, by=agent, now=at(2025, 9, 26, 11))
    repeat.refresh_from_db()
    assert (repeat.state, repeat.merged_into, list(master.merged.all())) == ("merged", master, [repeat])


def test_phone_and_id_number_masked_without_the_permission(dispatched, housing_handler, agent):
    masked = permissions.appellant_contact(housing_handler, dispatched)
    assert (masked.phone, masked.id_number, masked.masked) == ("138****5678", "110***********1234", True)
    full = permissions.appellant_contact(agent, dispatched)
    assert (full.phone, full.id_number) == ("13812345678", "110101199003071234")


def test_scope_lets_assigned_units_see_the_ticket(dispatched, housing_handler, officer_b):
    assert list(permissions.visible_appeals(housing_handler)) == [dispatched]
    assert list(permissions.visible_appeals(officer_b)) == []
