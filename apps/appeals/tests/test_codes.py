"""New versions of the dispatch catalogue and the time limits: effective dates instead of edits, no overlaps,
no town for a functional matter, only the hotline office's administrator, every change in the audit log."""

from datetime import date

import pytest
import time_machine
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from apps.appeals.models import DispatchRule, TimeLimitPolicy
from apps.appeals.services import clocks, codes
from apps.appeals.services.dispatch import suggest_units
from apps.appeals.tests.conftest import at
from apps.core.errors import BusinessRuleError
from apps.org import roles
from apps.org.tests.factories import UserFactory

pytestmark = pytest.mark.django_db
TODAY = date(2025, 10, 20)


@pytest.fixture
def hotline_admin(hotline):
    return UserFactory(username="rexianban", name="热线办主任", unit=hotline, roles=[roles.HOTLINE_ADMIN])


@pytest.fixture
def rule(road, housing):
    return DispatchRule.objects.create(category=road, lead_unit=housing, version="2024版", valid_from=date(2024, 1, 1))


def _new_rule(road, lead, **fields) -> DispatchRule:
    values = {"category": road, "lead_unit": lead, "version": "2025版", "valid_from": date(2025, 11, 1)}
    return DispatchRule(**{**values, **fields})


def _unchanged(call) -> str:
    before = (
        list(DispatchRule.objects.order_by("pk").values_list("pk", "valid_to")),
        list(TimeLimitPolicy.objects.order_by("pk").values_list("pk", "valid_to")),
    )
    with pytest.raises(BusinessRuleError) as error:
        call()
    after = (
        list(DispatchRule.objects.order_by("pk").values_list("pk", "valid_to")),
        list(TimeLimitPolicy.objects.order_by("pk").values_list("pk", "valid_to")),
    )
    assert after == before
    return error.value.message


def test_a_new_version_closes_the_current_one_the_day_it_starts(rule, road, market, hotline_admin, make_appeal):
    new = codes.publish_dispatch_rule(rule=_new_rule(road, market), co_units=[], by=hotline_admin, today=TODAY)

    rule.refresh_from_db()
    assert rule.valid_to == date(2025, 11, 1)
    assert list(DispatchRule.objects.valid_on(date(2025, 10, 31))) == [rule]
    assert list(DispatchRule.objects.valid_on(date(2025, 11, 1))) == [new]
    assert suggest_units(make_appeal(now=at(2025, 10, 31))).lead_unit == rule.lead_unit
    assert suggest_units(make_appeal(now=at(2025, 11, 3))).lead_unit == market
    rule_type = ContentType.objects.get_for_model(DispatchRule)
    entries = LogEntry.objects.filter(content_type=rule_type, actor=hotline_admin)
    assert set(entries.values_list("object_pk", "action")) == {
        (str(new.pk), LogEntry.Action.CREATE), (str(rule.pk), LogEntry.Action.UPDATE),
    }  # fmt: skip


def test_overlapping_versions_are_refused(rule, road, market, housing, hotline_admin):
    first = codes.publish_dispatch_rule(rule=_new_rule(road, market), co_units=[], by=hotline_admin, today=TODAY)

    bounded = _new_rule(road, housing, valid_from=date(2025, 12, 1), valid_to=date(2026, 1, 1))
    message = _unchanged(lambda: codes.publish_dispatch_rule(rule=bounded, co_units=[], by=hotline_admin, today=TODAY))
    assert message == "与已有版本“2025版”（2025-11-01 至 长期）的有效期重叠。"
    same_day = _new_rule(road, housing, valid_from=date(2025, 11, 1))
    assert "重叠" in _unchanged(
        lambda: codes.publish_dispatch_rule(rule=same_day, co_units=[], by=hotline_admin, today=TODAY)
    )
    later = codes.publish_dispatch_rule(
        rule=_new_rule(road, housing, version="2025版修订", valid_from=date(2025, 11, 15)), co_units=[],
        by=hotline_admin, today=TODAY,
    )  # fmt: skip
    first.refresh_from_db()
    assert (first.valid_to, later.valid_to) == (date(2025, 11, 15), None)


def test_the_past_is_not_rewritten(rule, road, market, hotline_admin):
    past = _new_rule(road, market, valid_from=date(2025, 10, 19))
    assert "不得早于今天" in _unchanged(
        lambda: codes.publish_dispatch_rule(rule=past, co_units=[], by=hotline_admin, today=TODAY)
    )


