"""招商小分队: the services' rules, the year-end scorecard against hand-computed figures, the pages per role."""

import itertools
from datetime import date, datetime, timedelta
from decimal import Decimal
from io import BytesIO
from pathlib import Path

import pytest
import time_machine
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from playwright.sync_api import expect

from apps.core.errors import BusinessRuleError
from apps.core.tests import url_walker
from apps.core.tests.test_browser import browser, log_in, open_page  # noqa: F401 - fixtures
from apps.enterprises.models import Enterprise, Industry
from apps.enterprises.tests.factories import make_enterprise
from apps.investment.models import FundRecord, Project, Stage, Team, TeamMember, Trip
from apps.investment.selectors.teams import Figures, scorecards
from apps.investment.services.teams import add_member, create_team, record_trip, remove_member, update_trip
from apps.investment.tests.factories import lead
from apps.org import roles
from apps.org.models import Role
from apps.org.tests.factories import UserFactory

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
TRIP_SCREENSHOT = Path("/tmp/yingshang-trip-form.png")  # noqa: S108 - a fixed place the team looks at


@pytest.fixture
def in_2026():
    """The year pickers offer the last few years: read 2025's card from within 2026."""
    with time_machine.travel(datetime(2026, 12, 1, 12, tzinfo=timezone.get_current_timezone()), tick=False):
        yield


@pytest.fixture
def team(officer_a, county_a):
    return create_team(
        name="新能源汽车招商小分队", unit=county_a, leader=officer_a, target_regions="长三角", by=officer_a
    )


@pytest.fixture
def member_b(county_a):
    return UserFactory(username="member_b", name="队员乙", unit=county_a, roles=[roles.INVESTMENT_OFFICER])


@pytest.fixture
def member_c(county_a):
    return UserFactory(username="member_c", name="队员丙", unit=county_a, roles=[roles.INVESTMENT_OFFICER])


def _at(*args) -> datetime:
    return datetime(*args, tzinfo=timezone.get_current_timezone())


def _project(by, team, *, created: datetime, **fields) -> Project:
    """A lead of ``by`` for ``team``, then set as the figures need (registered on ``created``)."""
    project = lead(by, team=team)
    Project.objects.filter(pk=project.pk).update(created_at=created, **fields)
    project.refresh_from_db()
    return project


def _signed(on: date, amount: int, **fields) -> dict:
    return {
        "stage": Stage.SIGNED,
        "counted_stage": Stage.SIGNED,
        "signed_on": on,
        "contracted_investment": amount,
        **fields,
    }


def _funds(project, month: date, amount: int) -> FundRecord:
    return FundRecord.objects.create(project=project, month=month, amount=amount, entered_by=project.created_by)


# ---- services ------------------------------------------------------------------------------


def test_a_team_is_set_up_in_the_users_own_subtree_with_a_unique_name(officer_a, county_a, county_b, team):
    industry = Industry.objects.get(code="36")

    other = create_team(
        name=" 电子信息小分队 ", unit=county_a, leader=officer_a, target_industries=[industry], by=officer_a
    )

    assert (other.name, list(other.target_industries.all())) == ("电子信息小分队", [industry])
    with pytest.raises(BusinessRuleError, match="已有名为“新能源汽车招商小分队”的在用小分队"):
        create_team(name="新能源汽车招商小分队", unit=county_a, leader=officer_a, by=officer_a)
    with pytest.raises(BusinessRuleError, match="只能为本单位或下级单位登记"):
        create_team(name="西城小分队", unit=county_b, leader=officer_a, by=officer_a)
    with pytest.raises(BusinessRuleError, match="名称"):
        create_team(name="  ", unit=county_a, leader=officer_a, by=officer_a)
    assert Team.objects.count() == 2


