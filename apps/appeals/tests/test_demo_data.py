"""The demo's tickets: every state and story the pages show, reachable by the demo hotline agent."""

import pytest
from django.urls import reverse

from apps.appeals.models import Appeal, Callback, Event, ExtensionRequest, ReturnRequest
from apps.appeals.models.appeals import State
from apps.appeals.models.process import Action
from apps.appeals.services.escalation import scan_escalations
from apps.appeals.services.follow_ups import scan_expired, scan_rechecks
from apps.org.models import User

pytestmark = pytest.mark.django_db


def test_the_demo_has_tickets_in_every_story_and_rexian_works_on_them(client):
    from yingshang.demo import runner

    runner.build_demo(seed=3, scale=1)

    states = set(Appeal.objects.values_list("state", flat=True))
    assert {State.RESOLVED, State.HANDLING, State.MERGED, State.REFUSED, State.AWAITING_FOLLOW_UP} <= states
    assert Appeal.objects.count() >= 2000
    assert Appeal.objects.filter(redo_count__gt=0).exists()
    assert Appeal.objects.exclude(merged_into=None).count() == Appeal.objects.filter(state=State.MERGED).count()
    assert ReturnRequest.objects.exists()
    assert ExtensionRequest.objects.exists()
    assert Event.objects.filter(action__in=("supervise", "escalate")).exists()
    events = Event.objects.count()
    assert scan_escalations() == {"urge": 0, "supervise": 0, "escalate": 0}
    assert Event.objects.count() == events
    for action in (Action.EXPIRED, Action.MASTER_REPLIED, Action.FOLLOW_UP_MERGED, Action.RECHECK, Action.REOPEN):
        assert Event.objects.filter(action=action).exists(), action
    assert Appeal.objects.filter(expiry_follow_up_pending=True).exists()
    assert Appeal.objects.filter(state=State.MERGED).exclude(solved="").exists()
    assert Appeal.objects.filter(state=State.MERGED, solved="", merged_into__state=State.RESOLVED).exists()
    assert Callback.objects.filter(still_solved=False).exists()
    assert scan_rechecks() == 0
    assert scan_expired() == 0

    rexian = User.objects.get(username="rexian")
    assert rexian.has_perm("appeals.record_appeal")
    assert rexian.has_perm("appeals.manage_dispatch")
    client.force_login(rexian)
    assert client.get(reverse("appeals:list")).status_code == 200
    appeal = Appeal.objects.filter(state=State.HANDLING).first()
    assert client.get(reverse("appeals:detail", kwargs={"pk": appeal.pk})).status_code == 200
    assert client.get(reverse("appeals:list"), {"light": "red"}).status_code == 200
    assert client.get(reverse("appeals:follow_up_list")).status_code == 200
    assert client.get(reverse("appeals:catalogue_create")).status_code == 403
    client.force_login(User.objects.get(username="rexianban"))
    assert client.get(reverse("appeals:catalogue_create")).status_code == 200
    assert client.get(reverse("appeals:policy_create")).status_code == 200
