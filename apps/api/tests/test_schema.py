"""The OpenAPI schema is valid and generated without warnings; the docs page is served from local files."""

from io import StringIO

import pytest
import yaml
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def test_the_schema_is_valid_without_warnings():
    out = StringIO()

    call_command("spectacular", "--validate", "--fail-on-warn", stdout=out)

    schema = yaml.safe_load(out.getvalue())
    assert schema["openapi"].startswith("3.")
    assert schema["components"]["securitySchemes"]["integrationToken"] == {
        "type": "http",
        "scheme": "bearer",
        "description": "Authorization: Bearer <接口令牌>（也可写作 Token <接口令牌>）",
    }
    assert "/api/v1/projects/{id}/" in schema["paths"]


def test_the_schema_is_served(client):
    response = client.get("/api/v1/schema/", {"format": "json"})

    assert response.status_code == 200
    assert response.json()["info"]["title"] == "营商 数据共享接口"


def test_the_docs_page_loads_swagger_ui_from_the_sidecar_never_a_cdn(client):
    page = client.get("/api/docs/").content.decode()

    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in page
    assert "cdn" not in page.lower()
