"""Evaluation rounds: entry by lead units, review, publication, results against hand-computed values.

The ``filled`` round (conftest) holds, for 东城区 / 西城区:
01.01 开办企业时间 5 / 20 days (frontier 0.5–100): 100 × (100 − 5) ÷ 99.5 = 95.48; 100 × 80 ÷ 99.5 = 80.40
01.02 开办企业环节 4 / 8 steps (frontier 1–10): 100 × 6 ÷ 9 = 66.67; 100 × 2 ÷ 9 = 22.22
01 开办企业 (weights 2 : 1): (2 × 95.48 + 66.67) ÷ 3 = 85.88; (2 × 80.40 + 22.22) ÷ 3 = 61.01
02 政务服务 是 / 否: 100; 0
overall (equal weights): (85.88 + 100) ÷ 2 = 92.94; (61.01 + 0) ÷ 2 = 30.505 → 30.51
"""

from datetime import date
from decimal import Decimal

import pytest

from apps.bizenv import permissions
from apps.bizenv.models import Entry, Methodology, Reference, Result, Round, Score
from apps.bizenv.services import results, rounds
from apps.core.errors import BusinessRuleError

pytestmark = pytest.mark.django_db


def _close_and_publish(round_, keeper):
    rounds.close_round(round_=round_, by=keeper)
    return results.publish_round(round_=round_, by=keeper)


def _score(round_, unit, code):
    return Score.objects.get(round=round_, unit=unit, indicator__code=code)


# --- creating and running a round ---------------------------------------------------------------------------


def test_a_round_needs_a_published_version(draft, bizenv_keeper, county_a):
    fields = rounds.RoundFields("2025年度", 2025, None, date(2026, 1, 5), date(2026, 1, 31))
    with pytest.raises(BusinessRuleError, match="已发布的评价方法版本"):
        rounds.create_round(methodology=draft, fields=fields, units=[county_a], by=bizenv_keeper)


def test_one_round_per_period_and_a_window_in_order(make_round, published, bizenv_keeper, county_a):
    make_round(2025)
    with pytest.raises(BusinessRuleError, match="2025年度 已有评价轮次"):
        make_round(2025)
    backwards = rounds.RoundFields("2024", 2024, None, date(2025, 2, 1), date(2025, 1, 1))
    with pytest.raises(BusinessRuleError, match="截止日期不能早于开始日期"):
        rounds.create_round(methodology=published, fields=backwards, units=[county_a], by=bizenv_keeper)


def test_only_the_organiser_creates_and_opens_rounds(make_round, market_lead):
    round_ = make_round(status="draft")
    with pytest.raises(BusinessRuleError, match="组织单位"):
        rounds.open_round(round_=round_, by=market_lead)


def test_the_lead_unit_enters_its_indicators_only(make_round, published, market_lead, county_a):
    round_ = make_round()
    entry = rounds.save_entry(
        round_=round_, unit=county_a, indicator=published.indicators.get(code="01.01"), value=" 5 ", by=market_lead
    )
    assert (entry.value, entry.status) == ("5", Entry.Status.SAVED)
    with pytest.raises(BusinessRuleError, match="只有牵头单位"):
        rounds.save_entry(
            round_=round_, unit=county_a, indicator=published.indicators.get(code="02"), value="是", by=market_lead
        )


def test_a_value_the_method_cannot_read_is_refused_in_chinese(make_round, published, market_lead, county_a):
    round_ = make_round()
    with pytest.raises(BusinessRuleError, match="数"):
        rounds.save_entry(
            round_=round_, unit=county_a, indicator=published.indicators.get(code="01.01"), value="五天", by=market_lead
        )
    with pytest.raises(BusinessRuleError, match="下级指标汇总"):
        rounds.save_entry(
            round_=round_, unit=county_a, indicator=published.indicators.get(code="01"), value="5", by=market_lead
        )
    assert not Entry.objects.exists()


def test_counties_outside_the_round_are_refused(county_c, make_round, published, market_lead):
    with pytest.raises(BusinessRuleError, match="不是本轮次的参评区县"):
        rounds.save_entry(
            round_=make_round(), unit=county_c, indicator=published.indicators.get(code="01.01"), value="5",
            by=market_lead,
        )  # fmt: skip


