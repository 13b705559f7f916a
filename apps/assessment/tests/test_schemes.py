"""Keeping a scheme: items, targets, plans, manual figures and deductions, and who may do each."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from apps.assessment.models import Metric, PlanPoint, Scheme, Target
from apps.assessment.services.periods import period_of
from apps.assessment.services.schemes import (
    add_item,
    create_scheme,
    enter_manual_value,
    record_deduction,
    revoke_deduction,
    set_plan,
    set_target,
    total_weight,
)
from apps.assessment.services.snapshots import take_snapshot
from apps.core.errors import BusinessRuleError
from apps.org.models import Unit
from apps.org.tests.factories import make_unit

pytestmark = pytest.mark.django_db


def _evidence():
    return SimpleUploadedFile("兑现台账.pdf", b"%PDF-1.4 evidence", content_type="application/pdf")


def test_a_keeper_sets_up_a_scheme_with_items_and_targets(clock, city, county_a, keeper):
    scheme = create_scheme(year=2026, group=Scheme.Group.COUNTY, name="2026年度县区招商引资考核", unit=city, by=keeper)
    signed = add_item(scheme=scheme, metric=Metric.objects.get(code="signed_count"), weight=Decimal(30), by=keeper)
    funds = add_item(scheme=scheme, metric=Metric.objects.get(code="funds_in_place"), weight=Decimal(70), by=keeper)

    target = set_target(item=signed, unit=county_a, value=Decimal(12), by=keeper)
    set_target(item=signed, unit=county_a, value=Decimal(15), by=keeper)

    assert (signed.order, funds.order) == (1, 2)
    assert total_weight(scheme) == Decimal(100)
    target.refresh_from_db()
    assert (target.value, Target.objects.count()) == (Decimal(15), 1)


def test_the_scheme_rules(clock, city, county_a, keeper, scheme):
    signed = scheme.items.get(metric__code="signed_count")
    department = make_unit(parent=city, name="示范市发展和改革委员会", kind=Unit.Kind.DEPARTMENT, code="990100D01")

    with pytest.raises(BusinessRuleError, match="已有该类考核方案"):
        create_scheme(year=2026, group=Scheme.Group.COUNTY, name="重复", unit=city, by=keeper)
    with pytest.raises(BusinessRuleError, match="已有指标"):
        add_item(scheme=scheme, metric=signed.metric, weight=Decimal(5), by=keeper)
    with pytest.raises(BusinessRuleError, match="目标须大于0"):
        set_target(item=signed, unit=county_a, value=Decimal(0), by=keeper)
    rate = scheme.items.get(metric__code="policy_delivery")
    with pytest.raises(BusinessRuleError, match="不能超过100"):
        set_target(item=rate, unit=county_a, value=Decimal(120), by=keeper)
    with pytest.raises(BusinessRuleError, match="不是本方案的考核对象"):
        set_target(item=signed, unit=department, value=Decimal(3), by=keeper)


def test_items_are_fixed_once_a_ranking_is_out(clock, scheme, keeper):
    take_snapshot(scheme=scheme, period=period_of("month", date(2026, 9, 1)))

    with pytest.raises(BusinessRuleError, match="已生成考核快照"):
        add_item(scheme=scheme, metric=Metric.objects.get(code="contracted"), weight=Decimal(10), by=keeper)


def test_only_the_schemes_keeper_changes_targets(clock, scheme, county_a, county_keeper_a, officer_a):
    signed = scheme.items.get(metric__code="signed_count")

    for person in (county_keeper_a, officer_a):
        with pytest.raises(BusinessRuleError, match="只有考核单位"):
            set_target(item=signed, unit=county_a, value=Decimal(99), by=person)
    assert Target.objects.get(item=signed, unit=county_a).value == Decimal(12)


def test_a_county_enters_its_quarterly_plan_which_must_grow(clock, scheme, county_a, county_b, county_keeper_a):
    target = Target.objects.get(item__scheme=scheme, item__metric__code="signed_count", unit=county_a)
    quarters = [(date(2026, 3, 31), Decimal(2)), (date(2026, 6, 30), Decimal(5)), (date(2026, 9, 30), Decimal(9))]

    set_plan(target=target, plan=Target.Plan.QUARTER, points=quarters, by=county_keeper_a)

    assert list(target.plan_points.values_list("ends_on", "value")) == quarters
    with pytest.raises(BusinessRuleError, match="不能比前一期少"):
        set_plan(target=target, plan=Target.Plan.QUARTER, points=[*quarters, (date(2026, 12, 31), Decimal(8))],
                 by=county_keeper_a)  # fmt: skip
    with pytest.raises(BusinessRuleError, match="不是分季计划的期末日"):
        set_plan(target=target, plan=Target.Plan.QUARTER, points=[(date(2026, 4, 30), Decimal(3))], by=county_keeper_a)
    assert PlanPoint.objects.filter(target=target).count() == 3  # a refused plan changes nothing
    other = Target.objects.get(item__scheme=scheme, item__metric__code="signed_count", unit=county_b)
    with pytest.raises(BusinessRuleError, match="只有被考核单位或考核单位"):
        set_plan(target=other, plan=Target.Plan.QUARTER, points=quarters, by=county_keeper_a)


def test_the_plan_sets_the_snapshots_time_progress(clock, scheme, county_a, county_keeper_a):
    target = Target.objects.get(item__scheme=scheme, item__metric__code="signed_count", unit=county_a)
    set_plan(target=target, plan=Target.Plan.QUARTER, points=[(date(2026, 9, 30), Decimal(9))], by=county_keeper_a)

    snapshot = take_snapshot(scheme=scheme, period=period_of("month", date(2026, 9, 1)))

    assert snapshot.inputs["values"][str(county_a.pk)][str(target.item_id)]["expected"] == "9.00"


def test_a_county_enters_its_manual_figure_with_evidence(clock, scheme, county_a, county_b, county_keeper_a):
    target = Target.objects.get(item__scheme=scheme, item__metric__code="policy_delivery", unit=county_a)

    entry = enter_manual_value(target=target, as_of=date(2026, 10, 31), value=Decimal(96), evidence=_evidence(),
                               by=county_keeper_a, note="10月兑现台账")  # fmt: skip

    assert (entry.value, entry.note, entry.evidence.name.endswith(".pdf")) == (Decimal(96), "10月兑现台账", True)
    for kwargs, message in (
        ({"evidence": None}, "请上传佐证材料"),
        ({"value": Decimal(101)}, "比率不能超过100"),
        ({"value": Decimal(-1)}, "不能为负数"),
        ({"as_of": date(2026, 11, 30)}, "不能晚于今天"),
        ({"as_of": date(2025, 12, 31)}, "须在2026年内"),
    ):
        values = {"target": target, "as_of": date(2026, 10, 31), "value": Decimal(90), "evidence": _evidence(),
                  "by": county_keeper_a, **kwargs}  # fmt: skip
        with pytest.raises(BusinessRuleError, match=message):
            enter_manual_value(**values)
    live = Target.objects.get(item__scheme=scheme, item__metric__code="signed_count", unit=county_a)
    with pytest.raises(BusinessRuleError, match="由系统自动取数"):
        enter_manual_value(target=live, as_of=date(2026, 10, 31), value=Decimal(3), evidence=_evidence(),
                           by=county_keeper_a)  # fmt: skip
    other = Target.objects.get(item__scheme=scheme, item__metric__code="policy_delivery", unit=county_b)
    with pytest.raises(BusinessRuleError, match="只有被考核单位"):
        enter_manual_value(target=other, as_of=date(2026, 10, 31), value=Decimal(3), evidence=_evidence(),
                           by=county_keeper_a)  # fmt: skip


def test_a_deduction_counts_until_revoked(clock, scheme, county_a, keeper, county_keeper_a):
    deduction = record_deduction(scheme=scheme, unit=county_a, kind="late_start", points=Decimal(3),
                                 happened_on=date(2026, 9, 15), reason="签约满6个月未开工", by=keeper)  # fmt: skip
    september = take_snapshot(scheme=scheme, period=period_of("month", date(2026, 9, 1)))
    revoke_deduction(deduction=deduction, reason="经复核，项目已于9月10日开工", by=keeper)
    october = take_snapshot(scheme=scheme, period=period_of("month", date(2026, 10, 1)))

    assert september.rows.get(unit=county_a).deducted == Decimal(3)
    assert october.rows.get(unit=county_a).deducted == Decimal(0)
    with pytest.raises(BusinessRuleError, match="已撤销"):
        revoke_deduction(deduction=deduction, reason="再次", by=keeper)
    with pytest.raises(BusinessRuleError, match="只有考核单位可以登记扣分"):
        record_deduction(scheme=scheme, unit=county_a, kind="fake", points=Decimal(5),
                         happened_on=date(2026, 9, 15), reason="虚报项目", by=county_keeper_a)  # fmt: skip
    with pytest.raises(BusinessRuleError, match="请填写扣分理由"):
        record_deduction(scheme=scheme, unit=county_a, kind="fake", points=Decimal(5),
                         happened_on=date(2026, 9, 15), reason=" ", by=keeper)  # fmt: skip