def test_a_person_is_a_current_member_once_and_rejoins_only_after_leaving(team, member_b, officer_a):
    first = add_member(team=team, person=member_b, joined_on=date(2025, 1, 1), role=" 联络员 ", by=officer_a)

    assert first.role == "联络员"
    with pytest.raises(BusinessRuleError, match="队员乙已是该小分队的现任队员"):
        add_member(team=team, person=member_b, joined_on=date(2025, 2, 1), by=officer_a)
    with pytest.raises(BusinessRuleError, match="退出日期不能早于加入日期（2025-01-01）"):
        remove_member(member=first, left_on=date(2024, 12, 31), by=officer_a)
    with pytest.raises(BusinessRuleError, match="退出日期不能晚于今天"):
        remove_member(member=first, left_on=TODAY + timedelta(days=1), by=officer_a)
    remove_member(member=first, left_on=date(2025, 6, 30), by=officer_a)
    with pytest.raises(BusinessRuleError, match="已于2025-06-30退出"):
        remove_member(member=first, left_on=date(2025, 7, 1), by=officer_a)
    with pytest.raises(BusinessRuleError, match="加入日期须晚于其上次退出日期（2025-06-30）"):
        add_member(team=team, person=member_b, joined_on=date(2025, 6, 30), by=officer_a)
    with pytest.raises(BusinessRuleError, match="加入日期不能晚于今天"):
        add_member(team=team, person=member_b, joined_on=TODAY + timedelta(days=1), by=officer_a)
    again = add_member(team=team, person=member_b, joined_on=date(2025, 7, 1), by=officer_a)

    periods = TeamMember.objects.filter(team=team, person=member_b).order_by("joined_on")
    assert [(m.joined_on, m.left_on) for m in periods] == [
        (date(2025, 1, 1), date(2025, 6, 30)),
        (date(2025, 7, 1), None),
    ]
    assert again.pk == periods.last().pk


def test_a_stood_down_team_takes_no_members_or_trips(team, member_b, officer_a):
    team.is_active = False
    team.save()

    with pytest.raises(BusinessRuleError, match="已停用"):
        add_member(team=team, person=member_b, joined_on=TODAY, by=officer_a)
    with pytest.raises(BusinessRuleError, match="已停用"):
        record_trip(team=team, starts_on=TODAY, ends_on=TODAY, destination="深圳", by=officer_a)


def test_a_trip_has_ordered_dates_and_visits_registered_enterprises(team, officer_a):
    byd = make_enterprise("深圳市比亚迪汽车工业有限公司")
    catl = make_enterprise("宁德时代新能源科技股份有限公司")
    merged = make_enterprise("深圳某已合并企业有限公司")
    Enterprise.objects.filter(pk=merged.pk).update(status=Enterprise.Status.MERGED)
    merged.refresh_from_db()
    start = TODAY - timedelta(days=5)

    with pytest.raises(BusinessRuleError, match="返回日期不能早于出发日期"):
        record_trip(team=team, starts_on=start, ends_on=start - timedelta(days=1), destination="深圳", by=officer_a)
    with pytest.raises(BusinessRuleError, match="出发日期不能晚于今天"):
        record_trip(
            team=team,
            starts_on=TODAY + timedelta(days=1),
            ends_on=TODAY + timedelta(days=2),
            destination="深圳",
            by=officer_a,
        )
    with pytest.raises(BusinessRuleError, match="已被合并"):
        record_trip(team=team, starts_on=start, ends_on=start, destination="深圳", visited=[merged], by=officer_a)
    trip = record_trip(
        team=team,
        starts_on=start,
        ends_on=TODAY,
        destination=" 深圳 ",
        visited=[byd, catl],
        results="获取线索2条",
        by=officer_a,
    )

    assert (trip.destination, trip.recorded_by, set(trip.visited.all())) == ("深圳", officer_a, {byd, catl})
    update_trip(trip=trip, visited=[catl], results="签约意向1个", by=officer_a)
    trip.refresh_from_db()
    assert (trip.results, list(trip.visited.all())) == ("签约意向1个", [catl])
    assert Trip.objects.count() == 1


