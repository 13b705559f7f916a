"""Pushing ratings to the provincial 好差评 system: the payload against its schema (no rater identity), the
outbox filled once per state a rating reaches, the sender against a fake receiver on loopback (500 then 200,
backoff, never twice after success), the scan, and the outbox page (who may, scope, retry, query count)."""

import json
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.urls import reverse

from apps.appeals.models import RatingPush
from apps.appeals.models.rating_push import PushState
from apps.appeals.services import rating_push, ratings
from apps.appeals.services.rating_push import PAYLOAD_SCHEMA, build_payload, payload_errors, send_due_pushes
from apps.appeals.tests.conftest import at
from apps.appeals.tests.test_ratings import service_rating
from apps.core.scans import run_scan
from apps.org import roles
from apps.org.tests.factories import UserFactory

pytestmark = pytest.mark.django_db
NOW = at(2025, 9, 26, 10)


@pytest.fixture
def bad(housing, hotline, agent):
    return service_rating(level=1, unit=housing, office=hotline, by=agent, selected=("服务态度差",))


class Receiver:
    """A fake provincial endpoint on 127.0.0.1: records each request and answers the next queued status."""

    def __init__(self, statuses: list[int]) -> None:
        self.statuses, self.requests = list(statuses), []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.requests.append((dict(self.headers), json.loads(body)))
                self.send_response(receiver.statuses.pop(0) if receiver.statuses else 200)
                self.end_headers()

            def log_message(self, *args) -> None:
                pass

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/pj"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver(settings):
    made = []

    def make(*statuses: int) -> Receiver:
        found = Receiver(list(statuses))
        settings.PROVINCIAL_RATING_URL, settings.PROVINCIAL_RATING_TOKEN = found.url, "secret-token"
        settings.PROVINCIAL_RATING_TIMEOUT = 5
        made.append(found)
        return found

    yield make
    for found in made:
        found.close()


# ---- the payload --------------------------------------------------------------------------------------------


def test_the_payload_follows_the_schema_and_leaves_the_rater_out(bad, housing, hotline):
    payload = build_payload(bad)
    assert payload_errors(payload) == []
    assert payload == {
        "message_id": f"{bad.pk}-awaiting_verification", "project_no": f"{hotline.code}-PJ{bad.pk:08d}",
        "rating_kind": "1", "channel": "4", "level": 1, "rated_at": "2025-09-26T10:00:00+08:00",
        "service_name": "不动产登记", "dept_code": housing.code, "dept_name": housing.name,
        "rectification_state": "1", "defaulted": False, "excluded": False,
    }  # fmt: skip
    text = json.dumps(payload, ensure_ascii=False)
    for private in ("赵六", "13912345678", "示范科技"):
        assert private not in text
    assert not set(PAYLOAD_SCHEMA["properties"]) & {"rater_name", "rater_phone", "rater_enterprise"}


def test_a_ticket_rating_is_pushed_under_the_ticket_number(dispatched, agent, hotline):
    from apps.appeals.models.ratings import RatingKind

    dispatched.state = "resolved"
    dispatched.save(update_fields=["state"])
    fields = ratings.RatingFields(kind=RatingKind.TICKET, channel="phone", level=5, appeal=dispatched)
    rating = ratings.record_rating(fields=fields, office=hotline, by=agent, now=NOW)
    payload = RatingPush.objects.get(rating=rating).payload
    assert (payload["project_no"], payload["rating_kind"], payload["channel"]) == (dispatched.number, "2", "6")
    assert payload_errors(payload) == []


@pytest.mark.parametrize(
    ("change", "error"),
    [
        ({"level": 6}, "enum: level"),
        ({"level": True}, "type: level"),
        ({"rated_at": "2025-09-26T02:00:00+00:00"}, "pattern: rated_at"),
        ({"dept_code": ""}, "minLength: dept_code"),
        ({"rater_phone": "13912345678"}, "unexpected: rater_phone"),
    ],
)
def test_the_schema_check_catches_a_wrong_payload(bad, change, error):
    assert payload_errors({**build_payload(bad), **change}) == [error]


