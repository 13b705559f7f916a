from django.urls import path

from apps.bizenv.models import Indicator, Methodology
from apps.bizenv.views import methodologies as views
from apps.core.scope import global_path

app_name = "bizenv"

urlpatterns = [
    path("", views.methodology_list, name="methodology_list"),
    path("versions/new/", views.methodology_create, name="methodology_create"),
    global_path("versions/<int:pk>/", views.methodology_detail, name="methodology_detail", model=Methodology),
    global_path("versions/<int:pk>/edit/", views.methodology_edit, name="methodology_edit", model=Methodology),
    global_path("versions/<int:pk>/delete/", views.methodology_delete, name="methodology_delete", model=Methodology),
    global_path("versions/<int:pk>/publish/", views.methodology_publish, name="methodology_publish", model=Methodology),
    global_path("versions/<int:pk>/copy/", views.methodology_copy, name="methodology_copy", model=Methodology),
    global_path("versions/<int:pk>/import/", views.tree_import, name="tree_import", model=Methodology),
    global_path(
        "versions/<int:pk>/indicators/new/", views.indicator_create, name="indicator_create", model=Methodology
    ),
    global_path("indicators/<int:pk>/", views.indicator_edit, name="indicator_edit", model=Indicator),
    global_path("indicators/<int:pk>/delete/", views.indicator_delete, name="indicator_delete", model=Indicator),
]
