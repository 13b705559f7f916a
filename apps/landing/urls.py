from django.urls import path

from apps.core.scope import scoped_path
from apps.investment.models import Project
from apps.landing.views import projects

app_name = "landing"

urlpatterns = [
    path("", projects.project_list, name="project_list"),
    scoped_path("projects/<int:pk>/", projects.project_landing, name="project_landing", model=Project),
    # ---- reviews ----
    # ---- end reviews ----
    # ---- checklists ----
    # ---- end checklists ----
    # ---- task forces and problems ----
    # ---- end task forces and problems ----
    # ---- progress ----
    # ---- end progress ----
]