# ---- the scorecard -------------------------------------------------------------------------


@pytest.fixture
def season(team, officer_a, member_b, member_c, county_a):
    """A 2025 of the team, small enough to add up by hand (amounts in 万元).

    officer_a (member since 2024-03-01): P1 registered 2025-01-01 00:30 Beijing time, signed 2025-05-10 for
    50000, funds 1000 (Jun) + 2000 (Jul) + 500 (Dec 2024, another year); P2 registered 2024, an expansion signed
    2025-01-20 for 30000 of which 10000 counted before, funds 3000 (Mar); P6 excluded from statistics; P7 signed in
    2024 with 700 of funds in January 2025. 队员乙 (2024-01-01 … 2025-06-30): P3 registered 2025 whose signing
    waits for confirmation; P4 registered 2025, signed 2025-08-01 for 8000 after leaving, funds 800 (Sep).
    队员丙 left at the end of 2024 and registered P5 (signed 2025-06-01 for 5000): the "other" line.
    Another team's project does not count.
    """
    add_member(team=team, person=officer_a, joined_on=date(2024, 3, 1), role="队长", by=officer_a)
    b = add_member(team=team, person=member_b, joined_on=date(2024, 1, 1), by=officer_a)
    remove_member(member=b, left_on=date(2025, 6, 30), by=officer_a)
    c = add_member(team=team, person=member_c, joined_on=date(2023, 1, 1), by=officer_a)
    remove_member(member=c, left_on=date(2024, 12, 31), by=officer_a)

    p1 = _project(officer_a, team, created=_at(2025, 1, 1, 0, 30), **_signed(date(2025, 5, 10), 50000))
    _funds(p1, date(2025, 6, 1), 1000)
    _funds(p1, date(2025, 7, 1), 2000)
    _funds(p1, date(2024, 12, 1), 500)
    expansion = _signed(date(2025, 1, 20), 30000, kind=Project.Kind.EXPANSION, counted_before=10000)
    expansion["counted_stage"] = Stage.STARTED
    p2 = _project(officer_a, team, created=_at(2024, 11, 1, 9), **expansion)
    _funds(p2, date(2025, 3, 1), 3000)
    p6 = _project(
        officer_a, team, created=_at(2025, 3, 1, 9), excluded_from_statistics=True, **_signed(date(2025, 3, 2), 99999)
    )
    _funds(p6, date(2025, 4, 1), 9999)
    p7 = _project(officer_a, team, created=_at(2024, 6, 1, 9), **_signed(date(2024, 12, 30), 7000))
    _funds(p7, date(2025, 1, 1), 700)
    pending = _signed(date(2025, 4, 1), 6000, counted_stage=Stage.NEGOTIATION, signed_on=None)
    _project(member_b, team, created=_at(2025, 3, 1, 9), **pending)
    p4 = _project(member_b, team, created=_at(2025, 4, 1, 9), **_signed(date(2025, 8, 1), 8000))
    _funds(p4, date(2025, 9, 1), 800)
    _project(member_c, team, created=_at(2025, 5, 1, 9), **_signed(date(2025, 6, 1), 5000))
    other_team = create_team(name="另一个小分队", unit=county_a, leader=officer_a, by=officer_a)
    _project(officer_a, other_team, created=_at(2025, 5, 1, 9), **_signed(date(2025, 6, 1), 1234))
    return team


def test_the_2025_scorecard_adds_up_by_hand(season, officer_a):
    card = scorecards(officer_a, [season], 2025)[0]

    assert card.figures == Figures(leads=4, signed=4, contracted=Decimal(83000), funds=Decimal(7500))
    lines = {line.member.person.name: line.figures for line in card.members}
    assert lines == {
        "东城招商专员": Figures(leads=1, signed=2, contracted=Decimal(70000), funds=Decimal(6700)),
        "队员乙": Figures(leads=2, signed=1, contracted=Decimal(8000), funds=Decimal(800)),
    }
    assert card.others == Figures(leads=1, signed=1, contracted=Decimal(5000), funds=Decimal(0))