def test_the_schema_check_names_a_missing_key(bad):
    payload = build_payload(bad)
    del payload["project_no"]
    assert payload_errors(payload) == ["missing: project_no"]


# ---- the outbox ---------------------------------------------------------------------------------------------


def test_recording_and_each_state_change_queue_one_push(bad, agent, housing_handler):
    assert list(RatingPush.objects.values_list("rectification_state", "state")) == [
        ("awaiting_verification", "pending")
    ]
    ratings.verify_rating(rating=bad, finding="true", note="属实", by=agent, now=NOW + timedelta(hours=1))
    ratings.file_rating_appeal(rating=bad, reason="恶意评价", by=housing_handler, now=NOW + timedelta(hours=2))
    ratings.decide_rating_appeal(rating=bad, uphold=False, note="不成立", by=agent, now=NOW + timedelta(hours=3))
    states = set(RatingPush.objects.values_list("rectification_state", flat=True))
    assert states == {"awaiting_verification", "rectifying"}  # an appeal filed and rejected moves nothing


def test_queueing_the_same_state_twice_changes_nothing(bad):
    first = RatingPush.objects.get()
    assert rating_push.queue_push(bad, now=NOW + timedelta(days=1)) == first
    assert RatingPush.objects.count() == 1


# ---- the sender ---------------------------------------------------------------------------------------------


def test_a_failed_push_is_retried_with_backoff_and_never_sent_twice(bad, receiver):
    fake = receiver(500, 200)
    assert send_due_pushes(now=NOW) == (0, 1)
    push = RatingPush.objects.get()
    assert (push.state, push.attempts, push.next_try_at) == (PushState.FAILED, 1, NOW + timedelta(minutes=5))
    assert "500" in push.last_error
    assert send_due_pushes(now=NOW + timedelta(minutes=4)) == (0, 0)  # not due yet
    assert send_due_pushes(now=NOW + timedelta(minutes=5)) == (1, 0)
    push.refresh_from_db()
    assert (push.state, push.attempts, push.pushed_at, push.last_error) == (
        PushState.PUSHED, 2, NOW + timedelta(minutes=5), ""
    )  # fmt: skip
    assert send_due_pushes(now=NOW + timedelta(days=3)) == (0, 0)
    assert rating_push.send_push(push.pk, now=NOW + timedelta(days=3)) is None
    assert len(fake.requests) == 2
    headers, body = fake.requests[-1]
    assert headers["Authorization"] == "Bearer secret-token"
    assert headers["Content-Type"].startswith("application/json")
    assert body == push.payload


def test_the_backoff_doubles_up_to_its_cap_and_stops_after_the_last_attempt(bad, receiver):
    receiver(*[500] * 20)
    push = RatingPush.objects.get()
    waits = []
    now = NOW
    for _attempt in range(rating_push.MAX_ATTEMPTS):
        assert rating_push.send_push(push.pk, now=now) is False
        push.refresh_from_db()
        if push.next_try_at is not None:
            waits.append(push.next_try_at - now)
            now = push.next_try_at
    assert waits[:3] == [timedelta(minutes=5), timedelta(minutes=10), timedelta(minutes=20)]
    assert len(waits) == rating_push.MAX_ATTEMPTS - 1
    assert waits[-1] == timedelta(hours=5, minutes=20)
    assert rating_push.backoff(20) == timedelta(hours=12)
    assert (push.attempts, push.next_try_at) == (rating_push.MAX_ATTEMPTS, None)
    assert send_due_pushes(now=now + timedelta(days=30)) == (0, 0)


def test_an_unreachable_endpoint_is_a_failure(bad, settings):
    settings.PROVINCIAL_RATING_URL, settings.PROVINCIAL_RATING_TIMEOUT = "http://127.0.0.1:9/pj", 1
    assert send_due_pushes(now=NOW) == (0, 1)
    assert RatingPush.objects.get().last_error != ""


def test_the_scan_is_registered_and_does_nothing_without_a_url(bad, settings):
    settings.PROVINCIAL_RATING_URL = ""
    assert "disabled" in run_scan("appeals_rating_push")
    assert RatingPush.objects.get().state == PushState.PENDING


