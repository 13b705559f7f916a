"""The demo's tickets: every state and story the pages show, reachable by the demo hotline agent."""

import pytest
from django.urls import reverse

from apps.appeals.models import Appeal, Callback, Campaign, EvaluationComment, Event, ExtensionRequest, ReturnRequest
from apps.appeals.models.appeals import State
from apps.appeals.models.process import Action
from apps.appeals.services import evaluation_results
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
    _check_knowledge_base(client, rexian)


def _check_knowledge_base(client, rexian) -> None:
    """About forty articles, some overdue for review, some quoted by direct answers; the pages open."""
    from django.utils import timezone

    from apps.appeals.models import Article, ArticleUse

    assert 30 <= Article.objects.count() <= 60
    assert set(Article.objects.values_list("state", flat=True)) == {"draft", "published", "withdrawn"}
    assert Article.objects.published().filter(review_on__lt=timezone.localdate()).exists()
    assert ArticleUse.objects.exists()
    assert Article.objects.values("owner").distinct().count() >= 4
    client.force_login(rexian)
    assert client.get(reverse("appeals:article_list")).status_code == 200
    assert client.get(reverse("appeals:knowledge_stats")).status_code == 200


def test_the_demo_has_ratings_in_every_state_and_defaulted_ones_apart(client):
    from django.utils import timezone

    from apps.appeals.models import RatingAppeal, ServiceRating
    from apps.appeals.models.ratings import RectificationState
    from apps.appeals.services.rating_defaults import record_defaulted_ratings
    from apps.appeals.services.ratings import running_due
    from yingshang.demo import runner

    runner.build_demo(seed=3, scale=1)

    assert set(ServiceRating.objects.values_list("kind", flat=True)) == {"ticket", "service"}
    bad = ServiceRating.objects.bad().filter(defaulted=False)
    assert set(RectificationState.values) - {"none"} <= set(bad.values_list("state", flat=True))
    overdue = [r for r in bad.open_bad() if running_due(r) is not None and running_due(r) < timezone.now()]
    assert {r.state for r in overdue} == {"awaiting_verification", "rectifying"}
    assert ServiceRating.objects.filter(excluded=True, state="closed").exists()
    assert RatingAppeal.objects.filter(decision="pending").exists()
    assert RatingAppeal.objects.filter(decision="rejected").exists()
    defaulted = ServiceRating.objects.filter(defaulted=True)
    assert defaulted.exists()
    assert not defaulted.filter(events__action="record").exists()
    assert record_defaulted_ratings() == 0  # the scan already ran: nothing new

    from django.contrib.auth import get_user_model
    from django.urls import reverse

    client.force_login(get_user_model().objects.get(username="rexian"))
    from apps.appeals.models import RatingPush

    assert set(RatingPush.objects.values_list("state", flat=True)) == {"pending", "pushed", "failed"}
    for name in (
        "appeals:rating_list",
        "appeals:bad_rating_list",
        "appeals:rating_summary",
        "appeals:rating_push_list",
    ):
        assert client.get(reverse(name)).status_code == 200
    rating = bad.open_bad().first()
    assert client.get(reverse("appeals:rating_detail", kwargs={"pk": rating.pk})).status_code == 200


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
