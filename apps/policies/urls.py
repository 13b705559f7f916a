from django.urls import path

from apps.core.scope import global_path, scoped_path
from apps.policies.models import Fulfilment, FulfilmentMaterial, MatchRun, Policy, PolicyItem
from apps.policies.views import fulfilment, matching, portal, registry, review, rules

app_name = "policies"

_policy_act = global_path("<int:pk>/do/<str:action>/", registry.policy_act, name="policy_act", model=Policy)
_policy_act.example_kwargs = {"action": "publish"}

urlpatterns = [
    # registry: documents and items are city-wide reference records
    path("", registry.policy_list, name="policy_list"),
    path("new/", registry.policy_create, name="policy_create"),
    global_path("<int:pk>/", registry.policy_detail, name="policy_detail", model=Policy),
    global_path("<int:pk>/edit/", registry.policy_edit, name="policy_edit", model=Policy),
    global_path("<int:pk>/items/new/", registry.item_create, name="item_create", model=Policy),
    _policy_act,
    global_path("items/<int:pk>/", registry.item_detail, name="item_detail", model=PolicyItem),
    global_path("items/<int:pk>/edit/", registry.item_edit, name="item_edit", model=PolicyItem),
    global_path("items/<int:pk>/copy/", registry.item_copy, name="item_copy", model=PolicyItem),
    # the rule editor of an item and its "test against an enterprise" button
    global_path("items/<int:pk>/rule/", rules.item_rule, name="item_rule", model=PolicyItem),
    global_path("items/<int:pk>/rule/test/", rules.item_rule_test, name="item_rule_test", model=PolicyItem),
    # matching
    path("matching/", matching.match_runs, name="match_runs"),
    path("matching/start/", matching.match_run_start, name="match_run_start"),
    global_path("matching/<int:pk>/", matching.match_run_detail, name="match_run_detail", model=MatchRun),
    global_path("matching/<int:pk>/progress/", matching.match_run_progress, name="match_run_progress", model=MatchRun),
    global_path("items/<int:pk>/matches/", matching.item_matches, name="item_matches", model=PolicyItem),
    # fulfilment cases
    path("fulfilments/", fulfilment.fulfilment_list, name="fulfilment_list"),
    path("fulfilments/new/", fulfilment.fulfilment_create, name="fulfilment_create"),
    scoped_path("fulfilments/<int:pk>/", fulfilment.fulfilment_detail, name="fulfilment_detail", model=Fulfilment),
    scoped_path("fulfilments/<int:pk>/act/<slug:action>/", fulfilment.fulfilment_act, name="fulfilment_act",
                model=Fulfilment, example_kwargs={"action": "propose"}),
    scoped_path("fulfilments/<int:pk>/voucher/", fulfilment.fulfilment_voucher, name="fulfilment_voucher",
                model=Fulfilment),
    scoped_path("fulfilments/materials/<int:pk>/", fulfilment.fulfilment_material, name="fulfilment_material",
                model=FulfilmentMaterial),
    # the enterprise portal
    path("portal/", portal.portal_home, name="portal_home"),
    global_path("portal/items/<int:pk>/apply/", portal.portal_apply, name="portal_apply", model=PolicyItem),
    scoped_path("portal/cases/<int:pk>/", portal.portal_case, name="portal_case", model=Fulfilment),
    # review 回头看
    path("review/", review.review, name="review"),
    global_path("review/<int:pk>/", review.review_policy, name="review_policy", model=Policy),
]  # fmt: skip
