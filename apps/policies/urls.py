from django.urls import path  # noqa: F401  (the sections below add their patterns)

from apps.core.scope import global_path, scoped_path  # noqa: F401

app_name = "policies"

urlpatterns = []

# ---- rules (helper "rules"): the rule editor of an item and its "test against an enterprise" button
from apps.policies.models import PolicyItem  # noqa: E402
from apps.policies.views import rules as rule_views  # noqa: E402

urlpatterns += [
    global_path("items/<int:pk>/rule/", rule_views.item_rule, name="item_rule", model=PolicyItem),
    global_path("items/<int:pk>/rule/test/", rule_views.item_rule_test, name="item_rule_test", model=PolicyItem),
# ---- matching (helper "matching") ----
from apps.policies.models import MatchRun, PolicyItem  # noqa: E402
from apps.policies.views import matching as matching_views  # noqa: E402

urlpatterns += [
    path("matching/", matching_views.match_runs, name="match_runs"),
    path("matching/start/", matching_views.match_run_start, name="match_run_start"),
    global_path("matching/<int:pk>/", matching_views.match_run_detail, name="match_run_detail", model=MatchRun),
    global_path(
        "matching/<int:pk>/progress/", matching_views.match_run_progress, name="match_run_progress", model=MatchRun
    ),
    global_path("items/<int:pk>/matches/", matching_views.item_matches, name="item_matches", model=PolicyItem),
]
# ---- fulfilment cases and the enterprise portal (helper "fulfilment") ----
from apps.policies.models import Fulfilment, FulfilmentMaterial, PolicyItem  # noqa: E402
from apps.policies.views import fulfilment as fulfilment_views  # noqa: E402
from apps.policies.views import portal as portal_views  # noqa: E402

urlpatterns += [
    path("fulfilments/", fulfilment_views.fulfilment_list, name="fulfilment_list"),
    path("fulfilments/new/", fulfilment_views.fulfilment_create, name="fulfilment_create"),
    scoped_path("fulfilments/<int:pk>/", fulfilment_views.fulfilment_detail, name="fulfilment_detail",
                model=Fulfilment),
    scoped_path("fulfilments/<int:pk>/act/<slug:action>/", fulfilment_views.fulfilment_act, name="fulfilment_act",
                model=Fulfilment, example_kwargs={"action": "propose"}),
    scoped_path("fulfilments/materials/<int:pk>/", fulfilment_views.fulfilment_material,
                name="fulfilment_material", model=FulfilmentMaterial),
    path("portal/", portal_views.portal_home, name="portal_home"),
    global_path("portal/items/<int:pk>/apply/", portal_views.portal_apply, name="portal_apply", model=PolicyItem),
    scoped_path("portal/cases/<int:pk>/", portal_views.portal_case, name="portal_case", model=Fulfilment),
]  # fmt: skip
