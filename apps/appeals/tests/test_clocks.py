"""Clocks on the Chinese calendar, with ``now`` passed explicitly (time travel without freezing time).

National Day 2025: rest 10-01 … 10-08; make-up working Saturdays 2025-09-28 (a Sunday) and 2025-10-11.
"""

from datetime import timedelta

import pytest

from apps.appeals.models import Appeal, TimeLimitPolicy
from apps.appeals.services import clocks
from apps.appeals.services.clocks import Escalation, Light
from apps.appeals.tests.conftest import at
from apps.core.workdays import WorkdayCalendar

pytestmark = pytest.mark.django_db


@pytest.fixture
def calendar():
    return WorkdayCalendar.load()


@pytest.mark.parametrize(
    ("start", "amount", "unit", "due"),
    [
        (at(2025, 9, 19, 10), 1, "working_days", at(2025, 9, 22, 23, 59)),  # Friday → Monday (weekend)
        (at(2025, 9, 26, 10), 1, "working_days", at(2025, 9, 28, 23, 59)),  # Friday → make-up Sunday 09-28
        (at(2025, 9, 28, 10), 1, "working_days", at(2025, 9, 29, 23, 59)),  # from a make-up day
        (at(2025, 9, 30, 10), 1, "working_days", at(2025, 10, 9, 23, 59)),  # across National Day
        (at(2025, 9, 30, 10), 2, "working_days", at(2025, 10, 10, 23, 59)),
        (at(2025, 9, 30, 10), 3, "working_days", at(2025, 10, 11, 23, 59)),  # make-up Saturday 10-11
        (at(2025, 9, 26, 10), 15, "working_days", at(2025, 10, 23, 23, 59)),  # 3 before, 12 after the holiday
        (at(2025, 9, 26, 17), 2, "working_hours", at(2025, 9, 28, 10, 30)),  # 17:00 Fri + 2 h → make-up Sunday
        (at(2025, 9, 30, 11), 4, "working_hours", at(2025, 9, 30, 16, 30)),  # 1 h before lunch, 3 h after
        (at(2025, 9, 30, 16), 3, "working_hours", at(2025, 10, 9, 10, 30)),  # across National Day
        (at(2025, 9, 30, 12, 30), 1, "working_hours", at(2025, 9, 30, 14, 30)),  # lunch break does not count
        (at(2025, 9, 30, 10), 3, "calendar_days", at(2025, 10, 3, 23, 59)),  # holidays count as calendar days
        (at(2025, 9, 30, 10), 24, "hours", at(2025, 10, 1, 10)),
    ],
)
def test_due_after(calendar, start, amount, unit, due):
    result = clocks.due_after(start, amount, unit, calendar)
    assert result.replace(second=0) == due


def test_working_seconds_counts_office_hours_only(calendar):
    # Friday 09-26 16:00 → make-up Sunday 09-28 10:00: 1.5 h on Friday, 1 h on Sunday; Saturday rests
    assert clocks.working_seconds(at(2025, 9, 26, 16), at(2025, 9, 28, 10), calendar) == int(2.5 * 3600)
    assert clocks.working_seconds(at(2025, 10, 1, 9), at(2025, 10, 8, 18), calendar) == 0


def test_seeded_guangdong_preset(city):
    policy = clocks.policy_for(unit=_city(), appeal_type="consultation", urgency="normal", on=at(2025, 1, 1).date())
    assert (policy.version, policy.reply_amount, policy.reply_unit) == ("粤2022", 2, "working_days")
    assert (policy.sign_for_amount, policy.sign_for_unit) == (1, "working_days")
    replies = dict(TimeLimitPolicy.objects.filter(urgency="normal").values_list("appeal_type", "reply_amount"))
    assert replies == {"consultation": 2, "help": 10, "suggestion": 10, "complaint": 15, "report": 15}


def _city():
    from apps.org.models import Unit

    return Unit.objects.get(code="990100")


