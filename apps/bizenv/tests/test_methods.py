"""Each scoring method's parameters: all given or (where allowed) all absent, numbers, in the right order."""

from decimal import Decimal

import pytest

from apps.bizenv.methods import clean_parameters
from apps.core.errors import BusinessRuleError


@pytest.mark.parametrize(
    ("method", "direction", "parameters", "expected"),
    [
        ("frontier", "higher_better", {"best": "18", "worst": 0}, {"best": 18, "worst": 0}),
        ("frontier", "lower_better", {"best": Decimal("0.5"), "worst": 100, "source": "DB2020"},
         {"best": 0.5, "worst": 100, "source": "DB2020"}),
        ("efficacy", "higher_better", {"satisfactory": 12, "unacceptable": 6}, {"satisfactory": 12, "unacceptable": 6}),
        ("standard", "lower_better", {"standard": 3, "step": 5, "base": 100}, {"standard": 3, "step": 5, "base": 100}),
        ("yes_no", "higher_better", {}, {}),
    ],
)  # fmt: skip
def test_complete_parameters_are_kept_as_json_numbers(method, direction, parameters, expected):
    assert clean_parameters(method, direction, parameters, required=True) == expected


def test_a_parent_may_have_no_parameters_but_keeps_its_notes():
    assert clean_parameters("frontier", "higher_better", {"source": "待定"}, required=False) == {"source": "待定"}


@pytest.mark.parametrize(
    ("method", "direction", "parameters", "message"),
    [
        ("frontier", "higher_better", {"best": 0, "worst": 18}, "前沿最优值须大于前沿最差值。"),
        ("frontier", "lower_better", {"best": 5, "worst": 5}, "前沿最优值须小于前沿最差值。"),
        ("efficacy", "higher_better", {"satisfactory": 6, "unacceptable": 12}, "满意值须大于不允许值。"),
        ("efficacy", "higher_better", {"satisfactory": 6}, "计分方法需要参数：不允许值。"),
        ("standard", "higher_better", {"standard": "NaN", "step": 1}, "“标准值”须为数字。"),
        ("ranking", "higher_better", {}, "未知的计分方法。"),
    ],
)
def test_wrong_parameters_are_refused_in_chinese(method, direction, parameters, message):
    with pytest.raises(BusinessRuleError) as error:
        clean_parameters(method, direction, parameters, required=False)

    assert error.value.message == message
