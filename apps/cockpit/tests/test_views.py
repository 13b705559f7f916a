"""The cockpit page: who opens it, what a county sees, and a bounded number of queries."""

import pytest
from django.urls import reverse

from apps.cockpit.tests.conftest import signed_project
from apps.investment.services.kpi_rollup import rebuild_all
from apps.org import roles
from apps.org.models import Unit
from apps.org.tests.factories import UserFactory, make_unit

pytestmark = pytest.mark.django_db


def test_the_leader_opens_the_cockpit_with_every_panel(client_for, city_leader, projects, city_map):
    response = client_for(city_leader).get(reverse("cockpit:cockpit"))
    assert response.status_code == 200
    context = response.context
    assert [area.unit.name for area in context["investment"].areas] == ["东城区", "西城区"]
    for panel in ("pipeline", "appeals", "bizenv", "region_map"):
        assert context[panel] is not None
    page = response.content.decode()
    assert 'id="cockpit-map-data"' in page
    assert "vendor/echarts/echarts.min.js" in page
    assert "领导驾驶舱" in page


def test_the_screen_mode_has_no_menu_and_refreshes_itself(client_for, city_leader, projects):
    for url in (reverse("cockpit:screen"), reverse("cockpit:cockpit") + "?screen=1"):
        page = client_for(city_leader).get(url).content.decode()
        assert 'http-equiv="refresh" content="300"' in page
        assert "main-nav" not in page
        assert "cockpit-screen" in page


def test_a_county_officer_sees_only_their_county(client_for, officer_a, projects, city_map, county_a):
    response = client_for(officer_a).get(reverse("cockpit:cockpit"))
    assert response.status_code == 200
    assert [area.unit for area in response.context["investment"].areas] == [county_a]
    regions = {region["name"]: region["values"] for region in response.context["region_map"]["regions"]}
    assert regions["西城区"] == {}
    assert "西城区" not in str(response.context["investment"].ranking_chart)


def test_a_role_without_the_cockpit_gets_403(client_for, system_admin):
    assert client_for(system_admin).get(reverse("cockpit:cockpit")).status_code == 403
    assert client_for(system_admin).get(reverse("cockpit:screen")).status_code == 403


def test_the_anonymous_visitor_is_sent_to_log_in(client):
    response = client.get(reverse("cockpit:cockpit"))
    assert response.status_code == 302
    assert reverse("org:login") in response.url


def test_a_bureau_without_the_pipeline_sees_only_its_own_panels(client_for, city, projects):
    bizenv = UserFactory(username="bizenv", name="营商局", unit=city, roles=[roles.BIZENV_ADMIN])
    context = client_for(bizenv).get(reverse("cockpit:cockpit")).context
    assert (context["investment"], context["pipeline"], context["appeals"]) == (None, None, None)
    assert context["bizenv"] is not None


def test_a_bad_year_falls_back_to_this_year(client_for, city_leader):
    context = client_for(city_leader).get(reverse("cockpit:cockpit"), {"year": "abc"}).context
    assert context["year"] == context["years"][0]


def test_the_number_of_queries_does_not_grow_with_the_counties(
    client_for, city_leader, city, projects, city_map, count_queries, officer_a
):
    client = client_for(city_leader)
    url = reverse("cockpit:cockpit")
    client.get(url)  # warm the caches (content types, settings)
    before = count_queries(lambda: client.get(url))
    for number in range(3, 8):
        county = make_unit(parent=city, name=f"第{number}区", kind=Unit.Kind.COUNTY, code=f"9901{number:02d}")
        signed_project(county, officer_a, contracted=1000 * number, funds=100)
    rebuild_all()
    after = count_queries(lambda: client.get(url))
    assert after == before
    assert before <= 40, before


def test_the_figures_are_kept_for_each_viewers_scope_and_computed_again_when_they_expire(
    client_for, city_leader, projects, city_map, officer_a, officer_b, count_queries, settings
):
    from django.core.cache import cache

    settings.COCKPIT_CACHE_SECONDS = 300
    cache.clear()
    url = reverse("cockpit:cockpit")

    def areas(user):
        return [area.unit.name for area in client_for(user).get(url).context["investment"].areas]

    leader = client_for(city_leader)
    computed = count_queries(lambda: leader.get(url))
    kept = count_queries(lambda: leader.get(url))
    seen = (areas(officer_a), areas(officer_b), areas(city_leader))
    cache.clear()  # as when the figures expire
    leader = client_for(city_leader)
    again = count_queries(lambda: leader.get(url))

    assert kept < computed - 10
    assert again == computed
    assert seen == (["东城区"], ["西城区"], ["东城区", "西城区"])  # each county its own, never another's
    assert "数据更新于" in leader.get(url).content.decode()
    cache.clear()