def test_a_county_policy_beats_the_default(city, county_a, county_b):
    from datetime import date

    from apps.org.models import Unit

    TimeLimitPolicy.objects.create(
        jurisdiction=county_a, appeal_type="complaint", version="东城2025", valid_from=date(2025, 1, 1),
        sign_for_amount=1, first_contact_amount=1, reply_amount=7,
    )  # fmt: skip
    town = Unit.objects.get(code="990101001")
    found = clocks.policy_for(unit=town, appeal_type="complaint", urgency="normal", on=date(2025, 6, 1))
    assert found.version == "东城2025"
    other = clocks.policy_for(unit=county_b, appeal_type="complaint", urgency="normal", on=date(2025, 6, 1))
    assert other.version == "粤2022"
    older = clocks.policy_for(unit=town, appeal_type="complaint", urgency="normal", on=date(2024, 6, 1))
    assert older.version == "粤2022"


def test_dispatch_sets_the_due_dates_and_stores_the_policy(dispatched):
    assert dispatched.policy.version == "粤2022"
    assert dispatched.sign_for_due.replace(second=0) == at(2025, 9, 28, 23, 59)
    assert dispatched.contact_due.replace(second=0) == at(2025, 9, 28, 23, 59)
    assert dispatched.reply_due.replace(second=0) == at(2025, 10, 23, 23, 59)


def test_lights_sign_for_stage(dispatched):
    assert clocks.status_at(dispatched, at(2025, 9, 26, 11)) == Light.GREEN
    # limit: Fri 10:00–17:30 (6 h) + the make-up Sunday (7 h) = 13 h; amber from 0.8 × 13 h = 10.4 h used
    assert clocks.status_at(dispatched, at(2025, 9, 28, 14, 30)) == Light.GREEN  # 10 h used
    assert clocks.status_at(dispatched, at(2025, 9, 28, 16)) == Light.AMBER  # 11.5 h used
    assert clocks.status_at(dispatched, at(2025, 9, 29, 9)) == Light.RED


def test_lights_and_escalation_of_the_reply(dispatched, housing_handler):
    from apps.appeals.services import transitions

    lead = dispatched.lead_assignment()
    transitions.sign_for(appeal=dispatched, assignment=lead, by=housing_handler, now=at(2025, 9, 26, 11))
    assert clocks.status_at(dispatched, at(2025, 10, 9)) == Light.GREEN
    assert clocks.status_at(dispatched, at(2025, 10, 22)) == Light.AMBER  # due 10-23
    assert clocks.escalation_at(dispatched, at(2025, 10, 21)) == Escalation.NONE
    assert clocks.escalation_at(dispatched, at(2025, 10, 22)) == Escalation.URGE  # due tomorrow
    assert clocks.status_at(dispatched, at(2025, 10, 24)) == Light.RED
    assert clocks.escalation_at(dispatched, at(2025, 10, 24)) == Escalation.SUPERVISE  # 1 wd late
    assert clocks.escalation_at(dispatched, at(2025, 10, 29)) == Escalation.SUPERVISE  # 4 wd late
    assert clocks.escalation_at(dispatched, at(2025, 10, 30)) == Escalation.ESCALATE  # 5 wd late


def test_a_pause_moves_the_reply_due_by_the_paused_working_days(dispatched, housing_handler):
    from apps.appeals.services import transitions

    lead = dispatched.lead_assignment()
    transitions.sign_for(appeal=dispatched, assignment=lead, by=housing_handler, now=at(2025, 9, 26, 11))
    transitions.pause_clock(
        appeal=dispatched, assignment=lead, reason="待补充房屋产权材料", by=housing_handler, now=at(2025, 9, 30, 10)
    )
    # paused: the light stands still at the pause's start
    assert clocks.status_at(dispatched, at(2025, 11, 30)) == Light.GREEN
    # 09-30 → 10-10: working days after 09-30 up to 10-10 are 10-09 and 10-10 (the holiday does not count)
    transitions.resume_clock(appeal=dispatched, assignment=lead, by=housing_handler, now=at(2025, 10, 10, 15))
    dispatched.refresh_from_db()
    assert dispatched.reply_due.replace(second=0) == at(2025, 10, 27, 23, 59)
    assert dispatched.contact_due.replace(second=0) == at(2025, 9, 30, 23, 59)  # 09-28 + 2 working days


