from apps.chains.models import Chain, Link, Placement, PlacementRun
from apps.chains.views import diagram, placement
from apps.core.scope import global_path

app_name = "chains"

_placement_act = global_path(
    "placements/<int:pk>/do/<str:action>/", placement.placement_act, name="placement_act", model=Placement
)
_placement_act.example_kwargs = {"action": "confirm"}

urlpatterns = [
    # placement (H2): a chain's queue of suggestions, its suggestion runs, a link's page, the diagram and gaps
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
]  # fmt: skip
