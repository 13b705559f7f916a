"""Credit red/black lists: the entry rules, the computed states and expiry, the effects (screening, policy
fulfilment, the pages) and their log, and the repair by a second person."""

from datetime import timedelta

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from apps.core.errors import BusinessRuleError
from apps.investment.models import ScreeningResult, ScreeningRule
from apps.investment.tests.factories import lead
from apps.org import roles
from apps.org.tests.factories import UserFactory
from apps.supervision.models import (
    CreditEffect,
    CreditEffectLog,
    CreditEffectRule,
    CreditEntry,
    CreditPlace,
    CreditRepair,
    CreditState,
)
from apps.supervision.services import credit as services
from apps.supervision.tests.credit_helpers import enterprise_with_code, list_enterprise, valid_uscc


def _pdf() -> SimpleUploadedFile:
    return SimpleUploadedFile("lvxing.pdf", b"%PDF-1.4", content_type="application/pdf")


@pytest.fixture
def second_supervisor(office):
    """Another 督查专员 of the same office: the four eyes of a repair."""
    return UserFactory(username="ducha2", name="督查室副主任", unit=office, roles=[roles.SUPERVISION_OFFICER])


@pytest.fixture
def blacklisted(supervisor):
    enterprise = enterprise_with_code("示范市失信建材有限公司")
    return list_enterprise(enterprise, by=supervisor, kind="black")


# ---- the entry's rules ------------------------------------------------------------------------


def test_an_entry_is_recorded_with_its_unit_and_history(blacklisted, supervisor):
    assert blacklisted.recording_unit == supervisor.unit
    assert blacklisted.recorded_by == supervisor
    assert blacklisted.state_on(timezone.localdate()) == CreditState.IN_FORCE
    assert list(blacklisted.events.values_list("action", flat=True)) == ["create"]


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"kind": "red", "source": "court"}, "不会列入"),
        ({"kind": "black", "source": "tax_a"}, "不会列入"),
        ({"decided_on": timezone.localdate() + timedelta(days=1)}, "认定日期不能晚于今天"),
        ({"effective_from": timezone.localdate() - timedelta(days=30)}, "生效日期不能早于认定日期"),
        ({"expires_on": timezone.localdate() - timedelta(days=20)}, "有效期至不能早于生效日期"),
        ({"reason": "  "}, "请填写列入原因"),
        ({"document_number": ""}, "请填写认定文书号"),
    ],
)
def test_the_rules_of_an_entry(supervisor, values, message):
    enterprise = enterprise_with_code()
    with pytest.raises(BusinessRuleError, match=message):
        list_enterprise(enterprise, by=supervisor, **values)
    assert not CreditEntry.objects.exists()


def test_the_enterprise_is_found_by_a_checked_code(supervisor):
    enterprise = enterprise_with_code()
    mistyped = enterprise.uscc[:-1] + ("0" if enterprise.uscc[-1] != "0" else "1")
    with pytest.raises(BusinessRuleError, match="校验位不正确"):
        services.create_entry(uscc=mistyped, by=supervisor, kind="black", source="court", reason="x",
                              legal_basis="x", document_number="1", decided_on=timezone.localdate())  # fmt: skip
    with pytest.raises(BusinessRuleError, match="企业库中没有"):
        services.create_entry(uscc=valid_uscc(999999), by=supervisor, kind="black", source="court", reason="x",
                              legal_basis="x", document_number="1", decided_on=timezone.localdate())  # fmt: skip
    entry = services.create_entry(uscc=f" {enterprise.uscc.lower()} ", by=supervisor, kind="black", source="court",
                                  reason="x", legal_basis="x", document_number="1", decided_on=timezone.localdate())  # fmt: skip
    assert entry.enterprise == enterprise
    assert entry.effective_from == entry.decided_on


def test_the_same_entry_twice_is_refused(blacklisted, supervisor):
    with pytest.raises(BusinessRuleError, match="不能重复登记"):
        list_enterprise(blacklisted.enterprise, by=supervisor, document_number=blacklisted.document_number)


def test_only_the_office_records_and_the_recording_unit_corrects(blacklisted, county_handler_a, county_b):
    with pytest.raises(BusinessRuleError, match="只有督办单位"):
        list_enterprise(enterprise_with_code(), by=county_handler_a)
    county_office = UserFactory(username="xc_ducha", unit=county_b, roles=[roles.SUPERVISION_OFFICER])
    with pytest.raises(BusinessRuleError, match="只有登记单位或市级督办单位"):
        services.update_entry(entry=blacklisted, reason="改", by=county_office)
    assert CreditEntry.objects.get(pk=blacklisted.pk).reason.startswith("有履行能力")


