"""Tickets through the API: recorded by the intake service in the token's unit, masked in every response."""

import pytest
from auditlog.models import LogEntry
from django.utils import timezone

from apps.api.models import IntegrationToken
from apps.appeals.models import Appeal, Category, Event, TimeLimitPolicy
from apps.appeals.models.process import Action

APPEALS = "/api/v1/appeals/"


def _appeal(unit, title, **fields):
    return Appeal.objects.create(
        number=f"SQT{Appeal.objects.count():08d}", query_code="ABC234", channel="hotline", appeal_type="complaint",
        category=Category.objects.get(code="010301"), title=title, content=title, citizen_name="王先生",
        phone="13812345678", id_number="110101199003071234", unit=unit,
        policy=TimeLimitPolicy.objects.filter(appeal_type="complaint").first(), created_at=timezone.now(), **fields,
    )  # fmt: skip


@pytest.fixture
def intake():
    return {
        "channel": "online", "appeal_type": "complaint", "category": Category.objects.get(code="010301").pk,
        "title": "道路破损", "content": "东风路路面塌陷，影响通行。", "citizen_name": "王先生", "phone": "13812345678",
        "id_number": "11010119900307123x",
    }  # fmt: skip


def test_recording_a_ticket_goes_through_the_intake_service(api_a, county_a, intake):
    response = api_a.post(APPEALS, intake, format="json")

    assert response.status_code == 201, response.json()
    body = response.json()
    appeal = Appeal.objects.get(pk=body["id"])
    account = IntegrationToken.objects.get().account
    assert appeal.unit == county_a
    assert appeal.number.startswith("SQ")
    assert body["query_code"] == appeal.query_code
    assert appeal.id_number == "11010119900307123X"
    assert Event.objects.filter(appeal=appeal, action=Action.RECORD, actor=account).exists()
    assert LogEntry.objects.get_for_object(appeal).get(action=LogEntry.Action.CREATE).actor == account
    assert (body["phone"], body["id_number"]) == ("138****5678", "110***********123X")


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"citizen_name": "", "phone": ""}, "non_field_errors"),
        ({"phone": "call me"}, "phone"),
        ({"id_number": "12345"}, "id_number"),
        ({"category": 999999}, "category"),
        ({"title": ""}, "title"),
    ],
)
def test_bad_intake_is_a_400_with_the_forms_messages_and_records_nothing(api_a, intake, changes, field):
    response = api_a.post(APPEALS, {**intake, **changes}, format="json")

    assert response.status_code == 400
    assert field in response.json()["errors"]
    assert response.json()["detail"]
    assert not Appeal.objects.exists()


def test_a_county_token_reads_only_its_countys_tickets_masked(api_a, county_a, county_b):
    own, foreign = _appeal(county_a, "东城的诉求"), _appeal(county_b, "西城的诉求")

    listed = api_a.get(APPEALS).json()["results"]
    detail = api_a.get(f"{APPEALS}{own.pk}/").json()

    assert [a["title"] for a in listed] == ["东城的诉求"]
    assert listed[0]["phone"] == "138****5678"
    assert listed[0]["id_number"] == "110***********1234"
    assert detail["phone"] == "138****5678"
    assert api_a.get(f"{APPEALS}{foreign.pk}/").status_code == 404


def test_the_hotline_office_sees_the_whole_numbers_and_the_read_is_recorded(client_for, county_a):
    from apps.org import roles
    from apps.org.tests.factories import UserFactory

    agent = UserFactory(unit=county_a, roles=[roles.HOTLINE_AGENT])
    appeal = _appeal(county_a, "东城的诉求")

    detail = client_for(agent).get(f"{APPEALS}{appeal.pk}/").json()

    assert detail["phone"] == "13812345678"
    assert LogEntry.objects.get_for_object(appeal).filter(action=LogEntry.Action.ACCESS, actor=agent).exists()


def test_the_list_filters_and_has_constant_queries(api_a, county_a, count_queries):
    api_a.get(APPEALS)

    def add_and_list(n):
        for i in range(n):
            _appeal(county_a, f"诉求{i}")
        return lambda: api_a.get(APPEALS, {"state": "registered"})

    assert count_queries(add_and_list(2)) == count_queries(add_and_list(6))
    assert api_a.get(APPEALS, {"q": "诉求1"}).json()["count"] == 2  # 诉求1 of each batch
