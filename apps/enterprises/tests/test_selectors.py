import pytest

from apps.enterprises.matching.compare import Verdict
from apps.enterprises.selectors import find_matches, search_enterprises
from apps.enterprises.tests.factories import make_enterprise, valid_uscc

pytestmark = pytest.mark.django_db


@pytest.fixture
def registry():
    code = valid_uscc()
    return {
        "huawei": make_enterprise("华为技术有限公司", uscc=code, short_names=["华为"]),
        "terminal": make_enterprise("华为终端有限公司"),
        "ccb": make_enterprise("中国建设银行股份有限公司", short_names=["建设银行"]),
        "boc": make_enterprise("中国银行股份有限公司"),
        "other": make_enterprise("示范市东城区华兴电子有限公司"),
        "code": code,
    }


def test_find_matches_gives_same_then_group_with_reasons(registry):
    matches = find_matches("华为技术（深圳）有限公司")

    assert [(m.enterprise, m.verdict) for m in matches] == [
        (registry["huawei"], Verdict.SAME),
        (registry["terminal"], Verdict.GROUP),
    ]
    assert matches[0].reasons


def test_find_matches_by_uscc_whatever_the_name(registry):
    matches = find_matches("名称写错了的公司", uscc=registry["code"].lower())

    assert matches[0].enterprise == registry["huawei"]
    assert matches[0].verdict == Verdict.SAME


def test_hard_negatives_are_not_matched(registry):
    assert [m.enterprise for m in find_matches("中国银行")] == [registry["boc"]]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("华为", "huawei"),
        ("为技", "huawei"),
        ("hwjs", "huawei"),
        ("HWZD", "terminal"),
        ("建设银行", "ccb"),
        ("兴电", "other"),
    ],
)
def test_search_by_any_part_short_name_or_pinyin_initials(registry, text, expected):
    assert search_enterprises(text)[0].enterprise == registry[expected]


def test_search_by_uscc_prefix(registry):
    assert search_enterprises(registry["code"][:10])[0].enterprise == registry["huawei"]


def test_search_needs_two_characters(registry):
    assert search_enterprises("华") == []


def test_merged_enterprises_are_not_matched(registry, officer_a):
    from apps.enterprises.merging import merge_enterprises

    merge_enterprises(survivor=registry["huawei"], merged=registry["terminal"], by=officer_a)

    assert [m.enterprise for m in find_matches("华为终端有限公司")] == [registry["huawei"]]


def test_a_group_members_full_name_is_not_the_same_as_the_parent_through_its_short_alias(city):
    parent = make_enterprise("比亚迪股份有限公司", short_names=["比亚迪"])

    matches = find_matches("示范比亚迪销售有限公司")

    assert [(m.enterprise, m.verdict) for m in matches] == [(parent, Verdict.GROUP)]
    assert find_matches("比亚迪")[0].verdict == Verdict.SAME
