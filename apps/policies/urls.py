from django.urls import path  # noqa: F401  (the sections below add their patterns)

from apps.core.scope import global_path, scoped_path  # noqa: F401

app_name = "policies"

urlpatterns = []
