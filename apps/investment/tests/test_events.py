"""招商活动/节会: the services' rules, the landing rates against hand-computed figures, the pages per role."""

import itertools
from datetime import date, datetime
from decimal import Decimal
from io import BytesIO

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from apps.core.errors import BusinessRuleError
from apps.investment.models import Event, Project, Stage
from apps.investment.selectors.events import Rate, add_months, event_figures, landing_of, landing_report
from apps.investment.services.events import create_event, update_event
from apps.investment.tests.factories import lead

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
AS_OF = date(2026, 12, 1)


@pytest.fixture
def on_as_of():
    """The pages count as of today: make today the day the figures were worked out for."""
    with time_machine.travel(datetime(2026, 12, 1, 12, tzinfo=timezone.get_current_timezone()), tick=False):
        yield


@pytest.fixture
def expo(officer_a, county_a):
    return create_event(
        name="2025东城新能源产业招商推介会",
        kind=Event.Kind.PROMOTION,
        unit=county_a,
        starts_on=date(2025, 1, 8),
        ends_on=date(2025, 1, 10),
        place="深圳会展中心",
        by=officer_a,
    )


def _at_event(by, event, *, signed_on, started_on=None, amount=1000, counted=None, **fields) -> Project:
    """A project of ``by``'s unit signed at ``event`` (confirmed), started when ``started_on`` is given."""
    project = lead(by)
    stage = Stage.STARTED if started_on else Stage.SIGNED
    values = {
        "event": event,
        "stage": stage,
        "counted_stage": counted or stage,
        "signed_on": signed_on,
        "started_on": started_on,
        "contracted_investment": amount,
        **fields,
    }
    Project.objects.filter(pk=project.pk).update(**values)
    project.refresh_from_db()
    return project


@pytest.fixture
def signings(expo, officer_a):
    """What was signed at the expo, as of 2026-12-01 (amounts in 万元).

    A signed 2025-01-10, started 2025-07-10 — exactly six months later (10000);
    B signed 2025-03-01, started 2025-12-15 — within 12 months, not 6 (20000, an expansion: 5000 counted before);
    C signed 2025-06-01, never started, dropped (3000);
    D signed 2026-03-01, started 2026-04-01 — six months are over, twelve are not (4000);
    F signed 2026-09-15, started 2026-10-01 — not six months old yet: in neither rate (1000);
    I signed 2025-02-01, its construction start waits for confirmation (2000);
    G claims a signing not confirmed yet and H is excluded from statistics: neither counts.

    6 months: due A B C D I = 5, landed A D = 2 → 40.0%; 12 months: due A B C I = 4, landed A B = 2 → 50.0%.
    """
    _at_event(officer_a, expo, signed_on=date(2025, 1, 10), started_on=date(2025, 7, 10), amount=10000)
    _at_event(
        officer_a, expo, signed_on=date(2025, 3, 1), started_on=date(2025, 12, 15), amount=20000,
        kind=Project.Kind.EXPANSION, counted_before=5000,
    )  # fmt: skip
    _at_event(officer_a, expo, signed_on=date(2025, 6, 1), amount=3000, status=Project.Status.DROPPED)
    _at_event(officer_a, expo, signed_on=date(2026, 3, 1), started_on=date(2026, 4, 1), amount=4000)
    _at_event(officer_a, expo, signed_on=date(2026, 9, 15), started_on=date(2026, 10, 1), amount=1000)
    _at_event(officer_a, expo, signed_on=date(2025, 2, 1), amount=2000)
    _at_event(officer_a, expo, signed_on=None, amount=99999, counted=Stage.NEGOTIATION)
    _at_event(officer_a, expo, signed_on=date(2025, 1, 1), amount=88888, excluded_from_statistics=True)
    return expo


# ---- rules and arithmetic ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2025, 1, 15), 6, date(2025, 7, 15)),
        (date(2025, 8, 31), 6, date(2026, 2, 28)),
        (date(2023, 8, 31), 6, date(2024, 2, 29)),
        (date(2025, 7, 31), 12, date(2026, 7, 31)),
        (date(2025, 11, 30), 3, date(2026, 2, 28)),
    ],
)
def test_months_are_added_like_a_calendar(day, months, expected):
    assert add_months(day, months) == expected


