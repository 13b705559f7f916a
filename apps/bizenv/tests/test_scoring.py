"""Scoring version 1 of the business-environment evaluation against figures worked out by hand."""

from decimal import Decimal
from fractions import Fraction

import pytest

from apps.bizenv.scoring import (
    CONFIGURED,
    EQUAL_WEIGHTS,
    GEOMETRIC,
    VERSION,
    Group,
    Indicator,
    ParameterError,
    RawValueError,
    ScoringError,
    check_params,
    competition_ranks,
    distance_to_frontier,
    efficacy_coefficient,
    normalise,
    rank_robustness,
    score_tree,
    standard_value,
    yes_no,
)

START_UP_TIME = {"best": "0.5", "worst": "100"}
JUDICIAL = {"best": "18", "worst": "0"}
IDENTITY = {"best": "100", "worst": "0"}  # score = raw value, so aggregation tests read directly


def _leaf(code: str, weight=None, **params) -> Indicator:
    return Indicator(code, params=params or IDENTITY, weight=weight)


# --- 前沿距离法 -------------------------------------------------------------------------------------------


def test_the_world_bank_start_up_example_scores_97_49():
    # 100 × (100 − 3) ÷ (100 − 0.5) = 9700 ÷ 99.5 = 97.487… → 97.49
    result = distance_to_frontier("3", START_UP_TIME)

    assert result.score == Decimal("97.49")
    assert result.unclipped == Decimal("97.49")
    assert not result.clipped
    assert result.formula == "100 × (100 − 3) ÷ (100 − 0.5)"
    assert result.params == {"best": "0.5", "worst": "100"}


def test_a_value_worse_than_worst_is_clipped_to_zero():
    # 100 × (100 − 150) ÷ 99.5 = −50.25 → 0
    result = distance_to_frontier(150, START_UP_TIME)

    assert result.score == Decimal("0.00")
    assert result.unclipped == Decimal("-50.25")
    assert result.clipped


def test_a_value_better_than_best_is_clipped_to_100():
    # 100 × (100 − 0.25) ÷ 99.5 = 100.25… → 100
    result = distance_to_frontier("0.25", START_UP_TIME)

    assert result.score == Decimal("100.00")
    assert result.unclipped == Decimal("100.25")


def test_the_judicial_quality_example_is_higher_better():
    # 100 × (0 − 15.5) ÷ (0 − 18) = 86.111… → 86.11
    assert distance_to_frontier("15.5", JUDICIAL).score == Decimal("86.11")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("0.5", "100.00"),  # at best
        ("100", "0.00"),  # at worst
        ("50.25", "50.00"),  # 100 × 49.75 ÷ 99.5
    ],
)
def test_lower_better_frontier_ends_and_middle(raw, expected):
    assert distance_to_frontier(raw, START_UP_TIME).score == Decimal(expected)


@pytest.mark.parametrize(("raw", "expected"), [("18", "100.00"), ("0", "0.00"), ("20", "100.00"), ("-1", "0.00")])
def test_higher_better_frontier_ends_and_clipping(raw, expected):
    assert distance_to_frontier(raw, JUDICIAL).score == Decimal(expected)


def test_half_up_rounding_of_the_second_place():
    # 100 × (8 − 7.99975) ÷ 8 = 0.003125 → 0.00; 100 × (8 − 7.9996) ÷ 8 = 0.005 → 0.01 (half up)
    params = {"best": "0", "worst": "8"}
    assert distance_to_frontier("7.99975", params).score == Decimal("0.00")
    assert distance_to_frontier("7.9996", params).score == Decimal("0.01")


# --- 功效系数法 --------------------------------------------------------------------------------------------

GROWTH = {"satisfactory": "12", "unacceptable": "6"}


@pytest.mark.parametrize(
    ("raw", "expected", "unclipped"),
    [
        ("5.81", "58.73", "58.73"),  # the research file's exam item: 60 + 40 × (−0.19 ÷ 6) = 58.733…
        ("6", "60.00", "60.00"),  # at 不允许值
        ("9", "80.00", "80.00"),  # 60 + 40 × 3 ÷ 6
        ("12", "100.00", "100.00"),  # at 满意值
        ("15", "100.00", "120.00"),  # beyond 满意值: clipped to 100
        ("-3", "0.00", "0.00"),  # 60 + 40 × (−9 ÷ 6) = 0: 1.5 spans below 不允许值
        ("-5", "0.00", "-13.33"),  # 60 + 40 × (−11 ÷ 6) = −13.33: clipped to 0
    ],
)
def test_efficacy_coefficient_is_linear_and_clipped_to_0_100(raw, expected, unclipped):
    result = efficacy_coefficient(raw, GROWTH)

    assert (result.score, result.unclipped) == (Decimal(expected), Decimal(unclipped))


