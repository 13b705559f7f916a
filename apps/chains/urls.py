from django.urls import path

from apps.chains.models import Chain, Link
from apps.chains.views import maps
from apps.core.scope import global_path

app_name = "chains"

urlpatterns = [
    # chain maps (H1): chains and links are city-wide reference records
    path("", maps.chain_list, name="chain_list"),
    path("new/", maps.chain_create, name="chain_create"),
    path("import/", maps.chain_import, name="chain_import"),
    global_path("<int:pk>/", maps.chain_detail, name="chain_detail", model=Chain),
    global_path("<int:pk>/edit/", maps.chain_edit, name="chain_edit", model=Chain),
    global_path("<int:pk>/export/", maps.chain_export, name="chain_export", model=Chain),
    global_path("<int:pk>/delete/", maps.chain_delete, name="chain_delete", model=Chain),
    global_path("<int:pk>/links/new/", maps.link_create, name="link_create", model=Chain),
    global_path("links/<int:pk>/edit/", maps.link_edit, name="link_edit", model=Link),
    global_path("links/<int:pk>/delete/", maps.link_delete, name="link_delete", model=Link),
]  # fmt: skip
