"""Time-limit commitments: working days across holidays, make-up days and clock stops; statistics; indicators."""

from datetime import date
from decimal import Decimal

import pytest

from apps.bizenv.models import Case, Commitment
from apps.bizenv.services import cases as services
from apps.bizenv.services.cases import StepInput, StopInput
from apps.bizenv.services.commitments import (
    Stats,
    WorkdayCounter,
    indicator_value,
    indicator_values,
    late_in_progress,
    net_working_days,
    percentile,
    stats_by,
    step_stats,
    total,
)
from apps.core.errors import BusinessRuleError
from apps.core.workdays import working_days_between
from apps.landing.tests.conftest import (  # noqa: F401 - the landing personas and their clock
    checklists_clock,
    checklists_coordinator,
    checklists_departments,
    checklists_project,
)

pytestmark = pytest.mark.django_db

CORRECTION = "correction"


@pytest.fixture
def kaiban(db) -> Commitment:
    """The seeded 开办企业 commitment: 4 working days, 设立登记 2 → 公章刻制 1 → 银行开户 1 → 申领发票 1."""
    return Commitment.objects.get(code="kaiban")


def _case(commitment, unit, number, received, completed=None, *, by, stops=(), steps=None) -> Case:
    return services.record_case(
        commitment=commitment, unit=unit, number=number, applicant_name=f"申请人{number}", received_on=received,
        completed_on=completed, stops=stops, steps=steps, by=by,
    )  # fmt: skip


# ---- durations ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("received", "completed", "days"),
    [
        (date(2024, 9, 20), date(2024, 9, 20), 0),  # 当场办结: the receipt day does not count
        (date(2024, 9, 20), date(2024, 9, 23), 1),  # Friday to Monday: the weekend does not count
        (date(2024, 9, 27), date(2024, 10, 8), 3),  # across 国庆: Sunday 29 Sep (make-up), Mon 30 Sep, Tue 8 Oct
        (date(2024, 10, 11), date(2024, 10, 14), 2),  # Saturday 12 Oct is a make-up working day
        (date(2024, 9, 30), date(2024, 10, 7), 0),  # received the last day before the holiday, done in it
    ],
)
def test_a_case_counts_the_working_days_after_its_receipt(kaiban, county_a, bizenv_keeper, received, completed, days):
    case = _case(kaiban, county_a, "K1", received, completed, by=bizenv_keeper)

    assert case.working_days == days
    assert days == working_days_between(received, completed)  # the same rule as the core calendar


def test_a_clock_stop_takes_out_the_working_days_after_it_starts_up_to_its_end(kaiban, county_a, bizenv_keeper):
    # Mon 2 Sep received; notice to supply material Tue 3, material in Thu 5; completed Fri 6
    stop = StopInput(CORRECTION, date(2024, 9, 3), date(2024, 9, 5))

    case = _case(kaiban, county_a, "K2", date(2024, 9, 2), date(2024, 9, 6), by=bizenv_keeper, stops=[stop])

    assert case.working_days == 2  # Tue 3 and Fri 6
    assert case.stopped_days == 2  # Wed 4 and Thu 5


def test_a_clock_stop_across_the_national_day_holiday_counts_only_its_working_days(kaiban, county_a, bizenv_keeper):
    # received Wed 25 Sep; stopped 27 Sep – 9 Oct (site visit); completed Fri 11 Oct
    stop = StopInput("site_visit", date(2024, 9, 27), date(2024, 10, 9))

    case = _case(kaiban, county_a, "K3", date(2024, 9, 25), date(2024, 10, 11), by=bizenv_keeper, stops=[stop])

    assert case.stopped_days == 4  # 29 Sep (make-up Sunday), 30 Sep, 8 Oct, 9 Oct
    assert case.working_days == 4  # 26 Sep, 27 Sep, 10 Oct, 11 Oct
    assert case.is_late is False  # the limit is 4


def test_a_step_takes_out_the_clock_stops_inside_it(kaiban, county_a, bizenv_keeper):
    steps = [
        StepInput("设立登记", 2, started_on=date(2024, 9, 2), ended_on=date(2024, 9, 6)),
        StepInput("公章刻制", 1, started_on=date(2024, 9, 6), ended_on=date(2024, 9, 6)),
    ]
    stop = StopInput(CORRECTION, date(2024, 9, 3), date(2024, 9, 5))

    case = _case(
        kaiban, county_a, "K4", date(2024, 9, 2), date(2024, 9, 6), by=bizenv_keeper, stops=[stop], steps=steps
    )

    assert [(s.name, s.working_days, s.is_late) for s in case.steps.order_by("order")] == [
        ("设立登记", 2, False),
        ("公章刻制", 0, False),
    ]


