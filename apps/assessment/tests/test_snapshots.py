"""Snapshots: frozen figures and rankings, reproducible from their inputs, corrected only visibly."""

from datetime import date
from decimal import Decimal

import pytest

from apps.assessment.models import Correction, Deduction, Snapshot
from apps.assessment.services.periods import period_of
from apps.assessment.services.snapshots import explain_correction, recompute, take_snapshot
from apps.core.errors import BusinessRuleError

pytestmark = pytest.mark.django_db

SEPTEMBER = period_of("month", date(2026, 9, 1))
OCTOBER = period_of("month", date(2026, 10, 1))


def test_a_snapshot_ranks_the_units_from_their_figures(
    clock, scheme, enter, ranked, county_a, county_b, county_c, assessor
):
    ranked()

    snapshot = take_snapshot(scheme=scheme, period=SEPTEMBER, by=assessor)

    rows = list(snapshot.rows.order_by("rank"))
    assert [(row.unit.name, row.score, row.rank) for row in rows] == [
        ("东城区", Decimal("84.00"), 1),
        ("西城区", Decimal("60.00"), 2),
        ("南湖区", Decimal("52.00"), 3),
    ]
    assert [(row.praised, row.admonish) for row in rows] == [(True, False), (False, False), (False, True)]
    assert snapshot.label == "2026年9月"
    assert snapshot.inputs["as_of"] == "2026-09-30"


def test_the_stored_inputs_give_the_same_rows_again(clock, scheme, enter, ranked, county_a, county_b, county_c):
    ranked()
    Deduction.objects.create(
        scheme=scheme, unit=county_a, kind=Deduction.Kind.LATE_START, points=Decimal(5), happened_on=date(2026, 9, 5),
        reason="协议约定开工日期已过仍未开工", recorded_by=scheme.created_by,
    )  # fmt: skip
    snapshot = take_snapshot(scheme=scheme, period=SEPTEMBER)

    again = recompute(snapshot)

    stored = [(row.unit_id, row.score, row.rank, row.deducted, row.items) for row in snapshot.rows.order_by("rank")]
    assert [(r.unit, r.score, r.rank, r.deducted, [i.as_json() for i in r.items]) for r in again] == stored
    assert stored[0][3] == Decimal(5)


def test_a_later_change_of_the_source_leaves_the_snapshot_and_shows_as_a_correction(
    clock, scheme, enter, ranked, county_a, county_b, county_c, assessor
):
    ranked()
    september = take_snapshot(scheme=scheme, period=SEPTEMBER)
    before = list(september.rows.values_list("unit_id", "score", "rank"))

    enter(scheme, "major_reserve", county_c, date(2026, 9, 30), 11)  # 南湖 re-enters its September figure

    assert list(september.rows.values_list("unit_id", "score", "rank")) == before
    october = take_snapshot(scheme=scheme, period=OCTOBER)
    (correction,) = Correction.objects.filter(snapshot=october)
    assert (correction.corrects, correction.unit, correction.metric.code) == (september, county_c, "major_reserve")
    assert (correction.published, correction.corrected) == (Decimal(8), Decimal(11))
    explain_correction(correction=correction, reason="南湖区补报9月28日新签储备项目3个，经核实予以更正", by=assessor)
    correction.refresh_from_db()
    assert correction.reason.startswith("南湖区补报")
    assert correction.explained_by == assessor


def test_a_correction_needs_a_reason(clock, scheme, enter, ranked, county_a, county_b, county_c, assessor):
    ranked()
    take_snapshot(scheme=scheme, period=SEPTEMBER)
    enter(scheme, "major_reserve", county_a, date(2026, 9, 30), 3)
    october = take_snapshot(scheme=scheme, period=OCTOBER)
    correction = october.corrections.get()

    with pytest.raises(BusinessRuleError, match="请填写更正理由"):
        explain_correction(correction=correction, reason="  ", by=assessor)


