"""The escalation scan records 催办 → 督办 → 提级 once per ticket, level and due date, and notifies the lead unit."""

import pytest

from apps.appeals.models import Event
from apps.appeals.models.process import Action
from apps.appeals.services import transitions
from apps.appeals.services.escalation import scan_escalations
from apps.appeals.tests.conftest import at
from apps.core import scans
from apps.core.models import Notice

pytestmark = pytest.mark.django_db


@pytest.fixture
def handling(dispatched, housing_handler):
    """Signed for on Friday 2025-09-26; the complaint's reply is due at the end of a working day in October."""
    lead = dispatched.lead_assignment()
    transitions.sign_for(appeal=dispatched, assignment=lead, by=housing_handler, now=at(2025, 9, 26, 11))
    dispatched.refresh_from_db()
    return dispatched


def _escalations(appeal):
    return list(
        Event.objects.filter(appeal=appeal, action__in=(Action.URGE, Action.SUPERVISE, Action.ESCALATE))
        .order_by("pk")
        .values_list("action", flat=True)
    )


def test_nothing_before_the_urge_threshold(handling):
    assert scan_escalations(now=at(2025, 9, 29, 9)) == {"urge": 0, "supervise": 0, "escalate": 0}
    assert _escalations(handling) == []


def test_each_level_once_and_a_second_run_writes_nothing(handling, housing_handler):
    due = handling.reply_due
    day_before = due.replace(hour=9, minute=0)
    scan_escalations(now=day_before)
    events, notices = Event.objects.count(), Notice.objects.count()
    assert scan_escalations(now=day_before) == {"urge": 0, "supervise": 0, "escalate": 0}
    assert (Event.objects.count(), Notice.objects.count()) == (events, notices)
    assert _escalations(handling) == ["urge"]
    assert Notice.objects.filter(recipient=housing_handler).count() == 1


def test_overdue_goes_to_supervise_then_escalate(handling):
    from datetime import timedelta

    scan_escalations(now=handling.reply_due + timedelta(hours=10))
    scan_escalations(now=handling.reply_due + timedelta(days=14))
    scan_escalations(now=handling.reply_due + timedelta(days=15))
    assert _escalations(handling) == ["supervise", "escalate"]


def test_the_scan_is_registered():
    assert "appeals_escalation" in scans.names()