# ---- states and expiry ------------------------------------------------------------------------


def test_states_are_computed_from_the_dates(supervisor):
    today = timezone.localdate()
    enterprise = enterprise_with_code()
    expiring = list_enterprise(enterprise, by=supervisor, expires_on=today + timedelta(days=5))
    later = list_enterprise(enterprise, by=supervisor, days_ago=0, effective_from=today + timedelta(days=3))
    lasting = list_enterprise(enterprise, by=supervisor)

    assert set(CreditEntry.objects.in_force(today)) == {expiring, lasting}
    assert set(CreditEntry.objects.in_state(CreditState.PENDING, today)) == {later}
    assert set(CreditEntry.objects.expiring(today)) == {expiring}
    after = today + timedelta(days=6)
    assert set(CreditEntry.objects.in_state(CreditState.EXPIRED, after)) == {expiring}
    assert expiring.state_on(today + timedelta(days=5)) == CreditState.IN_FORCE
    assert expiring.state_on(after) == CreditState.EXPIRED


def test_an_expired_entry_stops_its_effects(supervisor, officer_a):
    today = timezone.localdate()
    enterprise = enterprise_with_code()
    list_enterprise(enterprise, by=supervisor, expires_on=today + timedelta(days=5))

    assert services.credit_block_reason(enterprise, CreditPlace.FULFILMENT)
    with time_machine.travel(timezone.now() + timedelta(days=6), tick=False):
        assert services.credit_block_reason(enterprise, CreditPlace.FULFILMENT) is None
        assert services.screening_effects(enterprise) == []
        project = lead(officer_a, enterprise=enterprise)
        assert not ScreeningResult.objects.filter(project=project, rule__kind=ScreeningRule.Kind.CREDIT).exists()


# ---- effects ----------------------------------------------------------------------------------


def test_policy_fulfilment_is_blocked_with_the_reason_and_logged(blacklisted):
    enterprise = blacklisted.enterprise

    reason = services.credit_block_reason(enterprise, CreditPlace.FULFILMENT)
    services.credit_block_reason(enterprise, CreditPlace.FULFILMENT)  # the same day again: one log line

    assert "法院失信被执行人" in reason
    assert blacklisted.document_number in reason
    log = CreditEffectLog.objects.get()
    assert (log.entry, log.place, log.effect) == (blacklisted, CreditPlace.FULFILMENT, CreditEffect.BLOCK)
    assert log.object_key == f"enterprises.enterprise:{enterprise.pk}"


def test_a_rule_changed_to_a_warning_no_longer_blocks(blacklisted, supervisor):
    rule = CreditEffectRule.objects.get(kind="black", place=CreditPlace.FULFILMENT)
    services.update_effect_rule(rule=rule, effect=CreditEffect.FLAG, basis="本市暂行办法", by=supervisor)

    assert services.credit_block_reason(blacklisted.enterprise, CreditPlace.FULFILMENT) is None
    assert [e.effect for e in services.screening_effects(blacklisted.enterprise)] == [CreditEffect.FLAG]


def test_a_red_entry_never_blocks(supervisor):
    enterprise = enterprise_with_code()
    list_enterprise(enterprise, by=supervisor, kind="red")

    assert services.credit_block_reason(enterprise, CreditPlace.FULFILMENT) is None
    assert [e.effect for e in services.screening_effects(enterprise)] == [CreditEffect.FAST_LANE]


def test_the_effect_rules_allow_only_their_effects(supervisor, county_b):
    display = CreditEffectRule.objects.get(kind="black", place=CreditPlace.DISPLAY)
    with pytest.raises(BusinessRuleError, match="可选的措施"):
        services.update_effect_rule(rule=display, effect=CreditEffect.BLOCK, basis="", by=supervisor)
    county_office = UserFactory(username="xc_ducha", unit=county_b, roles=[roles.SUPERVISION_OFFICER])
    with pytest.raises(BusinessRuleError, match="只有市级督办单位"):
        services.update_effect_rule(rule=display, effect=CreditEffect.NONE, basis="", by=county_office)
    assert CreditEffectRule.objects.get(pk=display.pk).effect == CreditEffect.FLAG


def test_screening_flags_a_blacklisted_investor_with_the_reason(blacklisted, officer_a):
    project = lead(officer_a, enterprise=blacklisted.enterprise)

    result = ScreeningResult.objects.get(project=project, rule__kind=ScreeningRule.Kind.CREDIT)
    assert result.action == ScreeningRule.Action.WARN
    assert "失信惩戒" in result.message
    assert "拒不履行" in result.message
    log = CreditEffectLog.objects.get(place=CreditPlace.SCREENING)
    assert log.object_key == f"investment.project:{project.pk}"
    assert project.code in log.object_label