def test_the_counter_agrees_with_the_calendar_across_years():
    counter = WorkdayCounter()

    for start, end in [(date(2023, 12, 29), date(2024, 1, 3)), (date(2024, 2, 8), date(2024, 2, 19)), (date(2022, 6, 1), date(2024, 6, 1))]:  # fmt: skip
        assert counter.between(start, end) == working_days_between(start, end)
    assert net_working_days(counter, date(2024, 9, 27), date(2024, 10, 8)) == 3


# ---- the rules ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("completed", "stops", "steps", "message"),
    [
        (date(2024, 9, 1), (), None, "办结日期不能早于受理日期（2024年9月2日）"),
        (date(2024, 9, 6), [StopInput(CORRECTION, date(2024, 9, 5), date(2024, 9, 4))], None, "恢复日期不能早于暂停日期"),
        (date(2024, 9, 6), [StopInput(CORRECTION, date(2024, 9, 5), date(2024, 9, 9))], None, "应在受理日期与办结日期之间"),
        (date(2024, 9, 6), [StopInput(CORRECTION, date(2024, 8, 30), date(2024, 9, 3))], None, "应在受理日期与办结日期之间"),
        (
            date(2024, 9, 9),
            [StopInput(CORRECTION, date(2024, 9, 3), date(2024, 9, 5)), StopInput("hearing", date(2024, 9, 4), date(2024, 9, 6))],
            None,
            "与前一段（至2024年9月5日）重叠",
        ),
        (date(2024, 9, 6), [StopInput("holiday", date(2024, 9, 3), date(2024, 9, 4))], None, "暂停原因不在规定的情形之内"),
        (date(2024, 9, 6), (), [StepInput("设立登记", 2, started_on=date(2024, 8, 30))], "开始日期不能早于受理日期"),
        (date(2024, 9, 6), (), [StepInput("设立登记", 2, started_on=date(2024, 9, 3), ended_on=date(2024, 9, 2))], "完成日期不能早于开始日期"),
        (date(2024, 9, 6), (), [StepInput("设立登记", 2, started_on=date(2024, 9, 3), ended_on=date(2024, 9, 9))], "不能晚于办结日期"),
    ],
)  # fmt: skip
def test_dates_out_of_order_are_refused_in_chinese(kaiban, county_a, bizenv_keeper, completed, stops, steps, message):
    with pytest.raises(BusinessRuleError) as refused:
        _case(kaiban, county_a, "K9", date(2024, 9, 2), completed, by=bizenv_keeper, stops=stops, steps=steps)

    assert message in refused.value.message
    assert not Case.objects.exists()


def test_a_case_number_is_unique_per_commitment(kaiban, county_a, bizenv_keeper):
    _case(kaiban, county_a, "K1", date(2024, 9, 2), by=bizenv_keeper)
    other = Commitment.objects.get(code="budongchan")

    with pytest.raises(BusinessRuleError, match="已有编号"):
        _case(kaiban, county_a, "K1", date(2024, 9, 3), by=bizenv_keeper)
    assert _case(other, county_a, "K1", date(2024, 9, 3), by=bizenv_keeper).pk


def test_a_case_keeps_the_limit_it_was_received_under(kaiban, county_a, bizenv_keeper):
    case = _case(kaiban, county_a, "K1", date(2024, 9, 2), date(2024, 9, 9), by=bizenv_keeper)  # 5 days
    Commitment.objects.filter(pk=kaiban.pk).update(limit_days=8)

    services.update_case(case=case, by=bizenv_keeper, number="K1", applicant_name="甲", received_on=date(2024, 9, 2), completed_on=date(2024, 9, 9))  # fmt: skip

    case.refresh_from_db()
    assert (case.limit_days, case.working_days, case.is_late) == (4, 5, True)