def test_after_the_window_only_returned_values_can_be_corrected(
    filled, published, market_lead, bizenv_keeper, county_a
):
    indicator = published.indicators.get(code="01.01")
    entry = Entry.objects.get(round=filled, unit=county_a, indicator=indicator)
    entry.status = Entry.Status.SUBMITTED
    entry.save()
    with pytest.raises(BusinessRuleError, match="退回理由"):
        rounds.review_entry(entry=entry, approve=False, by=bizenv_keeper)
    rounds.review_entry(entry=entry, approve=False, comment="请核对是否含公章刻制", by=bizenv_keeper)
    rounds.close_round(round_=filled, by=bizenv_keeper)
    corrected = rounds.save_entry(round_=filled, unit=county_a, indicator=indicator, value="4", by=market_lead)
    assert corrected.status == Entry.Status.SAVED
    other = published.indicators.get(code="01.02")
    with pytest.raises(BusinessRuleError, match="截止后只能修改被退回的数据"):
        rounds.save_entry(round_=filled, unit=county_a, indicator=other, value="3", by=market_lead)
    assert rounds.submit_entries(round_=filled, indicator=indicator, by=market_lead) == 1


def test_publication_waits_for_every_value_to_be_approved(make_round, published, market_lead, bizenv_keeper, county_a):
    round_ = make_round()
    rounds.save_entry(
        round_=round_, unit=county_a, indicator=published.indicators.get(code="01.01"), value="5", by=market_lead
    )
    rounds.close_round(round_=round_, by=bizenv_keeper)
    with pytest.raises(BusinessRuleError, match="还有 1 个数据未审核通过"):
        results.publish_round(round_=round_, by=bizenv_keeper)
    assert not Result.objects.exists()


# --- results ------------------------------------------------------------------------------------------------


def test_published_scores_match_the_hand_computed_values(filled, bizenv_keeper, county_a, county_b):
    _close_and_publish(filled, bizenv_keeper)
    expected = {
        county_a: {"01.01": "95.48", "01.02": "66.67", "01": "85.88", "02": "100.00"},
        county_b: {"01.01": "80.40", "01.02": "22.22", "01": "61.01", "02": "0.00"},
    }
    for unit, scores in expected.items():
        for code, score in scores.items():
            assert _score(filled, unit, code).score == Decimal(score), (unit, code)
    a, b = Result.objects.get(round=filled, unit=county_a), Result.objects.get(round=filled, unit=county_b)
    assert (a.score, a.rank, b.score, b.rank) == (Decimal("92.94"), 1, Decimal("30.51"), 2)
    assert a.details["children"][0]["children"][0]["raw"] == "5"
    assert a.details["version"] == filled.scoring_version == 1


def test_the_stored_details_reproduce_the_published_score(filled, published, bizenv_keeper, county_b):
    from apps.bizenv import scoring

    _close_and_publish(filled, bizenv_keeper)
    result = Result.objects.get(round=filled, unit=county_b)
    raw = {node["code"]: node["raw"] for node in _leaves(result.details)}
    again = scoring.score_tree(rounds.scoring_tree(rounds.indicators_of(published)), raw)
    assert again.score == result.score


def _leaves(node):
    if "children" not in node:
        yield node
        return
    for child in node["children"]:
        yield from _leaves(child)


def test_scores_under_the_threshold_are_flagged_against_their_lead_unit(
    filled, bizenv_keeper, county_a, county_b, market_bureau, bureau
):
    _close_and_publish(filled, bizenv_keeper)
    flagged = {(s.unit, s.indicator.code) for s in Score.objects.filter(round=filled, flagged=True)}
    assert flagged == {(county_a, "01.02"), (county_b, "01.02"), (county_b, "01"), (county_b, "02")}
    groups = results.flags_by_lead_unit(Score.objects.filter(round=filled, flagged=True).select_related("indicator"))
    assert [(g.lead_unit, g.count) for g in groups] == [(market_bureau, 3), (bureau, 1)]


