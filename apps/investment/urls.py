from django.urls import path

from apps.core.scope import global_path, scoped_path
from apps.investment.models import ClaimConflict, Project, ProjectDocument, ScreeningRule
from apps.investment.views import claims, projects, records, rules, workflow

app_name = "investment"

urlpatterns = [
    # ---- projects, workflow, claims (lead registration, lists, board, timeline) ----
    path("", projects.project_list, name="project_list"),
    path("board/", projects.project_board, name="project_board"),
    path("leads/new/", projects.lead_create, name="lead_create"),
    path("leads/check/", projects.lead_check, name="lead_check"),
    scoped_path("projects/<int:pk>/", projects.project_detail, name="project_detail", model=Project),
    scoped_path("projects/<int:pk>/edit/", projects.project_edit, name="project_edit", model=Project),
    scoped_path("projects/<int:pk>/respond/", projects.lead_respond, name="lead_respond", model=Project),
    scoped_path("projects/<int:pk>/move/", workflow.project_move, name="project_move", model=Project),
    scoped_path("projects/<int:pk>/decide/", workflow.project_decide, name="project_decide", model=Project),
    scoped_path("projects/<int:pk>/documents/", records.document_add, name="document_add", model=Project),
    scoped_path("documents/<int:pk>/", records.document_download, name="document_download", model=ProjectDocument),
    scoped_path("projects/<int:pk>/negotiations/", records.negotiation_list, name="negotiation_list", model=Project),
    scoped_path(
        "projects/<int:pk>/negotiations/new/", records.negotiation_create, name="negotiation_create", model=Project
    ),
    scoped_path("projects/<int:pk>/funds/", records.fund_list, name="fund_list", model=Project),
    path("confirmations/", workflow.confirmation_list, name="confirmation_list"),
    path("conflicts/", claims.conflict_list, name="conflict_list"),
    scoped_path("conflicts/<int:pk>/", claims.conflict_detail, name="conflict_detail", model=ClaimConflict),
    path("settings/", rules.settings_edit, name="settings_edit"),
    scoped_path(
        "settings/gates/<str:stage>/", rules.gate_edit, name="gate_edit", model=None, example_kwargs={"stage": "signed"}
    ),
    path("settings/screening/", rules.screening_rule_list, name="screening_rule_list"),
    path("settings/screening/new/", rules.screening_rule_edit, name="screening_rule_create"),
    global_path(
        "settings/screening/<int:pk>/", rules.screening_rule_edit, name="screening_rule_edit", model=ScreeningRule
    ),
    # ---- end projects ----
    # ---- teams, trips, events ----
    # ---- end teams ----
    # ---- introducers and rewards ----
    # ---- end rewards ----
    # ---- KPIs ----
    # ---- end KPIs ----
    # ---- ledger import ----
    # ---- end ledger import ----
]