def test_only_a_late_case_is_explained_and_at_some_length(kaiban, county_a, bizenv_keeper):
    on_time = _case(kaiban, county_a, "K1", date(2024, 9, 2), date(2024, 9, 4), by=bizenv_keeper)
    late = _case(kaiban, county_a, "K2", date(2024, 9, 2), date(2024, 9, 10), by=bizenv_keeper)

    with pytest.raises(BusinessRuleError, match="无需说明"):
        services.explain_delay(case=on_time, explanation="因系统故障延误两个工作日。", by=bizenv_keeper)
    with pytest.raises(BusinessRuleError, match="至少10个字"):
        services.explain_delay(case=late, explanation="延误", by=bizenv_keeper)
    services.explain_delay(case=late, explanation="银行开户需总行核查实际控制人，延误两个工作日。", by=bizenv_keeper)

    late.refresh_from_db()
    assert late.is_explained
    assert late.explained_by == bizenv_keeper
    assert late.explained_at is not None


# ---- statistics ---------------------------------------------------------------------------------


def test_median_and_p90_match_hand_computed_values():
    even, odd = Stats(), Stats()
    for days in (1, 2, 2, 3, 5, 8, 9, 10, 12, 20):
        even.add(days, 5)
    for days in (1, 1, 4, 7, 100):
        odd.add(days, 5)

    # even: the middle two are 5 and 8; ⌈0.9 × 10⌉ = 9th value is 12; (1+2+2+3+5+8+9+10+12+20) / 10 = 7.2
    assert (even.cases, even.median, even.p90, even.mean, even.on_time, even.on_time_share) == (
        10, Decimal("6.5"), Decimal(12), Decimal("7.2"), 5, Decimal("50.0"),
    )  # fmt: skip
    # odd: the middle one is 4; ⌈0.9 × 5⌉ = 5th value is 100 (nearest rank never interpolates)
    assert (odd.median, odd.p90, odd.mean, odd.on_time_share) == (Decimal(4), Decimal(100), Decimal("22.6"), Decimal("60.0"))  # fmt: skip
    assert percentile([1, 2, 2, 3, 5, 8, 9, 10, 12, 20], Decimal("0.9")) == 12
    assert Stats().median is None
    assert Stats().on_time_share is None


def test_statistics_by_county_count_cases_completed_in_the_period(kaiban, county_a, county_b, bizenv_keeper):
    # 东城区: 0, 1, 3, 5 (late), 8 (late) working days in September 2024; one in October; one in progress
    starts = [(date(2024, 9, 2), date(2024, 9, 2)), (date(2024, 9, 2), date(2024, 9, 3)), (date(2024, 9, 2), date(2024, 9, 5)),
              (date(2024, 9, 2), date(2024, 9, 9)), (date(2024, 9, 2), date(2024, 9, 12)), (date(2024, 9, 30), date(2024, 10, 8))]  # fmt: skip
    for n, (received, completed) in enumerate(starts):
        _case(kaiban, county_a, f"A{n}", received, completed, by=bizenv_keeper)
    _case(kaiban, county_a, "A9", date(2024, 9, 20), by=bizenv_keeper)
    _case(kaiban, county_b, "B1", date(2024, 9, 2), date(2024, 9, 4), by=bizenv_keeper)

    cases = Case.objects.filter(commitment=kaiban).completed_between(date(2024, 9, 1), date(2024, 9, 30))
    by_county = stats_by(cases, "unit_id")

    east = by_county[county_a.pk]
    assert (east.cases, east.on_time, east.mean, east.median, east.p90) == (
        5,
        3,
        Decimal("3.4"),
        Decimal(3),
        Decimal(8),
    )
    assert by_county[county_b.pk].cases == 1
    assert total(by_county).cases == 6
    assert list(cases.late().order_by("number").values_list("number", flat=True)) == ["A3", "A4"]


def test_step_statistics_group_the_finished_steps_by_name(kaiban, county_a, bizenv_keeper):
    for n, end in enumerate((date(2024, 9, 3), date(2024, 9, 5))):
        steps = [StepInput("设立登记", 2, started_on=date(2024, 9, 2), ended_on=end), StepInput("公章刻制", 1)]
        _case(kaiban, county_a, f"S{n}", date(2024, 9, 2), date(2024, 9, 6), by=bizenv_keeper, steps=steps)

    stats = step_stats(Case.objects.filter(commitment=kaiban))

    assert list(stats) == ["设立登记"]
    assert (stats["设立登记"].cases, stats["设立登记"].late, stats["设立登记"].median) == (2, 1, Decimal("2.0"))


