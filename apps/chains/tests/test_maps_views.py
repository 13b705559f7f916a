import pytest
from django.urls import reverse

from apps.chains.models import Chain, Link, Placement, Segment
from apps.chains.tests.conftest import make_enterprise, place
from apps.core.exports import XLSX_CONTENT_TYPE


def test_the_list_shows_link_and_gap_counts(client_for, county_admin_a, chain, links):
    place(links["motor"], make_enterprise("示范电机有限公司"))
    place(links["motor"], make_enterprise("示范驱动有限公司"))
    Chain.objects.create(name="光伏", is_active=False)
    response = client_for(county_admin_a).get(reverse("chains:chain_list"))
    assert response.status_code == 200
    rows = {chain.name: chain for chain in response.context["chains"]}
    assert rows["新能源汽车"].link_count == 5
    # battery and cells to fill, vehicles and charging to extend, motor covered (2 ≥ threshold 2)
    assert (rows["新能源汽车"].gap_counts, rows["新能源汽车"].gap_total) == ([2, 2, 0], 4)
    assert rows["光伏"].gap_total == 0
    assert "新建产业链" not in response.content.decode()


def test_the_list_searches_names_of_chains_and_links_and_filters_active(client_for, county_admin_a, chain, links):
    Chain.objects.create(name="光伏", is_active=False)
    client = client_for(county_admin_a)
    names = lambda **query: [c.name for c in client.get(reverse("chains:chain_list"), query).context["chains"]]  # noqa: E731
    assert names(q="电芯") == ["新能源汽车"]
    assert names(q="光") == ["光伏"]
    assert names(active="1") == ["新能源汽车"]
    assert names(active="0") == ["光伏"]


def test_an_empty_list_says_so(client_for, officer_a):
    response = client_for(officer_a).get(reverse("chains:chain_list"))
    assert "没有符合条件的产业链" in response.content.decode()
    assert "新建产业链" in response.content.decode()


def test_the_list_export_is_what_is_shown(client_for, county_admin_a, chain, links):
    from io import BytesIO

    from openpyxl import load_workbook

    Chain.objects.create(name="光伏", is_active=False)
    response = client_for(county_admin_a).get(reverse("chains:chain_list"), {"active": "1", "export": "xlsx"})
    assert response["Content-Type"] == XLSX_CONTENT_TYPE
    rows = list(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0][:8] == ("产业链", "简介", "状态", "环节数", "补链", "延链", "强链", "待补强环节合计")
    assert [row[:8] for row in rows[1:]] == [("新能源汽车", None, "启用", 5, 3, 2, 0, 5)]


def test_the_list_query_count_is_flat(client_for, county_admin_a, city, count_queries):
    client = client_for(county_admin_a)
    url = reverse("chains:chain_list")

    def add(n: int) -> None:
        for i in range(n):
            chain = Chain.objects.create(name=f"链{Chain.objects.count()}-{i}")
            link = Link.objects.create(chain=chain, segment=Segment.UPSTREAM, name="上游")
            Link.objects.create(chain=chain, segment=Segment.UPSTREAM, name="子环节", parent=link)
            place(link, make_enterprise(f"企业{chain.pk}"))

    add(1)
    client.get(url)
    one = count_queries(lambda: client.get(url))
    add(6)
    assert count_queries(lambda: client.get(url)) == one


def test_the_detail_lists_links_in_map_order_with_their_coverage(client_for, county_admin_a, chain, links):
    place(links["cells"], make_enterprise("示范电芯有限公司"), leader=True)
    response = client_for(county_admin_a).get(reverse("chains:chain_detail", args=[chain.pk]))
    assert response.status_code == 200
    assert [(row.link.name, row.depth, row.enterprises) for row in response.context["rows"]] == [
        ("动力电池", 0, 1), ("电芯", 1, 1), ("驱动电机", 0, 0), ("整车制造", 0, 0), ("充换电", 0, 0),
    ]  # fmt: skip
    assert response.context["gap_counts"] == [("补链", 1), ("延链", 2), ("强链", 2)]
    page = response.content.decode()
    assert "强链" in page
    assert reverse("chains:link_edit", args=[links["motor"].pk]) not in page  # a reader sees no edit buttons


def test_a_keeper_sees_the_edit_buttons(client_for, officer_a, chain, links):
    page = client_for(officer_a).get(reverse("chains:chain_detail", args=[chain.pk])).content.decode()
    assert reverse("chains:link_edit", args=[links["motor"].pk]) in page
    assert f"{reverse('chains:link_create', args=[chain.pk])}?parent={links['motor'].pk}" in page
    assert reverse("chains:link_delete", args=[links["motor"].pk]) in page


def test_a_keeper_creates_a_chain_and_a_sub_link_with_terms_as_text(client_for, officer_a, city):
    client = client_for(officer_a)
    response = client.post(
        reverse("chains:chain_create"),
        {"name": "氢能", "description": "", "weak_below": "2", "is_active": "on", "order": "3"},
    )
    chain = Chain.objects.get(name="氢能")
    assert response.url == reverse("chains:chain_detail", args=[chain.pk])
    data = {"name": "制氢", "segment": "upstream", "industry_codes": "26，45", "keywords": "制氢、绿氢 氢气,绿氢",
            "order": "1"}  # fmt: skip
    client.post(reverse("chains:link_create", args=[chain.pk]), data)
    parent = Link.objects.get(chain=chain, name="制氢")
    assert (parent.industry_codes, parent.keywords) == (["26", "45"], ["制氢", "绿氢", "氢气"])
    url = f"{reverse('chains:link_create', args=[chain.pk])}?parent={parent.pk}"
    form = client.get(url).context["form"]
    assert (form.initial["parent"], form.initial["segment"]) == (parent, "upstream")
    client.post(url, {"name": "电解槽", "segment": "upstream", "parent": parent.pk, "order": "0"})
    assert Link.objects.get(chain=chain, name="电解槽").parent == parent


