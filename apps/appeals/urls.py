from django.urls import path

from apps.appeals.models import Appeal, Campaign, EvaluationComment
from apps.appeals.views import actions, codes, evaluation_public, evaluations, public, tickets
from apps.core.scope import scoped_path

app_name = "appeals"

urlpatterns = [
    path("", tickets.appeal_list, name="list"),
    path("new/", tickets.appeal_create, name="create"),
    path("query/", public.appeal_query, name="query"),
    path("catalogue/", codes.catalogue_list, name="catalogue_list"),
    path("policies/", codes.policy_list, name="policy_list"),
    scoped_path("<int:pk>/", actions.appeal_detail, name="detail", model=Appeal),
    scoped_path(
        "<int:pk>/do/<str:action>/", actions.appeal_act, name="act", model=Appeal, example_kwargs={"action": "contact"}
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