def test_efficacy_coefficient_lower_better():
    # 满意值 2 days, 不允许值 10 days, 4 days: 60 + 40 × (4 − 10) ÷ (2 − 10) = 60 + 30 = 90
    params = {"satisfactory": "2", "unacceptable": "10", "direction": "lower_better"}
    result = efficacy_coefficient("4", params)

    assert result.score == Decimal("90.00")
    assert result.formula == "60 + 40 × (4 − 10) ÷ (2 − 10)"


# --- 标准值扣分法 ------------------------------------------------------------------------------------------

WITHIN_FIVE_DAYS = {"standard": "5", "direction": "lower_better", "step": "10"}


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("5", "100.00"),  # at the standard: full marks
        ("3", "100.00"),  # better, no additions configured
        ("7", "80.00"),  # 100 − 10 × 2
        ("5.5", "95.00"),  # 100 − 10 × 0.5
        ("20", "0.00"),  # 100 − 10 × 15 = −50: clipped
    ],
)
def test_standard_value_deducts_per_unit_on_the_worse_side(raw, expected):
    assert standard_value(raw, WITHIN_FIVE_DAYS).score == Decimal(expected)


def test_standard_value_higher_better():
    # standard 95 %, 2 points per point below: 90.5 → 100 − 2 × 4.5 = 91
    params = {"standard": "95", "direction": "higher_better", "step": "2"}

    assert standard_value("90.5", params).score == Decimal("91.00")
    assert standard_value("99", params).score == Decimal("100.00")


@pytest.mark.parametrize(
    ("raw", "expected", "formula"),
    [
        ("4", "95.00", "90 + min(5 × 1, 8)"),  # 90 + 5 × 1
        ("2", "98.00", "90 + min(5 × 3, 8)"),  # 90 + min(15, 8)
        ("6", "80.00", "90 − 10 × 1"),  # 90 − 10 × 1
    ],
)
def test_standard_value_with_capped_additions(raw, expected, formula):
    params = {**WITHIN_FIVE_DAYS, "base": "90", "add_step": "5", "add_cap": "8"}
    result = standard_value(raw, params)

    assert (result.score, result.formula) == (Decimal(expected), formula)


def test_standard_value_additions_without_cap_stop_at_100():
    # 90 + 5 × 4 = 110 → 100
    params = {**WITHIN_FIVE_DAYS, "base": "90", "add_step": "5"}
    result = standard_value("1", params)

    assert (result.score, result.unclipped) == (Decimal("100.00"), Decimal("110.00"))


# --- 是否 -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("raw", "expected"), [(True, "100.00"), ("是", "100.00"), ("yes", "100.00"), (1, "100.00")])
def test_yes_is_the_good_answer_by_default(raw, expected):
    assert yes_no(raw, {}).score == Decimal(expected)


@pytest.mark.parametrize("raw", [False, "否", "No", "0"])
def test_no_scores_zero_by_default(raw):
    assert yes_no(raw, {}).score == Decimal("0.00")


def test_the_good_answer_can_be_no():
    # e.g. "是否存在违规收费": no is good
    assert yes_no("否", {"good": "否"}).score == Decimal("100.00")
    assert yes_no("是", {"good": "no"}).score == Decimal("0.00")


def test_yes_no_refuses_another_answer():
    with pytest.raises(RawValueError, match="不是“是”或“否”"):
        yes_no("也许", {})


