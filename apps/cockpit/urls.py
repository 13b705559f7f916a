from django.urls import path

from apps.cockpit import views
from apps.cockpit.models import RegionMap
from apps.core.scope import scoped_path

app_name = "cockpit"

urlpatterns = [
    path("", views.cockpit, name="cockpit"),
    path("screen/", views.screen, name="screen"),
    path("maps/", views.map_list, name="map_list"),
    scoped_path("maps/<int:pk>/activate/", views.map_activate, name="map_activate", model=RegionMap),
]
