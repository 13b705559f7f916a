from io import BytesIO

import pytest
from openpyxl import Workbook

from apps.enterprises import importing
from apps.enterprises.importing import HEADERS, check_import, commit_import
from apps.enterprises.models import DuplicateSuggestion, Enterprise, RegistryImport
from apps.enterprises.tests.factories import make_enterprise, valid_uscc

pytestmark = pytest.mark.django_db


def workbook(rows, headers=HEADERS) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(list(headers))
    for row in rows:
        sheet.append([row.get(h, "") for h in headers] if isinstance(row, dict) else list(row))
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def uploaded(content: bytes, user) -> RegistryImport:
    return RegistryImport.objects.create(unit=user.unit, filename="名录.xlsx", content=content, created_by=user)


def checked(rows, user) -> RegistryImport:
    return check_import(uploaded(workbook(rows), user))


def test_the_template_checks_clean(officer_a):
    result = check_import(uploaded(workbook(importing.template_rows()), officer_a))

    assert result.status == RegistryImport.Status.CHECKED
    assert [row["errors"] for row in result.rows] == [[], []]
    assert result.can_commit


def test_each_bad_row_gets_its_errors_by_column(officer_a):
    rows = [
        {"企业名称": "示范市甲科技有限公司", "统一社会信用代码": "914403001922038217"},
        {"企业名称": "", "统一社会信用代码": valid_uscc()},
        {"企业名称": "示范市乙科技有限公司", "行业代码": "99", "标签": "世界500强、不存在的标签"},
        {"企业名称": "示范市丙科技有限公司", "成立日期": "去年", "注册资本（万元）": "-5"},
        {"企业名称": "示范市丁科技有限公司", "集团关系": "分支机构"},
        {"企业名称": "示范市戊科技有限公司", "上级企业统一社会信用代码": valid_uscc(), "集团关系": "子公司"},
    ]

    result = checked(rows, officer_a)

    errors = {row["number"]: "；".join(row["errors"]) for row in result.rows}
    assert "统一社会信用代码：统一社会信用代码的校验位不正确" in errors[2]
    assert "企业名称：" in errors[3]
    assert "行业代码：“99”不是" in errors[4]
    assert "不存在的标签" in errors[4]
    assert "成立日期：“去年”无法识别" in errors[5]
    assert "注册资本" in errors[5]
    assert "须填写上级企业" in errors[6]
    assert "既未登记，也不在本文件中" in errors[7]
    assert not result.can_commit


def test_rows_repeating_each_other_are_errors(officer_a):
    code = valid_uscc()
    rows = [
        {"企业名称": "示范市甲科技有限公司", "统一社会信用代码": code},
        {"企业名称": "示范市乙科技有限公司", "统一社会信用代码": code},
        {"企业名称": "示范市甲科技有限公司"},
    ]

    result = checked(rows, officer_a)

    assert result.rows[1]["errors"] == ["统一社会信用代码与第 2 行重复。"]
    assert result.rows[2]["errors"] == ["企业名称与第 2 行重复。"]


def test_rows_of_registered_enterprises_are_matches_not_new_records(officer_a):
    code = valid_uscc()
    by_code = make_enterprise("示范市东城区华兴电子有限公司", uscc=code)
    by_name = make_enterprise("示范市云岭县绿源农业开发有限公司")
    rows = [
        {"企业名称": "华兴电子有限公司（名称写法不同）", "统一社会信用代码": code},
        {"企业名称": "示范市云岭县绿源农业开发有限责任公司"},
        {"企业名称": "绿源农业"},
        {"企业名称": "示范市北山区全新机械有限公司"},
    ]

    result = checked(rows, officer_a)

    actions = [(row["action"], (row["match"] or {}).get("id")) for row in result.rows]
    assert actions[:2] == [("match", by_code.pk), ("match", by_name.pk)]
    assert result.rows[2]["action"] == "create"
    assert result.rows[2]["possible"][0]["id"] == by_name.pk
    assert actions[3] == ("create", None)
    assert result.rows[3]["possible"] == []
    assert result.matched_count == 2

    commit_import(result)

    assert result.status == RegistryImport.Status.COMMITTED
    assert result.created_count == 2
    assert Enterprise.objects.count() == 4
    new = Enterprise.objects.get(name="绿源农业")
    suggestion = DuplicateSuggestion.objects.get(source="import")
    assert {suggestion.first, suggestion.second} == {new, by_name}


def test_parents_in_the_same_file_are_created_first(officer_a):
    code = valid_uscc()
    rows = [
        {"企业名称": "示范控股集团有限公司东城分公司", "上级企业统一社会信用代码": code, "集团关系": "分支机构"},
        {"企业名称": "示范控股集团有限公司", "统一社会信用代码": code},
    ]

    commit_import(checked(rows, officer_a))

    branch = Enterprise.objects.get(name="示范控股集团有限公司东城分公司")
    assert branch.parent.uscc == code
    assert branch.group_role == "branch"


def test_a_commit_that_fails_writes_nothing(officer_a):
    code = valid_uscc()
    result = checked(
        [{"企业名称": "示范市甲科技有限公司"}, {"企业名称": "示范市乙科技有限公司", "统一社会信用代码": code}],
        officer_a,
    )
    make_enterprise("示范市先登记的科技有限公司", uscc=code)  # registered between the check and the commit

    commit_import(result)

    assert result.status == RegistryImport.Status.FAILED
    assert "第 3 行" in result.errors[0]
    assert "已登记为" in result.errors[0]
    assert not Enterprise.objects.filter(name="示范市甲科技有限公司").exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"not a workbook", "无法读取该文件"),
        (workbook([], headers=["名称"]), "缺少表头“企业名称”"),
        (workbook([]), "没有数据行"),
    ],
)
def test_file_level_problems(officer_a, content, message):
    result = check_import(uploaded(content, officer_a))

    assert message in result.errors[0]
    assert not result.can_commit


def test_the_business_scope_column_is_kept(officer_a):
    rows = [
        {"企业名称": "示范市东城区锂电材料有限公司", "经营范围": "正极材料、电解液的研发、生产和销售"},
        {"企业名称": "示范市东城区空白有限公司"},
    ]

    commit_import(checked(rows, officer_a))

    assert (
        Enterprise.objects.get(name="示范市东城区锂电材料有限公司").business_scope
        == "正极材料、电解液的研发、生产和销售"
    )
    assert Enterprise.objects.get(name="示范市东城区空白有限公司").business_scope == ""