def test_a_pause_within_one_day_moves_nothing(dispatched, housing_handler):
    from apps.appeals.services import transitions

    lead = dispatched.lead_assignment()
    before = dispatched.reply_due
    transitions.sign_for(appeal=dispatched, assignment=lead, by=housing_handler, now=at(2025, 9, 26, 11))
    transitions.pause_clock(
        appeal=dispatched, assignment=lead, reason="等材料", by=housing_handler, now=at(2025, 9, 29, 9)
    )
    transitions.resume_clock(appeal=dispatched, assignment=lead, by=housing_handler, now=at(2025, 9, 29, 16))
    dispatched.refresh_from_db()
    assert dispatched.reply_due == before


def test_pause_in_working_hours(calendar):
    due = at(2025, 9, 30, 15)
    moved = clocks.shifted_by_pause(due, "working_hours", at(2025, 9, 29, 16), at(2025, 9, 30, 10), calendar)
    assert moved == at(2025, 9, 30, 17, 30)  # 2.5 h paused (Mon 16:00–17:30, Tue 9:00–10:00): 15:00 → 17:30
    later = clocks.shifted_by_pause(moved, "working_hours", at(2025, 9, 30, 9), at(2025, 9, 30, 10), calendar)
    assert later == at(2025, 10, 9, 10)  # one more hour, after the holiday


def test_an_approved_extension_moves_the_reply_due(dispatched, housing_handler, agent):
    from apps.appeals.services import transitions

    lead = dispatched.lead_assignment()
    transitions.sign_for(appeal=dispatched, assignment=lead, by=housing_handler, now=at(2025, 9, 26, 11))
    transitions.request_extension(
        appeal=dispatched, assignment=lead, days=5, reason="需现场勘验", by=housing_handler, now=at(2025, 10, 20)
    )
    transitions.decide_extension(appeal=dispatched, approve=True, by=agent, now=at(2025, 10, 21))
    dispatched.refresh_from_db()
    assert dispatched.reply_due.replace(second=0) == at(2025, 10, 30, 23, 59)


def test_elapsed_working_time_per_stage(dispatched, housing_handler):
    from apps.appeals.services import transitions

    lead = dispatched.lead_assignment()
    transitions.sign_for(appeal=dispatched, assignment=lead, by=housing_handler, now=at(2025, 9, 28, 9, 30))
    dispatched.refresh_from_db()
    spent = clocks.elapsed(dispatched, at(2025, 9, 29, 10))
    assert spent.intake == timedelta(0)
    assert spent.sign_for == timedelta(hours=6.5)  # Fri 10:00–12:00, 13:30–17:30 = 6 h + Sun 9:00–9:30
    assert spent.reply == timedelta(hours=6 + 7 + 1)
    assert spent.total == spent.reply


# ---- the amber moment kept on the ticket, and the lights in SQL ------------------------------------------


def _sql_light(appeal, now):
    from apps.appeals.views.tickets import lit

    for light in (clocks.Light.RED, clocks.Light.AMBER):
        if Appeal.objects.filter(lit(light, now), pk=appeal.pk).exists():
            return light
    return None


@pytest.mark.parametrize("hours", [0, 20, 40, 60, 80, 100, 120, 160, 200, 260, 300, 400, 500])
def test_the_sql_lights_agree_with_the_clock(dispatched, housing_handler, hours):
    """Over the life of a ticket (sign-for, then handling, with a pause), SQL and status_at give the same light."""
    from apps.appeals.services import transitions

    calendar = WorkdayCalendar.load()
    now = at(2025, 9, 26, 10) + timedelta(hours=hours)
    appeal = Appeal.objects.get(pk=dispatched.pk)
    expected = clocks.status_at(appeal, now, calendar)
    assert _sql_light(appeal, now) == (None if expected == clocks.Light.GREEN else expected)
    lead = appeal.assignments.get(role="lead")
    handler = housing_handler
    transitions.sign_for(appeal=appeal, assignment=lead, by=handler, now=at(2025, 9, 26, 11))
    appeal.refresh_from_db()
    assert appeal.warn_at is not None
    expected = clocks.status_at(appeal, now, calendar)
    assert _sql_light(appeal, now) == (None if expected == clocks.Light.GREEN else expected)
    transitions.pause_clock(appeal=appeal, assignment=lead, reason="补充材料", by=handler, now=at(2025, 10, 9, 10))
    appeal = Appeal.objects.get(pk=appeal.pk)
    expected = clocks.status_at(appeal, now, calendar)
    assert _sql_light(appeal, now) == (None if expected == clocks.Light.GREEN else expected)
