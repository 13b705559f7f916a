"""URLs of the time-limit commitment pages (承诺时限), appended to apps/bizenv/urls.py."""

from django.urls import path

from apps.bizenv.models import Case, Commitment
from apps.bizenv.views import commitments as views
from apps.core.scope import global_path, scoped_path

urlpatterns = [
    path("commitments/", views.commitment_list, name="commitment_list"),
    path("commitments/public/", views.commitment_public, name="commitment_public"),
    path("commitments/new/", views.commitment_create, name="commitment_create"),
    global_path("commitments/<int:pk>/", views.commitment_detail, name="commitment_detail", model=Commitment),
    global_path("commitments/<int:pk>/edit/", views.commitment_edit, name="commitment_edit", model=Commitment),
    global_path("commitments/<int:pk>/sync/", views.commitment_sync, name="commitment_sync", model=Commitment),
    global_path("commitments/<int:pk>/cases/new/", views.case_create, name="case_create", model=Commitment),
    global_path("commitments/<int:pk>/import/", views.case_import, name="case_import", model=Commitment),
    path("cases/", views.case_list, name="case_list"),
    scoped_path("cases/<int:pk>/", views.case_detail, name="case_detail", model=Case),
    scoped_path("cases/<int:pk>/edit/", views.case_edit, name="case_edit", model=Case),
    scoped_path("cases/<int:pk>/explain/", views.case_explain, name="case_explain", model=Case),
    scoped_path("cases/<int:pk>/delete/", views.case_delete, name="case_delete", model=Case),
]