def test_a_rate_with_nothing_due_is_not_applicable():
    assert (str(Rate(0, 0)), Rate(0, 0).percent) == ("n/a", None)
    assert (str(Rate(2, 3)), str(Rate(0, 4)), str(Rate(4, 4))) == ("66.7%", "0.0%", "100.0%")


def test_an_event_ends_after_it_starts_and_is_held_by_the_users_subtree(officer_a, county_a, county_b, expo):
    with pytest.raises(BusinessRuleError, match="结束日期不能早于开始日期"):
        create_event(
            name="洽谈会", kind=Event.Kind.EXPO, unit=county_a, starts_on=date(2025, 5, 2), ends_on=date(2025, 5, 1),
            place="东城", by=officer_a,
        )  # fmt: skip
    with pytest.raises(BusinessRuleError, match="只能为本单位或下级单位登记"):
        create_event(
            name="洽谈会", kind=Event.Kind.EXPO, unit=county_b, starts_on=date(2025, 5, 1), ends_on=date(2025, 5, 1),
            place="西城", by=officer_a,
        )  # fmt: skip
    with pytest.raises(BusinessRuleError, match="活动名称"):
        update_event(event=expo, name=" ", by=officer_a)

    update_event(event=Event.objects.get(pk=expo.pk), place=" 上海国家会展中心 ", by=officer_a)

    assert Event.objects.get(pk=expo.pk).place == "上海国家会展中心"
    assert Event.objects.count() == 1


# ---- figures and landing rates -------------------------------------------------------------


def test_the_expos_figures_add_up_by_hand(signings, officer_a):
    figures = event_figures(officer_a, [signings], as_of=AS_OF)[signings.pk]

    assert (figures.signed, figures.contracted, figures.started) == (6, Decimal(35000), 4)
    assert (figures.rate_6, figures.rate_12) == (Rate(landed=2, due=5), Rate(landed=2, due=4))
    assert (str(figures.rate_6), str(figures.rate_12)) == ("40.0%", "50.0%")


def test_a_rate_moves_as_the_reference_day_moves(signings, officer_a):
    """On 2025-09-01 only A (landed), I (2025-08-01) and B (that very day) are six months old."""
    figures = event_figures(officer_a, [signings], as_of=date(2025, 9, 1))[signings.pk]

    assert (figures.signed, figures.rate_6, figures.rate_12) == (4, Rate(1, 3), Rate(0, 0))
    assert str(figures.rate_12) == "n/a"


def test_one_day_late_is_not_landed(expo, officer_a):
    on_time = _at_event(officer_a, expo, signed_on=date(2025, 8, 31), started_on=date(2026, 2, 28))
    late = _at_event(officer_a, expo, signed_on=date(2025, 8, 31), started_on=date(2026, 3, 1))

    assert landing_of(on_time, AS_OF) == {6: "landed", 12: "landed"}
    assert landing_of(late, AS_OF) == {6: "missed", 12: "landed"}
    assert event_figures(officer_a, [expo], as_of=AS_OF)[expo.pk].rate_6 == Rate(1, 2)


def test_the_landing_report_pools_the_events_and_follows_the_scope(signings, officer_a, officer_b, city_leader):
    later = create_event(
        name="2026秋季集中签约仪式", kind=Event.Kind.SIGNING, unit=signings.unit, starts_on=date(2026, 10, 1),
        ends_on=date(2026, 10, 1), place="东城区政府", by=officer_a,
    )  # fmt: skip
    _at_event(officer_a, later, signed_on=date(2026, 10, 1), amount=500)
    # another county's project linked to 东城区's expo: only those who may see it count it
    _at_event(officer_b, signings, signed_on=date(2025, 1, 1), started_on=date(2025, 2, 1), amount=700)

    rows, total = landing_report(officer_a, [signings, later], as_of=AS_OF)
    _city_rows, city_total = landing_report(city_leader, [signings, later], as_of=AS_OF)

    assert [(r.signed, str(r.rate_6), str(r.rate_12)) for r in rows] == [(6, "40.0%", "50.0%"), (1, "n/a", "n/a")]
    assert (total.signed, total.contracted, total.rate_6, total.rate_12) == (7, Decimal(35500), Rate(2, 5), Rate(2, 4))
    assert (city_total.signed, city_total.rate_6, city_total.rate_12) == (8, Rate(3, 6), Rate(3, 5))