def test_the_2024_card_lists_who_was_a_member_then(season, officer_a):
    card = scorecards(officer_a, [season], 2024)[0]

    assert [line.member.person.name for line in card.members] == ["队员丙", "队员乙", "东城招商专员"]
    # 2024: P2 and P7 registered, P7 signed for 7000, 500 of funds in December
    assert card.figures == Figures(leads=2, signed=1, contracted=Decimal(7000), funds=Decimal(500))


def test_the_scorecard_counts_only_projects_the_reader_may_see(season, officer_b, officer_a, city_leader):
    """A project of another county handed to the team stays out of a reader who cannot see it."""
    foreign = lead(officer_b, team=season)
    Project.objects.filter(pk=foreign.pk).update(created_at=_at(2025, 2, 1, 9), **_signed(date(2025, 2, 2), 4000))

    assert scorecards(officer_a, [season], 2025)[0].figures.signed == 4
    assert scorecards(city_leader, [season], 2025)[0].figures.signed == 5


# ---- pages ---------------------------------------------------------------------------------

PERSONAS = ["officer_a", "county_admin_a", "officer_b", "city_leader", "department_handler", "coordinator"]
#: persona → what happens to a change of 东城区's team: made, or the status code of the refusal
EXPECTED_CHANGE = {
    "officer_a": "changed",
    "county_admin_a": "changed",
    "officer_b": 404,  # another county does not see the team
    "city_leader": 403,  # sees every team, keeps none
    "department_handler": 404,  # a city department's subtree holds no county team
    "coordinator": 404,
}


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_the_teams_own_unit_edits_it(request, client_for, team, officer_a, persona):
    user = request.getfixturevalue(persona)
    data = {"name": "新能源小分队（调整）", "unit": team.unit_id, "leader": officer_a.pk, "is_active": "on"}

    response = client_for(user).post(reverse("investment:team_edit", args=[team.pk]), data)

    team.refresh_from_db()
    if EXPECTED_CHANGE[persona] == "changed":
        assert response.status_code == 302
        assert team.name == "新能源小分队（调整）"
    else:
        assert response.status_code == EXPECTED_CHANGE[persona]
        assert team.name == "新能源汽车招商小分队"


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_the_teams_own_unit_adds_members_and_trips(request, client_for, team, member_b, persona):
    user = request.getfixturevalue(persona)
    client = client_for(user)
    start = (TODAY - timedelta(days=3)).isoformat()

    member = client.post(
        reverse("investment:team_member_add", args=[team.pk]), {"person": member_b.pk, "joined_on": start}
    )
    trip = client.post(
        reverse("investment:trip_create", args=[team.pk]), {"starts_on": start, "ends_on": start, "destination": "苏州"}
    )

    expected = EXPECTED_CHANGE[persona]
    if expected == "changed":
        assert (member.status_code, trip.status_code) == (302, 302)
        assert (team.members.count(), team.trips.count()) == (1, 1)
    else:
        assert (member.status_code, trip.status_code) == (expected, expected)
        assert (team.members.count(), team.trips.count()) == (0, 0)


def test_anonymous_people_are_sent_to_log_in(client, team):
    for url in (reverse("investment:team_list"), reverse("investment:team_detail", args=[team.pk])):
        response = client.get(url)
        assert response.status_code == 302
        assert "/login" in response["Location"] or "login" in response["Location"]


def test_a_team_is_set_up_through_the_form_only_in_the_users_scope(client_for, officer_a, county_a, county_b):
    client = client_for(officer_a)
    industry = Industry.objects.get(code="36")
    data = {"name": "汽车零部件小分队", "unit": county_a.pk, "leader": officer_a.pk, "target_industries": [industry.pk]}

    response = client.post(reverse("investment:team_create"), data)

    team = Team.objects.get(name="汽车零部件小分队")
    assert response["Location"] == reverse("investment:team_detail", args=[team.pk])
    assert list(team.target_industries.all()) == [industry]
    refused = client.post(reverse("investment:team_create"), {**data, "name": "西城小分队", "unit": county_b.pk})
    assert refused.status_code == 200
    assert not Team.objects.filter(name="西城小分队").exists()


