"""知识库: the lifecycle by role, versions, direct answers recording the use, review flags, counts, scope."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.appeals.models import Article, ArticleEvent, ArticleUse, ArticleVersion
from apps.appeals.models.appeals import State
from apps.appeals.models.knowledge import ArticleAction, ArticleState
from apps.appeals.services import knowledge, transitions
from apps.core.errors import BusinessRuleError

pytestmark = pytest.mark.django_db


def _fields(road, **changes) -> dict:
    values = {
        "title": "道路破损怎么报修", "questions": "门口道路坏了找谁？", "answer": "请拨打 12345，由住建局安排维修。",
        "legal_basis": "《城市道路管理条例》", "category": road, "keywords": "道路 维修",
        "review_on": timezone.localdate() + timedelta(days=180),
    }  # fmt: skip
    values.update(changes)
    return values


@pytest.fixture
def draft(housing_handler, road):
    return knowledge.create_article(fields=_fields(road), by=housing_handler, now=timezone.now())


@pytest.fixture
def published(draft, agent):
    knowledge.move_article(article=draft, action=ArticleAction.PUBLISH, by=agent, now=timezone.now())
    return draft


@pytest.fixture
def county_b_handler(county_b):
    from apps.org import roles
    from apps.org.models import Unit
    from apps.org.tests.factories import UserFactory

    unit = Unit.objects.get(code="990102D01")
    return UserFactory(username="b_handler", name="西城经办", unit=unit, roles=[roles.DEPARTMENT_HANDLER])


# ---- lifecycle by role --------------------------------------------------------------------------------------


def test_owner_creates_a_draft_of_its_own_unit(draft, housing_handler, housing):
    assert (draft.state, draft.owner, draft.version) == (ArticleState.DRAFT, housing, 1)
    assert list(draft.events.values_list("action", "to_state")) == [("create", "draft")]


def test_agent_may_not_write_articles(agent, road):
    with pytest.raises(BusinessRuleError):
        knowledge.create_article(fields=_fields(road), by=agent, now=timezone.now())
    assert not Article.objects.exists()


def test_owner_may_not_publish_and_office_may(draft, housing_handler, agent):
    assert knowledge.allowed_actions_for(draft, housing_handler) == []
    with pytest.raises(BusinessRuleError):
        knowledge.move_article(article=draft, action=ArticleAction.PUBLISH, by=housing_handler, now=timezone.now())
    draft.refresh_from_db()
    assert draft.state == ArticleState.DRAFT
    knowledge.move_article(article=draft, action=ArticleAction.PUBLISH, by=agent, now=timezone.now())
    assert draft.state == ArticleState.PUBLISHED
    assert list(draft.versions.values_list("version", "answer")) == [(1, "请拨打 12345，由住建局安排维修。")]


def test_another_department_may_not_revise(published, market_handler, road):
    with pytest.raises(BusinessRuleError):
        knowledge.revise_article(
            article=published, fields=_fields(road, answer="改"), by=market_handler, now=timezone.now()
        )
    published.refresh_from_db()
    assert published.answer == "请拨打 12345，由住建局安排维修。"


def test_withdraw_and_redraft(published, housing_handler, agent):
    assert knowledge.allowed_actions_for(published, housing_handler) == [ArticleAction.WITHDRAW]
    knowledge.move_article(article=published, action=ArticleAction.WITHDRAW, by=housing_handler, now=timezone.now())
    assert published.state == ArticleState.WITHDRAWN
    assert knowledge.allowed_actions_for(published, agent) == []
    knowledge.move_article(article=published, action=ArticleAction.REDRAFT, by=housing_handler, now=timezone.now())
    assert published.state == ArticleState.DRAFT
    assert list(published.events.values_list("action", flat=True)) == ["create", "publish", "withdraw", "redraft"]


def test_publishing_past_the_review_date_is_refused(draft, agent):
    Article.objects.filter(pk=draft.pk).update(review_on=timezone.localdate())
    draft.refresh_from_db()
    with pytest.raises(BusinessRuleError, match="复核日期"):
        knowledge.move_article(article=draft, action=ArticleAction.PUBLISH, by=agent, now=timezone.now())


def test_review_date_must_be_in_the_future(housing_handler, road):
    with pytest.raises(BusinessRuleError) as error:
        knowledge.create_article(
            fields=_fields(road, review_on=timezone.localdate()), by=housing_handler, now=timezone.now()
        )
    assert error.value.field == "review_on"


# ---- versions ----------------------------------------------------------------------------------------------


def test_revising_a_published_article_makes_a_new_version_and_keeps_the_old(published, housing_handler, agent, road):
    knowledge.revise_article(
        article=published, fields=_fields(road, answer="新口径"), by=housing_handler, now=timezone.now()
    )
    assert (published.version, published.state, published.answer) == (2, ArticleState.DRAFT, "新口径")
    assert ArticleVersion.objects.get(article=published, version=1).answer == "请拨打 12345，由住建局安排维修。"
    knowledge.move_article(article=published, action=ArticleAction.PUBLISH, by=agent, now=timezone.now())
    assert list(published.versions.values_list("version", flat=True)) == [2, 1]


def test_revising_a_draft_changes_it_in_place(draft, housing_handler, road):
    knowledge.revise_article(
        article=draft, fields=_fields(road, title="新标题"), by=housing_handler, now=timezone.now()
    )
    assert (draft.version, draft.title) == (1, "新标题")
    assert not ArticleVersion.objects.exists()


# ---- direct answers ------------------------------------------------------------------------------------------


@pytest.fixture
def consultation(make_appeal, agent):
    from apps.appeals.tests.conftest import at

    appeal = make_appeal(appeal_type="consultation")
    transitions.accept_appeal(appeal=appeal, by=agent, now=at(2025, 9, 26, 10))
    return appeal


def test_direct_answer_records_the_article_and_version(consultation, published, agent):
    event = transitions.answer_directly(appeal=consultation, answer="", article=published, by=agent, now=timezone.now())
    consultation.refresh_from_db()
    assert consultation.state == State.AWAITING_FOLLOW_UP
    assert event.note == published.answer
    use = ArticleUse.objects.get()
    assert (use.article, use.version, use.appeal, use.event, use.by) == (published, 1, consultation, event, agent)


def test_direct_answer_refuses_an_unpublished_article(consultation, draft, agent):
    with pytest.raises(BusinessRuleError):
        transitions.answer_directly(appeal=consultation, answer="答", article=draft, by=agent, now=timezone.now())
    consultation.refresh_from_db()
    assert consultation.state == State.AWAITING_DISPATCH
    assert not ArticleUse.objects.exists()


def test_direct_answer_without_article_still_works(consultation, agent):
    transitions.answer_directly(appeal=consultation, answer="已告知", by=agent, now=timezone.now())
    assert not ArticleUse.objects.exists()


def test_ticket_page_offers_published_articles_and_the_form_records_the_use(
    consultation, published, draft, agent, client_for, road, housing_handler
):
    other = knowledge.create_article(fields=_fields(road, title="未发布条目"), by=housing_handler, now=timezone.now())
    client = client_for(agent)
    page = client.get(reverse("appeals:detail", args=[consultation.pk])).content.decode()
    assert f'value="{published.pk}" data-answer="请拨打 12345，由住建局安排维修。"' in page
    assert "未发布条目" not in page
    assert other.pk
    response = client.post(
        reverse("appeals:act", args=[consultation.pk, "answer_directly"]),
        {
            "answer_directly-article": published.pk,
            "article": published.pk,
            "answer": "请拨打 12345，由住建局安排维修。",
        },
    )
    assert response.status_code == 302
    assert ArticleUse.objects.filter(article=published, appeal=consultation, version=1).exists()


# ---- review flags ----------------------------------------------------------------------------------------------


def test_review_light():
    today = date(2026, 6, 1)
    assert Article(review_on=date(2026, 5, 31)).review_light(today) == "red"
    assert Article(review_on=date(2026, 7, 1)).review_light(today) == "amber"
    assert Article(review_on=date(2026, 7, 2)).review_light(today) == ""


def test_overdue_articles_are_flagged_and_listed_for_their_owner(published, housing_handler, client_for):
    Article.objects.filter(pk=published.pk).update(review_on=timezone.localdate() - timedelta(days=1))
    response = client_for(housing_handler).get(reverse("appeals:article_list"), {"overdue": "on"})
    page = response.content.decode()
    assert "复核逾期" in page
    assert published.title in page
    assert "本部门有 1 条" in page


def test_the_overdue_filter_leaves_out_current_articles(published, housing_handler, client_for):
    page = client_for(housing_handler).get(reverse("appeals:article_list"), {"overdue": "on"}).content.decode()
    assert published.title not in page


# ---- counts ----------------------------------------------------------------------------------------------------


def test_knowledge_counts_on_a_small_fixture(
    published, draft, housing, market, housing_handler, agent, road, consultation
):
    second = knowledge.create_article(fields=_fields(road, title="第二条"), by=housing_handler, now=timezone.now())
    knowledge.move_article(article=second, action=ArticleAction.PUBLISH, by=agent, now=timezone.now())
    Article.objects.filter(pk=second.pk).update(review_on=timezone.localdate() - timedelta(days=3))
    old = knowledge.create_article(fields=_fields(road, title="旧条目"), by=housing_handler, now=timezone.now())
    Article.objects.filter(pk=old.pk).update(updated_at=timezone.now() - timedelta(days=90))
    transitions.answer_directly(appeal=consultation, answer="", article=published, by=agent, now=timezone.now())
    today = timezone.localdate()
    counts = knowledge.knowledge_counts([housing, market], today - timedelta(days=29), today)
    assert counts[housing.pk] == {"published": 2, "overdue": 1, "updated": 2, "uses": 1}
    assert counts[market.pk] == {"published": 0, "overdue": 0, "updated": 0, "uses": 0}
    assert (
        knowledge.knowledge_counts([housing], today + timedelta(days=1), today + timedelta(days=2))[housing.pk]["uses"]
        == 0
    )


def test_stats_page(published, agent, client_for):
    response = client_for(agent).get(reverse("appeals:knowledge_stats"))
    assert response.status_code == 200
    assert "市住房和城乡建设局" in response.content.decode()


# ---- permissions and scope -----------------------------------------------------------------------------------


def test_drafts_are_hidden_from_other_counties_and_published_ones_are_shared(
    draft, county_b_handler, agent, client_for
):
    client = client_for(county_b_handler)
    assert client.get(reverse("appeals:article_detail", args=[draft.pk])).status_code == 404
    knowledge.move_article(article=draft, action=ArticleAction.PUBLISH, by=agent, now=timezone.now())
    assert client.get(reverse("appeals:article_detail", args=[draft.pk])).status_code == 200
    assert client.get(reverse("appeals:article_edit", args=[draft.pk])).status_code == 403


@pytest.mark.parametrize("who", ["anonymous", "county_b_handler", "market_handler", "housing_handler"])
def test_who_may_publish_through_the_view(who, draft, request, client):
    if who != "anonymous":
        client.force_login(request.getfixturevalue(who))
    response = client.post(reverse("appeals:article_act", args=[draft.pk, "publish"]))
    assert response.status_code in (302, 403, 404)
    draft.refresh_from_db()
    assert draft.state == ArticleState.DRAFT


def test_the_office_publishes_through_the_view(draft, agent, client_for):
    response = client_for(agent).post(reverse("appeals:article_act", args=[draft.pk, "publish"]), {"note": "审核通过"})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.state == ArticleState.PUBLISHED
    assert ArticleEvent.objects.filter(article=draft, action="publish", note="审核通过").exists()


def test_owner_creates_and_revises_through_the_views(housing_handler, client_for, road):
    client = client_for(housing_handler)
    data = {k: (v.pk if hasattr(v, "pk") else v) for k, v in _fields(road).items()}
    response = client.post(reverse("appeals:article_create"), data)
    article = Article.objects.get()
    assert response.status_code == 302
    response = client.post(
        reverse("appeals:article_edit", args=[article.pk]), {**data, "title": "改后", "note": "政策调整"}
    )
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.title == "改后"


def test_create_form_shows_errors(housing_handler, client_for):
    response = client_for(housing_handler).post(reverse("appeals:article_create"), {"title": ""})
    assert response.status_code == 200
    assert not Article.objects.exists()


def test_agent_may_not_open_the_create_form(agent, client_for):
    assert client_for(agent).get(reverse("appeals:article_create")).status_code == 403


# ---- list ----------------------------------------------------------------------------------------------------


def test_list_search_and_export(published, agent, client_for, road, housing_handler):
    knowledge.create_article(
        fields=_fields(road, title="营业执照办理", keywords="执照"), by=housing_handler, now=timezone.now()
    )
    client = client_for(agent)
    page = client.get(reverse("appeals:article_list"), {"q": "执照"}).content.decode()
    assert "营业执照办理" in page
    assert published.title not in page
    export = client.get(reverse("appeals:article_list"), {"export": "xlsx"})
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")


def test_list_query_count_does_not_grow(agent, client_for, count_queries, housing_handler, road):
    client = client_for(agent)
    url = reverse("appeals:article_list")
    knowledge.create_article(fields=_fields(road), by=housing_handler, now=timezone.now())
    few = count_queries(lambda: client.get(url))
    for n in range(10):
        knowledge.create_article(fields=_fields(road, title=f"条目{n}"), by=housing_handler, now=timezone.now())
    assert count_queries(lambda: client.get(url)) == few