def test_a_case_in_progress_past_its_limit_is_late_today(kaiban, county_a, bizenv_keeper):
    _case(kaiban, county_a, "P1", date(2024, 9, 2), by=bizenv_keeper)
    _case(kaiban, county_a, "P2", date(2024, 9, 9), by=bizenv_keeper, stops=[StopInput(CORRECTION, date(2024, 9, 9), date(2024, 9, 12))])  # fmt: skip

    found = late_in_progress(Case.objects.all(), today=date(2024, 9, 13))

    # P1: 9 working days by Fri 13 Sep; P2: 4 minus 3 stopped = 1
    assert [(case.number, days) for case, days in found] == [("P1", 9)]


def test_the_indicator_value_is_the_median_of_the_area_in_the_period(kaiban, county_a, county_b, bizenv_keeper):
    for n, end in enumerate((date(2024, 9, 3), date(2024, 9, 4), date(2024, 9, 6), date(2024, 9, 9))):
        _case(kaiban, county_a, f"A{n}", date(2024, 9, 2), end, by=bizenv_keeper)  # 1, 2, 4, 5
    _case(kaiban, county_b, "B1", date(2024, 9, 2), date(2024, 9, 2), by=bizenv_keeper)
    september = (date(2024, 9, 1), date(2024, 9, 30))

    assert indicator_value(kaiban, county_a, *september) == Decimal(3)
    assert indicator_value(kaiban, county_a, date(2024, 10, 1), date(2024, 10, 31)) is None
    assert indicator_values("01.02", [county_a, county_b], *september) == {county_a.pk: Decimal(3), county_b.pk: Decimal(0)}  # fmt: skip
    assert indicator_values("08.02", [county_a], *september) == {}


def test_the_seeded_commitments_name_indicators_of_the_seeded_system(db):
    from apps.bizenv.models import Indicator

    names = dict(Indicator.objects.filter(methodology__code="2025").values_list("code", "name"))

    assert {c.code: names[c.indicator_code] for c in Commitment.objects.all()} == {
        "kaiban": "开办企业时间", "budongchan": "登记财产时间", "gongcheng": "办理建筑许可时间",
    }  # fmt: skip
    assert list(Commitment.objects.get(code="kaiban").steps.values_list("name", flat=True)) == [
        "设立登记", "公章刻制", "银行开户", "申领发票",
    ]  # fmt: skip


def test_recomputing_after_a_calendar_override_changes_the_stored_days(kaiban, county_a, bizenv_keeper):
    from apps.core.models import CalendarDay

    case = _case(kaiban, county_a, "R1", date(2024, 9, 2), date(2024, 9, 6), by=bizenv_keeper)
    CalendarDay.objects.create(date=date(2024, 9, 4), is_workday=False, note="临时停工")

    assert services.recompute_durations() == 1
    case.refresh_from_db()
    assert case.working_days == 3


# ---- cases from the landing procedure checklists -------------------------------------------------


def test_a_checklist_becomes_a_case_of_the_construction_commitment(checklists_project, bizenv_keeper):  # noqa: F811 - the fixture
    from apps.landing.models import StepStatus

    checklist = checklists_project.checklist
    gongcheng = Commitment.objects.get(code="gongcheng")
    steps = list(checklist.steps.order_by("order"))
    permit = next(step for step in steps if step.is_permit)
    for step in steps:
        step.status, step.started_on, step.done_on = StepStatus.DONE, date(2026, 9, 24), date(2026, 9, 30)
        step.save()

    assert services.sync_checklist_cases(commitment=gongcheng, by=bizenv_keeper) == (1, 0, 0)
    case = Case.objects.get(checklist=checklist)
    assert (case.unit.name, case.number, case.source) == ("东城区", checklists_project.code, "checklist")
    assert case.received_on == checklist.started_on
    assert case.completed_on == permit.done_on
    assert case.steps.count() == len(steps)
    assert case.limit_days == (checklist.commitment_days or gongcheng.limit_days)

    assert services.sync_checklist_cases(commitment=gongcheng, by=bizenv_keeper) == (0, 1, 0)
    with pytest.raises(BusinessRuleError):
        services.sync_checklist_cases(commitment=Commitment.objects.get(code="kaiban"), by=bizenv_keeper)
