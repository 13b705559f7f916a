"""Placement: the explained fit of an enterprise to a link, the chain's suggestions, and a person's decisions."""

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied

from apps.chains.models import Placement
from apps.chains.services import placement as service
from apps.chains.services.placement import Facts, facts_of, fit, suggest_for_chain
from apps.chains.tests.conftest import make_enterprise, place
from apps.core.errors import BusinessRuleError
from apps.enterprises.models import Tag


def _suggested(chain) -> dict[tuple[str, str], Placement]:
    rows = Placement.objects.filter(link__chain=chain, status=Placement.Status.SUGGESTED).select_related(
        "link", "enterprise"
    )
    return {(row.link.name, row.enterprise.name): row for row in rows}


# ---- fit ------------------------------------------------------------------------------------------


def test_a_division_code_match_scores_fifty_with_the_industry_named(links):
    score, reasons = fit(links["vehicles"], Facts(name="示范汽车有限公司", industry_code="36", industry_name="汽车制造业",
                                                 section="C"))  # fmt: skip
    assert (score, reasons) == (50, ["行业代码 36 汽车制造业 属于本环节"])


def test_a_section_code_scores_less_than_a_division(links):
    link = links["vehicles"]
    link.industry_codes = ["C"]
    score, reasons = fit(link, Facts(name="示范制造有限公司", industry_code="34", industry_name="通用设备制造业",
                                     section="C"))  # fmt: skip
    assert (score, reasons) == (20, ["行业代码 34 通用设备制造业 属于本环节所在门类 C"])


def test_keywords_in_name_scope_and_tags_each_give_a_reason(links):
    facts = Facts(name="示范电芯有限公司", scope="锂离子电池的研发、生产；电芯销售", tags=frozenset({"锂离子电池龙头"}))
    score, reasons = fit(links["cells"], facts)
    assert reasons == ["企业名称含“电芯”", "经营范围含“电芯”", "经营范围含“锂离子电池”", "企业标签含“锂离子电池”"]
    assert score == service.KEYWORD_CAP  # 30 + 20 + 20 + 20, capped


def test_keywords_are_capped_and_the_total_is_at_most_a_hundred(links):
    link = links["vehicles"]
    link.keywords = ["汽车", "整车", "新能源", "乘用车"]
    facts = Facts(name="示范新能源汽车整车乘用车有限公司", industry_code="36", industry_name="汽车制造业", section="C")
    score, reasons = fit(link, facts)
    assert score == 100  # 50 + the keywords' cap of 60
    assert len(reasons) == 5
    link.keywords = []
    assert fit(link, Facts(name="示范贸易有限公司", industry_code="51", industry_name="批发业", section="F")) == (0, [])


def test_facts_of_an_enterprise_read_industry_section_and_tags(db, links):
    enterprise = make_enterprise("示范汽车有限公司", industry="36", scope="汽车整车制造")
    enterprise.tags.add(Tag.objects.get_or_create(name="链主")[0])
    facts = facts_of(enterprise)
    assert (facts.industry_code, facts.industry_name, facts.section, facts.tags) == (
        "36", "汽车制造业", "C", frozenset({"链主"}),
    )  # fmt: skip


# ---- suggestions ----------------------------------------------------------------------------------


def test_suggestions_reach_local_enterprises_that_fit(chain, links):
    make_enterprise("示范整车有限公司", industry="36")
    make_enterprise("示范电芯科技有限公司", scope="锂离子电池制造")
    make_enterprise("外地整车有限公司", region="110105", industry="36")  # not local
    make_enterprise("示范餐饮有限公司", scope="餐饮服务")
    make_enterprise("示范服务有限公司", scope="充电桩销售")  # one scope keyword: 20 < MIN_SCORE

    assert suggest_for_chain(chain) == 2

    found = _suggested(chain)
    assert set(found) == {("整车制造", "示范整车有限公司"), ("电芯", "示范电芯科技有限公司")}
    assert found[("电芯", "示范电芯科技有限公司")].score == 50
    assert found[("电芯", "示范电芯科技有限公司")].reasons == ["企业名称含“电芯”", "经营范围含“锂离子电池”"]


def test_a_tag_alone_can_make_a_candidate(chain, links):
    enterprise = make_enterprise("示范科技有限公司", scope="锂离子电池")
    enterprise.tags.add(Tag.objects.get_or_create(name="电芯")[0])
    assert suggest_for_chain(chain) == 1
    assert _suggested(chain)[("电芯", "示范科技有限公司")].reasons == ["企业标签含“电芯”", "经营范围含“锂离子电池”"]


def test_a_second_run_refreshes_scores_and_removes_stale_suggestions(chain, links):
    stays = make_enterprise("示范整车有限公司", industry="36")
    goes = make_enterprise("示范汽车有限公司", industry="36")
    suggest_for_chain(chain)
    goes.industry = None
    goes.save()
    links["vehicles"].keywords = ["整车"]
    links["vehicles"].save()

    assert suggest_for_chain(chain) == 0

    found = _suggested(chain)
    assert set(found) == {("整车制造", stays.name)}
    assert found[("整车制造", stays.name)].score == 80


