from django.urls import path

from apps.bizenv.commitment_urls import urlpatterns as commitment_urls
from apps.bizenv.models import Entry, Indicator, Methodology, Result, Round
from apps.bizenv.views import methodologies as views
from apps.bizenv.views import results as result_views
from apps.bizenv.views import rounds as round_views
from apps.core.scope import global_path, scoped_path

app_name = "bizenv"

urlpatterns = [
    path("", views.methodology_list, name="methodology_list"),
    path("versions/new/", views.methodology_create, name="methodology_create"),
    global_path("versions/<int:pk>/", views.methodology_detail, name="methodology_detail", model=Methodology),
    global_path("versions/<int:pk>/edit/", views.methodology_edit, name="methodology_edit", model=Methodology),
    global_path("versions/<int:pk>/delete/", views.methodology_delete, name="methodology_delete", model=Methodology),
    global_path("versions/<int:pk>/publish/", views.methodology_publish, name="methodology_publish", model=Methodology),
    global_path("versions/<int:pk>/copy/", views.methodology_copy, name="methodology_copy", model=Methodology),
    global_path("versions/<int:pk>/import/", views.tree_import, name="tree_import", model=Methodology),
    global_path(
        "versions/<int:pk>/indicators/new/", views.indicator_create, name="indicator_create", model=Methodology
    ),
    global_path("indicators/<int:pk>/", views.indicator_edit, name="indicator_edit", model=Indicator),
    global_path("indicators/<int:pk>/delete/", views.indicator_delete, name="indicator_delete", model=Indicator),
    global_path(
        "versions/<int:pk>/handbook/", result_views.methodology_handbook, name="methodology_handbook", model=Methodology
    ),
    # evaluation rounds
    path("rounds/", round_views.round_list, name="round_list"),
    path("rounds/new/", round_views.round_create, name="round_create"),
    global_path("rounds/<int:pk>/", round_views.round_detail, name="round_detail", model=Round),
    global_path("rounds/<int:pk>/edit/", round_views.round_edit, name="round_edit", model=Round),
    scoped_path(
        "rounds/<int:pk>/do/<str:action>/",
        round_views.round_action,
        name="round_action",
        model=None,
        example_kwargs={"pk": 1, "action": "open"},
    ),
    global_path("rounds/<int:pk>/disclosure/", round_views.round_disclosure, name="round_disclosure", model=Round),
    scoped_path(
        "rounds/<int:pk>/indicators/<int:indicator_pk>/",
        round_views.entry_sheet,
        name="entry_sheet",
        model=None,
        example_kwargs={"pk": 1, "indicator_pk": 1},
    ),
    scoped_path(
        "rounds/<int:pk>/indicators/<int:indicator_pk>/approve/",
        round_views.entry_approve_all,
        name="entry_approve_all",
        model=None,
        example_kwargs={"pk": 1, "indicator_pk": 1},
    ),
    scoped_path("entries/<int:pk>/review/", round_views.entry_review, name="entry_review", model=Entry),
    global_path("rounds/<int:pk>/import/", round_views.entry_import, name="entry_import", model=Round),
    global_path("rounds/<int:pk>/references/", round_views.reference_edit, name="reference_edit", model=Round),
    global_path("rounds/<int:pk>/results/", result_views.result_list, name="result_list", model=Round),
    scoped_path("results/<int:pk>/", result_views.result_unit, name="result_unit", model=Result),
    global_path("rounds/<int:pk>/flags/", result_views.flag_list, name="flag_list", model=Round),
    scoped_path(
        "rounds/<int:pk>/flags/<int:indicator_pk>/rectify/",
        result_views.flag_rectify,
        name="flag_rectify",
        model=None,
        example_kwargs={"pk": 1, "indicator_pk": 1},
    ),
    global_path("rounds/<int:pk>/robustness/", result_views.robustness, name="robustness", model=Round),
]

urlpatterns += commitment_urls
