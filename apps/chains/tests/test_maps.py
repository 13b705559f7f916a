import pytest

from apps.chains.models import Chain, Link, LinkLead, Placement, Segment
from apps.chains.services import maps
from apps.chains.tests.conftest import make_enterprise, place
from apps.core.errors import BusinessRuleError
from apps.investment.models import Project


def test_split_terms_takes_every_separator_and_drops_blanks_and_repeats():
    assert maps.split_terms("电芯、锂离子电池, BMS，电芯 ；储能  电池\n") == [
        "电芯",
        "锂离子电池",
        "BMS",
        "储能",
        "电池",
    ]
    assert maps.split_terms("") == []


def test_create_chain_checks_name_and_threshold(city, officer_a):
    chain = maps.create_chain(name=" 光伏 ", description="", weak_below=3, is_active=True, order=2, by=officer_a)
    assert (chain.name, chain.updated_by) == ("光伏", officer_a)
    with pytest.raises(BusinessRuleError, match="已存在") as refused:
        maps.create_chain(name="光伏", weak_below=3, by=officer_a)
    assert refused.value.field == "name"
    with pytest.raises(BusinessRuleError, match="阈值"):
        maps.create_chain(name="氢能", weak_below=0, by=officer_a)
    with pytest.raises(BusinessRuleError, match="请填写产业链名称"):
        maps.update_chain(chain=chain, name="  ", by=officer_a)


def test_create_link_cleans_codes_and_keywords(chain, officer_a):
    link = maps.create_link(
        chain=chain, segment=Segment.UPSTREAM, name="锂电材料", industry_codes=["26", " c", "26"],
        keywords=["正极材料", " ", "正极材料", "隔膜 "], by=officer_a,
    )  # fmt: skip
    assert (link.industry_codes, link.keywords) == (["26", "C"], ["正极材料", "隔膜"])


def test_unknown_industry_codes_are_named(chain, officer_a):
    with pytest.raises(BusinessRuleError, match="“3612、X”不存在") as refused:
        maps.create_link(chain=chain, segment=Segment.UPSTREAM, name="锂电材料", industry_codes=["3612", "38", "x"],
                         by=officer_a)  # fmt: skip
    assert refused.value.field == "industry_codes"


def test_link_names_are_unique_per_chain_only(chain, links, officer_a, city):
    with pytest.raises(BusinessRuleError, match="已有环节“电芯”"):
        maps.create_link(chain=chain, segment=Segment.UPSTREAM, name="电芯", by=officer_a)
    other = Chain.objects.create(name="储能")
    assert maps.create_link(chain=other, segment=Segment.UPSTREAM, name="电芯", by=officer_a).chain == other


def test_parent_must_be_in_the_same_chain_and_at_the_same_segment(chain, links, officer_a):
    other = Chain.objects.create(name="储能")
    with pytest.raises(BusinessRuleError, match="同一产业链"):
        maps.create_link(chain=other, segment=Segment.UPSTREAM, name="正极", parent=links["battery"], by=officer_a)
    with pytest.raises(BusinessRuleError, match="同一位置（上游）") as refused:
        maps.create_link(chain=chain, segment=Segment.MIDSTREAM, name="正极", parent=links["battery"], by=officer_a)
    assert refused.value.field == "segment"


def test_a_link_cannot_become_its_own_descendant(chain, links, officer_a):
    grandchild = maps.create_link(chain=chain, segment=Segment.UPSTREAM, name="极片", parent=links["cells"],
                                  by=officer_a)  # fmt: skip
    for parent in (links["battery"], grandchild):
        with pytest.raises(BusinessRuleError, match="不能是该环节本身或它的下级环节"):
            maps.update_link(link=Link.objects.get(pk=links["battery"].pk), parent=parent, by=officer_a)
    assert Link.objects.get(pk=links["battery"].pk).parent is None


def test_moving_a_link_moves_its_sub_links(chain, links, officer_a):
    grandchild = maps.create_link(chain=chain, segment=Segment.UPSTREAM, name="极片", parent=links["cells"],
                                  by=officer_a)  # fmt: skip
    maps.update_link(link=links["battery"], segment=Segment.MIDSTREAM, by=officer_a)
    assert set(Link.objects.filter(pk__in=[links["cells"].pk, grandchild.pk]).values_list("segment", flat=True)) == {
        Segment.MIDSTREAM
    }
    chain.refresh_from_db()
    assert chain.updated_by == officer_a


def test_a_link_threshold_must_be_positive(chain, links, officer_a):
    with pytest.raises(BusinessRuleError, match="薄弱阈值"):
        maps.update_link(link=links["motor"], weak_below=0, by=officer_a)


def test_deleting_a_link_takes_its_sub_links(chain, links, officer_a):
    place(links["cells"], make_enterprise("建议电芯有限公司"), status=Placement.Status.SUGGESTED)
    maps.delete_link(link=links["battery"], by=officer_a)
    assert not Link.objects.filter(name__in=["动力电池", "电芯"]).exists()
    assert not Placement.objects.exists()


def test_a_confirmed_enterprise_on_a_sub_link_blocks_the_delete(chain, links, officer_a):
    place(links["cells"], make_enterprise("示范电芯有限公司"))
    with pytest.raises(BusinessRuleError, match="环节“动力电池”已有 1 家确认企业、0 条招商线索，不能删除"):
        maps.delete_link(link=links["battery"], by=officer_a)
    with pytest.raises(BusinessRuleError, match="产业链“新能源汽车”已有 1 家确认企业"):
        maps.delete_chain(chain=chain, by=officer_a)
    assert Link.objects.filter(chain=chain).count() == 5


def test_a_lead_opened_from_a_link_blocks_the_delete(chain, links, officer_a, county_a):
    project = Project.objects.create(code="A1", name="电机项目", unit=county_a, created_by=officer_a,
                                     channel="professional", enterprise=make_enterprise("外地电机有限公司", region="110105"))  # fmt: skip
    LinkLead.objects.create(link=links["motor"], project=project, created_by=officer_a)
    with pytest.raises(BusinessRuleError, match="0 家确认企业、1 条招商线索"):
        maps.delete_link(link=links["motor"], by=officer_a)


def test_deleting_an_unworked_chain(chain, links, officer_a):
    maps.delete_chain(chain=chain, by=officer_a)
    assert not Chain.objects.exists()
    assert not Link.objects.exists()


def test_changes_are_audited_with_the_actor(chain, officer_a):
    from auditlog.models import LogEntry

    link = maps.create_link(chain=chain, segment=Segment.UPSTREAM, name="锂电材料", by=officer_a)
    entry = LogEntry.objects.get_for_object(link).get()
    assert entry.actor == officer_a
