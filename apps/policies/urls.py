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
