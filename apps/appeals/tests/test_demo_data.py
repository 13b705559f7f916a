"""The demo's tickets: every state and story the pages show, reachable by the demo hotline agent."""

import pytest
from django.urls import reverse

from apps.appeals.models import Appeal, Campaign, EvaluationComment, Event, ExtensionRequest, ReturnRequest
from apps.appeals.models.appeals import State
from apps.appeals.services import evaluation_results
from apps.appeals.services.escalation import scan_escalations
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

    rexian = User.objects.get(username="rexian")
    assert rexian.has_perm("appeals.record_appeal")
    assert rexian.has_perm("appeals.manage_dispatch")
    client.force_login(rexian)
    assert client.get(reverse("appeals:list")).status_code == 200
    appeal = Appeal.objects.filter(state=State.HANDLING).first()
    assert client.get(reverse("appeals:detail", kwargs={"pk": appeal.pk})).status_code == 200
    assert client.get(reverse("appeals:list"), {"light": "red"}).status_code == 200


def test_the_demo_has_a_published_evaluation_with_departments_below_k_and_an_open_one(client):
    from yingshang.demo import runner

    runner.build_demo(seed=3, scale=1)

    published, running = Campaign.objects.get(state="published"), Campaign.objects.get(state="open")
    found = evaluation_results.department_results(published)
    assert published.departments.count() == 15
    assert sum(r.published for r in found) >= 10
    assert 1 <= sum(not r.published for r in found) <= 5
    assert all(r.responses < published.k_threshold for r in found if not r.published)
    assert evaluation_results.progress(published).answered >= 150
    assert EvaluationComment.objects.filter(campaign=published, status="rejected").exists()
    assert not EvaluationComment.objects.filter(campaign=published, status="pending").exists()
    assert EvaluationComment.objects.filter(campaign=running, status="pending").exists()
    assert 0 < evaluation_results.progress(running).answered < evaluation_results.progress(running).invited

    client.force_login(User.objects.get(username="yingshang"))
    page = client.get(reverse("appeals:evaluation_detail", kwargs={"pk": published.pk})).content.decode()
    assert "样本不足 5 份，不予公布" in page
    assert client.get(reverse("appeals:evaluation_comments")).status_code == 200
    client.force_login(User.objects.get(username="bumen"))  # 市市场监管局 reads its own published result
    assert (
        client.get(reverse("appeals:evaluation_detail", kwargs={"pk": published.pk}))
        .content.decode()
        .count('data-testid="result-row"')
        == 1
    )
