"""The fulfilment state machine: the lifecycle with its roles, returns, the legal office, limits, credit stops."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.utils import timezone

from apps.core.errors import BusinessRuleError
from apps.core.workdays import add_working_days
from apps.enterprises.models import Enterprise, EnterpriseAccount
from apps.org import roles
from apps.org.tests.factories import UserFactory
from apps.policies.models import Fulfilment, FulfilmentEvent, FulfilmentMaterial, FulfilmentState, PolicyItem
from apps.policies.services import fulfilment as services
from apps.policies.tests.fulfilment_helpers import (
    black_list,
    pay_fields,
    pdf,
    submit_at_window,
    submit_online,
    to_awaiting_payment,
    to_legal_review,
)
from apps.supervision.models import CreditEffectLog

State = FulfilmentState
pytestmark = pytest.mark.django_db


def state_of(case) -> str:
    return Fulfilment.objects.get(pk=case.pk).state


# ---- the lifecycle --------------------------------------------------------------------------


def test_an_online_application_goes_through_review_legal_check_and_payment(
    item, portal_user, reviewer, legal_reviewer, window_officer
):
    today = timezone.localdate()
    case = submit_online(item, portal_user)

    assert case.number == f"ZC{today.year}000001"
    assert (case.state, case.channel, case.unit, case.window_unit) == (State.SUBMITTED, "online", item.department, None)
    assert case.step_due == add_working_days(today, item.review_days)
    assert case.materials.get().name == "申请表"

    case = services.move(case, "propose", by=reviewer, amount=Decimal("150"), note="符合条件")
    assert (case.state, case.proposed_amount) == (State.LEGAL_REVIEW, Decimal("150"))
    assert case.step_due == add_working_days(today, item.legal_days)

    case = services.move(case, "pass", by=legal_reviewer, amount=Decimal("140"), note="按规定核减")
    assert (case.state, case.approved_amount) == (State.AWAITING_PAYMENT, Decimal("140"))
    assert case.step_due == add_working_days(today, item.payment_days)

    case = services.move(case, "pay", by=window_officer, **pay_fields(Decimal("140")))
    case.refresh_from_db()
    assert (case.state, case.paid_amount, case.paid_on, case.voucher_number) == (
        State.PAID, Decimal("140"), today, "YH20260001"
    )  # fmt: skip
    assert case.closed_at is not None
    assert case.step_due is None
    events = list(case.events.values_list("action", "from_state", "to_state", "actor"))
    assert events == [
        ("apply", "", State.SUBMITTED, portal_user.pk),
        ("propose", State.SUBMITTED, State.LEGAL_REVIEW, reviewer.pk),
        ("pass", State.LEGAL_REVIEW, State.AWAITING_PAYMENT, legal_reviewer.pk),
        ("pay", State.AWAITING_PAYMENT, State.PAID, window_officer.pk),
    ]


@pytest.fixture
def outsider_enterprise_user(db):
    other = Enterprise.objects.create(name="另一家企业有限公司", uscc="91990100MA0000002X")
    user = UserFactory(username="other_qiye", name="他企经办人", unit=None, roles=[roles.ENTERPRISE_USER])
    EnterpriseAccount.objects.create(user=user, enterprise=other)
    return user


WRONG_ROLES = {
    "propose": ["legal_reviewer", "window_officer", "portal_user", "reviewer_a", "policy_officer_b"],
    "return": ["legal_reviewer", "window_officer", "portal_user", "reviewer_b"],
    "pass": ["reviewer", "window_officer", "portal_user"],
    "send_back": ["reviewer", "window_officer", "portal_user"],
    "pay": ["reviewer", "legal_reviewer", "portal_user"],
    "withdraw": ["reviewer", "window_officer", "outsider_enterprise_user"],
}


@pytest.fixture
def policy_officer_b(county_b):
    return UserFactory(username="policy_b", name="西城发改", unit=county_b, roles=[roles.POLICY_OFFICER])


def _case_for(action, item, portal_user, reviewer, legal_reviewer):
    case = submit_online(item, portal_user)
    if action in ("pass", "send_back"):
        case = to_legal_review(case, reviewer)
    if action == "pay":
        case = to_awaiting_payment(case, reviewer, legal_reviewer)
    return case


@pytest.mark.parametrize(
    ("action", "persona"), [(action, persona) for action, personas in WRONG_ROLES.items() for persona in personas]
)
def test_each_move_refuses_the_wrong_roles(request, action, persona, item, portal_user, reviewer, legal_reviewer):
    case = _case_for(action, item, portal_user, reviewer, legal_reviewer)
    before = state_of(case)
    fields = pay_fields() if action == "pay" else {"amount": Decimal("150"), "note": "理由"}

    with pytest.raises(BusinessRuleError, match="无权"):
        services.move(case, action, by=request.getfixturevalue(persona), **fields)

    assert state_of(case) == before
    assert case.events.count() == Fulfilment.objects.get(pk=case.pk).events.count()


def test_a_move_from_the_wrong_state_is_refused(item, portal_user, window_officer):
    case = submit_online(item, portal_user)

    with pytest.raises(BusinessRuleError, match="当前为“待审核”，不能登记兑付"):
        services.move(case, "pay", by=window_officer, **pay_fields())


def test_the_second_of_two_people_acting_on_the_same_case_is_told(item, portal_user, reviewer):
    case = submit_online(item, portal_user)
    stale = Fulfilment.objects.get(pk=case.pk)
    services.move(case, "return", by=reviewer, note="缺发票")

    with pytest.raises(BusinessRuleError, match="刚被他人处理"):
        services.move(stale, "reject", by=reviewer, note="不符合")
    assert state_of(case) == State.RETURNED


# ---- returns, resubmission, the legal office ------------------------------------------------


def test_a_returned_case_is_resubmitted_with_new_material(item, portal_user, reviewer):
    case = submit_online(item, portal_user)
    case = services.move(case, "return", by=reviewer, note="请补充设备发票")
    assert (case.state, case.step_due) == (State.RETURNED, None)

    with pytest.raises(BusinessRuleError, match="请上传申报材料"):
        services.move(case, "resubmit", by=portal_user, materials=[])
    case = services.move(case, "resubmit", by=portal_user, materials=[("设备发票", pdf("发票.pdf"))], note="已补")

    assert case.state == State.SUBMITTED
    assert case.step_due == add_working_days(timezone.localdate(), item.review_days)
    assert list(case.materials.values_list("name", flat=True)) == ["申请表", "设备发票"]


def test_the_window_resubmits_a_case_it_recorded(item, enterprise, window_officer, reviewer):
    case = submit_at_window(item, enterprise, window_officer)
    assert (case.channel, case.window_unit, case.applicant) == ("window", window_officer.unit, None)
    case = services.move(case, "return", by=reviewer, note="缺材料")

    case = services.move(case, "resubmit", by=window_officer, materials=[("补正材料", pdf())])

    assert case.state == State.SUBMITTED


def test_the_legal_office_sends_a_case_back_to_the_department(item, portal_user, reviewer, legal_reviewer):
    case = to_legal_review(submit_online(item, portal_user), reviewer)

    with pytest.raises(BusinessRuleError, match="请填写理由"):
        services.move(case, "send_back", by=legal_reviewer, note=" ")
    case = services.move(case, "send_back", by=legal_reviewer, note="依据条款不明确")
    assert case.state == State.SUBMITTED
    case = services.move(case, "propose", by=reviewer, amount=Decimal("100"), note="按第三条第二款")

    assert case.state == State.LEGAL_REVIEW
    assert list(case.events.values_list("action", flat=True)) == ["apply", "propose", "send_back", "propose"]


@pytest.mark.parametrize("where", ["department", "legal"])
def test_a_case_can_be_rejected_with_a_reason(where, item, portal_user, reviewer, legal_reviewer):
    case = submit_online(item, portal_user)
    by = reviewer
    if where == "legal":
        case, by = to_legal_review(case, reviewer), legal_reviewer

    case = services.move(case, "reject", by=by, note="不属于支持范围")

    assert (case.state, case.events.last().note) == (State.REJECTED, "不属于支持范围")
    assert case.closed_at is not None


def test_the_enterprise_withdraws_its_application(item, portal_user):
    case = services.move(submit_online(item, portal_user), "withdraw", by=portal_user)

    assert case.state == State.WITHDRAWN


# ---- the fields -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        (Decimal("0"), "大于 0"),
        (Decimal("-5"), "大于 0"),
        (Decimal("200.01"), "最高限额 200.00 万元"),
        (None, "请填写金额"),
    ],
)
def test_amounts_are_checked(amount, message, item, portal_user, reviewer):
    case = submit_online(item, portal_user)

    with pytest.raises(BusinessRuleError, match=message) as error:
        services.move(case, "propose", by=reviewer, amount=amount, note="意见")

    assert error.value.field == "amount"
    assert state_of(case) == State.SUBMITTED


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"paid_on": date(2999, 1, 4)}, "paid_on", "不能晚于今天"),
        ({"voucher_number": ""}, "voucher_number", "须填写凭证号"),
        ({"amount": Decimal("149")}, "amount", "应等于核定金额 150"),
        ({"payment_method": ""}, "payment_method", "请选择兑付方式"),
        ({"voucher": pdf("凭证.exe")}, "materials", "只能是"),
    ],
)
def test_payment_is_checked(values, field, message, item, portal_user, reviewer, legal_reviewer, window_officer):
    case = to_awaiting_payment(submit_online(item, portal_user), reviewer, legal_reviewer)

    with pytest.raises(BusinessRuleError, match=message) as error:
        services.move(case, "pay", by=window_officer, **pay_fields(**values))

    assert error.value.field == field
    assert state_of(case) == State.AWAITING_PAYMENT


def test_a_window_payment_needs_no_voucher_number(item, portal_user, reviewer, legal_reviewer, window_officer):
    case = to_awaiting_payment(submit_online(item, portal_user), reviewer, legal_reviewer)

    case = services.move(case, "pay", by=window_officer, **pay_fields(payment_method="window", voucher_number=""))

    assert case.state == State.PAID


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"contact_name": " "}, "contact_name"),
        ({"contact_phone": "abc"}, "contact_phone"),
        ({"declared_amount": Decimal("0")}, "declared_amount"),
        ({"materials": []}, "materials"),
        ({"materials": [("病毒", pdf("a.exe"))]}, "materials"),
        ({"materials": [("太大", pdf("big.pdf", size=20 * 1024 * 1024))]}, "materials"),
    ],
)
def test_bad_applications_are_refused_and_nothing_is_saved(values, field, item, portal_user):
    with pytest.raises(BusinessRuleError) as error:
        submit_online(item, portal_user, **values)

    assert error.value.field == field
    assert not Fulfilment.objects.exists()
    assert not FulfilmentMaterial.objects.exists()


def test_only_the_enterprises_own_portal_user_or_a_window_applies(item, enterprise, portal_user, reviewer):
    with pytest.raises(BusinessRuleError, match="窗口"):
        submit_at_window(item, enterprise, reviewer)
    other = Enterprise.objects.create(name="别家公司")
    with pytest.raises(BusinessRuleError, match="本企业"):
        services.apply(item, other, by=portal_user, channel="online", contact_name="张", contact_phone="13812345678",
                       materials=[("申请表", pdf())])  # fmt: skip
    assert not Fulfilment.objects.exists()


# ---- one case per item and enterprise -------------------------------------------------------


def test_one_open_case_per_item_and_enterprise(item, portal_user, enterprise, window_officer):
    first = submit_online(item, portal_user)

    with pytest.raises(BusinessRuleError, match=f"正在办理的兑现件（{first.number}）"):
        submit_at_window(item, enterprise, window_officer)


def test_a_paid_case_blocks_a_new_application_and_a_rejected_one_does_not(
    item, portal_user, reviewer, legal_reviewer, window_officer
):
    rejected = services.move(submit_online(item, portal_user), "reject", by=reviewer, note="材料不实")
    second = submit_online(item, portal_user)
    assert second.number != rejected.number
    services.move(to_awaiting_payment(second, reviewer, legal_reviewer), "pay", by=window_officer, **pay_fields())

    with pytest.raises(BusinessRuleError, match="已兑现过此条款"):
        submit_online(item, portal_user)


def test_an_item_of_an_expired_policy_takes_no_application(item, portal_user):
    item.policy.expires_on = timezone.localdate() - timedelta(days=1)
    item.policy.save()

    with pytest.raises(BusinessRuleError, match="不在有效期内"):
        submit_online(item, portal_user)


def test_numbers_follow_each_other_within_the_year(item, policy, units, portal_user, enterprise, window_officer):
    other = PolicyItem.objects.create(
        policy=policy, number="第四条", title="研发补助", benefit_kind="subsidy", benefit="补助", beneficiaries="企业",
        conditions="无", department=units["industry"],
    )  # fmt: skip
    first = submit_online(item, portal_user)
    second = submit_at_window(other, enterprise, window_officer)

    year = timezone.localdate().year
    assert (first.number, second.number) == (f"ZC{year}000001", f"ZC{year}000002")


# ---- working days ---------------------------------------------------------------------------


def test_a_case_submitted_on_the_friday_before_qingming_counts_working_days_only(item, portal_user, reviewer):
    item.review_days, item.legal_days = 3, 2
    item.save()
    with time_machine.travel(date(2026, 4, 3), tick=False):  # Friday; 4–6 April 2026 are the Qingming holiday
        case = submit_online(item, portal_user)
        assert case.step_due == date(2026, 4, 9)  # 7, 8, 9 April
        assert case.step_started_on == date(2026, 4, 3)
    with time_machine.travel(date(2026, 4, 9), tick=False):
        case = services.move(case, "propose", by=reviewer, amount=Decimal("10"), note="同意")
        assert case.step_due == date(2026, 4, 13)  # Friday 10, Monday 13


# ---- the credit lists -----------------------------------------------------------------------


def test_a_black_listed_enterprise_is_stopped_when_it_applies(item, portal_user, enterprise, units):
    black_list(enterprise, units["policy_office"])

    case = submit_online(item, portal_user)

    assert case.state == State.STOPPED
    assert "拒不履行生效判决" in case.stop_reason or "失信" in case.stop_reason
    assert case.closed_at is not None
    assert list(case.events.values_list("action", flat=True)) == ["apply", "stop"]
    assert CreditEffectLog.objects.filter(object_key=f"policies.fulfilment:{case.pk}").exists()


def test_a_listing_during_review_stops_the_case_and_changes_nothing_else(
    item, portal_user, reviewer, enterprise, units
):
    case = submit_online(item, portal_user)
    black_list(enterprise, units["policy_office"])

    case = services.move(case, "propose", by=reviewer, amount=Decimal("150"), note="符合")

    case.refresh_from_db()
    assert case.state == State.STOPPED
    assert case.proposed_amount is None
    assert case.events.last().action == "stop"


def test_a_listing_before_payment_stops_the_payment(item, portal_user, reviewer, legal_reviewer, window_officer,
                                                     enterprise, units):  # fmt: skip
    case = to_awaiting_payment(submit_online(item, portal_user), reviewer, legal_reviewer)
    black_list(enterprise, units["policy_office"])

    case = services.move(case, "pay", by=window_officer, **pay_fields())

    case.refresh_from_db()
    assert (case.state, case.paid_amount, case.paid_on) == (State.STOPPED, None, None)


def test_a_return_is_no_move_towards_payment_and_is_not_stopped(item, portal_user, reviewer, enterprise, units):
    case = submit_online(item, portal_user)
    black_list(enterprise, units["policy_office"])

    assert services.move(case, "return", by=reviewer, note="缺材料").state == State.RETURNED


# ---- 免申即享 ----------------------------------------------------------------------------------


def test_an_auto_case_is_opened_once_and_confirmed_by_the_department(item, enterprise, reviewer):
    item.auto_grant = True
    item.save()
    reasons = [{"text": "注册资本不低于 1000 万元：是（3000 万元）", "passed": True, "depth": 0}, "成立满三年：是"]

    case = services.open_auto_case(item, enterprise, reasons)

    assert (case.state, case.channel) == (State.PENDING_CONFIRMATION, "auto")
    assert [line["text"] for line in case.match_reasons] == [reasons[0]["text"], "成立满三年：是"]
    assert case.step_due == add_working_days(timezone.localdate(), item.review_days)
    assert services.open_auto_case(item, enterprise, reasons) is None
    assert Fulfilment.objects.count() == 1

    case = services.move(case, "confirm", by=reviewer, amount=Decimal("50"))
    assert (case.state, case.proposed_amount) == (State.LEGAL_REVIEW, Decimal("50"))


def test_an_auto_case_is_declined_with_a_reason_and_then_opened_again(item, enterprise, reviewer):
    case = services.open_auto_case(item, enterprise, [])
    with pytest.raises(BusinessRuleError, match="理由"):
        services.move(case, "decline", by=reviewer, note="")

    services.move(case, "decline", by=reviewer, note="已享受同类政策")

    assert services.open_auto_case(item, enterprise, []) is not None


def test_no_auto_case_when_the_enterprise_has_applied(item, portal_user, enterprise):
    submit_online(item, portal_user)

    assert services.open_auto_case(item, enterprise, []) is None


def test_auto_cases_in_bulk_take_consecutive_numbers_skip_taken_pairs_and_are_audited(item, portal_user, enterprise):
    from auditlog.models import LogEntry

    submit_online(item, portal_user)  # the portal's enterprise has applied: no auto case for it
    others = [Enterprise.objects.create(name=f"免申企业{n}有限公司") for n in range(3)]
    openings = [services.AutoOpening(item, pk, ["条件：是"]) for pk in [enterprise.pk, *(e.pk for e in others)]]
    openings.append(services.AutoOpening(item, others[0].pk, []))  # the same pair twice in one run: one case

    cases = services.open_auto_cases(openings)

    assert [case.enterprise_id for case in cases] == [e.pk for e in others]
    numbers = sorted(int(case.number[-6:]) for case in Fulfilment.objects.all())
    assert numbers == list(range(numbers[0], numbers[0] + 4))
    assert all(case.events.get().action == "auto" for case in Fulfilment.objects.filter(channel="auto"))
    logged = LogEntry.objects.get_for_objects(Fulfilment.objects.filter(channel="auto"))
    assert logged.filter(action=LogEntry.Action.CREATE).count() == 3
    assert "match_reasons" in logged.first().changes_dict


def test_allowed_moves_give_each_side_its_forms(item, portal_user, reviewer, legal_reviewer, window_officer):
    case = submit_online(item, portal_user)

    assert [m.action for m in services.allowed_moves(case, reviewer)] == ["propose", "return", "reject"]
    assert [m.action for m in services.allowed_moves(case, portal_user)] == ["withdraw"]
    assert services.allowed_moves(case, legal_reviewer) == []
    assert services.allowed_moves(case, window_officer) == []


def test_every_move_is_recorded_in_the_audit_log(item, portal_user, reviewer):
    from auditlog.models import LogEntry

    case = services.move(submit_online(item, portal_user), "return", by=reviewer, note="缺材料")

    entries = LogEntry.objects.get_for_object(case)
    assert entries.filter(actor=reviewer, action=LogEntry.Action.UPDATE).exists()
    assert FulfilmentEvent.objects.filter(fulfilment=case).count() == 2


def test_the_enterprise_is_told_of_a_return_and_of_the_payment(
    django_capture_on_commit_callbacks, item, portal_user, reviewer, legal_reviewer, window_officer
):
    from apps.core.models import Notice

    with django_capture_on_commit_callbacks(execute=True):
        case = services.move(submit_online(item, portal_user), "return", by=reviewer, note="请补充设备发票")
        case = services.move(case, "resubmit", by=portal_user, materials=[("发票", pdf())])
        case = to_awaiting_payment(case, reviewer, legal_reviewer)
        services.move(case, "pay", by=window_officer, **pay_fields())

    notices = list(Notice.objects.filter(recipient=portal_user).order_by("id").values_list("title", "body"))
    assert notices == [
        (f"兑现申请需补正：技术改造补助（{case.number}）", "请补充设备发票"),
        (f"政策资金已兑付：技术改造补助（{case.number}）", ""),
    ]
    assert not Notice.objects.filter(recipient=reviewer).exists()


def test_the_database_holds_one_live_case_per_item_and_enterprise(item, portal_user, enterprise):
    from django.db import IntegrityError, transaction

    case = submit_online(item, portal_user)
    with pytest.raises(IntegrityError), transaction.atomic():
        Fulfilment.objects.create(number="ZC2026999999", item=item, enterprise=enterprise, unit=case.unit,
                                  channel="window", state=State.SUBMITTED)  # fmt: skip
    Fulfilment.objects.filter(pk=case.pk).update(state=State.WITHDRAWN)
    Fulfilment.objects.create(number="ZC2026999999", item=item, enterprise=enterprise, unit=case.unit,
                              channel="window", state=State.SUBMITTED)  # fmt: skip
