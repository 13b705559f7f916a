from django.urls import path

from apps.appeals.models import Appeal, Article, Campaign, EvaluationComment, RatingAppeal, RatingPush, ServiceRating
from apps.appeals.views import (
    actions,
    codes,
    evaluation_public,
    evaluations,
    follow_ups,
    knowledge,
    public,
    rating_push,
    ratings,
    statistics,
    tickets,
)
from apps.core.scope import scoped_path

app_name = "appeals"

urlpatterns = [
    path("", tickets.appeal_list, name="list"),
    path("new/", tickets.appeal_create, name="create"),
    path("query/", public.appeal_query, name="query"),
    path("follow-ups/", follow_ups.follow_up_list, name="follow_up_list"),
    path("catalogue/", codes.catalogue_list, name="catalogue_list"),
    path("catalogue/new/", codes.catalogue_create, name="catalogue_create"),
    path("policies/", codes.policy_list, name="policy_list"),
    path("statistics/", statistics.statistics_page, name="statistics"),
    path("statistics/snapshot/", statistics.statistics_snapshot, name="statistics_snapshot"),
    path("statistics/schemes/", statistics.scheme_list, name="scheme_list"),
    path("statistics/schemes/new/", statistics.scheme_create, name="scheme_create"),
    path("hot-spots/", statistics.hot_spot_page, name="hot_spots"),
    path("policies/new/", codes.policy_create, name="policy_create"),
    path("rate/", ratings.public_rate, name="rate"),
    path("ratings/", ratings.rating_list, name="rating_list"),
    path("ratings/new/", ratings.rating_create, name="rating_create"),
    path("ratings/bad/", ratings.bad_rating_list, name="bad_rating_list"),
    path("ratings/summary/", ratings.rating_summary, name="rating_summary"),
    path("ratings/pushes/", rating_push.push_list, name="rating_push_list"),
    scoped_path("ratings/pushes/<int:pk>/retry/", rating_push.push_retry, name="rating_push_retry", model=RatingPush),
    scoped_path("ratings/<int:pk>/", ratings.rating_detail, name="rating_detail", model=ServiceRating),
    scoped_path(
        "ratings/<int:pk>/do/<str:action>/",
        ratings.rating_act,
        name="rating_act",
        model=ServiceRating,
        example_kwargs={"action": "verify"},
    ),
    scoped_path("ratings/<int:pk>/evidence/", ratings.rating_evidence, name="rating_evidence", model=ServiceRating),
    scoped_path(
        "ratings/appeals/<int:pk>/evidence/",
        ratings.rating_appeal_evidence,
        name="rating_appeal_evidence",
        model=RatingAppeal,
    ),
    scoped_path("<int:pk>/", actions.appeal_detail, name="detail", model=Appeal),
    scoped_path(
        "<int:pk>/do/<str:action>/", actions.appeal_act, name="act", model=Appeal, example_kwargs={"action": "contact"}
    ),
    # 知识库 (the hotline's knowledge base)
    path("knowledge/", knowledge.article_list, name="article_list"),
    path("knowledge/new/", knowledge.article_create, name="article_create"),
    path("knowledge/statistics/", knowledge.knowledge_stats, name="knowledge_stats"),
    scoped_path("knowledge/<int:pk>/", knowledge.article_detail, name="article_detail", model=Article),
    scoped_path("knowledge/<int:pk>/edit/", knowledge.article_edit, name="article_edit", model=Article),
    scoped_path(
        "knowledge/<int:pk>/do/<str:action>/",
        knowledge.article_act,
        name="article_act",
        model=Article,
        example_kwargs={"action": "publish"},
    ),
    # 企业评议部门 (anonymous evaluation of departments by enterprises)
    path("evaluations/", evaluations.campaign_list, name="evaluation_list"),
    path("evaluations/new/", evaluations.campaign_create, name="evaluation_create"),
    path("evaluations/comments/", evaluations.comment_queue, name="evaluation_comments"),
    path("evaluate/", evaluation_public.evaluation_answer, name="evaluation_answer"),
    scoped_path("evaluations/<int:pk>/", evaluations.campaign_detail, name="evaluation_detail", model=Campaign),
    scoped_path("evaluations/<int:pk>/edit/", evaluations.campaign_edit, name="evaluation_edit", model=Campaign),
    scoped_path("evaluations/<int:pk>/invite/", evaluations.campaign_invite, name="evaluation_invite", model=Campaign),
    scoped_path(
        "evaluations/<int:pk>/invitations.xlsx",
        evaluations.invitation_export,
        name="evaluation_invitations",
        model=Campaign,
    ),
    scoped_path(
        "evaluations/<int:pk>/results.xlsx", evaluations.results_export, name="evaluation_results", model=Campaign
    ),
    scoped_path(
        "evaluations/<int:pk>/do/<str:action>/",
        evaluations.campaign_act,
        name="evaluation_act",
        model=Campaign,
        example_kwargs={"action": "open"},
    ),
    scoped_path(
        "evaluations/comments/<uuid:pk>/review/",
        evaluations.comment_review,
        name="evaluation_review",
        model=EvaluationComment,
    ),
]
