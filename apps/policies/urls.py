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
]
