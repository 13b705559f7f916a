"""Scoring version 1 against figures worked out by hand."""

from decimal import Decimal

from apps.assessment.services.scoring import competition_ranks, score


def _inputs(values: dict, *, items=None, deductions=None, previous=None, praise_top=1, admonish_bottom=1) -> dict:
    items = items or [
        {"id": 1, "weight": "40", "method": "completion", "cap": "1.2"},
        {"id": 2, "weight": "60", "method": "completion", "cap": "1.2"},
    ]
    return {
        "units": [{"id": unit} for unit in values],
        "items": items,
        "values": {
            str(unit): {str(item): {"actual": a, "target": t, "expected": e} for item, (a, t, e) in row.items()}
            for unit, row in values.items()
        },
        "deductions": deductions or {},
        "previous": previous or {},
        "praise_top": praise_top,
        "admonish_bottom": admonish_bottom,
        "amber_share": "0.90",
    }


# 东城 11: 签约 12/10 → 1.2 × 40 = 48; 资金 300/500 → 0.6 × 60 = 36; 84
# 西城 12: 签约 5/10 → 0.5 × 40 = 20; 资金 600/500 → 1.2 × 60 = 72; 92
# 南湖 13: 签约 15/10 → capped 1.2 × 40 = 48; 资金 100/500 → 0.2 × 60 = 12; 60, less 5 deducted: 55
FIGURES = {
    11: {1: ("12", "10", "8"), 2: ("300", "500", "400")},
    12: {1: ("5", "10", "8"), 2: ("600", "500", "400")},
    13: {1: ("15", "10", "8"), 2: ("100", "500", "400")},
}
DEDUCTIONS = {"13": [{"kind": "late_start", "points": "5", "reason": "签约超期未开工"}]}


def test_completion_points_are_capped_and_deductions_come_off():
    rows = score(_inputs(FIGURES, deductions=DEDUCTIONS))

    assert [(row.unit, row.score, row.rank) for row in rows] == [
        (12, Decimal("92.00"), 1),
        (11, Decimal("84.00"), 2),
        (13, Decimal("55.00"), 3),
    ]
    south = rows[2]
    assert [item.points for item in south.items] == [Decimal("48.00"), Decimal("12.00")]
    assert south.items[0].completion == Decimal("1.5000")
    assert south.deducted == Decimal(5)


def test_the_first_are_praised_and_the_last_flagged_for_a_talk():
    rows = score(_inputs(FIGURES, deductions=DEDUCTIONS, praise_top=1, admonish_bottom=1))

    assert [(row.unit, row.praised, row.admonish) for row in rows] == [
        (12, True, False),
        (11, False, False),
        (13, False, True),
    ]


def test_nobody_is_flagged_when_there_are_no_more_units_than_the_bottom_n():
    rows = score(_inputs(FIGURES, admonish_bottom=3))

    assert not any(row.admonish for row in rows)


def test_a_unit_flagged_twice_in_a_row_is_marked_for_accountability_and_changes_are_arrows():
    previous = {
        "11": {"rank": 3, "admonish": True},
        "12": {"rank": 1, "admonish": False},
        "13": {"rank": 2, "admonish": True},
    }

    rows = {row.unit: row for row in score(_inputs(FIGURES, deductions=DEDUCTIONS, previous=previous))}

    assert (rows[11].change, rows[11].previous_rank, rows[11].accountability) == ("up", 3, False)
    assert (rows[12].change, rows[12].accountability) == ("same", False)
    assert (rows[13].change, rows[13].admonish, rows[13].accountability) == ("down", True, True)


def test_ranking_points_share_places_and_step_down_by_a_share_of_the_weight():
    values = {unit: {1: (actual, "1", "1")} for unit, actual in ((21, "30"), (22, "50"), (23, "50"), (24, "10"))}
    items = [{"id": 1, "weight": "10", "method": "ranking", "cap": "1.2"}]

    rows = {row.unit: row for row in score(_inputs(values, items=items))}

    # 50, 50 share 1st: 10 × 4/4; 30 is 3rd: 10 × 2/4; 10 is 4th: 10 × 1/4
    assert {unit: row.items[0].points for unit, row in rows.items()} == {
        21: Decimal("5.00"), 22: Decimal("10.00"), 23: Decimal("10.00"), 24: Decimal("2.50"),
    }  # fmt: skip
    assert (rows[22].rank, rows[23].rank, rows[21].rank, rows[24].rank) == (1, 1, 3, 4)


def test_lights_compare_the_actual_with_the_time_progress():
    values = {31: {1: ("8", "10", "8")}, 32: {1: ("7.5", "10", "8")}, 33: {1: ("7", "10", "8")}}
    items = [{"id": 1, "weight": "10", "method": "completion", "cap": "1.2"}]

    rows = {row.unit: row for row in score(_inputs(values, items=items))}

    # 8/8 = 100 %: green; 7.5/8 = 93.75 % ≥ 90 %: amber; 7/8 = 87.5 %: red
    assert [rows[unit].light for unit in (31, 32, 33)] == ["green", "amber", "red"]


def test_a_zero_target_gives_no_completion_and_no_points():
    values = {41: {1: ("3", "0", "0")}}
    items = [{"id": 1, "weight": "10", "method": "completion", "cap": "1.2"}]

    (row,) = score(_inputs(values, items=items, admonish_bottom=0))

    assert (row.items[0].completion, row.items[0].points, row.items[0].light) == (None, Decimal("0.00"), "green")


def test_score_never_goes_below_zero():
    values = {51: {1: ("1", "10", "1")}}
    items = [{"id": 1, "weight": "10", "method": "completion", "cap": "1.2"}]

    (row,) = score(_inputs(values, items=items, deductions={"51": [{"points": "8"}]}, admonish_bottom=0))

    assert row.score == Decimal("0.00")


def test_competition_ranks():
    assert competition_ranks({1: Decimal(5), 2: Decimal(9), 3: Decimal(5), 4: Decimal(1)}) == {1: 2, 2: 1, 3: 2, 4: 4}