def test_missing_data_is_not_scored_zero(make_round, published, market_lead, bizenv_keeper, county_a, county_b):
    round_ = make_round()
    steps = published.indicators.get(code="01.02")
    rounds.save_entry(round_=round_, unit=county_a, indicator=steps, value="4", by=market_lead)
    results.compute(round_=round_, by=bizenv_keeper)
    first = _score(round_, county_a, "01")
    assert first.score is None
    assert first.rank is None
    assert not first.flagged
    overall = Result.objects.get(round=round_, unit=county_a)
    assert overall.score is None
    assert "数据不足" in overall.reason


def test_a_published_round_is_frozen(filled, published, market_lead, bizenv_keeper, county_a):
    _close_and_publish(filled, bizenv_keeper)
    indicator = published.indicators.get(code="01.01")
    with pytest.raises(BusinessRuleError):
        rounds.save_entry(round_=filled, unit=county_a, indicator=indicator, value="1", by=market_lead)
    with pytest.raises(BusinessRuleError, match="已发布"):
        results.compute(round_=filled, by=bizenv_keeper)
    with pytest.raises(BusinessRuleError, match="参考值"):
        rounds.save_references(round_=filled, values={(indicator.pk, "city"): "3"}, by=bizenv_keeper)


def test_rank_movement_against_the_previous_round(
    filled, make_round, published, market_lead, bizenv_keeper, county_a, county_b
):
    _close_and_publish(filled, bizenv_keeper)
    later = make_round(2026)
    values = {"01.01": ("30", "2"), "01.02": ("9", "2"), "02": ("否", "是")}
    for code, (a, b) in values.items():
        indicator = published.indicators.get(code=code)
        enterer = bizenv_keeper if code == "02" else market_lead
        rounds.save_entry(round_=later, unit=county_a, indicator=indicator, value=a, by=enterer)
        rounds.save_entry(round_=later, unit=county_b, indicator=indicator, value=b, by=enterer)
        rounds.submit_entries(round_=later, indicator=indicator, by=enterer)
        rounds.approve_submitted(round_=later, indicator=indicator, by=bizenv_keeper)
    _close_and_publish(later, bizenv_keeper)
    a, b = Result.objects.get(round=later, unit=county_a), Result.objects.get(round=later, unit=county_b)
    assert (a.rank, a.previous_rank, a.movement) == (2, 1, Result.Movement.DOWN)
    assert (b.rank, b.previous_rank, b.movement) == (1, 2, Result.Movement.UP)
    assert _score(later, county_b, "01.01").previous_rank == 2


def test_the_trend_marks_a_change_of_methodology(filled, make_round, published, bizenv_keeper, county_a):
    from apps.bizenv.services.methodologies import copy_methodology

    _close_and_publish(filled, bizenv_keeper)
    newer = copy_methodology(source=published, code="R2", name="新版本", by=bizenv_keeper)
    newer.status, newer.published_at = Methodology.Status.PUBLISHED, filled.published_at
    newer.save()
    later = make_round(2026, methodology=newer)
    points = results.trend(county_a, [later, filled])
    assert [p.round for p in points] == [filled, later]
    assert [p.is_break for p in points] == [False, True]
    assert points[0].score == Decimal("92.94")
    assert points[1].score is None


def test_gaps_to_the_references_and_the_best_county(filled, published, bizenv_keeper, county_a, county_b):
    time = published.indicators.get(code="01.01")
    rounds.save_references(
        round_=filled, values={(time.pk, Reference.Level.CITY): "10", (time.pk, Reference.Level.PROVINCE): "8"},
        by=bizenv_keeper,
    )  # fmt: skip
    _close_and_publish(filled, bizenv_keeper)
    rows = {gap.indicator.code: gap for gap in results.gaps(filled, county_b)}
    # city 10 days → 90.45, province 8 → 92.46, best county 95.48; 西城区 80.40
    assert rows["01.01"].to_city == Decimal("-10.05")
    assert rows["01.01"].to_province == Decimal("-12.06")
    assert rows["01.01"].to_best == Decimal("-15.08")
    # no city reference for 02: the counties' mean (50.00) stands in
    assert rows["02"].to_city == Decimal("-50.00")