def test_the_team_list_follows_the_scope_and_filters(client_for, team, officer_a, officer_b, county_b, city_leader):
    create_team(name="西城电子信息小分队", unit=county_b, leader=officer_b, by=officer_b)
    stood_down = create_team(name="东城旧小分队", unit=team.unit, leader=officer_a, by=officer_a)
    stood_down.is_active = False
    stood_down.save()

    own = client_for(officer_a).get(reverse("investment:team_list")).content.decode()
    active = client_for(officer_a).get(reverse("investment:team_list"), {"active": "1"}).content.decode()
    city = client_for(city_leader).get(reverse("investment:team_list"), {"q": "电子"}).content.decode()

    assert "新能源汽车招商小分队" in own
    assert "东城旧小分队" in own
    assert "西城电子信息小分队" not in own
    assert "东城旧小分队" not in active
    assert "西城电子信息小分队" in city
    assert "新能源汽车招商小分队" not in city


def test_a_member_leaves_through_the_page(client_for, team, member_b, officer_a):
    member = add_member(team=team, person=member_b, joined_on=date(2025, 1, 1), by=officer_a)
    client = client_for(officer_a)
    url = reverse("investment:team_member_leave", args=[member.pk])

    too_early = client.post(url, {"left_on": "2024-12-01"})
    left = client.post(url, {"left_on": "2025-09-30"})

    assert too_early.status_code == 200
    assert "退出日期不能早于加入日期" in too_early.content.decode()
    assert left.status_code == 302
    member.refresh_from_db()
    assert member.left_on == date(2025, 9, 30)


def test_a_trip_is_recorded_with_the_enterprises_picked(client_for, team, officer_a):
    byd, catl = make_enterprise("深圳市比亚迪汽车工业有限公司"), make_enterprise("宁德时代新能源科技股份有限公司")
    client = client_for(officer_a)
    start = (TODAY - timedelta(days=4)).isoformat()

    picked = client.get(reverse("investment:trip_visit_pick"), {"enterprise": catl.pk, "visited": [byd.pk]})
    again = client.get(reverse("investment:trip_visit_pick"), {"enterprise": byd.pk, "visited": [byd.pk]})
    response = client.post(
        reverse("investment:trip_create", args=[team.pk]),
        {
            "starts_on": start,
            "ends_on": start,
            "destination": "深圳",
            "visited": [byd.pk, catl.pk],
            "results": "拜访2家",
        },
    )

    assert f'value="{catl.pk}"' in picked.content.decode()
    assert "宁德时代" in picked.content.decode()
    assert again.content.decode().strip() == ""
    trip = Trip.objects.get()
    assert response["Location"] == reverse("investment:trip_detail", args=[trip.pk])
    assert set(trip.visited.all()) == {byd, catl}
    edit = client.get(reverse("investment:trip_edit", args=[trip.pk])).content.decode()
    assert f'name="visited" value="{byd.pk}"' in edit


def test_a_trip_returning_before_it_left_is_refused_on_the_form(client_for, team, officer_a):
    start = TODAY - timedelta(days=4)
    data = {"starts_on": start.isoformat(), "ends_on": (start - timedelta(days=1)).isoformat(), "destination": "深圳"}

    response = client_for(officer_a).post(reverse("investment:trip_create", args=[team.pk]), data)

    assert response.status_code == 200
    assert "返回日期不能早于出发日期" in response.content.decode()
    assert not Trip.objects.exists()


