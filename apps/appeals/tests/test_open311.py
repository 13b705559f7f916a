"""Open311 GeoReport v2: every response checked against the spec's field list (wiki.open311.org/GeoReport_v2),
XML well-formed with the spec's element names, the filters and paging, no personal data, confidential tickets
and reports left out, and the error list for bad queries and unknown ids."""

import json
import re
from datetime import timedelta
from xml.etree import ElementTree

import pytest
from django.urls import reverse

from apps.appeals.models import Appeal
from apps.appeals.services import transitions
from apps.appeals.tests.conftest import at

pytestmark = pytest.mark.django_db

#: GET Service List, "Response": field → type (GeoReport v2)
SERVICE_FIELDS = {
    "service_code": str,
    "service_name": str,
    "description": str,
    "metadata": bool,
    "type": str,
    "keywords": str,
    "group": str,
}
SERVICE_TYPES = {"realtime", "batch", "blackbox"}
#: GET Service Requests, "Response": every field the spec lists, with its type; the ones marked "May not be
#: returned" (and the location fields we have no data for) may be absent
REQUEST_FIELDS = {
    "service_request_id": str,
    "status": str,
    "status_notes": str,
    "service_name": str,
    "service_code": str,
    "description": str,
    "agency_responsible": str,
    "service_notice": str,
    "requested_datetime": str,
    "updated_datetime": str,
    "expected_datetime": str,
    "address": str,
    "address_id": str,
    "zipcode": str,
    "lat": float,
    "long": float,
    "media_url": str,
}
REQUIRED_REQUEST_FIELDS = {
    "service_request_id", "status", "service_name", "service_code", "description", "requested_datetime",
    "updated_datetime",
}  # fmt: skip
#: the notes extension (GeoReport v2 Extensions): datetime, summary, description, type
NOTE_FIELDS = {"datetime": str, "summary": str, "description": str, "type": str}
W3C = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+08:00$")
DATETIMES = ("requested_datetime", "updated_datetime", "expected_datetime")


def _xml(content: bytes) -> ElementTree.Element:
    return ElementTree.fromstring(content)  # noqa: S314 - our own response, not untrusted input


def _get(client, name, fmt="json", params=None, **kwargs):
    return client.get(reverse(f"open311:{name}", kwargs={"fmt": fmt, **kwargs}), params or {})


def _check_request(row: dict) -> None:
    assert set(row) >= REQUIRED_REQUEST_FIELDS
    assert set(row) - {"notes"} <= set(REQUEST_FIELDS)
    for field, value in row.items():
        if field == "notes":
            continue
        assert isinstance(value, REQUEST_FIELDS[field]), field
    assert row["status"] in ("open", "closed")
    for field in DATETIMES:
        assert row[field] == "" or W3C.match(row[field]), (field, row[field])
    assert len(row["description"]) <= 4000
    for note in row["notes"]:
        assert set(note) == set(NOTE_FIELDS)
        assert W3C.match(note["datetime"])


@pytest.fixture
def now(db):
    import time_machine

    with time_machine.travel(at(2025, 10, 20, 9), tick=False):
        yield at(2025, 10, 20, 9)


@pytest.fixture
def tickets(make_appeal, agent, housing, now):
    """A dispatched complaint, a confidential one, a report (举报) and one closed at triage."""
    public = make_appeal(
        now=at(2025, 10, 9, 10), content="路面破损。我是王小明，电话13912345678，身份证110101199003071234。",
        citizen_name="王小明",
    )  # fmt: skip
    transitions.accept_appeal(appeal=public, by=agent, now=at(2025, 10, 9, 10))
    transitions.dispatch_appeal(appeal=public, lead_unit=housing, by=agent, now=at(2025, 10, 9, 11))
    secret = make_appeal(now=at(2025, 10, 10, 10), confidential=True, content="保密的诉求")
    report = make_appeal(now=at(2025, 10, 10, 11), appeal_type="report", content="举报的内容")
    refused = make_appeal(now=at(2025, 10, 11, 10), content="不予受理的诉求")
    transitions.refuse_appeal(appeal=refused, triage="legal_route", note="告知仲裁", by=agent, now=at(2025, 10, 11, 10))
    return {"public": public, "secret": secret, "report": report, "refused": refused}


