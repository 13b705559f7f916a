from decimal import Decimal

import pytest

from apps.chains.models import LinkLead
from apps.chains.services.targets import open_lead, recommend, recommend_for_chain
from apps.chains.tests.conftest import make_enterprise, place
from apps.core.errors import BusinessRuleError
from apps.enterprises.index import index_enterprise
from apps.enterprises.models import AnnualFigures, Contact, EnterpriseName, Tag
from apps.investment.models import Claim, Project
from apps.investment.services.projects import register_lead

OUTSIDE = "440305"


def outside(name: str, *, tags: tuple[str, ...] = (), indexed: bool = False, **fields):
    enterprise = make_enterprise(name, region=fields.pop("region", OUTSIDE), **fields)
    enterprise.tags.set(Tag.objects.filter(name__in=tags))
    if indexed:
        EnterpriseName.objects.create(enterprise=enterprise, name=name, kind=EnterpriseName.Kind.FULL)
        index_enterprise(enterprise)
    return enterprise


def _parts(target) -> dict[str, float]:
    return {part.label: part.points for part in target.parts}


def test_only_outside_enterprises_that_fit_the_link_are_recommended(links):
    fits = outside("深圳锐能汽车有限公司", industry="36")
    make_enterprise("示范本地汽车有限公司", industry="36")  # local: not a target
    outside("深圳某食品有限公司", industry="14")  # another industry, no keyword
    names = [target.enterprise.name for target in recommend(links["vehicles"])]
    assert names == [fits.name]


def test_the_score_is_explained_part_by_part(links):
    target_ = outside(
        "宁德锂电科技有限公司", industry="38", scope="锂离子电池、电芯的研发与制造", tags=("世界500强", "专精特新"),
        capital=Decimal("150000"),
    )  # fmt: skip
    AnnualFigures.objects.create(enterprise=target_, year=2025, revenue=Decimal("200000"))
    links["cells"].industry_codes = ["38"]
    links["cells"].save()
    [target] = recommend(links["cells"])
    assert _parts(target) == {"环节匹配": 45, "企业标签": 28 - 3, "企业规模": 8 + 5, "已有联系": 0}
    fit = target.parts[0]
    assert fit.reasons == ["行业代码 38 电气机械和器材制造业 属于本环节", "经营范围含“电芯”", "经营范围含“锂离子电池”"]
    assert target.parts[1].reasons == ["标签：世界500强、专精特新"]
    assert target.parts[2].reasons == ["注册资本 150,000 万元", "上年营业收入 200,000 万元"]
    assert target.score == 45 + 25 + 13


def test_a_section_code_covers_its_divisions_and_keywords_find_names_through_the_index(links):
    links["motor"].industry_codes = ["C"]
    links["motor"].save()
    by_code = outside("苏州某精密有限公司", industry="34")
    by_name = outside("杭州恒驰电机有限公司", indexed=True)
    found = {target.enterprise.name: target for target in recommend(links["motor"])}
    assert set(found) == {by_code.name, by_name.name}
    assert found[by_name.name].parts[0].reasons == ["企业名称含“电机”"]
    assert found[by_code.name].parts[0].reasons == ["行业代码 34 通用设备制造业 属于本环节"]


def test_tags_and_scale_rank_among_equal_fits(links):
    small = outside("甲汽车有限公司", industry="36", capital=Decimal("50"))
    leader = outside("乙汽车有限公司", industry="36", tags=("行业龙头",), capital=Decimal("50"))
    large = outside("丙汽车有限公司", industry="36", capital=Decimal("200000"))
    assert [t.enterprise for t in recommend(links["vehicles"])] == [leader, large, small]


def test_contact_with_the_city_raises_the_score(links, county_a, officer_a):
    known = outside("丁汽车有限公司", industry="36")
    Contact.objects.create(enterprise=known, unit=county_a, name="王经理")
    [target] = recommend(links["vehicles"])
    assert _parts(target)["已有联系"] == 5
    assert target.parts[3].reasons == ["已有本市单位登记的联系人"]


def test_another_units_claim_lowers_the_rank_and_says_who(links, county_a, county_b, officer_a, officer_b):
    claimed = outside("戊汽车有限公司", industry="36")
    free = outside("己汽车有限公司", industry="36")
    register_lead(enterprise=claimed, unit=county_b, by=officer_b, name="戊项目", channel="professional")
    targets = recommend(links["vehicles"], unit=county_a)
    assert [t.enterprise for t in targets] == [free, claimed]
    assert targets[1].claim_note == "已由西城区认领"
    assert targets[1].parts[-1].reasons == ["已由西城区认领（首报首谈）"]
    [own, _free] = recommend(links["vehicles"], unit=county_b)
    assert own.enterprise == claimed
    assert own.claim_note == "本单位已认领"


