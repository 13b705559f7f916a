from django.urls import path  # noqa: F401  (the sections below add their patterns)

from apps.core.scope import global_path, scoped_path  # noqa: F401

app_name = "policies"

urlpatterns = []

# registry (helper "registry"): documents and items are city-wide reference records
from apps.policies.models import Policy as _Policy  # noqa: E402
from apps.policies.models import PolicyItem as _PolicyItem  # noqa: E402
from apps.policies.views import registry as _registry  # noqa: E402

_policy_act = global_path("<int:pk>/do/<str:action>/", _registry.policy_act, name="policy_act", model=_Policy)
_policy_act.example_kwargs = {"action": "publish"}

urlpatterns += [
    path("", _registry.policy_list, name="policy_list"),
    path("new/", _registry.policy_create, name="policy_create"),
    global_path("<int:pk>/", _registry.policy_detail, name="policy_detail", model=_Policy),
    global_path("<int:pk>/edit/", _registry.policy_edit, name="policy_edit", model=_Policy),
    global_path("<int:pk>/items/new/", _registry.item_create, name="item_create", model=_Policy),
    _policy_act,
    global_path("items/<int:pk>/", _registry.item_detail, name="item_detail", model=_PolicyItem),
    global_path("items/<int:pk>/edit/", _registry.item_edit, name="item_edit", model=_PolicyItem),
    global_path("items/<int:pk>/copy/", _registry.item_copy, name="item_copy", model=_PolicyItem),
]

# review 回头看 (helper "registry")
from apps.policies.views import review as _review  # noqa: E402

urlpatterns += [
    path("review/", _review.review, name="review"),
    global_path("review/<int:pk>/", _review.review_policy, name="review_policy", model=_Policy),
]