# ---- pages ---------------------------------------------------------------------------------

PERSONAS = ["officer_a", "county_admin_a", "officer_b", "city_leader", "department_handler", "coordinator"]
EXPECTED_CHANGE = {
    "officer_a": "changed",
    "county_admin_a": "changed",
    "officer_b": 404,
    "city_leader": 403,
    "department_handler": 404,
    "coordinator": 404,
}


def _form(event: Event, **changes) -> dict:
    data = {
        "name": event.name, "kind": event.kind, "unit": event.unit_id, "starts_on": event.starts_on.isoformat(),
        "ends_on": event.ends_on.isoformat(), "place": event.place, "description": event.description,
    }  # fmt: skip
    return {**data, **changes}


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_the_events_own_unit_edits_it(request, client_for, expo, persona):
    user = request.getfixturevalue(persona)

    response = client_for(user).post(reverse("investment:event_edit", args=[expo.pk]), _form(expo, place="苏州"))

    expo.refresh_from_db()
    if EXPECTED_CHANGE[persona] == "changed":
        assert response.status_code == 302
        assert expo.place == "苏州"
    else:
        assert response.status_code == EXPECTED_CHANGE[persona]
        assert expo.place == "深圳会展中心"


@pytest.mark.parametrize(
    ("persona", "expected"), [("officer_a", 302), ("city_leader", 403), ("department_handler", 403)]
)
def test_registering_an_event_needs_the_right_to_change(request, client_for, expo, persona, expected):
    user = request.getfixturevalue(persona)
    data = _form(expo, name="2026示范市投资贸易洽谈会", unit=user.unit_id)

    response = client_for(user).post(reverse("investment:event_create"), data)

    assert response.status_code == expected
    assert Event.objects.filter(name="2026示范市投资贸易洽谈会").exists() == (expected == 302)


def test_an_event_ending_before_it_starts_is_refused_on_the_form(client_for, expo, officer_a):
    data = _form(expo, name="倒序活动", starts_on="2025-05-02", ends_on="2025-05-01")

    response = client_for(officer_a).post(reverse("investment:event_create"), data)

    assert response.status_code == 200
    assert "结束日期不能早于开始日期" in response.content.decode()
    assert not Event.objects.filter(name="倒序活动").exists()


def test_the_event_list_follows_the_scope_filters_and_exports(
    on_as_of, client_for, signings, officer_a, officer_b, county_b
):
    create_event(
        name="西城电子信息推介会", kind=Event.Kind.EXPO, unit=county_b, starts_on=date(2025, 4, 1),
        ends_on=date(2025, 4, 1), place="西城", by=officer_b,
    )  # fmt: skip
    client = client_for(officer_a)

    page = client.get(reverse("investment:event_list"))
    none_found = client.get(reverse("investment:event_list"), {"kind": Event.Kind.EXPO})
    export = client.get(reverse("investment:event_list"), {"q": "新能源", "export": "xlsx"})

    assert [e.name for e in page.context["page"].object_list] == ["2025东城新能源产业招商推介会"]
    assert "西城电子信息推介会" not in page.content.decode()
    assert "没有符合条件的招商活动" in none_found.content.decode()
    rows = list(load_workbook(BytesIO(export.content)).active.iter_rows(values_only=True))
    assert rows[1][0] == "2025东城新能源产业招商推介会"
    assert rows[1][6:] == (6, 35000)


def test_the_event_page_shows_its_projects_and_rates(on_as_of, client_for, signings, officer_a):
    response = client_for(officer_a).get(reverse("investment:event_detail", args=[signings.pk]))

    body = response.content.decode()
    assert response.context["figures"].signed == 6
    assert 'data-testid="rate-6">40.0%' in body
    assert 'data-testid="rate-12">50.0%' in body
    assert "签约未确认" in body  # G is linked but its signing is not confirmed
    # started in time: A and D and F at 6 and 12 months, B at 12 (D and F count here before their windows close)
    assert body.count("badge text-bg-success") == 7
    assert body.count("badge text-bg-danger") == 5  # B at 6, C and I at both; H is excluded, so not judged