def test_the_same_unit_last_twice_in_a_row_is_marked_for_accountability(
    clock, scheme, enter, ranked, county_a, county_b, county_c
):
    ranked()
    take_snapshot(scheme=scheme, period=SEPTEMBER)

    october = take_snapshot(scheme=scheme, period=OCTOBER)

    last = october.rows.get(rank=3)
    assert (last.unit, last.admonish, last.accountability, last.previous_rank, last.change) == (
        county_c, True, True, 3, "same",
    )  # fmt: skip
    assert not october.rows.filter(accountability=True).exclude(pk=last.pk).exists()


def test_a_period_not_over_or_taken_already_or_of_another_year_is_refused(clock, scheme):
    take_snapshot(scheme=scheme, period=OCTOBER)

    with pytest.raises(BusinessRuleError, match="已经生成"):
        take_snapshot(scheme=scheme, period=OCTOBER)
    with pytest.raises(BusinessRuleError, match="尚未结束"):
        take_snapshot(scheme=scheme, period=period_of("month", date(2026, 11, 1)))
    with pytest.raises(BusinessRuleError, match="方案年度"):
        take_snapshot(scheme=scheme, period=period_of("month", date(2025, 11, 1)))
    assert Snapshot.objects.count() == 1


def test_the_live_signed_count_is_read_from_the_pipeline(clock, scheme, county_a, county_b, officer_a, assessor):
    from apps.investment.models import PipelineSettings, Stage
    from apps.investment.tests.factories import advance_to, lead, ready_to_sign
    from apps.org import roles
    from apps.org.models import Unit
    from apps.org.tests.factories import UserFactory, make_unit

    bureau = make_unit(parent=scheme.unit, name="示范市投资促进局", kind=Unit.Kind.DEPARTMENT, code="990100P90")
    PipelineSettings.objects.update_or_create(pk=1, defaults={"coordinating_unit": bureau})
    confirmer = UserFactory(username="confirmer", unit=bureau, roles=[roles.INVESTMENT_OFFICER])
    for start in (date(2026, 9, 10), date(2026, 10, 12)):
        project = ready_to_sign(lead(officer_a), officer_a)
        advance_to(project, Stage.SIGNED, by=officer_a, confirmer=confirmer, start=start)

    snapshot = take_snapshot(scheme=scheme, period=SEPTEMBER, by=assessor)

    signed_item = str(scheme.items.get(metric__code="signed_count").pk)
    assert snapshot.inputs["values"][str(county_a.pk)][signed_item]["actual"] == "1"
    assert snapshot.inputs["values"][str(county_b.pk)][signed_item]["actual"] == "0"
    # 12 a year, evenly: 273 of 365 days by 30 September
    assert snapshot.inputs["values"][str(county_a.pk)][signed_item]["expected"] == "8.98"


def test_the_pipelines_items_share_one_scan(clock, scheme, county_a, county_b, county_c, count_queries):
    """The pipeline's items are read in one scan: a snapshot takes no more queries with four of them than with one."""
    from apps.assessment.models import Metric, Scheme, SchemeItem, Target

    one = count_queries(lambda: take_snapshot(scheme=scheme, period=period_of("month", date(2026, 9, 1))))
    wider = Scheme.objects.create(
        year=2026, group=Scheme.Group.DEPARTMENT, name="四项", unit=scheme.unit, snapshot_kinds=["month"],
        created_by=scheme.created_by,
    )  # fmt: skip
    codes = ("signed_count", "contracted", "funds_in_place", "over_1yi_count", "policy_delivery", "major_reserve")
    for order, code in enumerate(codes):
        item = SchemeItem.objects.create(scheme=wider, metric=Metric.objects.get(code=code), order=order, weight=10)
        for unit in (county_a, county_b, county_c):
            Target.objects.create(item=item, unit=unit, value=Decimal(10))

    four = count_queries(lambda: take_snapshot(scheme=wider, period=period_of("month", date(2026, 9, 1))))

    assert four <= one  # a scan of its own per item would be three queries more for each
