"""Service ratings (好差评): recording, the bad-rating state machine per role, working-day limits, appeals that
exclude (never delete), defaulted ratings kept apart, and the rectification rate on a hand-computed fixture."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import IntegrityError, transaction

from apps.appeals.models import RatingAppeal, RatingEvent, RatingRules, ServiceRating
from apps.appeals.models.ratings import RectificationState
from apps.appeals.services import rating_defaults, ratings, transitions
from apps.appeals.services.clocks import Light
from apps.appeals.services.ratings import RatingFields
from apps.appeals.tests.conftest import at
from apps.core import scans
from apps.core.errors import BusinessRuleError
from apps.core.workdays import WorkdayCalendar
from apps.org import roles
from apps.org.tests.factories import UserFactory

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")


def end_of(year: int, month: int, day: int) -> datetime:
    return datetime(year, month, day, 23, 59, 59, tzinfo=SHANGHAI)


@pytest.fixture
def replied(dispatched, housing_handler, market_handler):
    """The sample ticket answered by its co-unit and its lead (住建局) on Monday 2025-09-29: waiting for follow-up."""
    reply = {"reply": "已修复", "legal_basis": "《城市道路管理条例》", "approved_by": "王局长"}
    lead, co = dispatched.lead_assignment(), dispatched.assignments.get(role="co")
    transitions.sign_for(appeal=dispatched, assignment=lead, by=housing_handler, now=at(2025, 9, 26, 11))
    transitions.sign_for(appeal=dispatched, assignment=co, by=market_handler, now=at(2025, 9, 26, 11))
    transitions.reply_appeal(appeal=dispatched, assignment=co, by=market_handler, now=at(2025, 9, 29), **reply)
    transitions.reply_appeal(appeal=dispatched, assignment=lead, by=housing_handler, now=at(2025, 9, 29), **reply)
    dispatched.refresh_from_db()
    return dispatched


def service_rating(*, level: int, unit, office, by, now=None, selected=(), **extra) -> ServiceRating:
    fields = RatingFields(
        kind="service", channel="offline", level=level, selected=selected, unit=unit, service_name="不动产登记",
        staff_name="窗口3号", rater_name="赵六", rater_phone="13912345678", rater_enterprise="示范科技有限公司",
        **extra,
    )  # fmt: skip
    return ratings.record_rating(fields=fields, office=office, by=by, now=now or at(2025, 9, 26, 10))


@pytest.fixture
def bad(housing, hotline, agent):
    """A named 非常不满意 of 住建局's window recorded by the hotline on Friday 2025-09-26 10:00."""
    return service_rating(level=1, unit=housing, office=hotline, by=agent, selected=("服务态度差",))


def _events(rating) -> int:
    return RatingEvent.objects.filter(rating=rating).count()


def _refused(call, rating) -> str:
    before = (_events(rating), ServiceRating.objects.get(pk=rating.pk).state)
    with pytest.raises(BusinessRuleError) as error:
        call()
    assert (_events(rating), ServiceRating.objects.get(pk=rating.pk).state) == before
    return error.value.message


# ---- recording --------------------------------------------------------------------------------------------


def test_a_good_rating_needs_no_rectification(housing, hotline, agent):
    rating = service_rating(level=5, unit=housing, office=hotline, by=agent, selected=("服务态度好",))
    assert (rating.state, rating.verify_due, rating.is_bad) == (RectificationState.NONE, None, False)
    assert rating.indicator_set.group == "offline"
    assert list(rating.events.values_list("action", "to_state")) == [("record", "none")]


def test_a_bad_rating_is_due_for_callback_in_two_working_days_counting_the_make_up_sunday(bad):
    # 2025-09-28 is a Sunday worked before National Day: Friday + 2 working days = Monday 09-29
    assert bad.state == RectificationState.AWAITING_VERIFICATION
    assert bad.verify_due == end_of(2025, 9, 29)
    assert bad.rules.version == "2019版（默认）"