def test_a_bad_reference_value_names_its_indicator(filled, published, bizenv_keeper):
    time = published.indicators.get(code="01.01")
    with pytest.raises(BusinessRuleError, match="01.01 开办企业时间"):
        rounds.save_references(round_=filled, values={(time.pk, "city"): "十天"}, by=bizenv_keeper)
    assert not Reference.objects.exists()


def test_robustness_under_other_aggregations(filled, bizenv_keeper, county_a, county_b):
    _close_and_publish(filled, bizenv_keeper)
    report = results.robustness(filled)
    rows = {row.unit: row for row in report.rows}
    assert rows[county_a.pk].ranks == {"configured": 1, "equal_weights": 1, "geometric": 1}
    assert rows[county_b.pk].scores["configured"] == Decimal("30.51")


# --- who sees what ----------------------------------------------------------------------------------------------


def test_counties_see_their_own_results_once_published(filled, bizenv_keeper, reader, city_leader, county_a):
    assert not permissions.visible_results(reader, filled).exists()
    results.compute(round_=filled, by=bizenv_keeper)
    assert not permissions.visible_results(reader, filled).exists()
    assert permissions.visible_results(city_leader, filled).count() == 2
    _close_and_publish(filled, bizenv_keeper)
    assert [r.unit for r in permissions.visible_results(reader, filled)] == [county_a]
    rounds.set_disclosure(round_=filled, disclosure=Round.Disclosure.CITY_WIDE, by=bizenv_keeper)
    assert permissions.visible_results(reader, filled).count() == 2


def test_a_lead_unit_sees_the_scores_of_its_indicators(filled, bizenv_keeper, market_lead):
    _close_and_publish(filled, bizenv_keeper)
    codes = set(permissions.visible_scores(market_lead, filled).values_list("indicator__code", flat=True))
    assert codes == {"01", "01.01", "01.02"}
    assert not permissions.visible_results(market_lead, filled).exists()


def test_progress_counts_entries_by_status(filled, published, county_a):
    rows = {row.indicator.code: row for row in rounds.progress(filled, rounds.indicators_of(published))}
    assert set(rows) == {"01.01", "01.02", "02"}
    assert (rows["01.01"].expected, rows["01.01"].approved, rows["01.01"].percent) == (2, 2, 100)


# --- values the platform computes ---------------------------------------------------------------------------


def test_platform_values_come_from_the_commitment_cases(make_round, published, bizenv_keeper, county_a, county_b):
    from apps.bizenv.models import Commitment
    from apps.bizenv.services import cases, platform_values

    time = published.indicators.get(code="01.01")
    time.data_source = time.Source.PLATFORM
    time.save()
    kaiban = Commitment.objects.get(code="kaiban")
    kaiban.indicator_code = "01.01"
    kaiban.save()
    # received Monday 2025-09-01: done Tuesday = 1 working day, Thursday = 3, the next Monday = 5
    for n, done in enumerate((date(2025, 9, 2), date(2025, 9, 4), date(2025, 9, 8))):
        cases.record_case(
            commitment=kaiban, unit=county_a, number=f"K{n}", applicant_name="申请人", received_on=date(2025, 9, 1),
            completed_on=done, by=bizenv_keeper,
        )  # fmt: skip
    round_ = make_round(2025)
    assert platform_values.period(round_) == (date(2025, 1, 1), date(2025, 12, 31))
    assert platform_values.fill_from_platform(round_=round_, by=bizenv_keeper) == 1
    entry = Entry.objects.get(round=round_, indicator=time)
    assert (entry.unit, entry.value, entry.source, entry.status) == (county_a, "3", "platform", "submitted")
    assert not Entry.objects.filter(unit=county_b).exists()  # no cases: missing, not 0
    assert platform_values.fill_from_platform(round_=round_, by=bizenv_keeper) == 0


def test_a_quarter_round_takes_the_quarter(make_round):
    from apps.bizenv.services import platform_values

    assert platform_values.period(make_round(2025, quarter=4)) == (date(2025, 10, 1), date(2025, 12, 31))
    assert platform_values.period(make_round(2026, quarter=1)) == (date(2026, 1, 1), date(2026, 3, 31))