def test_screening_refuses_when_the_administrator_says_so(blacklisted, officer_a):
    ScreeningRule.objects.filter(kind=ScreeningRule.Kind.CREDIT).update(action=ScreeningRule.Action.REFUSE)

    with pytest.raises(BusinessRuleError, match="失信惩戒"):
        lead(officer_a, enterprise=blacklisted.enterprise)
    assert not CreditEffectLog.objects.exists()


def test_screening_gives_a_red_listed_investor_the_fast_lane(supervisor, officer_a):
    ScreeningRule.objects.filter(kind=ScreeningRule.Kind.CREDIT).update(action=ScreeningRule.Action.REFUSE)
    enterprise = enterprise_with_code()
    list_enterprise(enterprise, by=supervisor, kind="red")

    project = lead(officer_a, enterprise=enterprise)

    result = ScreeningResult.objects.get(project=project, rule__kind=ScreeningRule.Kind.CREDIT)
    assert result.action == ScreeningRule.Action.WARN
    assert result.message.startswith("绿色通道")


def test_an_unlisted_investor_is_not_flagged(officer_a):
    project = lead(officer_a)

    assert not ScreeningResult.objects.filter(project=project, rule__kind=ScreeningRule.Kind.CREDIT).exists()


# ---- repair (信用修复) --------------------------------------------------------------------------


def test_a_repair_is_approved_by_a_second_person_and_stops_the_effects(blacklisted, supervisor, second_supervisor):
    repair = services.request_repair(entry=blacklisted, reason="已全部履行", evidence=_pdf(), by=supervisor)
    with pytest.raises(BusinessRuleError, match="申请人以外"):
        services.decide_repair(repair=repair, action="approve", note="", by=supervisor)
    assert CreditEntry.objects.get(pk=blacklisted.pk).repaired_at is None

    services.decide_repair(repair=repair, action="approve", note="材料属实", by=second_supervisor)

    entry = CreditEntry.objects.get(pk=blacklisted.pk)
    assert entry.state_on(timezone.localdate()) == CreditState.REPAIRED
    assert CreditRepair.objects.get(pk=repair.pk).decided_by == second_supervisor
    assert services.credit_block_reason(entry.enterprise, CreditPlace.FULFILMENT) is None
    actions = list(entry.events.values_list("action", flat=True))
    assert actions == ["create", "repair_request", "repair_approve"]


def test_a_repair_needs_the_approval_right(blacklisted, supervisor, county_handler_a, handler):
    repair = services.request_repair(entry=blacklisted, reason="已履行", evidence=_pdf(), by=supervisor)
    for person in (county_handler_a, handler):
        with pytest.raises(BusinessRuleError, match="审核权限"):
            services.decide_repair(repair=repair, action="approve", note="", by=person)
    assert CreditRepair.objects.get(pk=repair.pk).status == CreditRepair.Status.REQUESTED


def test_a_rejection_needs_its_reason_and_keeps_the_effects(blacklisted, supervisor, second_supervisor):
    repair = services.request_repair(entry=blacklisted, reason="已履行", evidence=_pdf(), by=supervisor)
    with pytest.raises(BusinessRuleError, match="请填写驳回理由"):
        services.decide_repair(repair=repair, action="reject", note=" ", by=second_supervisor)

    services.decide_repair(repair=repair, action="reject", note="仍有未履行部分", by=second_supervisor)

    assert CreditRepair.objects.get(pk=repair.pk).status == CreditRepair.Status.REJECTED
    assert services.credit_block_reason(blacklisted.enterprise, CreditPlace.FULFILMENT)


def test_one_open_repair_at_a_time_and_none_for_an_expired_entry(supervisor):
    today = timezone.localdate()
    entry = list_enterprise(enterprise_with_code(), by=supervisor, days_ago=30, expires_on=today - timedelta(days=1))
    with pytest.raises(BusinessRuleError, match="已失效"):
        services.request_repair(entry=entry, reason="x", evidence=_pdf(), by=supervisor)
    live = list_enterprise(enterprise_with_code(), by=supervisor)
    services.request_repair(entry=live, reason="x", evidence=_pdf(), by=supervisor)
    with pytest.raises(BusinessRuleError, match="待审核"):
        services.request_repair(entry=live, reason="y", evidence=_pdf(), by=supervisor)
    assert CreditRepair.objects.count() == 1
