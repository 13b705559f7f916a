from django.urls import path

from apps.chains.models import Chain, Link, Placement, PlacementRun
from apps.chains.views import diagram, guide, maps, placement, targets
from apps.core.scope import global_path

app_name = "chains"

_placement_act = global_path(
    "placements/<int:pk>/do/<str:action>/", placement.placement_act, name="placement_act", model=Placement
)
_placement_act.example_kwargs = {"action": "confirm"}

urlpatterns = [
    # chain maps: chains and links are city-wide reference records
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
    # placement: a chain's queue of suggestions, its suggestion runs, a link's page, the diagram and its gaps
    global_path("<int:pk>/placements/", placement.placement_queue, name="placement_queue", model=Chain),
    global_path("<int:pk>/placements/bulk/", placement.placement_bulk, name="placement_bulk", model=Chain),
    global_path("<int:pk>/placements/run/", placement.placement_run_start, name="placement_run_start", model=Chain),
    global_path("placement-runs/<int:pk>/", placement.placement_run_detail, name="placement_run_detail",
                model=PlacementRun),
    global_path("placement-runs/<int:pk>/progress/", placement.placement_run_progress, name="placement_run_progress",
                model=PlacementRun),
    _placement_act,
    global_path("links/<int:pk>/", placement.link_detail, name="link_detail", model=Link),
    global_path("links/<int:pk>/placements/add/", placement.placement_add, name="placement_add", model=Link),
    global_path("<int:pk>/diagram/", diagram.chain_diagram, name="chain_diagram", model=Chain),
    global_path("<int:pk>/gaps/export/", diagram.gap_export, name="gap_export", model=Chain),
    # target recommendations, leads on a link and the investment guide
    global_path("links/<int:pk>/targets/", targets.link_targets, name="link_targets", model=Link),
    global_path("links/<int:pk>/targets/open/", targets.target_open, name="target_open", model=Link),
    global_path("links/<int:pk>/leads/", targets.link_leads, name="link_leads", model=Link),
    global_path("<int:pk>/targets/", targets.chain_targets, name="chain_targets", model=Chain),
    global_path("<int:pk>/guide/", guide.chain_guide, name="chain_guide", model=Chain),
]  # fmt: skip