def test_the_sub_indicators_must_fit_the_level_and_channel(housing, hotline, agent):
    with pytest.raises(BusinessRuleError, match="服务态度差"):
        service_rating(level=5, unit=housing, office=hotline, by=agent, selected=("服务态度差",))
    with pytest.raises(BusinessRuleError, match="平台操作简便"):
        service_rating(level=5, unit=housing, office=hotline, by=agent, selected=("平台操作简便",))
    assert not ServiceRating.objects.exists()


def test_one_rating_per_ticket_and_only_after_the_reply(dispatched, replied, agent, hotline):
    fields = RatingFields(kind="ticket", channel="phone", level=4, appeal=replied, rater_name="张三")
    first = ratings.record_rating(fields=fields, office=hotline, by=agent, now=at(2025, 9, 30))
    assert (first.unit.name, first.kind, first.office) == ("市住房和城乡建设局", "ticket", hotline)
    with pytest.raises(BusinessRuleError, match="该工单已有评价"):
        ratings.record_rating(fields=fields, office=hotline, by=agent, now=at(2025, 9, 30))
    with pytest.raises(IntegrityError), transaction.atomic():
        ServiceRating.objects.create(
            kind="ticket",
            appeal=replied,
            office=hotline,
            unit=first.unit,
            channel="phone",
            level=5,
            rated_at=at(2025, 10, 9),
        )
    assert ServiceRating.objects.count() == 1


def test_a_ticket_cannot_be_rated_before_its_reply(dispatched, agent, hotline):
    fields = RatingFields(kind="ticket", channel="phone", level=4, appeal=dispatched)
    with pytest.raises(BusinessRuleError, match="工单答复后才能评价"):
        ratings.record_rating(fields=fields, office=hotline, by=agent, now=at(2025, 9, 27))


# ---- the bad-rating workflow ------------------------------------------------------------------------------


def test_the_whole_rectification_loop_each_step_one_event(bad, agent, housing_handler):
    steps = [
        lambda: ratings.verify_rating(rating=bad, finding="true", note="电话回访，窗口人员态度生硬属实", by=agent, now=at(2025, 9, 29)),
        lambda: ratings.rectify_rating(rating=bad, measures="约谈窗口人员，开展文明服务培训", by=housing_handler, now=at(2025, 10, 10)),
        lambda: ratings.feed_back_rating(rating=bad, note="已向评价人反馈整改情况", invite_second=True, by=agent, now=at(2025, 10, 13)),
    ]  # fmt: skip
    states = []
    for step in steps:
        count = _events(bad)
        step()
        assert _events(bad) == count + 1
        bad.refresh_from_db()
        states.append(bad.state)
    assert states == ["rectifying", "awaiting_feedback", "closed"]
    # verified Monday 09-29 + 15 working days: 09-30, (National Day 10-01…08), 10-09 … with Saturday 10-11 worked
    assert bad.rectify_due == end_of(2025, 10, 27)
    assert (bad.finding, bad.closed_at, bad.second_invited) == ("true", at(2025, 10, 13), True)
    assert list(bad.events.values_list("action", flat=True)) == ["record", "verify", "rectify", "feedback"]


def test_a_false_finding_goes_straight_to_the_feedback(bad, agent):
    ratings.verify_rating(rating=bad, finding="false", note="经调取录像，窗口服务规范", by=agent, now=at(2025, 9, 29))
    bad.refresh_from_db()
    assert (bad.state, bad.rectify_due) == (RectificationState.AWAITING_FEEDBACK, None)


@pytest.fixture
def office_in_housing(housing):
    """Someone with the hotline office's rights who works in the rated unit itself."""
    return UserFactory(username="housing_office", name="住建局坐席", unit=housing, roles=[roles.HOTLINE_AGENT])


