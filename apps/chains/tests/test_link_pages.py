"""Placement pages: the queue (filters, export, bulk), the decisions, the link's page, adding by hand, the runs;
who may do what (anonymous, a reader without PLACE_ENTERPRISE, a keeper)."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from apps.chains.models import Placement, PlacementRun
from apps.chains.tests.conftest import make_enterprise, place
from apps.enterprises.services import EnterpriseData, register_enterprise
from apps.org import roles
from apps.org.tests.factories import UserFactory


@pytest.fixture
def hotline(county_a):
    return UserFactory(username="hotline", name="热线坐席", unit=county_a, roles=[roles.HOTLINE_AGENT])


@pytest.fixture
def suggestion(links):
    return place(
        links["vehicles"], make_enterprise("示范整车有限公司", industry="36"), status=Placement.Status.SUGGESTED
    )


def _statuses() -> list[tuple[int, str, bool]]:
    return sorted(Placement.objects.values_list("pk", "status", "is_chain_leader"))


# ---- reading --------------------------------------------------------------------------------------


def test_queue_lists_suggestions_with_filters(client_for, city_leader, chain, links, suggestion):
    place(links["motor"], make_enterprise("示范电机有限公司"), status=Placement.Status.SUGGESTED)
    place(links["motor"], make_enterprise("示范驱动有限公司"))  # confirmed: not in the default view
    client = client_for(city_leader)
    url = reverse("chains:placement_queue", args=[chain.pk])
    page = client.get(url).content.decode()
    assert "示范整车有限公司" in page
    assert "示范电机有限公司" in page
    assert "示范驱动有限公司" not in page
    assert "确认所选" not in page  # a reader sees no buttons
    filtered = client.get(url, {"link": links["motor"].pk, "q": "电机"}).content.decode()
    assert "示范整车有限公司" not in filtered
    assert "示范电机有限公司" in filtered
    assert "示范驱动有限公司" in client.get(url, {"status": "confirmed"}).content.decode()


def test_queue_export_is_what_is_shown(client_for, city_leader, chain, links, suggestion):
    suggestion.reasons = ["行业代码 36 汽车制造业 属于本环节"]
    suggestion.score = 50
    suggestion.save()
    response = client_for(city_leader).get(reverse("chains:placement_queue", args=[chain.pk]), {"export": "xlsx"})
    rows = list(load_workbook(io.BytesIO(response.content)).active.values)
    assert rows[1][:6] == ("整车制造", "示范整车有限公司", None, "990101", 50, "行业代码 36 汽车制造业 属于本环节")
    assert len(rows) == 2


def test_queue_query_count_is_flat(client_for, city_leader, chain, links, count_queries):
    client = client_for(city_leader)
    url = reverse("chains:placement_queue", args=[chain.pk])
    place(links["motor"], make_enterprise("示范电机0有限公司"), status=Placement.Status.SUGGESTED)
    few = count_queries(lambda: client.get(url))
    for index in range(1, 8):
        place(links["cells"], make_enterprise(f"示范电芯{index}有限公司"), status=Placement.Status.SUGGESTED)
    assert count_queries(lambda: client.get(url)) == few


def test_link_page_shows_strength_leaders_and_waiting_suggestions(client_for, city_leader, links, suggestion):
    place(links["vehicles"], make_enterprise("示范客车有限公司"), leader=True)
    page = client_for(city_leader).get(reverse("chains:link_detail", args=[links["vehicles"].pk])).content.decode()
    assert "示范客车有限公司" in page
    assert 'data-testid="chain-leader"' in page
    assert "示范整车有限公司" in page  # waiting
    assert "强链" in page  # one of two: weak
    assert "手工添加本地企业" not in page


def test_link_page_query_count_is_flat(client_for, city_leader, links, count_queries):
    client = client_for(city_leader)
    url = reverse("chains:link_detail", args=[links["vehicles"].pk])
    place(links["vehicles"], make_enterprise("示范整车0有限公司"))
    few = count_queries(lambda: client.get(url))
    for index in range(1, 6):
        place(links["vehicles"], make_enterprise(f"示范整车{index}有限公司"))
        place(links["vehicles"], make_enterprise(f"示范客车{index}有限公司"), status=Placement.Status.SUGGESTED)
    assert count_queries(lambda: client.get(url)) == few


def test_a_keeper_finds_local_enterprises_to_add(client_for, officer_a, links):
    register_enterprise(data=EnterpriseData(name="示范整车有限公司", region_code="990101"), by=officer_a)
    register_enterprise(data=EnterpriseData(name="外地整车有限公司", region_code="110105"), by=officer_a)
    client = client_for(officer_a)
    response = client.get(reverse("chains:link_detail", args=[links["vehicles"].pk]), {"find": "整车"},
                          headers={"HX-Request": "true"})  # fmt: skip
    page = response.content.decode()
    assert "示范整车有限公司" in page
    assert "外地整车有限公司" not in page
    assert "<h1" not in page  # the fragment only


def test_pages_need_view_chain(client, client_for, hotline, chain, links, suggestion):
    urls = [
        reverse("chains:placement_queue", args=[chain.pk]),
        reverse("chains:link_detail", args=[links["vehicles"].pk]),
    ]
    for url in urls:
        assert client.get(url).status_code == 302
    client_for(hotline)
    for url in urls:
        assert client.get(url).status_code == 403


# ---- acting: anonymous, a reader, a keeper ---------------------------------------------------------


def _act(suggestion):
    return reverse("chains:placement_act", args=[suggestion.pk, "confirm"]), {}


def _bulk(suggestion):
    return reverse("chains:placement_bulk", args=[suggestion.link.chain_id]), {
        "ids": [suggestion.pk],
        "action": "reject",
    }


def _add(suggestion):
    other = make_enterprise("示范客车有限公司")
    return reverse("chains:placement_add", args=[suggestion.link_id]), {"enterprise": other.pk}


def _run(suggestion):
    return reverse("chains:placement_run_start", args=[suggestion.link.chain_id]), {}


CHANGES = [_act, _bulk, _add, _run]


@pytest.mark.parametrize("change", CHANGES)
def test_anonymous_and_readers_change_nothing(client, client_for, city_leader, suggestion, change):
    url, data = change(suggestion)
    before = _statuses()
    response = client.post(url, data)
    assert response.status_code == 302
    assert "/login" in response["Location"]
    client_for(city_leader)
    assert client.post(url, data).status_code == 403
    assert _statuses() == before
    assert not PlacementRun.objects.exists()


@pytest.mark.parametrize("change", CHANGES)
def test_a_keeper_changes(client_for, officer_a, suggestion, change, django_capture_on_commit_callbacks):
    url, data = change(suggestion)
    before = _statuses()
    with django_capture_on_commit_callbacks(execute=False):
        response = client_for(officer_a).post(url, data)
    assert response.status_code == 302
    assert _statuses() != before or PlacementRun.objects.exists()


def test_confirm_then_leader_from_the_link_page_goes_back(client_for, officer_a, suggestion):
    client = client_for(officer_a)
    back = reverse("chains:link_detail", args=[suggestion.link_id])
    response = client.post(reverse("chains:placement_act", args=[suggestion.pk, "confirm"]), {"next": back})
    assert response["Location"] == back
    client.post(reverse("chains:placement_act", args=[suggestion.pk, "leader"]))
    suggestion.refresh_from_db()
    assert (suggestion.status, suggestion.is_chain_leader) == (Placement.Status.CONFIRMED, True)


def test_a_refused_move_is_a_message_not_an_error(client_for, officer_a, suggestion):
    response = client_for(officer_a).post(reverse("chains:placement_act", args=[suggestion.pk, "leader"]), follow=True)
    assert "只有已确认在本环节的企业才能标为链主" in response.content.decode()
    suggestion.refresh_from_db()
    assert not suggestion.is_chain_leader


def test_an_unknown_action_or_an_off_site_next_is_ignored(client_for, officer_a, suggestion):
    client = client_for(officer_a)
    assert client.post(reverse("chains:placement_act", args=[suggestion.pk, "delete"])).status_code == 400
    response = client.post(reverse("chains:placement_act", args=[suggestion.pk, "confirm"]),
                           {"next": "https://evil.example/"})  # fmt: skip
    assert response["Location"] == reverse("chains:link_detail", args=[suggestion.link_id])


def test_bulk_only_touches_the_chains_own_placements(client_for, officer_a, suggestion):
    from apps.chains.models import Chain, Link

    elsewhere = Link.objects.create(chain=Chain.objects.create(name="光伏"), segment="upstream", name="硅片")
    foreign = place(elsewhere, make_enterprise("示范硅片有限公司"), status=Placement.Status.SUGGESTED)
    client_for(officer_a).post(reverse("chains:placement_bulk", args=[suggestion.link.chain_id]),
                               {"ids": [suggestion.pk, foreign.pk], "action": "confirm"})  # fmt: skip
    foreign.refresh_from_db()
    suggestion.refresh_from_db()
    assert (suggestion.status, foreign.status) == (Placement.Status.CONFIRMED, Placement.Status.SUGGESTED)
