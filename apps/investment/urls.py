from django.urls import path

from apps.core.models import LedgerImport
from apps.core.scope import global_path, scoped_path
from apps.investment.models import ClaimConflict, Project, ProjectDocument, ScreeningRule
from apps.investment.models.events import Event
from apps.investment.models.rewards import Introducer, RewardClaim, RewardRule
from apps.investment.models.teams import Team, TeamMember, Trip
from apps.investment.views import claims, projects, records, rules, workflow
from apps.investment.views import events as event_views
from apps.investment.views import imports as ledger_imports
from apps.investment.views import kpis as kpi_views  # the KPIs section
from apps.investment.views import rewards as reward_views
from apps.investment.views import teams as team_views

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
    path("teams/", team_views.team_list, name="team_list"),
    path("teams/new/", team_views.team_create, name="team_create"),
    path("teams/scorecard/", team_views.team_scorecard, name="team_scorecard"),
    scoped_path("teams/<int:pk>/", team_views.team_detail, name="team_detail", model=Team),
    scoped_path("teams/<int:pk>/edit/", team_views.team_edit, name="team_edit", model=Team),
    scoped_path("teams/<int:pk>/members/new/", team_views.member_add, name="team_member_add", model=Team),
    scoped_path("team-members/<int:pk>/leave/", team_views.member_leave, name="team_member_leave", model=TeamMember),
    scoped_path("teams/<int:pk>/trips/new/", team_views.trip_create, name="trip_create", model=Team),
    path("trips/", team_views.trip_list, name="trip_list"),
    path("trips/pick/", team_views.trip_visit_pick, name="trip_visit_pick"),
    scoped_path("trips/<int:pk>/", team_views.trip_detail, name="trip_detail", model=Trip),
    scoped_path("trips/<int:pk>/edit/", team_views.trip_edit, name="trip_edit", model=Trip),
    path("events/", event_views.event_list, name="event_list"),
    path("events/new/", event_views.event_create, name="event_create"),
    path("events/landing/", event_views.event_landing, name="event_landing"),
    scoped_path("events/<int:pk>/", event_views.event_detail, name="event_detail", model=Event),
    scoped_path("events/<int:pk>/edit/", event_views.event_edit, name="event_edit", model=Event),
    # ---- end teams ----
    # ---- introducers and rewards ----
    path("introducers/", reward_views.introducer_list, name="introducer_list"),
    path("introducers/new/", reward_views.introducer_create, name="introducer_create"),
    scoped_path("introducers/<int:pk>/", reward_views.introducer_detail, name="introducer_detail", model=Introducer),
    scoped_path("introducers/<int:pk>/edit/", reward_views.introducer_edit, name="introducer_edit", model=Introducer),
    scoped_path(
        "introducers/<int:pk>/reveal/", reward_views.introducer_reveal, name="introducer_reveal", model=Introducer
    ),
    path("reward-rules/", reward_views.reward_rule_list, name="reward_rule_list"),
    path("reward-rules/new/", reward_views.reward_rule_create, name="reward_rule_create"),
    path("reward-rules/try/", reward_views.reward_rule_try, name="reward_rule_try"),
    global_path(
        "reward-rules/<int:pk>/edit/", reward_views.reward_rule_edit, name="reward_rule_edit", model=RewardRule
    ),
    path("rewards/", reward_views.reward_claim_list, name="reward_claim_list"),
    scoped_path(
        "projects/<int:pk>/rewards/new/", reward_views.reward_claim_create, name="reward_claim_create", model=Project
    ),
    scoped_path("rewards/<int:pk>/", reward_views.reward_claim_detail, name="reward_claim_detail", model=RewardClaim),
    scoped_path("rewards/<int:pk>/act/", reward_views.reward_claim_act, name="reward_claim_act", model=RewardClaim),
    # ---- end rewards ----
    # ---- KPIs ----
    path("kpis/", kpi_views.kpi_dashboard, name="kpi_dashboard"),
    scoped_path(
        "kpis/<slug:key>/",
        kpi_views.kpi_drilldown,
        name="kpi_drilldown",
        model=None,
        example_kwargs={"key": "signed"},
    ),
    # ---- end KPIs ----
    # ---- ledger import ----
    path("imports/", ledger_imports.import_list, name="import_list"),
    path("imports/template/", ledger_imports.import_template, name="import_template"),
    scoped_path("imports/<int:pk>/", ledger_imports.import_detail, name="import_detail", model=LedgerImport),
    scoped_path("imports/<int:pk>/commit/", ledger_imports.import_commit, name="import_commit", model=LedgerImport),
    # ---- end ledger import ----
]