@pytest.mark.parametrize(
    ("who", "message"),
    [
        ("housing_handler", "无权"),  # the rated unit cannot verify its own rating
        ("office_in_housing", "无权"),  # nor can the verification role when it sits in the rated unit
        ("market_handler", "无权"),  # another department
    ],
)
def test_only_the_independent_office_verifies(bad, request, who, message):
    person = request.getfixturevalue(who)
    call = lambda: ratings.verify_rating(rating=bad, finding="true", note="x", by=person, now=at(2025, 9, 29))  # noqa: E731
    assert message in _refused(call, bad)


@pytest.mark.parametrize("who", ["agent", "market_handler"])
def test_only_the_rated_unit_rectifies(bad, request, who, agent):
    ratings.verify_rating(rating=bad, finding="partly", note="部分属实", by=agent, now=at(2025, 9, 29))
    person = request.getfixturevalue(who)
    call = lambda: ratings.rectify_rating(rating=bad, measures="整改", by=person, now=at(2025, 10, 9))  # noqa: E731
    assert "只有被评价单位的工作人员" in _refused(call, bad)


def test_steps_out_of_order_are_refused(bad, agent, housing_handler):
    assert "不能反馈评价人" in _refused(
        lambda: ratings.feed_back_rating(rating=bad, note="x", invite_second=False, by=agent, now=at(2025, 9, 29)), bad
    )
    assert "不能整改" in _refused(
        lambda: ratings.rectify_rating(rating=bad, measures="x", by=housing_handler, now=at(2025, 9, 29)), bad
    )
    assert "请填写回访核实情况" in _refused(
        lambda: ratings.verify_rating(rating=bad, finding="true", note=" ", by=agent, now=at(2025, 9, 29)), bad
    )


def test_the_actions_offered_follow_the_table(bad, agent, housing_handler, market_handler):
    assert ratings.allowed_actions_for(bad, agent) == ["verify"]
    assert ratings.allowed_actions_for(bad, housing_handler) == ["file_appeal"]
    assert ratings.allowed_actions_for(bad, market_handler) == []
    ratings.file_rating_appeal(rating=bad, reason="评价人并未办理业务", by=housing_handler, now=at(2025, 9, 26, 15))
    assert ratings.allowed_actions_for(bad, agent) == ["verify", "uphold_appeal", "reject_appeal"]
    assert ratings.allowed_actions_for(bad, housing_handler) == []


# ---- appeals: excluded, never deleted ---------------------------------------------------------------------


def test_an_upheld_appeal_excludes_the_rating_and_keeps_it(bad, agent, housing_handler):
    appeal = ratings.file_rating_appeal(
        rating=bad, reason="同一号码当日连续差评十次", by=housing_handler, now=at(2025, 9, 26, 15)
    )
    assert "已有待复核的申诉" in _refused(
        lambda: ratings.file_rating_appeal(rating=bad, reason="再次", by=housing_handler, now=at(2025, 9, 26, 16)), bad
    )
    ratings.decide_rating_appeal(rating=bad, uphold=True, note="经核查属恶意差评", by=agent, now=at(2025, 9, 29))
    bad.refresh_from_db()
    appeal.refresh_from_db()
    assert (bad.excluded, bad.exclusion_reason, bad.state) == (True, "经核查属恶意差评", RectificationState.CLOSED)
    assert (appeal.decision, appeal.decided_by) == ("approved", agent)
    assert ServiceRating.objects.filter(pk=bad.pk).exists()
    assert not ServiceRating.objects.real().filter(pk=bad.pk).exists()
    assert list(bad.events.values_list("action", flat=True)) == ["record", "file_appeal", "uphold_appeal"]


