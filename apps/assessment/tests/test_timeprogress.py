"""Time-progress (序时进度) evenly by day and by the unit's plan, and the assessment periods."""

from datetime import date
from decimal import Decimal

from apps.assessment.services.periods import ended_periods, period_of, periods_of_year
from apps.assessment.services.timeprogress import even_progress, expected, planned_progress

QUARTERS = [(date(2026, 3, 31), Decimal(200)), (date(2026, 6, 30), Decimal(500))]


def test_even_progress_is_the_share_of_days_gone():
    assert even_progress(Decimal(1000), date(2026, 7, 2)) == Decimal("501.37")  # 183 of 365 days
    assert even_progress(Decimal(1000), date(2026, 12, 31)) == Decimal("1000.00")
    assert even_progress(Decimal(1000), date(2028, 2, 29)) == Decimal("163.93")  # 60 of 366 days


def test_planned_progress_follows_a_line_between_the_plan_points():
    assert planned_progress(Decimal(1000), QUARTERS, date(2026, 2, 14)) == Decimal("100.00")  # 45 of 90 days to 200
    assert planned_progress(Decimal(1000), QUARTERS, date(2026, 3, 31)) == Decimal("200.00")
    assert planned_progress(Decimal(1000), QUARTERS, date(2026, 5, 15)) == Decimal("348.35")  # 200 + 300 × 45/91
    assert planned_progress(Decimal(1000), QUARTERS, date(2026, 9, 1)) == Decimal("500.00")  # after the last point


def test_a_plan_without_points_falls_back_to_the_even_spread():
    assert planned_progress(Decimal(1000), [], date(2026, 7, 2)) == Decimal("501.37")


def test_a_rate_is_expected_at_its_target_all_year():
    assert expected(Decimal(95), plan="even", points=[], day=date(2026, 2, 1), is_rate=True) == Decimal(95)
    assert expected(Decimal(1000), plan="quarter", points=QUARTERS, day=date(2026, 3, 31), is_rate=False) == 200


def test_dekads_months_quarters_halves_and_years():
    assert period_of("dekad", date(2026, 2, 25)) == period_of("dekad", date(2026, 2, 21))
    dekad = period_of("dekad", date(2026, 2, 25))
    assert (dekad.starts_on, dekad.ends_on, dekad.label) == (date(2026, 2, 21), date(2026, 2, 28), "2026年2月下旬")
    assert period_of("dekad", date(2026, 3, 11)).label == "2026年3月中旬"
    quarter = period_of("quarter", date(2026, 8, 15))
    assert (quarter.starts_on, quarter.ends_on, quarter.label) == (
        date(2026, 7, 1),
        date(2026, 9, 30),
        "2026年第三季度",
    )
    assert period_of("half", date(2026, 8, 15)).label == "2026年下半年"
    assert period_of("month", date(2026, 11, 3)).ends_on == date(2026, 11, 30)
    assert len(periods_of_year("dekad", 2026)) == 36
    assert [p.label for p in ended_periods("quarter", 2026, date(2026, 10, 1))] == [
        "2026年第一季度", "2026年第二季度", "2026年第三季度",
    ]  # fmt: skip
