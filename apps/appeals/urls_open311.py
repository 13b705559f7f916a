"""/open311/v2/: the public Open311 GeoReport v2 read API (views/open311.py)."""

from django.urls import path, register_converter

from apps.appeals.views import open311


class FormatConverter:
    regex = "json|xml"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(FormatConverter, "open311_format")

app_name = "open311"

urlpatterns = [
    path("services.<open311_format:fmt>", open311.services, name="services"),
    path("requests.<open311_format:fmt>", open311.requests, name="requests"),
    path("requests/<str:request_id>.<open311_format:fmt>", open311.request_detail, name="request"),
]
