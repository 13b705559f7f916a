import pytest

from apps.enterprises.matching.normalize import clean_name, parse_name
from apps.enterprises.matching.numerals import arabic_numerals
from apps.enterprises.matching.regions import NATIONAL, compatible, short_form


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("华为技术（深圳）有限公司", "华为技术(深圳)有限公司"),
        ("万  科Ａ", "万科A"),
        ("比亚迪股份有限公司。", "比亚迪股份有限公司"),
        ("中国建设银行股份有限公司-广东省分行", "中国建设银行股份有限公司广东省分行"),
        ("【示范】电子有限公司", "(示范)电子有限公司"),
        ("tcl 科技集团", "TCL科技集团"),
        ("“长城”汽车", "长城汽车"),
        ("", ""),
    ],
)
def test_clean_name_unifies_width_brackets_spaces_and_case(raw, clean):
    assert clean_name(raw) == clean


@pytest.mark.parametrize(
    ("raw", "region", "core", "trade", "form"),
    [
        ("华为技术有限公司", "", "华为技术", "华为", "有限公司"),
        ("广东省深圳市腾讯计算机系统有限公司", "广东省深圳市", "腾讯计算机系统", "腾讯", "有限公司"),
        ("深圳市南山区华强电子有限公司", "深圳市南山区", "华强电子", "华强", "有限公司"),
        ("宁德时代新能源科技股份有限公司", "宁德", "时代新能源科技", "时代", "股份有限公司"),
        ("杭州海康威视数字技术股份有限公司", "杭州", "海康威视数字技术", "海康威视", "股份有限公司"),
        ("美的集团股份有限公司", "", "美的", "美的", "集团股份有限公司"),
        ("中国银行股份有限公司", "中国", "银行", "银行", "股份有限公司"),
        ("中国建设银行股份有限公司", "中国", "建设银行", "建设", "股份有限公司"),
        ("阿里巴巴（中国）网络技术有限公司", "", "阿里巴巴网络技术", "阿里巴巴", "有限公司"),
        ("昆山龙腾光电股份有限公司", "昆山", "龙腾光电", "龙腾", "股份有限公司"),
        ("合肥瑞丰新材料科技合伙企业（有限合伙）", "合肥", "瑞丰新材料科技", "瑞丰", "合伙企业(有限合伙)"),
        ("示范市青河县丰收种植农民专业合作社", "", "示范市青河县丰收种植", "示范市青河县丰收", "农民专业合作社"),
    ],
)
def test_parse_name_separates_region_core_trade_name_and_form(raw, region, core, trade, form):
    parsed = parse_name(raw)

    assert (parsed.region_text, parsed.core, parsed.trade_name, parsed.legal_form) == (region, core, trade, form)


def test_a_district_short_form_or_a_common_trade_name_is_not_taken_for_a_region():
    assert parse_name("南山铝业股份有限公司").core == "南山铝业"
    assert parse_name("东方电气股份有限公司").region_text == ""
    assert parse_name("洛阳永安机械制造有限公司").core == "永安机械制造"


def test_a_region_in_brackets_or_written_inside_the_name_is_kept_as_a_region():
    bracketed = parse_name("华为技术（深圳）有限公司")
    inline = parse_name("格力电器武汉有限公司")

    assert bracketed.core == "华为技术"
    assert bracketed.regions == ("440300",)
    assert bracketed.region_after_trade
    assert inline.core == "格力电器"
    assert inline.regions == ("420100",)
    assert parse_name("李宁中国体育用品有限公司").core == "李宁体育用品"


@pytest.mark.parametrize(
    ("raw", "base", "branch"),
    [
        ("北京字节跳动科技有限公司上海分公司", "北京字节跳动科技有限公司", "上海分公司"),
        ("中国工商银行股份有限公司北京市分行", "中国工商银行股份有限公司", "北京市分行"),
        ("招商银行深圳分行", "招商银行", "深圳分行"),
        ("平安保险深圳分公司", "平安保险", "深圳分公司"),
        ("成都天府蓝海物流（重庆分公司）", "成都天府蓝海物流", "重庆分公司"),
        ("中信证券股份有限公司北京总部营业部", "中信证券股份有限公司", "北京总部营业部"),
        ("华为技术有限公司", "华为技术有限公司", ""),
    ],
)
def test_a_branch_is_split_from_its_parents_full_name(raw, base, branch):
    parsed = parse_name(raw)

    assert (parsed.base, parsed.branch) == (base, branch)


def test_a_legal_form_typed_twice_and_listing_marks_are_dropped():
    assert parse_name("长城汽车股份有限公司有限公司").legal_form == "股份有限公司"
    assert parse_name("*ST海航").core == "海航"
    assert parse_name("京东方A").core == "京东方"


def test_group_forms_and_form_kinds():
    assert parse_name("中国石油天然气集团有限公司").is_group_parent
    assert parse_name("中国人寿保险（集团）公司").is_group_parent
    assert not parse_name("中国石油天然气股份有限公司").is_group_parent
    assert parse_name("比亚迪股份有限公司").form_kind == "股份"
    assert parse_name("成都天府蓝海物流公司").form_kind == ""
    assert parse_name("美的集团").is_full is False
    assert parse_name("美的集团股份有限公司").is_full is True


def test_the_key_is_the_trade_name_or_region_and_core_when_the_core_is_only_an_industry_word():
    assert parse_name("中国银行股份有限公司").key == "中国银行"
    assert parse_name("中国工商银行股份有限公司").key == "工商"
    assert parse_name("山东胜利股份有限公司").key == "胜利"


@pytest.mark.parametrize(
    ("text", "digits"),
    [("中国建筑第八工程局", "中国建筑第8工程局"), ("中铁十八局", "中铁18局"), ("三六零安全科技", "360安全科技"),
     ("一汽", "一汽"), ("三亚", "三亚"), ("十堰", "十堰"), ("两江新区", "两江新区"), ("万科", "万科")],
)  # fmt: skip
def test_chinese_numbers_become_digits_only_where_they_surely_are_numbers(text, digits):
    assert arabic_numerals(text) == digits


@pytest.mark.parametrize(
    ("name", "short"),
    [("广东省", "广东"), ("广西壮族自治区", "广西"), ("延边朝鲜族自治州", "延边"), ("本溪满族自治县", "本溪"),
     ("阿里地区", "阿里"), ("深圳市", "深圳"), ("县", "")],
)  # fmt: skip
def test_short_forms_of_divisions(name, short):
    assert short_form(name) == short


def test_region_compatibility_follows_the_division_tree():
    assert compatible(("440000",), ("440300",)) is True
    assert compatible(("440300",), ("110000",)) is False
    assert compatible((NATIONAL,), ("440300",)) is True
    assert compatible((), ("440300",)) is None


def test_the_normaliser_never_fails_on_odd_input():
    for raw in ["", " ", "()", "有限公司", "A", "分公司", "（（（", "中国", "1234567890" * 30]:
        parse_name(raw)


def test_two_cities_of_one_province_conflict():
    shenzhen, guangzhou = parse_name("广东省深圳市华锐科技有限公司"), parse_name("广东省广州市华锐科技有限公司")

    assert compatible(shenzhen.regions, guangzhou.regions) is False
    assert compatible(shenzhen.regions, parse_name("广东华锐科技有限公司").regions) is True
    assert compatible(shenzhen.regions, parse_name("深圳华锐科技有限公司").regions) is True
