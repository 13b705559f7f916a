"""Open311 GeoReport v2 read endpoints (no login): services, requests, one request, in XML or JSON.

The views only parse the format and hand over to apps/appeals/open311.py, which decides what is public.
Errors answer with the spec's error list and the matching HTTP status.
"""

import json

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.views.decorators.http import require_GET

from apps.appeals import open311

CONTENT_TYPES = {"xml": "text/xml; charset=utf-8", "json": "application/json; charset=utf-8"}
#: let a reverse proxy or the caller cache the public feed a little (the project has no rate limiter)
CACHE_SECONDS = 60


def _respond(fmt: str, root: str, item: str, rows: list[dict], status: int = 200) -> HttpResponse:
    body = open311.to_xml(root, item, rows) if fmt == "xml" else json.dumps(rows, ensure_ascii=False).encode()
    response = HttpResponse(body, status=status, content_type=CONTENT_TYPES[fmt])
    response["Cache-Control"] = f"public, max-age={CACHE_SECONDS}" if status == 200 else "no-store"
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _error(fmt: str, error: open311.Open311Error) -> HttpResponse:
    return _respond(fmt, "errors", "error", open311.error_rows(error), status=error.status)


@require_GET
def services(request: HttpRequest, fmt: str) -> HttpResponse:
    """GET services.xml / services.json: the category code list."""
    return _respond(fmt, "services", "service", open311.services())


@require_GET
def requests(request: HttpRequest, fmt: str) -> HttpResponse:
    """GET requests.xml / requests.json with the spec's filters and the page/page_size extension."""
    try:
        rows = open311.find_requests(open311.parse_query(request.GET, timezone.now()))
    except open311.Open311Error as error:
        return _error(fmt, error)
    return _respond(fmt, "service_requests", "request", rows)


@require_GET
def request_detail(request: HttpRequest, request_id: str, fmt: str) -> HttpResponse:
    """GET requests/<service_request_id>.xml / .json: one public ticket, or a 404 error list."""
    try:
        rows = open311.find_request(request_id)
    except open311.Open311Error as error:
        return _error(fmt, error)
    return _respond(fmt, "service_requests", "request", rows)
