from django.urls import path  # noqa: F401  (the sections below add their patterns)

from apps.core.scope import global_path, scoped_path  # noqa: F401

app_name = "policies"

urlpatterns = []

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