def test_a_url_of_another_scheme_is_refused(bad, settings):
    settings.PROVINCIAL_RATING_URL = "file:///etc/passwd"
    assert send_due_pushes(now=NOW) == (0, 1)
    assert "http(s)" in RatingPush.objects.get().last_error


def test_the_scan_sends_the_due_pushes(bad, receiver):
    fake = receiver(200)
    assert run_scan("appeals_rating_push") == "1 rating pushes sent, 0 failed"
    assert RatingPush.objects.get().state == PushState.PUSHED
    assert len(fake.requests) == 1


# ---- the page -----------------------------------------------------------------------------------------------


def _failed(push: RatingPush) -> RatingPush:
    RatingPush.objects.filter(pk=push.pk).update(state=PushState.FAILED, attempts=8, next_try_at=None, last_error="x")
    return RatingPush.objects.get(pk=push.pk)


def test_the_office_sees_the_outbox_with_counts_and_a_state_filter(client_for, agent, bad):
    _failed(RatingPush.objects.get())
    client = client_for(agent)
    response = client.get(reverse("appeals:rating_push_list"))
    assert response.status_code == 200
    assert [(str(label), n) for label, n, _value in response.context["counts"]] == [
        ("待推送", 0), ("已推送", 0), ("失败", 1)
    ]  # fmt: skip
    assert len(client.get(reverse("appeals:rating_push_list"), {"state": "failed"}).context["page"].object_list) == 1
    assert len(client.get(reverse("appeals:rating_push_list"), {"state": "pushed"}).context["page"].object_list) == 0
    export = client.get(reverse("appeals:rating_push_list"), {"export": "xlsx"})
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")


def test_the_retry_button_makes_a_failed_push_due_again(client_for, agent, bad):
    push = _failed(RatingPush.objects.get())
    response = client_for(agent).post(reverse("appeals:rating_push_retry", kwargs={"pk": push.pk}))
    assert response.status_code == 302
    push.refresh_from_db()
    assert (push.state, push.attempts) == (PushState.PENDING, 8)
    assert push.next_try_at is not None


def test_a_pushed_row_cannot_be_retried(client_for, agent, bad):
    push = RatingPush.objects.get()
    RatingPush.objects.filter(pk=push.pk).update(state=PushState.PUSHED, pushed_at=NOW, next_try_at=None)
    client_for(agent).post(reverse("appeals:rating_push_retry", kwargs={"pk": push.pk}))
    assert RatingPush.objects.get(pk=push.pk).state == PushState.PUSHED


@pytest.fixture
def xicheng(county_b):
    return UserFactory(username="xicheng", name="西城区热线", unit=county_b, roles=[roles.HOTLINE_AGENT])


@pytest.mark.parametrize(
    ("who", "list_status", "retry_status"),
    [("anonymous", 302, 302), ("rated_unit", 403, 403), ("other_county", 200, 404), ("office", 200, 302)],
)
def test_who_may_see_and_retry(
    client, client_for, agent, housing_handler, xicheng, bad, who, list_status, retry_status
):
    push = _failed(RatingPush.objects.get())
    users = {"rated_unit": housing_handler, "other_county": xicheng, "office": agent}
    browser = client if who == "anonymous" else client_for(users[who])
    listing = browser.get(reverse("appeals:rating_push_list"))
    assert listing.status_code == list_status
    if list_status == 200:
        assert list(listing.context["page"].object_list) == ([push] if who == "office" else [])
    assert browser.post(reverse("appeals:rating_push_retry", kwargs={"pk": push.pk})).status_code == retry_status
    expected = PushState.PENDING if who == "office" else PushState.FAILED
    assert RatingPush.objects.get(pk=push.pk).state == expected


def test_the_outbox_does_not_grow_in_queries(client_for, agent, housing, hotline, count_queries):
    def make(n):
        for _index in range(n):
            service_rating(level=1, unit=housing, office=hotline, by=agent, selected=("服务态度差",))

    client = client_for(agent)
    make(2)
    few = count_queries(lambda: client.get(reverse("appeals:rating_push_list")))
    make(8)
    assert count_queries(lambda: client.get(reverse("appeals:rating_push_list"))) == few
