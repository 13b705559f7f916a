from django.urls import path

from apps.appeals.models import Appeal, RatingAppeal, ServiceRating
from apps.appeals.views import actions, codes, public, ratings, tickets
from apps.core.scope import scoped_path

app_name = "appeals"

urlpatterns = [
    path("", tickets.appeal_list, name="list"),
    path("new/", tickets.appeal_create, name="create"),
    path("query/", public.appeal_query, name="query"),
    path("catalogue/", codes.catalogue_list, name="catalogue_list"),
    path("policies/", codes.policy_list, name="policy_list"),
    path("rate/", ratings.public_rate, name="rate"),
    path("ratings/", ratings.rating_list, name="rating_list"),
    path("ratings/new/", ratings.rating_create, name="rating_create"),
    path("ratings/bad/", ratings.bad_rating_list, name="bad_rating_list"),
    path("ratings/summary/", ratings.rating_summary, name="rating_summary"),
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
]