def test_a_functional_matter_goes_to_no_town(rule, road, housing, town_a, hotline_admin):
    to_town = _new_rule(road, town_a)
    assert "乡镇街道" in _unchanged(
        lambda: codes.publish_dispatch_rule(rule=to_town, co_units=[], by=hotline_admin, today=TODAY)
    )
    helped_by_town = _new_rule(road, housing)
    assert "乡镇街道" in _unchanged(
        lambda: codes.publish_dispatch_rule(rule=helped_by_town, co_units=[town_a], by=hotline_admin, today=TODAY)
    )


def test_only_the_hotline_administrator_publishes(rule, road, market, agent, housing_handler):
    for person in (agent, housing_handler):
        new = _new_rule(road, market)
        assert "热线办管理员" in _unchanged(
            lambda new=new, person=person: codes.publish_dispatch_rule(rule=new, co_units=[], by=person, today=TODAY)
        )


def test_a_countys_holder_of_the_permission_does_not_publish(rule, road, market, county_a, client_for):
    county_admin = UserFactory(username="county_hotline", name="区热线", unit=county_a, roles=[roles.HOTLINE_ADMIN])
    new = _new_rule(road, market)
    assert "热线办管理员" in _unchanged(
        lambda: codes.publish_dispatch_rule(rule=new, co_units=[], by=county_admin, today=TODAY)
    )
    assert client_for(county_admin).get(reverse("appeals:catalogue_create")).status_code == 403


def test_a_new_policy_version_leaves_old_tickets_their_limits(hotline, hotline_admin, make_appeal):
    current = TimeLimitPolicy.objects.get(jurisdiction=None, appeal_type="complaint", urgency="normal")
    old_ticket = make_appeal(now=at(2025, 10, 20))
    fields = {f.name: getattr(current, f.name) for f in TimeLimitPolicy._meta.concrete_fields if f.name not in ("id",)}
    new = TimeLimitPolicy(**{**fields, "version": "2026版", "valid_from": date(2026, 1, 1), "reply_amount": 10})

    codes.publish_policy(policy=new, by=hotline_admin, today=TODAY)

    current.refresh_from_db()
    old_ticket.refresh_from_db()
    assert current.valid_to == date(2026, 1, 1)
    assert old_ticket.policy == current
    found = clocks.policy_for(unit=hotline, appeal_type="complaint", urgency="normal", on=date(2026, 1, 5))
    assert (found, found.reply_amount) == (new, 10)
    assert "重叠" in _unchanged(lambda: codes.publish_policy(policy=TimeLimitPolicy(**{
        **fields, "version": "重复", "valid_from": date(2026, 1, 1), "valid_to": date(2026, 3, 1),
    }), by=hotline_admin, today=TODAY))  # fmt: skip


@pytest.fixture
def today():
    with time_machine.travel(at(2025, 10, 20, 9), tick=False):
        yield


def test_the_pages_publish_for_the_administrator_only(client_for, hotline_admin, agent, rule, road, market, today):
    url = reverse("appeals:catalogue_create")
    data = {
        "category": road.pk, "lead_unit": market.pk, "version": "2025版", "valid_from": "2025-11-01",
        "legal_source": "市场监管局权责清单",
    }  # fmt: skip
    assert client_for(agent).get(url).status_code == 403
    assert client_for(agent).post(url, data).status_code == 403
    assert DispatchRule.objects.count() == 1
    client = client_for(hotline_admin)
    assert "发布新版本" in client.get(reverse("appeals:catalogue_list")).content.decode()
    copy = client.get(url, {"from": rule.pk})
    assert copy.status_code == 200
    assert copy.context["form"].initial["lead_unit"] == rule.lead_unit_id
    assert client.post(url, {**data, "valid_from": "2025-10-01"}).status_code == 200  # the past: shown on the form
    assert client.post(url, data).status_code == 302
    assert DispatchRule.objects.count() == 2


def test_the_policy_page_publishes(client_for, hotline_admin, today):
    current = TimeLimitPolicy.objects.get(jurisdiction=None, appeal_type="consultation", urgency="normal")
    client = client_for(hotline_admin)
    url = reverse("appeals:policy_create")
    form = client.get(url, {"from": current.pk}).context["form"]
    data = {name: value for name, value in form.initial.items() if value is not None}
    data.update(version="2026版", valid_from="2026-01-01", reply_amount=3)
    assert client.post(url, data).status_code == 302
    current.refresh_from_db()
    assert current.valid_to == date(2026, 1, 1)
    assert TimeLimitPolicy.objects.get(version="2026版", appeal_type="consultation").reply_amount == 3