# --- parameters -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "params", "message"),
    [
        ("frontier", {"best": "0.5"}, "缺少参数“worst”"),
        ("frontier", {"best": "", "worst": "100"}, "缺少参数“best”"),
        ("frontier", {"best": "半天", "worst": "100"}, "参数“best”应为数字，现为“半天”"),
        ("frontier", {"best": "NaN", "worst": "100"}, "参数“best”应为数字"),
        ("frontier", {"best": True, "worst": "100"}, "参数“best”应为数字"),
        ("frontier", {"best": "5", "worst": "5"}, "“best”与“worst”不能相同"),
        ("frontier", {"best": "100", "worst": "0.5", "direction": "lower_better"}, "“best”须小于“worst”"),
        ("efficacy", {"satisfactory": "6", "unacceptable": "6"}, "“satisfactory”与“unacceptable”不能相同"),
        ("efficacy", {"satisfactory": "6", "unacceptable": "12", "direction": "higher_better"}, "须大于"),
        ("standard", {"standard": "5", "step": "10"}, "方向“direction”"),
        ("standard", {"standard": "5", "direction": "lower_better"}, "缺少参数“step”"),
        ("standard", {"standard": "5", "direction": "lower_better", "step": "-1"}, "“step”不能为负数"),
        ("standard", {**WITHIN_FIVE_DAYS, "base": "120"}, "不能超过 100"),
        ("yes_no", {"good": "也许"}, "参数“good”"),
        ("topsis", {}, "未知的计分方法“topsis”"),
    ],
)
def test_bad_parameters_are_refused_in_chinese(method, params, message):
    with pytest.raises(ParameterError, match=message):
        check_params(method, params)
    with pytest.raises(ParameterError, match=message):
        normalise(method, "1", params)


def test_a_parameter_error_is_a_value_error():
    with pytest.raises(ValueError, match="不能相同"):
        distance_to_frontier("1", {"best": 1, "worst": 1})


def test_check_params_fills_defaults_and_ignores_other_keys():
    assert check_params("standard", {**WITHIN_FIVE_DAYS, "source": "manual"}) == {
        "standard": "5",
        "direction": "lower_better",
        "step": "10",
        "add_step": "0",
        "base": "100",
    }
    assert check_params("frontier", {"best": 0.5, "worst": 100}) == {"best": "0.5", "worst": "100"}
    assert check_params("yes_no", {}) == {"good": "yes"}


def test_a_raw_value_that_is_not_a_number_names_its_indicator():
    tree = Group("all", [Indicator("A01", params=START_UP_TIME)])

    with pytest.raises(RawValueError, match="指标 A01：原始值“三天”不是数字"):
        score_tree(tree, {"A01": "三天"})


def test_a_parameter_error_names_its_indicator_even_without_data():
    tree = Group("all", [Indicator("A01", params={"best": "1", "worst": "1"})])

    with pytest.raises(ParameterError, match="指标 A01：前沿距离法的参数"):
        score_tree(tree, {})


def test_the_indicator_direction_reaches_the_standard_method():
    tree = Group("all", [Indicator("A01", "standard", {"standard": "5", "step": "10"}, direction="lower_better")])

    assert score_tree(tree, {"A01": "7"}).score == Decimal("80.00")


# --- the research file's worked example: topic and overall means ------------------------------------------

# 开办企业: 3 days → 97.49; 4 procedures (best 1, worst 18): 100 × 14 ÷ 17 = 82.35;
#           cost 1.1 % (best 0, worst 200): 100 × 198.9 ÷ 200 = 99.45; paid-in minimum capital 0 → 100.
#           topic = (97.49 + 82.35 + 99.45 + 100) ÷ 4 = 379.29 ÷ 4 = 94.8225 → 94.82
# 执行合同: 496 days (best 120, worst 1340): 100 × 844 ÷ 1220 = 69.18; cost 16.2 % (best 0.1, worst 89):
#           100 × 72.8 ÷ 88.9 = 81.89; judicial index 15.5 → 86.11. topic = 237.18 ÷ 3 = 79.06
# overall = (94.82 + 79.06) ÷ 2 = 86.94
DB_TREE = Group(
    "overall",
    [
        Group(
            "starting_a_business",
            [
                Indicator("sb_time", params=START_UP_TIME),
                Indicator("sb_procedures", params={"best": "1", "worst": "18"}),
                Indicator("sb_cost", params={"best": "0", "worst": "200"}),
                Indicator("sb_capital", params={"best": "0", "worst": "400"}),
            ],
        ),
        Group(
            "enforcing_contracts",
            [
                Indicator("ec_time", params={"best": "120", "worst": "1340"}),
                Indicator("ec_cost", params={"best": "0.1", "worst": "89"}),
                Indicator("ec_judicial", params=JUDICIAL),
            ],
        ),
    ],
)
DB_VALUES = {
    "sb_time": "3",
    "sb_procedures": "4",
    "sb_cost": "1.1",
    "sb_capital": "0",
    "ec_time": "496",
    "ec_cost": "16.2",
    "ec_judicial": "15.5",
}


