from django.urls import path  # noqa: F401 - used by the sections below as they fill

from apps.core.scope import global_path, scoped_path  # noqa: F401

app_name = "investment"

urlpatterns = [
    # ---- projects, workflow, claims (lead registration, lists, board, timeline) ----
    # ---- end projects ----
    # ---- teams, trips, events ----
    # ---- end teams ----
    # ---- introducers and rewards ----
    # ---- end rewards ----
    # ---- KPIs ----
    # ---- end KPIs ----
]