def test_a_parent_of_another_chain_or_not_a_number_is_ignored(client_for, officer_a, chain, links):
    other = Chain.objects.create(name="储能")
    client = client_for(officer_a)
    for parent in (links["battery"].pk, "abc"):
        response = client.get(reverse("chains:link_create", args=[other.pk]), {"parent": parent})
        assert response.status_code == 200
        assert response.context["parent"] is None


def test_a_refused_link_shows_the_reason_beside_the_field(client_for, officer_a, chain, links):
    data = {"name": "正极", "segment": "upstream", "parent": links["battery"].pk, "industry_codes": "99", "order": "0"}
    response = client_for(officer_a).post(reverse("chains:link_create", args=[chain.pk]), data)
    assert response.status_code == 200
    assert "行业代码“99”不存在" in str(response.context["form"].errors["industry_codes"])
    assert not Link.objects.filter(name="正极").exists()


def test_the_link_form_leaves_out_the_link_and_its_sub_links_and_shows_terms_as_text(client_for, officer_a, chain,
                                                                                      links):  # fmt: skip
    Link.objects.filter(pk=links["battery"].pk).update(keywords=["动力电池", "电池包"])
    form = client_for(officer_a).get(reverse("chains:link_edit", args=[links["battery"].pk])).context["form"]
    assert set(form.fields["parent"].queryset.values_list("name", flat=True)) == {"驱动电机", "整车制造", "充换电"}
    assert (form["industry_codes"].value(), form["keywords"].value()) == ("38", "动力电池、电池包")


def test_a_link_with_confirmed_enterprises_is_not_deleted(client_for, officer_a, chain, links):
    place(links["motor"], make_enterprise("示范电机有限公司"))
    response = client_for(officer_a).post(reverse("chains:link_delete", args=[links["motor"].pk]), follow=True)
    assert "已有 1 家确认企业" in response.content.decode()
    assert Link.objects.filter(pk=links["motor"].pk).exists()


# --- authorization: anonymous, a reader without the keeper's permission, the keeper -------------------------------


def _requests(chain, links):
    return {
        "chain_create": (reverse("chains:chain_create"), {"name": "新链", "weak_below": "3", "order": "0"}),
        "chain_edit": (reverse("chains:chain_edit", args=[chain.pk]), {"name": "改名", "weak_below": "3", "order": "0"}),
        "chain_delete": (reverse("chains:chain_delete", args=[chain.pk]), {}),
        "link_create": (reverse("chains:link_create", args=[chain.pk]), {"name": "新环节", "segment": "upstream", "order": "0"}),
        "link_edit": (reverse("chains:link_edit", args=[links["motor"].pk]), {"name": "电机", "segment": "midstream", "order": "0"}),
        "link_delete": (reverse("chains:link_delete", args=[links["charging"].pk]), {}),
    }  # fmt: skip


def _state():
    return (
        sorted(Chain.objects.values_list("name", "weak_below")),
        sorted(Link.objects.values_list("name", "segment", "parent_id")),
    )


VIEWS = ["chain_create", "chain_edit", "chain_delete", "link_create", "link_edit", "link_delete"]


@pytest.mark.parametrize("view", VIEWS)
def test_anonymous_users_are_sent_to_log_in_and_change_nothing(client, chain, links, view):
    url, data = _requests(chain, links)[view]
    before = _state()
    response = client.post(url, data)
    assert response.status_code == 302
    assert "login" in response.url
    assert _state() == before


@pytest.mark.parametrize("view", VIEWS)
def test_readers_without_the_keepers_permission_are_refused_and_change_nothing(client_for, county_admin_a, chain,
                                                                               links, view):  # fmt: skip
    url, data = _requests(chain, links)[view]
    before = _state()
    assert client_for(county_admin_a).post(url, data).status_code == 403
    assert _state() == before


@pytest.mark.parametrize("view", VIEWS)
def test_the_keeper_changes_the_map(client_for, officer_a, chain, links, view):
    url, data = _requests(chain, links)[view]
    before = _state()
    response = client_for(officer_a).post(url, data)
    assert response.status_code == 302
    assert _state() != before


def test_pages_need_the_read_permission(client_for, chain, links, city):
    from apps.org.tests.factories import UserFactory

    nobody = UserFactory(username="nobody", unit=city)
    client = client_for(nobody)
    for url in (reverse("chains:chain_list"), reverse("chains:chain_detail", args=[chain.pk]),
                reverse("chains:chain_export", args=[chain.pk])):  # fmt: skip
        assert client.get(url).status_code == 403


def test_the_menu_shows_the_chain_maps_to_readers(client_for, county_admin_a, city):
    page = client_for(county_admin_a).get(reverse("chains:chain_list")).content.decode()
    assert "产业链招商" in page
    assert reverse("chains:chain_list") in page


def test_placement_statuses_other_than_confirmed_do_not_block_a_delete(client_for, officer_a, chain, links):
    place(links["charging"], make_enterprise("建议充电有限公司"), status=Placement.Status.REJECTED)
    client_for(officer_a).post(reverse("chains:link_delete", args=[links["charging"].pk]))
    assert not Link.objects.filter(pk=links["charging"].pk).exists()
