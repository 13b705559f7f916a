"""The chain diagram: the ECharts tree built from coverage (pure), the page with its gaps, the gap export; and the
enterprise page's section of the links it is placed on."""

import io

from django.urls import reverse
from openpyxl import load_workbook

from apps.chains.links import placement_section
from apps.chains.models import Placement
from apps.chains.services.coverage import chain_coverage
from apps.chains.services.diagram import COLOURS, chain_tree, legend
from apps.chains.tests.conftest import make_enterprise, place


def test_tree_has_segments_links_and_sub_links_coloured_by_state(chain, links):
    place(links["cells"], make_enterprise("示范电芯有限公司"), leader=True)
    tree = chain_tree(chain, chain_coverage(chain))
    assert tree["name"] == "新能源汽车"
    assert [segment["name"] for segment in tree["children"]] == ["上游", "中游", "下游"]
    battery = tree["children"][0]["children"][0]
    assert (battery["name"], battery["state"], battery["value"]) == ("动力电池", "strengthen", 1)
    assert battery["itemStyle"]["color"] == COLOURS["strengthen"]
    assert [child["name"] for child in battery["children"]] == ["电芯"]
    assert battery["url"] == reverse("chains:link_detail", args=[links["battery"].pk])
    assert battery["tooltip"][1] == "本地确认企业：1 家（薄弱阈值 2）"
    assert battery["tooltip"][2] == "链主企业：1 家"
    motor = tree["children"][1]["children"][0]
    assert (motor["state"], motor["itemStyle"]["color"]) == ("fill", COLOURS["fill"])
    assert [node["state"] for node in tree["children"][2]["children"]] == ["extend", "extend"]


def test_a_segment_with_no_link_is_left_out_and_the_legend_lists_every_state(chain, links):
    links["motor"].delete()
    tree = chain_tree(chain, chain_coverage(chain))
    assert [segment["name"] for segment in tree["children"]] == ["上游", "下游"]
    assert [item["label"] for item in legend()] == ["补链", "延链", "强链", "已覆盖"]


def test_diagram_page_has_the_data_the_script_and_the_gaps(client_for, city_leader, chain, links):
    place(links["motor"], make_enterprise("示范电机有限公司"))
    place(links["motor"], make_enterprise("示范驱动有限公司"))
    page = client_for(city_leader).get(reverse("chains:chain_diagram", args=[chain.pk])).content.decode()
    assert '<script id="chain-tree" type="application/json">' in page
    assert "chains/diagram.js" in page
    assert "vendor/echarts/echarts.min.js" in page
    assert "缺失和薄弱环节（4 / 5）" in page
    gap_list = page[page.index('data-testid="gap-list"') :]
    assert "驱动电机" not in gap_list  # covered
    assert "动力电池" in gap_list
    assert "充换电" in gap_list
    assert " style=" not in page[page.index("<main") :]


def test_gap_export_lists_the_gaps_with_their_kind(client_for, city_leader, chain, links):
    place(links["cells"], make_enterprise("示范电芯有限公司"))
    response = client_for(city_leader).get(reverse("chains:gap_export", args=[chain.pk]))
    rows = list(load_workbook(io.BytesIO(response.content)).active.values)
    assert rows[0][:4] == ("环节", "上级环节", "所处位置", "类别")
    assert [row[:5] for row in rows[1:]] == [
        ("动力电池", None, "上游", "强链", 1),
        ("电芯", "动力电池", "上游", "强链", 1),
        ("驱动电机", None, "中游", "补链", 0),
        ("整车制造", None, "下游", "延链", 0),
        ("充换电", None, "下游", "延链", 0),
    ]


def test_diagram_needs_view_chain(client, chain):
    assert client.get(reverse("chains:chain_diagram", args=[chain.pk])).status_code == 302
    assert client.get(reverse("chains:gap_export", args=[chain.pk])).status_code == 302


def test_enterprise_page_section_lists_its_links_leaders_first(client_for, city_leader, chain, links, officer_a):
    enterprise = make_enterprise("示范整车有限公司", industry="36")
    place(links["vehicles"], enterprise, status=Placement.Status.SUGGESTED)
    place(links["charging"], enterprise, leader=True)
    place(links["motor"], enterprise, status=Placement.Status.REJECTED)
    section = placement_section(enterprise, city_leader)
    assert section.title == "所在产业链环节"
    assert [record.label for record in section.records] == ["新能源汽车 · 充换电（链主）", "新能源汽车 · 整车制造"]
    assert section.records[0].url == reverse("chains:link_detail", args=[links["charging"].pk])
    page = client_for(city_leader).get(reverse("enterprises:detail", args=[enterprise.pk])).content.decode()
    assert "新能源汽车 · 充换电（链主）" in page


def test_enterprise_page_section_is_hidden_without_view_chain(db, chain, links, county_a):
    from apps.org import roles
    from apps.org.tests.factories import UserFactory

    enterprise = make_enterprise("示范整车有限公司")
    place(links["vehicles"], enterprise)
    hotline = UserFactory(username="hotline", name="热线坐席", unit=county_a, roles=[roles.HOTLINE_AGENT])
    assert placement_section(enterprise, hotline) is None