def test_topic_and_overall_scores_are_simple_means():
    result = score_tree(DB_TREE, DB_VALUES)

    assert [(r.code, r.score) for r in result.walk()] == [
        ("overall", Decimal("86.94")),
        ("starting_a_business", Decimal("94.82")),
        ("sb_time", Decimal("97.49")),
        ("sb_procedures", Decimal("82.35")),
        ("sb_cost", Decimal("99.45")),
        ("sb_capital", Decimal("100.00")),
        ("enforcing_contracts", Decimal("79.06")),
        ("ec_time", Decimal("69.18")),
        ("ec_cost", Decimal("81.89")),
        ("ec_judicial", Decimal("86.11")),
    ]


def test_a_result_keeps_what_reproduces_it():
    result = score_tree(DB_TREE, DB_VALUES)
    stored = result.as_json()

    assert stored["version"] == VERSION == 1
    assert (stored["code"], stored["aggregation"], stored["threshold"], stored["score"]) == (
        "overall",
        "arithmetic",
        "2/3",
        "86.94",
    )
    assert stored["weights"] == {"starting_a_business": "1", "enforcing_contracts": "1"}
    assert stored["weights_used"] == {"starting_a_business": "0.5", "enforcing_contracts": "0.5"}
    assert stored["children"][0]["children"][0] == {
        "code": "sb_time",
        "method": "frontier",
        "raw": "3",
        "params": {"best": "0.5", "worst": "100"},
        "score": "97.49",
        "unclipped": "97.49",
        "formula": "100 × (100 − 3) ÷ (100 − 0.5)",
        "reason": None,
    }


# --- aggregation ------------------------------------------------------------------------------------------


def _two(weights=(None, None)) -> Group:
    return Group("topic", [_leaf("a", weights[0]), _leaf("b", weights[1])])


def test_weighted_arithmetic_mean():
    # (3 × 16 + 1 × 81) ÷ 4 = 129 ÷ 4 = 32.25
    result = score_tree(_two((3, 1)), {"a": "16", "b": "81"})

    assert result.score == Decimal("32.25")
    assert result.weights_used == {"a": Decimal("0.75"), "b": Decimal("0.25")}


def test_equal_weights_when_none_are_given_or_asked_for():
    # (16 + 81) ÷ 2 = 48.5
    assert score_tree(_two(), {"a": "16", "b": "81"}).score == Decimal("48.50")
    assert score_tree(_two((3, 1)), {"a": "16", "b": "81"}, equal_weights=True).score == Decimal("48.50")


def test_weights_are_relative():
    # 30 : 10 is 3 : 1
    assert score_tree(_two(("30", "10")), {"a": "16", "b": "81"}).score == Decimal("32.25")


def test_weighted_geometric_mean():
    # 16^(3/4) × 81^(1/4) = 8 × 3 = 24; equal weights: √(16 × 81) = 36
    values = {"a": "16", "b": "81"}

    assert score_tree(_two((3, 1)), values, aggregation="geometric").score == Decimal("24.00")
    assert score_tree(_two(), values, aggregation="geometric").score == Decimal("36.00")


def test_a_zero_in_a_geometric_mean_counts_as_the_floor_of_1():
    # √(max(0, 1) × 100) = 10, and the child floored is recorded
    result = score_tree(_two(), {"a": "0", "b": "100"}, aggregation="geometric")

    assert (result.score, result.floored) == (Decimal("10.00"), ("a",))


def test_a_floor_of_zero_gives_the_strict_geometric_mean():
    result = score_tree(_two(), {"a": "0", "b": "100"}, aggregation="geometric", geometric_floor=Decimal(0))

    assert result.score == Decimal("0.00")