def test_the_landing_report_shows_and_exports_the_total(on_as_of, client_for, signings, officer_a):
    client = client_for(officer_a)

    page = client.get(reverse("investment:event_landing"))
    export = client.get(reverse("investment:event_landing"), {"export": "xlsx"})

    total = page.context["total"]
    assert (total.signed, total.rate_6.due, total.rate_12.due) == (6, 5, 4)
    rows = list(load_workbook(BytesIO(export.content)).active.iter_rows(values_only=True))
    assert rows[0][-3:] == ("签约满12个月", "12个月内开工", "12个月落地率")
    assert rows[-1][0] == "合计"
    assert rows[-1][4:] == (6, 35000, 4, 5, 2, "40.0%", 4, 2, "50.0%")


def test_an_event_with_nothing_old_enough_reads_n_a(client_for, officer_a, county_a):
    fresh = create_event(
        name="新近的签约仪式", kind=Event.Kind.SIGNING, unit=county_a, starts_on=TODAY, ends_on=TODAY, place="东城",
        by=officer_a,
    )  # fmt: skip
    _at_event(officer_a, fresh, signed_on=TODAY, amount=100)

    body = client_for(officer_a).get(reverse("investment:event_detail", args=[fresh.pk])).content.decode()

    assert 'data-testid="rate-6">n/a' in body
    assert "还没有签约满6个月的项目" in body


# ---- query counts --------------------------------------------------------------------------

_serial = itertools.count(1)


def _grow(officer, unit, n: int) -> None:
    for _ in range(n):
        i = next(_serial)
        event = create_event(
            name=f"第{i}届推介会", kind=Event.Kind.PROMOTION, unit=unit, starts_on=date(2025, 1, i % 28 + 1),
            ends_on=date(2025, 1, i % 28 + 1), place="东城", by=officer,
        )  # fmt: skip
        _at_event(officer, event, signed_on=date(2025, 2, 1), started_on=date(2025, 3, 1))
        _at_event(officer, event, signed_on=date(2025, 2, 2))


@pytest.mark.parametrize(
    ("name", "params"),
    [
        ("investment:event_list", {}),
        ("investment:event_list", {"export": "xlsx"}),
        ("investment:event_landing", {}),
        ("investment:event_landing", {"export": "xlsx"}),
    ],
)
def test_event_lists_take_the_same_number_of_queries_whatever_their_length(
    client_for, officer_a, county_a, count_queries, name, params
):
    client = client_for(officer_a)
    _grow(officer_a, county_a, 1)
    small = count_queries(lambda: client.get(reverse(name), params))
    _grow(officer_a, county_a, 8)

    assert count_queries(lambda: client.get(reverse(name), params)) == small


def test_the_event_page_takes_the_same_number_of_queries_whatever_it_signed(client_for, expo, officer_a, count_queries):
    client = client_for(officer_a)
    url = reverse("investment:event_detail", args=[expo.pk])
    _at_event(officer_a, expo, signed_on=date(2025, 2, 1))
    small = count_queries(lambda: client.get(url))
    for day in range(2, 12):
        _at_event(officer_a, expo, signed_on=date(2025, 2, day), started_on=date(2025, 4, day))

    assert count_queries(lambda: client.get(url)) == small


def test_a_county_links_its_project_to_the_citys_expo_but_not_to_another_countys_event(officer_a, officer_b, city):
    from apps.investment.models import Event
    from apps.investment.selectors.events import linkable_events

    expo = Event.objects.create(
        name="示范市投资博览会",
        kind="expo",
        unit=city,
        starts_on=date(2026, 5, 1),
        ends_on=date(2026, 5, 3),
        place="会展中心",
    )
    theirs = Event.objects.create(
        name="西城推介会",
        kind="promotion",
        unit=officer_b.unit,
        starts_on=date(2026, 6, 1),
        ends_on=date(2026, 6, 1),
        place="西城",
    )

    linkable = set(linkable_events(officer_a))

    assert expo in linkable
    assert theirs not in linkable