def test_confirmed_and_rejected_placements_are_never_touched(chain, links):
    kept = place(links["vehicles"], make_enterprise("示范整车有限公司", industry="36"))
    refused = place(links["vehicles"], make_enterprise("示范客车有限公司", industry="36"),
                    status=Placement.Status.REJECTED)  # fmt: skip
    by_hand = place(links["motor"], make_enterprise("示范餐饮有限公司"))  # fits nothing, but a person said so

    assert suggest_for_chain(chain) == 0

    for placement in (kept, refused, by_hand):
        before = placement.status
        placement.refresh_from_db()
        assert (placement.status, placement.score) == (before, 0)


def test_progress_is_reported_per_link(chain, links):
    seen = []
    suggest_for_chain(chain, progress=lambda done, total: seen.append((done, total)))
    assert seen == [(1, 5), (2, 5), (3, 5), (4, 5), (5, 5)]


def test_suggestions_take_the_same_queries_for_more_enterprises(chain, links, count_queries):
    make_enterprise("示范整车有限公司", industry="36")
    few = count_queries(lambda: suggest_for_chain(chain))
    for index in range(6):
        make_enterprise(f"示范电机{index}有限公司", scope="电机制造", industry="38").tags.add(
            Tag.objects.get_or_create(name="电机")[0]
        )
    Placement.objects.all().delete()
    assert count_queries(lambda: suggest_for_chain(chain)) == few


# ---- decisions ------------------------------------------------------------------------------------


@pytest.fixture
def suggestion(chain, links):
    enterprise = make_enterprise("示范整车有限公司", industry="36")
    return place(links["vehicles"], enterprise, status=Placement.Status.SUGGESTED)


def test_confirm_records_who_and_audits(suggestion, officer_a):
    service.confirm_placement(placement=suggestion, by=officer_a)
    suggestion.refresh_from_db()
    assert (suggestion.status, suggestion.decided_by) == (Placement.Status.CONFIRMED, officer_a)
    assert suggestion.decided_at is not None
    entry = LogEntry.objects.get_for_object(suggestion).latest("timestamp")
    assert entry.actor == officer_a
    assert entry.changes_dict["status"] == ["suggested", "confirmed"]


def test_confirming_twice_or_rejecting_twice_is_refused(suggestion, officer_a):
    service.confirm_placement(placement=suggestion, by=officer_a)
    with pytest.raises(BusinessRuleError, match="已确认在本环节"):
        service.confirm_placement(placement=suggestion, by=officer_a)
    service.reject_placement(placement=suggestion, by=officer_a)
    with pytest.raises(BusinessRuleError, match="已被否定"):
        service.reject_placement(placement=suggestion, by=officer_a)


def test_a_chain_leader_must_be_confirmed_and_rejecting_drops_the_mark(suggestion, officer_a):
    with pytest.raises(BusinessRuleError, match="只有已确认"):
        service.mark_chain_leader(placement=suggestion, by=officer_a)
    service.confirm_placement(placement=suggestion, by=officer_a)
    assert service.mark_chain_leader(placement=suggestion, by=officer_a).is_chain_leader
    service.reject_placement(placement=suggestion, by=officer_a)
    suggestion.refresh_from_db()
    assert (suggestion.status, suggestion.is_chain_leader) == (Placement.Status.REJECTED, False)


def test_only_placers_decide(suggestion, city_leader):
    with pytest.raises(PermissionDenied):
        service.confirm_placement(placement=suggestion, by=city_leader)
    suggestion.refresh_from_db()
    assert suggestion.status == Placement.Status.SUGGESTED


def test_bulk_confirm_skips_those_already_confirmed(chain, links, suggestion, officer_a):
    other = place(links["motor"], make_enterprise("示范电机有限公司"), status=Placement.Status.SUGGESTED)
    service.confirm_placement(placement=suggestion, by=officer_a)
    assert service.confirm_placements(placements=[suggestion, other], by=officer_a) == 1
    assert service.reject_placements(placements=[suggestion, other], by=officer_a) == 2
    assert set(Placement.objects.values_list("status", flat=True)) == {Placement.Status.REJECTED}


def test_placing_by_hand_confirms_at_once_with_the_fit(links, officer_a):
    enterprise = make_enterprise("示范整车有限公司", industry="36")
    placement = service.place_enterprise(link=links["vehicles"], enterprise=enterprise, by=officer_a)
    assert (placement.status, placement.score) == (Placement.Status.CONFIRMED, 50)
    assert placement.reasons == ["人工定位", "行业代码 36 汽车制造业 属于本环节"]
    with pytest.raises(BusinessRuleError, match="已确认在本环节"):
        service.place_enterprise(link=links["vehicles"], enterprise=enterprise, by=officer_a)


def test_placing_by_hand_turns_a_rejection_into_a_confirmation(suggestion, officer_a):
    service.reject_placement(placement=suggestion, by=officer_a)
    placement = service.place_enterprise(link=suggestion.link, enterprise=suggestion.enterprise, by=officer_a)
    assert placement.pk == suggestion.pk
    assert placement.status == Placement.Status.CONFIRMED


def test_placing_an_outside_or_merged_enterprise_is_refused(links, officer_a):
    outside = make_enterprise("外地整车有限公司", region="110105", industry="36")
    with pytest.raises(BusinessRuleError, match="只能定位本地企业"):
        service.place_enterprise(link=links["vehicles"], enterprise=outside, by=officer_a)
    merged = make_enterprise("示范旧整车有限公司", status="merged")
    with pytest.raises(BusinessRuleError, match="已合并"):
        service.place_enterprise(link=links["vehicles"], enterprise=merged, by=officer_a)
    assert not Placement.objects.exists()