def test_a_zero_weight_child_is_shown_but_never_counts():
    # (1 × 16 + 1 × 81) ÷ 2 = 48.5 with c (weight 0, score 100) left out, also under equal weights
    tree = Group("topic", [_leaf("a", 1), _leaf("b", 1), _leaf("c", 0)])
    values = {"a": "16", "b": "81", "c": "100"}

    assert score_tree(tree, values).score == Decimal("48.50")
    assert score_tree(tree, values, equal_weights=True).score == Decimal("48.50")
    assert score_tree(tree, values).find("c").score == Decimal("100.00")


@pytest.mark.parametrize(
    ("weights", "message"),
    [
        ((1, None), "要么都填权重，要么都不填"),
        ((1, -1), "应为非负数"),
        ((0, 0), "不能全为 0"),
        (("重", 1), "应为非负数"),
    ],
)
def test_bad_weights_are_refused(weights, message):
    with pytest.raises(ParameterError, match=message):
        score_tree(_two(weights), {"a": "1", "b": "1"})


def test_duplicate_and_empty_children_are_refused():
    with pytest.raises(ParameterError, match="编码重复"):
        score_tree(Group("topic", [_leaf("a"), _leaf("a")]), {})
    with pytest.raises(ParameterError, match="没有下级指标"):
        score_tree(Group("topic", []), {})


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"aggregation": "median"}, "未知的汇总方法"),
        ({"threshold": "1.5"}, "阈值应在 0 与 1 之间"),
        ({"threshold": "一半"}, "阈值应在 0 与 1 之间"),
        ({"geometric_floor": Decimal(-1)}, "下限不能为负数"),
    ],
)
def test_bad_options_are_refused(options, message):
    with pytest.raises(ParameterError, match=message):
        score_tree(_two(), {"a": "1", "b": "1"}, **options)


def test_every_error_is_a_scoring_error():
    assert issubclass(ParameterError, ScoringError)
    assert issubclass(RawValueError, ScoringError)
    assert issubclass(ScoringError, ValueError)


# --- missing data -----------------------------------------------------------------------------------------


def _three(weights=(None, None, None)) -> Group:
    return Group("topic", [_leaf("a", weights[0]), _leaf("b", weights[1]), _leaf("c", weights[2])])


def test_a_missing_indicator_has_no_score_and_says_why():
    result = score_tree(_three(), {"a": "60", "b": "90", "c": ""}).find("c")

    assert (result.score, result.reason) == (None, "无数据。")


def test_two_thirds_of_the_weight_with_data_is_enough():
    # c missing: coverage 2/3 reaches the default threshold; (60 + 90) ÷ 2 = 75, never (60 + 90 + 0) ÷ 3
    result = score_tree(_three(), {"a": "60", "b": "90"})

    assert (result.score, result.coverage) == (Decimal("75.00"), Fraction(2, 3))
    assert result.weights_used == {"a": Decimal("0.5"), "b": Decimal("0.5")}


def test_one_third_of_the_weight_with_data_is_not_enough():
    result = score_tree(_three(), {"a": "60"})

    assert (result.score, result.coverage) == (None, Fraction(1, 3))
    assert result.reason == "数据不足：有数据的下级指标权重占 33.33%，低于要求的 66.67%。"
    assert result.weights_used == {}


def test_coverage_counts_weight_not_children():
    # weights 50/30/20: without a (50) coverage is 0.5 → insufficient;
    # without c (20) coverage is 0.8 → (50 × 60 + 30 × 90) ÷ 80 = 5700 ÷ 80 = 71.25
    tree = _three((50, 30, 20))

    assert score_tree(tree, {"b": "90", "c": "30"}).score is None
    assert score_tree(tree, {"a": "60", "b": "90"}).score == Decimal("71.25")


def test_the_threshold_is_a_parameter():
    # one of three with a threshold of 1/3 → 60; all three required → insufficient with one missing
    assert score_tree(_three(), {"a": "60"}, threshold=Fraction(1, 3)).score == Decimal("60.00")
    assert score_tree(_three(), {"a": "60", "b": "90"}, threshold="1").score is None
    assert score_tree(_three(), {"a": "60", "b": "90"}, threshold=Decimal("0.5")).score == Decimal("75.00")


def test_no_data_at_all_is_insufficient_even_at_threshold_zero():
    assert score_tree(_three(), {}, threshold=0).score is None