def test_services_json_has_the_spec_fields(client):
    response = _get(client, "services")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    rows = response.json()
    assert rows
    for row in rows:
        assert set(row) == set(SERVICE_FIELDS)
        assert all(isinstance(row[field], kind) for field, kind in SERVICE_FIELDS.items())
        assert row["metadata"] is False
        assert row["type"] in SERVICE_TYPES
    road = next(row for row in rows if row["service_code"] == "010301")
    assert road["service_name"] == "道路破损"


def test_services_xml_is_well_formed_with_the_spec_element_names(client):
    response = _get(client, "services", "xml")
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    assert response.content.startswith(b'<?xml version="1.0" encoding="utf-8"?>')
    root = _xml(response.content)
    assert root.tag == "services"
    services = list(root)
    assert services
    assert {child.tag for child in services} == {"service"}
    for service in services:
        assert [child.tag for child in service] == list(SERVICE_FIELDS)
        assert service.findtext("metadata") == "false"
        assert service.findtext("type") == "realtime"


def test_requests_list_public_tickets_without_personal_data(client, tickets):
    response = _get(client, "requests")
    assert response.status_code == 200
    rows = response.json()
    for row in rows:
        _check_request(row)
    ids = [row["service_request_id"] for row in rows]
    assert ids == [tickets["refused"].number, tickets["public"].number]  # newest first, secret and report left out
    public = rows[1]
    assert public["status"] == "open"
    assert public["agency_responsible"] == "市住房和城乡建设局"
    assert public["expected_datetime"] == "2025-10-29T23:59:59+08:00"  # 15 working days, Sat 10-11 one
    assert public["requested_datetime"] == "2025-10-09T10:00:00+08:00"
    assert public["service_code"] == "010301"
    assert public["media_url"] == ""
    assert [note["type"] for note in public["notes"]] == ["record", "accept", "dispatch"]
    body = response.content.decode()
    for personal in ("王小明", "13912345678", "110101199003071234", "保密的诉求", "举报的内容", "138"):
        assert personal not in body
    assert rows[0]["status"] == "closed"
    assert "告知法定途径" in rows[0]["status_notes"]


def test_requests_xml_is_well_formed_with_the_spec_element_names(client, tickets):
    response = _get(client, "requests", "xml")
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    root = _xml(response.content)
    assert root.tag == "service_requests"
    requests = list(root)
    assert [child.tag for child in requests] == ["request", "request"]
    for request in requests:
        tags = [child.tag for child in request]
        assert set(tags) >= REQUIRED_REQUEST_FIELDS
        assert set(tags) - {"notes"} <= set(REQUEST_FIELDS)
        assert request.findtext("status") in ("open", "closed")
        assert all(note.tag == "note" for note in request.find("notes"))
    public = requests[1]
    assert public.findtext("service_request_id") == tickets["public"].number
    assert [n.findtext("type") for n in public.find("notes")] == ["record", "accept", "dispatch"]
    assert "王小明" not in response.content.decode()


def test_one_request_and_unknown_or_confidential_ids_are_404_error_lists(client, tickets):
    response = _get(client, "request", request_id=tickets["public"].number)
    assert response.status_code == 200
    assert [row["service_request_id"] for row in response.json()] == [tickets["public"].number]
    _check_request(response.json()[0])
    for number in ("SQ000", tickets["secret"].number, tickets["report"].number):
        missing = _get(client, "request", request_id=number)
        assert missing.status_code == 404
        assert missing.json() == [{"code": 404, "description": f"没有编号为 {number} 的公开工单。"}]
    xml = _get(client, "request", "xml", request_id="SQ000")
    root = _xml(xml.content)
    assert (xml.status_code, root.tag, root[0].tag, root[0].findtext("code")) == (404, "errors", "error", "404")