def test_the_team_page_shows_the_chosen_years_card(in_2026, client_for, season, officer_a):
    response = client_for(officer_a).get(reverse("investment:team_detail", args=[season.pk]), {"year": 2025})

    assert response.context["card"].figures == Figures(4, 4, Decimal(83000), Decimal(7500))
    body = response.content.decode()
    assert "8.3 亿元" in body
    assert "7,500 万元" in body
    assert "非队员登记" in body


def test_the_scorecard_page_ranks_teams_and_exports_members(in_2026, client_for, season, officer_a, county_a):
    weaker = create_team(name="招大引强小分队", unit=county_a, leader=officer_a, by=officer_a)
    _project(officer_a, weaker, created=_at(2025, 2, 1, 9), **_signed(date(2025, 3, 1), 100))
    client = client_for(officer_a)

    page = client.get(reverse("investment:team_scorecard"), {"year": 2025})
    export = client.get(reverse("investment:team_scorecard"), {"year": 2025, "export": "xlsx"})

    assert [card.team.name for card in page.context["page"].object_list][:2] == ["新能源汽车招商小分队", "另一个小分队"]
    rows = list(load_workbook(BytesIO(export.content)).active.iter_rows(values_only=True))
    assert rows[1][:4] == (1, "新能源汽车招商小分队", "东城区", "全队合计")
    assert rows[1][6:] == (4, 4, 83000, 7500)
    assert (rows[2][3], rows[2][5]) == ("队员乙", "2024-01-01 至 2025-06-30")
    assert rows[3][3:6] == ("东城招商专员", "队长", "2024-03-01 至今")
    assert rows[3][6:] == (1, 2, 70000, 6700)
    assert rows[4][3:4] + rows[4][6:] == ("非队员登记", 1, 1, 5000, 0)


def test_exports_are_recorded_as_sensitive_reads(client_for, team, officer_a):
    from auditlog.models import LogEntry

    client_for(officer_a).get(reverse("investment:team_list"), {"export": "xlsx"})

    entry = LogEntry.objects.filter(action=LogEntry.Action.ACCESS).latest("timestamp")
    assert entry.additional_data["what"] == "导出招商小分队"


def test_changes_to_teams_and_members_are_audited(team, member_b, officer_a):
    from auditlog.models import LogEntry

    add_member(team=team, person=member_b, joined_on=date(2025, 1, 1), by=officer_a)

    assert LogEntry.objects.get_for_object(team).filter(action=LogEntry.Action.CREATE).get().actor == officer_a
    member = TeamMember.objects.get(person=member_b)
    assert LogEntry.objects.get_for_object(member).get().actor == officer_a


# ---- query counts --------------------------------------------------------------------------


_grown = itertools.count(1)


def _grow(team_unit, leader, n: int) -> None:
    for _ in range(n):
        i = next(_grown)
        extra = create_team(name=f"第{i}小分队", unit=team_unit, leader=leader, by=leader)
        extra.target_industries.set(Industry.objects.filter(code__in=["36", "38"]))
        person = UserFactory(username=f"grow{i}", unit=team_unit)
        add_member(team=extra, person=person, joined_on=date(2025, 1, 1), by=leader)
        trip = record_trip(team=extra, starts_on=TODAY, ends_on=TODAY, destination=f"城市{i}", by=leader)
        trip.visited.set([make_enterprise(f"示范市第{i}号拜访科技有限公司")])
        _project(person, extra, created=_at(2025, 2, 1, 9), **_signed(date(2025, 3, 1), 100 + i))


@pytest.mark.parametrize(
    ("name", "params"),
    [
        ("investment:team_list", {}),
        ("investment:team_list", {"export": "xlsx"}),
        ("investment:trip_list", {}),
        ("investment:trip_list", {"export": "xlsx"}),
        ("investment:team_scorecard", {"year": 2025}),
        ("investment:team_scorecard", {"year": 2025, "export": "xlsx"}),
    ],
)
def test_team_lists_take_the_same_number_of_queries_whatever_their_length(
    client_for, officer_a, county_a, count_queries, name, params
):
    client = client_for(officer_a)
    _grow(county_a, officer_a, 1)
    small = count_queries(lambda: client.get(reverse(name), params))
    _grow(county_a, officer_a, 8)

    assert count_queries(lambda: client.get(reverse(name), params)) == small