def test_a_rejected_appeal_changes_nothing_but_its_decision(bad, agent, housing_handler, office_in_housing):
    ratings.file_rating_appeal(rating=bad, reason="误评", by=housing_handler, now=at(2025, 9, 26, 15))
    assert "无权" in _refused(
        lambda: ratings.decide_rating_appeal(
            rating=bad, uphold=True, note="x", by=office_in_housing, now=at(2025, 9, 29)
        ),
        bad,
    )
    ratings.decide_rating_appeal(rating=bad, uphold=False, note="证据不足", by=agent, now=at(2025, 9, 29))
    bad.refresh_from_db()
    assert (bad.excluded, bad.state) == (False, RectificationState.AWAITING_VERIFICATION)
    assert RatingAppeal.objects.get().decision == "rejected"


def test_a_rating_cannot_be_deleted_while_its_appeal_is_kept(bad, housing_handler):
    ratings.file_rating_appeal(rating=bad, reason="误评", by=housing_handler, now=at(2025, 9, 26, 15))
    from django.db.models import ProtectedError

    with pytest.raises(ProtectedError):
        bad.delete()


# ---- second rating --------------------------------------------------------------------------------------


def test_an_invited_rater_rates_again_once(replied, agent, housing_handler, hotline):
    fields = RatingFields(kind="ticket", channel="phone", level=2, appeal=replied, rater_name="张三")
    first = ratings.record_rating(fields=fields, office=hotline, by=agent, now=at(2025, 9, 30))
    assert ratings.second_rating_invitation(replied) is None
    ratings.verify_rating(rating=first, finding="false", note="已解释", by=agent, now=at(2025, 10, 9))
    ratings.feed_back_rating(rating=first, note="已反馈", invite_second=True, by=agent, now=at(2025, 10, 9))
    assert ratings.second_rating_invitation(replied) == first
    second = ratings.record_rating(
        fields=RatingFields(kind="ticket", channel="portal", level=4, appeal=replied), office=hotline, by=None,
        now=at(2025, 10, 10), follows=first,
    )  # fmt: skip
    assert (second.follows, second.state) == (first, RectificationState.NONE)
    assert first.events.last().action == "second_rating"
    assert ratings.second_rating_invitation(replied) is None
    with pytest.raises(BusinessRuleError, match="已有二次评价"):
        ratings.record_rating(fields=fields, office=hotline, by=agent, now=at(2025, 10, 11), follows=first)


# ---- lights -------------------------------------------------------------------------------------------------


def test_lights_follow_the_running_stage(bad):
    calendar = WorkdayCalendar.load()
    assert ratings.rating_light(bad, at(2025, 9, 26, 11), calendar) == Light.GREEN  # two working days left
    assert ratings.rating_light(bad, at(2025, 9, 28, 11), calendar) == Light.AMBER  # the make-up Sunday: one left
    assert ratings.rating_light(bad, at(2025, 9, 30, 9), calendar) == Light.RED
    long = ServiceRating.objects.get(pk=bad.pk)
    long.verify_due = end_of(2025, 10, 20)
    assert ratings.rating_light(long, at(2025, 9, 26, 11), calendar) == Light.GREEN


# ---- defaulted ratings (默认好评) ------------------------------------------------------------------------------


@pytest.fixture
def resolved(replied, agent):
    transitions.follow_up_appeal(
        appeal=replied, solved="solved", satisfaction=5, unit_at_fault=False, note="", by=agent, now=at(2025, 9, 30)
    )
    return replied


def test_no_defaulted_ratings_unless_the_local_rule_says_so(resolved):
    assert rating_defaults.record_defaulted_ratings(now=at(2025, 11, 3)) == 0
    assert not ServiceRating.objects.exists()


