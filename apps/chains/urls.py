from apps.chains.models import Chain, Link
from apps.chains.views import guide, targets
from apps.core.scope import global_path

app_name = "chains"

urlpatterns = [
    # target recommendations, leads on a link and the investment guide
    global_path("links/<int:pk>/targets/", targets.link_targets, name="link_targets", model=Link),
    global_path("links/<int:pk>/targets/open/", targets.target_open, name="target_open", model=Link),
    global_path("links/<int:pk>/leads/", targets.link_leads, name="link_leads", model=Link),
    global_path("<int:pk>/targets/", targets.chain_targets, name="chain_targets", model=Chain),
    global_path("<int:pk>/guide/", guide.chain_guide, name="chain_guide", model=Chain),
]