def test_the_team_page_takes_the_same_number_of_queries_whatever_its_size(client_for, team, officer_a, count_queries):
    def grow(i: int) -> None:
        person = UserFactory(username=f"member{i}", unit=team.unit)
        add_member(team=team, person=person, joined_on=date(2025, 1, 1), by=officer_a)
        trip = record_trip(team=team, starts_on=TODAY, ends_on=TODAY, destination=f"城市{i}", by=officer_a)
        trip.visited.set([make_enterprise(f"示范市第{i}号走访科技有限公司")])
        _project(person, team, created=_at(2025, 2, 1, 9), **_signed(date(2025, 3, 1), 100))

    client = client_for(officer_a)
    url = reverse("investment:team_detail", args=[team.pk])
    grow(0)
    small = count_queries(lambda: client.get(url))
    for i in range(1, 7):
        grow(i)

    assert count_queries(lambda: client.get(url)) == small


# ---- scope walk of these pages alone ---------------------------------------------------------


def test_no_team_or_event_page_shows_another_countys_records(client, county_a, county_b, monkeypatch):
    """The city-wide walker (apps/core/tests/test_scope_walk.py), on this module's URLs only."""
    role = Role.objects.create(code="walker", name="越界测试角色")
    role.permissions.set(Permission.objects.all())
    walker = UserFactory(username="walker", name="越界测试员", unit=county_a)
    walker.roles.add(role)
    mine = ("investment:team", "investment:trip", "investment:event")
    every = url_walker.iter_patterns

    def only_these(patterns=None, namespace=""):
        found = every(patterns, namespace)  # the walker recurses through this name into included URLconfs
        return found if patterns is not None else (p for p in found if p[0].startswith(mine))

    monkeypatch.setattr(url_walker, "iter_patterns", only_these)
    assert len(list(only_these())) == 17
    client.force_login(walker)

    assert url_walker.walk(client, url_walker.make_samples(own_unit=county_a, foreign_unit=county_b)) == []


# ---- in a real browser ---------------------------------------------------------------------


@pytest.mark.browser
def test_the_trip_form_picks_several_enterprises_while_typing(open_page, county_a, password):  # noqa: F811
    officer = UserFactory(username="zhou_qi", name="周七", unit=county_a, roles=[roles.INVESTMENT_OFFICER])
    team = create_team(name="新能源汽车招商小分队", unit=county_a, leader=officer, by=officer)
    make_enterprise("深圳市比亚迪汽车工业有限公司")
    make_enterprise("宁德时代新能源科技股份有限公司")
    page = open_page()
    page.goto(reverse("org:login"))
    log_in(page, "zhou_qi", password)

    page.goto(reverse("investment:trip_create", args=[team.pk]))
    for typed, name in (("比亚迪", "深圳市比亚迪汽车工业有限公司"), ("宁德时代", "宁德时代新能源科技股份有限公司")):
        page.locator("#visit-search").fill("")
        page.locator("#visit-search").press_sequentially(typed, delay=30)
        page.get_by_test_id("lookup-results").get_by_role("button", name=name).click()
        expect(page.get_by_test_id("visited")).to_contain_text(name)
    page.locator("#id_starts_on").fill((TODAY - timedelta(days=2)).isoformat())
    page.locator("#id_ends_on").fill(TODAY.isoformat())
    page.locator("#id_destination").fill("深圳")
    page.screenshot(path=str(TRIP_SCREENSHOT), full_page=True)
    page.get_by_role("button", name="保存").click()

    expect(page.get_by_role("heading", name="外出招商：深圳")).to_be_visible()
    assert {e.name for e in Trip.objects.get().visited.all()} == {
        "深圳市比亚迪汽车工业有限公司",
        "宁德时代新能源科技股份有限公司",
    }
