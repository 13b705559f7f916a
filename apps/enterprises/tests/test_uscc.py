import pytest

from apps.core.errors import BusinessRuleError
from apps.enterprises.uscc import clean_uscc, is_valid_uscc, normalize_uscc, uscc_problem

HUAWEI = "914403001922038216"
TENCENT = "91440300708461136T"


@pytest.mark.parametrize("code", [HUAWEI, TENCENT, "N2110102MA00000016", "Y1110000MA0000001Y", "A1110000MA0000001K"])
def test_valid_codes_including_registration_authorities_written_with_letters(code):
    from stdnum.cn import uscc

    assert uscc.calc_check_digit(code[:17]) == code[17]
    assert is_valid_uscc(code)


@pytest.mark.parametrize(
    ("typed", "normal"),
    [("91440300708461136t", TENCENT), ("９１４４０３００１９２２０３８２１６", HUAWEI), ("9144 0300 1922 0382 16", HUAWEI),
     ("914403-0019220382-16", HUAWEI), ("　914403001922038216　", HUAWEI)],
)  # fmt: skip
def test_lowercase_full_width_spaces_and_hyphens_are_normalised(typed, normal):
    assert normalize_uscc(typed) == normal
    assert clean_uscc(typed) == normal


def test_a_wrong_check_character_is_refused():
    assert "校验位" in uscc_problem("914403001922038217")


@pytest.mark.parametrize("code", ["91440300192203821", "9144030019220382166", ""])
def test_a_wrong_length_is_refused_with_the_length(code):
    assert f"现为 {len(code)} 位" in uscc_problem(code)


def test_letters_the_standard_leaves_out_are_named():
    assert "I、O" in uscc_problem("9144030019220382IO")


def test_the_region_part_must_be_digits():
    assert "格式不正确" in uscc_problem("91AB03001922038216")


def test_clean_uscc_raises_a_business_rule_error_on_the_uscc_field():
    with pytest.raises(BusinessRuleError) as caught:
        clean_uscc("914403001922038217")

    assert caught.value.field == "uscc"
    assert clean_uscc("  ") == ""
