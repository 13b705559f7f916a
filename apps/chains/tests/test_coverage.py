from decimal import Decimal

from apps.chains.models import Placement
from apps.chains.services.coverage import LinkState, chain_coverage, gaps
from apps.chains.tests.conftest import make_enterprise, place
from apps.enterprises.models import AnnualFigures
from apps.investment.models import Project


def _by_name(coverage):
    return {row.link.name: row for row in coverage}


def test_map_order_puts_sub_links_under_their_parent_and_segments_in_order(chain, links):
    rows = chain_coverage(chain)
    assert [(row.link.name, row.depth) for row in rows] == [
        ("动力电池", 0),
        ("电芯", 1),
        ("驱动电机", 0),
        ("整车制造", 0),
        ("充换电", 0),
    ]


def test_states_fill_extend_strengthen_and_covered(chain, links):
    first, second = make_enterprise("示范电芯有限公司"), make_enterprise("示范电机有限公司")
    place(links["cells"], first, leader=True)
    place(links["motor"], second)
    place(links["motor"], make_enterprise("示范驱动有限公司"))
    place(links["vehicles"], make_enterprise("外地整车有限公司", region="110105"))  # not local: does not count
    place(links["charging"], make_enterprise("示范充电有限公司"), status=Placement.Status.SUGGESTED)
    rows = _by_name(chain_coverage(chain))
    assert rows["电芯"].state == LinkState.STRENGTHEN
    assert rows["电芯"].leaders == 1
    assert rows["动力电池"].enterprises == 1
    assert rows["动力电池"].leaders == 1
    assert rows["驱动电机"].state == LinkState.COVERED
    assert rows["驱动电机"].enterprises == 2
    assert rows["整车制造"].state == LinkState.EXTEND  # downstream, no local enterprise
    assert rows["充换电"].state == LinkState.EXTEND  # a suggestion is not a confirmed placement
    assert [row.link.name for row in gaps(chain)] == ["动力电池", "电芯", "整车制造", "充换电"]


def test_a_link_threshold_overrides_the_chain(chain, links):
    links["motor"].weak_below = 1
    links["motor"].save()
    place(links["motor"], make_enterprise("示范电机有限公司"))
    assert _by_name(chain_coverage(chain))["驱动电机"].state == LinkState.COVERED


def test_strength_sums_last_year_revenue_and_contracted_investment(chain, links, county_a, officer_a):
    one, two = make_enterprise("示范电机有限公司"), make_enterprise("示范驱动有限公司")
    place(links["motor"], one)
    place(links["motor"], two)
    AnnualFigures.objects.create(enterprise=one, year=2025, revenue=Decimal("1200.50"))
    AnnualFigures.objects.create(enterprise=two, year=2024, revenue=Decimal("999"))  # not last year
    common = {"unit": county_a, "created_by": officer_a, "channel": "professional", "enterprise": one}
    Project.objects.create(code="A1", name="电机扩产", contracted_investment=Decimal("5000"), **common)
    Project.objects.create(code="A2", name="电机二期", contracted_investment=Decimal("3000"), **common)
    Project.objects.create(
        code="A3", name="终止项目", contracted_investment=Decimal("9000"), status=Project.Status.DROPPED, **common
    )
    row = _by_name(chain_coverage(chain, year=2025))["驱动电机"]
    assert row.revenue == Decimal("1200.50")
    assert row.investment == Decimal("8000")


def test_query_count_does_not_grow_with_links_or_enterprises(chain, links, count_queries):
    place(links["motor"], make_enterprise("示范电机有限公司"))
    few = count_queries(lambda: chain_coverage(chain))
    for index in range(5):
        place(links["motor"], make_enterprise(f"示范电机{index}有限公司"))
        place(links["cells"], make_enterprise(f"示范电芯{index}有限公司"))
    assert count_queries(lambda: chain_coverage(chain)) == few


def test_state_counts_agree_with_each_chains_coverage(chain, links, count_queries):
    from collections import Counter

    from apps.chains.models import Chain, Link, Segment
    from apps.chains.services.coverage import state_counts

    place(links["cells"], make_enterprise("示范电芯有限公司"))
    place(links["motor"], make_enterprise("示范电机有限公司"))
    place(links["motor"], make_enterprise("示范驱动有限公司"))
    other = Chain.objects.create(name="光伏", weak_below=1)
    Link.objects.create(chain=other, segment=Segment.MIDSTREAM, name="组件")
    empty = Chain.objects.create(name="氢能")
    counts = state_counts([chain, other, empty])
    for each in (chain, other, empty):
        assert counts[each.pk] == Counter(row.state for row in chain_coverage(each))
    assert counts[chain.pk] == Counter({"strengthen": 2, "covered": 1, "extend": 2})
    assert count_queries(lambda: state_counts([chain, other, empty])) == 3
