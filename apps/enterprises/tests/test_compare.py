import pytest

from apps.enterprises.matching.compare import Verdict, compare_names
from apps.enterprises.tests.factories import valid_uscc

SAME = [
    ("华为技术有限公司", "华为技术（深圳）有限公司"),
    ("深圳市腾讯计算机系统有限公司", "腾讯计算机系统有限公司"),
    ("广东省深圳市腾讯计算机系统有限公司", "深圳市腾讯计算机系统有限公司"),
    ("格力电器", "珠海格力电器股份有限公司"),
    ("海康威视", "杭州海康威视数字技术股份有限公司"),
    ("宁德时代", "宁德时代新能源科技股份有限公司"),
    ("粤高速A", "广东省高速公路发展股份有限公司"),
    ("建行", "中国建设银行股份有限公司"),
    ("中国石化", "中国石油化工股份有限公司"),
    ("示范市华兴电子有限责任公司", "示范市华兴电子有限公司"),
    ("中国建筑第8工程局有限公司", "中国建筑第八工程局有限公司"),
    ("中国工商银行股份有限公司北京市分行", "中国工商银行北京分行"),
    ("比亚迪股份有限公司。", "比亚迪股份有限公司"),
]
GROUP = [
    ("北京字节跳动科技有限公司上海分公司", "北京字节跳动科技有限公司"),
    ("招商银行股份有限公司深圳分行", "招商银行股份有限公司上海分行"),
    ("华为技术有限公司", "华为终端有限公司"),
    ("美的集团股份有限公司", "广东美的制冷设备有限公司"),
    ("中国石油天然气集团有限公司", "中国石油天然气股份有限公司"),
    ("珠海格力电器股份有限公司", "格力电器（合肥）有限公司"),
]
DIFFERENT = [
    ("中国银行股份有限公司", "中国建设银行股份有限公司"),
    ("中国银行", "中国建设银行股份有限公司"),
    ("中行", "中国建设银行股份有限公司"),
    ("长城汽车股份有限公司", "长城证券股份有限公司"),
    ("东方航空", "东方证券股份有限公司"),
    ("华夏银行股份有限公司", "华夏幸福基业股份有限公司"),
    ("杭州明辉五金有限公司", "佛山明辉五金有限公司"),
    ("示范市华兴电子有限公司", "示范市华盛电子有限公司"),
    ("示范市青河县丰收种植农民专业合作社", "示范市云岭县绿源养殖农民专业合作社"),
]


@pytest.mark.parametrize(("first", "second"), SAME)
def test_same_enterprise(first, second):
    assert compare_names(first, second).verdict == Verdict.SAME
    assert compare_names(second, first).verdict == Verdict.SAME


@pytest.mark.parametrize(("first", "second"), GROUP)
def test_same_group(first, second):
    assert compare_names(first, second).verdict == Verdict.GROUP


@pytest.mark.parametrize(("first", "second"), DIFFERENT)
def test_different_enterprises_including_hard_negatives(first, second):
    assert compare_names(first, second).verdict == Verdict.DIFFERENT


def test_equal_uscc_is_the_same_enterprise_whatever_the_names():
    code = valid_uscc()

    result = compare_names("示范市甲公司", "完全不同的名称有限公司", first_uscc=code, second_uscc=code)

    assert result.verdict == Verdict.SAME
    assert [r.code for r in result.reasons] == ["uscc_equal"]


def test_two_different_valid_usccs_are_never_one_enterprise():
    result = compare_names(
        "华为技术有限公司", "华为技术（深圳）有限公司", first_uscc=valid_uscc(), second_uscc=valid_uscc()
    )

    assert result.verdict == Verdict.GROUP
    assert result.reasons[0].code == "uscc_differs"


def test_the_thresholds_decide_the_verdict():
    pair = ("华为技术有限公司", "华为")

    assert compare_names(*pair).verdict == Verdict.SAME
    assert compare_names(*pair, same_threshold=0.99).verdict != Verdict.SAME


def test_reasons_name_what_matched():
    result = compare_names("深圳国华网安科技股份有限公司", "国华网安")

    assert result.reasons[0].code == "short_name"
    assert result.reasons[0].detail == {"short": "国华网安", "full": "深圳国华网安科技股份有限公司"}


def test_scores_are_between_zero_and_one_and_rank_same_above_group_above_different():
    same = compare_names(*SAME[0]).score
    group = compare_names(*GROUP[0]).score
    different = compare_names(*DIFFERENT[0]).score

    assert 0 <= different < group < same <= 1


def test_empty_names_compare_as_different():
    assert compare_names("", "华为技术有限公司").verdict == Verdict.DIFFERENT


def test_a_regional_subsidiary_with_another_form_is_group_but_a_bracketed_region_alone_is_same():
    assert compare_names("立讯精密工业（昆山）有限公司", "立讯精密工业股份有限公司").verdict == Verdict.GROUP
    assert compare_names("立讯精密工业（昆山）股份有限公司", "立讯精密工业股份有限公司").verdict == Verdict.SAME
    assert compare_names("立讯精密工业有限公司", "立讯精密工业股份有限公司").verdict == Verdict.SAME