def test_filters_by_id_list_code_status_and_dates(client, tickets):
    public, refused, secret = tickets["public"], tickets["refused"], tickets["secret"]

    def ids(params):
        return [row["service_request_id"] for row in _get(client, "requests", params=params).json()]

    assert ids({"service_request_id": f"{public.number}, {secret.number}"}) == [public.number]
    assert ids({"service_request_id": public.number, "status": "closed"}) == [public.number]  # the ids override
    assert ids({"status": "open"}) == [public.number]
    assert ids({"status": "closed"}) == [refused.number]
    assert ids({"status": "open,closed"}) == [refused.number, public.number]
    assert ids({"service_code": "0101"}) == []
    assert ids({"service_code": "0101,010301"}) == [refused.number, public.number]
    assert ids({"start_date": "2025-10-10T00:00:00+08:00"}) == [refused.number]
    assert ids({"end_date": "2025-10-10T00:00:00Z"}) == [public.number]
    assert ids({"start_date": "2025-10-01T00:00:00+08:00", "end_date": "2025-10-09T12:00:00+08:00"}) == [public.number]


def test_the_default_window_is_90_days(client, make_appeal, now):
    old = make_appeal(now=now - timedelta(days=91))
    recent = make_appeal(now=now - timedelta(days=89))
    ids = [row["service_request_id"] for row in _get(client, "requests").json()]
    assert ids == [recent.number]
    params = {"start_date": "2025-07-01T00:00:00+08:00", "end_date": "2025-07-22T00:00:00+08:00"}
    assert [row["service_request_id"] for row in _get(client, "requests", params=params).json()] == [old.number]


def test_paging_extension(client, make_appeal, now):
    made = [make_appeal(now=now - timedelta(hours=hours)).number for hours in range(1, 6)]  # newest first
    pages = [
        [row["service_request_id"] for row in _get(client, "requests", params={"page": p, "page_size": 2}).json()]
        for p in (1, 2, 3, 4)
    ]
    assert pages == [made[:2], made[2:4], made[4:], []]


@pytest.mark.parametrize(
    "params",
    [
        {"status": "pending"},
        {"start_date": "yesterday"},
        {"start_date": "2025-01-01T00:00:00+08:00", "end_date": "2025-06-01T00:00:00+08:00"},
        {"start_date": "2025-06-01T00:00:00+08:00", "end_date": "2025-01-01T00:00:00+08:00"},
        {"page_size": "1001"},
        {"page": "0"},
        {"page": "x"},
    ],
)
def test_bad_queries_are_400_error_lists(client, params):
    response = _get(client, "requests", params=params)
    assert response.status_code == 400
    rows = response.json()
    assert len(rows) == 1
    assert rows[0]["code"] == 400
    assert rows[0]["description"]
    xml = _get(client, "requests", "xml", params=params)
    root = _xml(xml.content)
    assert (xml.status_code, root.tag, [child.tag for child in root[0]]) == (400, "errors", ["code", "description"])


def test_merged_and_resolved_tickets_are_closed_with_their_close_time(client, make_appeal, agent, housing, now):
    master = make_appeal(now=at(2025, 10, 13, 10))
    repeat = make_appeal(now=at(2025, 10, 13, 11))
    transitions.accept_appeal(appeal=master, by=agent, now=at(2025, 10, 13, 10))
    transitions.accept_appeal(appeal=repeat, by=agent, now=at(2025, 10, 13, 11))
    transitions.merge_appeal(appeal=repeat, master=master, by=agent, now=at(2025, 10, 13, 12))
    row = _get(client, "request", request_id=repeat.number).json()[0]
    assert (row["status"], row["updated_datetime"]) == ("closed", "2025-10-13T12:00:00+08:00")
    assert master.number in row["status_notes"]
    master_row = _get(client, "request", request_id=master.number).json()[0]
    assert (master_row["status"], master_row["updated_datetime"]) == ("open", "2025-10-13T10:00:00+08:00")


def test_the_list_runs_a_fixed_number_of_queries(client, make_appeal, agent, housing, count_queries, now):
    def add(count):
        for _ in range(count):
            appeal = make_appeal(now=now - timedelta(days=1))
            transitions.accept_appeal(appeal=appeal, by=agent, now=now - timedelta(days=1))
            transitions.dispatch_appeal(appeal=appeal, lead_unit=housing, by=agent, now=now - timedelta(days=1))

    add(2)
    few = count_queries(lambda: _get(client, "requests"))
    add(6)
    assert count_queries(lambda: _get(client, "requests")) == few
    assert Appeal.objects.count() == 8


def test_nothing_but_get(client):
    assert client.post(reverse("open311:requests", kwargs={"fmt": "json"})).status_code == 405
    assert json.loads(_get(client, "requests").content) == []