def test_an_insufficient_topic_is_missing_for_its_parent():
    # topic x has 1 of 3 → insufficient; y = (80 + 70) ÷ 2 = 75; z = 90: overall coverage 2/3 → (75 + 90) ÷ 2 = 82.5
    tree = Group(
        "overall",
        [
            Group("x", [_leaf("x1"), _leaf("x2"), _leaf("x3")]),
            Group("y", [_leaf("y1"), _leaf("y2")]),
            Group("z", [_leaf("z1")]),
        ],
    )
    result = score_tree(tree, {"x1": "10", "y1": "80", "y2": "70", "z1": "90"})

    assert [(r.code, r.score) for r in result.children] == [
        ("x", None),
        ("y", Decimal("75.00")),
        ("z", Decimal("90.00")),
    ]
    assert result.score == Decimal("82.50")
    assert result.weights_used == {"y": Decimal("0.5"), "z": Decimal("0.5")}

    # z missing too: only y of three topics → the overall score is insufficient, not 25
    assert score_tree(tree, {"x1": "10", "y1": "80", "y2": "70"}).score is None


# --- ranking ----------------------------------------------------------------------------------------------


def test_competition_ranks_share_ties_and_skip():
    scores = {"东城区": Decimal("90"), "西城区": Decimal("80"), "南湖区": Decimal("80"), "北山县": Decimal("70")}

    assert competition_ranks(scores) == {"东城区": 1, "西城区": 2, "南湖区": 2, "北山县": 4}


def test_units_without_a_score_are_unranked():
    assert competition_ranks({"a": None, "b": Decimal("50"), "c": Decimal("60")}) == {"a": None, "b": 2, "c": 1}


# --- robustness -------------------------------------------------------------------------------------------


def test_the_robustness_view_shows_ranks_moving():
    # weights 3 : 1. X (90, 10): configured (270 + 10) ÷ 4 = 70; equal (90 + 10) ÷ 2 = 50;
    #   geometric 90^(3/4) × 10^(1/4) = (90³ × 10)^(1/4) = 7 290 000^(1/4) = √2700 = 51.96
    # Y (60, 60): 60 under every variant.  Z (50, 50): 50 under every variant.  W: no data.
    values = {
        "X": {"a": "90", "b": "10"},
        "Y": {"a": "60", "b": "60"},
        "Z": {"a": "50", "b": "50"},
        "W": {},
    }
    robustness = rank_robustness(_two((3, 1)), values)

    assert [(row.unit, row.scores, row.ranks) for row in robustness.rows] == [
        (
            "X",
            {CONFIGURED: Decimal("70.00"), EQUAL_WEIGHTS: Decimal("50.00"), GEOMETRIC: Decimal("51.96")},
            {CONFIGURED: 1, EQUAL_WEIGHTS: 2, GEOMETRIC: 2},
        ),
        (
            "Y",
            {CONFIGURED: Decimal("60.00"), EQUAL_WEIGHTS: Decimal("60.00"), GEOMETRIC: Decimal("60.00")},
            {CONFIGURED: 2, EQUAL_WEIGHTS: 1, GEOMETRIC: 1},
        ),
        (
            "Z",
            {CONFIGURED: Decimal("50.00"), EQUAL_WEIGHTS: Decimal("50.00"), GEOMETRIC: Decimal("50.00")},
            {CONFIGURED: 3, EQUAL_WEIGHTS: 2, GEOMETRIC: 3},
        ),
        (
            "W",
            {CONFIGURED: None, EQUAL_WEIGHTS: None, GEOMETRIC: None},
            {CONFIGURED: None, EQUAL_WEIGHTS: None, GEOMETRIC: None},
        ),
    ]
    assert [(row.changed, row.largest_shift) for row in robustness.rows] == [
        (True, 1),
        (True, 1),
        (True, 1),
        (False, 0),
    ]
    assert robustness.changed


def test_a_stable_ranking_is_reported_as_stable():
    values = {"X": {"a": "90", "b": "80"}, "Y": {"a": "60", "b": "50"}}
    robustness = rank_robustness(_two((3, 1)), values)

    assert [row.ranks for row in robustness.rows] == [
        {CONFIGURED: 1, EQUAL_WEIGHTS: 1, GEOMETRIC: 1},
        {CONFIGURED: 2, EQUAL_WEIGHTS: 2, GEOMETRIC: 2},
    ]
    assert not robustness.changed