def test_a_lead_already_opened_on_the_link_is_shown_and_ranked_lower(links, officer_a):
    worked = outside("庚汽车有限公司", industry="36", tags=("世界500强",))
    outside("辛汽车有限公司", industry="36", tags=("专精特新",))
    open_lead(link=links["vehicles"], enterprise=worked, by=officer_a, score=50)
    targets = recommend(links["vehicles"], unit=officer_a.unit)
    assert targets[-1].enterprise == worked
    assert targets[-1].link_leads[0].project.unit == officer_a.unit
    assert "东城区已就本环节转为招商线索" in targets[-1].parts[-1].reasons


def test_filters_by_tag_region_and_minimum_score(links):
    tagged = outside("壬汽车有限公司", industry="36", tags=("独角兽",))
    outside("癸汽车有限公司", industry="36", region="110105")
    assert [t.enterprise for t in recommend(links["vehicles"], tag="独角兽")] == [tagged]
    assert [t.enterprise.region_code for t in recommend(links["vehicles"], region="11")] == ["110105"]
    assert [t.enterprise for t in recommend(links["vehicles"], min_score=30)] == [tagged]


def test_recommend_for_chain_covers_the_gaps_and_weak_links_only(chain, links):
    for name in ("本地甲", "本地乙"):
        place(links["vehicles"], make_enterprise(f"{name}汽车有限公司", industry="36"))
    outside("外地整车有限公司", industry="36")
    battery = outside("外地电池有限公司", industry="38")
    result = recommend_for_chain(chain, per_link=5)
    assert [row.coverage.link.name for row in result] == ["动力电池", "电芯", "驱动电机", "充换电"]
    assert [t.enterprise for t in result[0].targets] == [battery]


def test_recommend_for_chain_reads_a_fixed_number_of_queries_per_link(chain, links, count_queries):
    for name in ("外地电池一有限公司", "外地电机一有限公司", "外地电芯一有限公司", "外地充电桩一有限公司"):
        outside(name, industry="38", tags=("专精特新",), indexed=True)
    first = count_queries(lambda: recommend_for_chain(chain))
    for number in range(6):
        outside(f"外地电池{number}号有限公司", industry="38", tags=("瞪羚", "链主"), indexed=True)
        outside(f"外地电机{number}号有限公司", industry="34", indexed=True)
    assert count_queries(lambda: recommend_for_chain(chain)) == first


# ---- open_lead ------------------------------------------------------------------------------------------------


def test_open_lead_registers_a_professional_lead_of_the_users_unit(links, officer_a):
    target = outside("深圳锐能汽车有限公司", industry="36")
    registration = open_lead(link=links["vehicles"], enterprise=target, by=officer_a, score=61.5)
    project = registration.project
    assert (project.name, project.channel, project.unit, project.industry.code) == (
        "深圳锐能汽车有限公司 整车制造项目", "professional", officer_a.unit, "36",
    )  # fmt: skip
    assert "“新能源汽车”产业链“整车制造”环节" in project.description
    assert registration.claim.status == Claim.Status.ACTIVE
    lead = LinkLead.objects.get()
    assert (lead.link, lead.project, lead.score, lead.created_by) == (links["vehicles"], project, 61.5, officer_a)


def test_open_lead_on_an_enterprise_another_unit_holds_routes_to_coordination(links, officer_a, officer_b):
    target = outside("深圳锐能汽车有限公司", industry="36")
    register_lead(enterprise=target, unit=officer_b.unit, by=officer_b, name="先报项目", channel="professional")
    registration = open_lead(link=links["vehicles"], enterprise=target, by=officer_a, score=40)
    assert registration.in_conflict
    assert LinkLead.objects.filter(project=registration.project).exists()


def test_opening_the_same_target_twice_for_a_link_is_refused(links, officer_a, officer_b):
    target = outside("深圳锐能汽车有限公司", industry="36")
    open_lead(link=links["vehicles"], enterprise=target, by=officer_a, score=40)
    with pytest.raises(BusinessRuleError, match="东城区已于.*将该企业就“整车制造”环节转为招商线索"):
        open_lead(link=links["vehicles"], enterprise=target, by=officer_b, score=40)
    assert Project.objects.count() == 1
    open_lead(link=links["charging"], enterprise=target, by=officer_a, score=40)  # another link may
    assert LinkLead.objects.count() == 2


def test_a_local_enterprise_cannot_become_a_target_lead(links, officer_a):
    local = make_enterprise("示范本地汽车有限公司", industry="36")
    with pytest.raises(BusinessRuleError, match="不是外地目标企业"):
        open_lead(link=links["vehicles"], enterprise=local, by=officer_a, score=40)
    assert not Project.objects.exists()