def test_defaulted_ratings_after_five_working_days_once_and_apart(resolved, housing):
    RatingRules.objects.create(
        version="本地规则", valid_from=date(2025, 9, 1), default_enabled=True, default_after_days=5
    )
    # followed up Tuesday 09-30; its 5 working days: 10-09, 10, 11 (Saturday worked), 13, 14 — defaulted on 10-15
    assert rating_defaults.record_defaulted_ratings(now=at(2025, 10, 14, 20)) == 0
    assert rating_defaults.record_defaulted_ratings(now=at(2025, 10, 15, 9)) == 1
    assert rating_defaults.record_defaulted_ratings(now=at(2025, 10, 16, 9)) == 0
    rating = ServiceRating.objects.get()
    assert (rating.defaulted, rating.level, rating.unit, rating.appeal) == (True, 4, housing, resolved)
    assert rating.events.get().action == "default"
    [row] = ratings.summary_by_unit(ServiceRating.objects.all())
    assert (row.real, row.good, row.defaulted) == (0, 0, 1)


def test_the_default_scan_is_registered():
    assert "appeals_rating_defaults" in scans.names()


# ---- figures on a hand-computed fixture -----------------------------------------------------------------------


@pytest.fixture
def figures(housing, market, hotline):
    """住建局: 7 ratings in September 2025 and 1 in October; 市场监管局: 1 open named bad rating in September."""

    def make(unit, level, *, month=9, state="none", named=True, **extra):
        return ServiceRating.objects.create(
            kind="service", office=hotline, unit=unit, service_name="事项", channel="offline", level=level,
            rater_name="评价人" if named else "", state=state, rated_at=at(2025, month, 10),
            **extra,
        )  # fmt: skip

    closed = {"state": "closed", "feedback_at": at(2025, 9, 20), "closed_at": at(2025, 9, 20)}
    make(housing, 1, **closed)  # named bad, called back: numerator and denominator
    make(housing, 2, state="rectifying")  # named bad still rectifying: denominator
    make(housing, 1, named=False, **closed)  # anonymous bad: neither
    make(housing, 2, excluded=True, **closed)  # excluded after appeal: neither
    make(housing, 5)  # good
    make(housing, 3)  # 基本满意 counts as good
    make(housing, 4, defaulted=True)  # defaulted: apart
    make(housing, 1, month=10, state="awaiting_verification")  # October: out of the period
    make(market, 2, state="awaiting_verification")  # another unit


def test_the_rectification_rate_counts_named_real_bad_ratings(figures, housing, market):
    from apps.org.models import Unit

    assert ratings.bad_rating_rectification(housing, date(2025, 9, 1), date(2025, 9, 30)) == (1, 2)
    both = Unit.objects.filter(pk__in=(housing.pk, market.pk))
    assert ratings.bad_rating_rectification(both, date(2025, 9, 1), date(2025, 9, 30)) == (1, 3)
    by_unit = ratings.bad_rating_rectification_by_unit(date(2025, 9, 1), date(2025, 9, 30))
    assert (by_unit[housing.pk], by_unit[market.pk]) == ((1, 2), (0, 1))
    from apps.appeals.models.statistics import Indicator
    from apps.appeals.services import statistics

    september = statistics.count_figures(date(2025, 9, 1), date(2025, 10, 1), statistics.scheme_for(date(2025, 9, 1)))
    rectified = september[housing.pk][Indicator.BAD_RATING_RECTIFICATION]
    assert (rectified.numerator, rectified.denominator) == (1, 2)
    assert ratings.bad_rating_rectification(housing, date(2025, 9, 1), date(2025, 9, 30), as_of=at(2025, 9, 19)) == (
        0,
        2,
    )


def test_the_summary_keeps_defaulted_and_excluded_apart(figures, housing):
    september = ratings.in_period(ServiceRating.objects.all(), date(2025, 9, 1), date(2025, 9, 30))
    rows = {row.unit_name: row for row in ratings.summary_by_unit(september)}
    row = rows[housing.name]
    assert (row.real, row.good, row.bad, row.defaulted, row.excluded) == (5, 2, 3, 1, 1)
    assert (row.good_rate, row.bad_rate, row.rectification_rate) == ((2, 5), (3, 5), (1, 2))
    assert rows["市市场监督管理局"].open_bad == 1
