"""The tree in Excel: the export reads back unchanged; an import writes every row or none."""

from decimal import Decimal
from io import BytesIO

import pytest
from openpyxl import Workbook, load_workbook

from apps.bizenv.models import Indicator
from apps.bizenv.services import methodologies as services
from apps.bizenv.services.tree_excel import export_rows, export_workbook, import_tree
from apps.core.errors import BusinessRuleError
from apps.core.imports import RowError

pytestmark = pytest.mark.django_db

HEADER = ["代码", "层级", "指标名称", "计量单位", "指标方向", "指标类型", "计分方法", "前沿最优值", "前沿最差值"]


def _workbook(*rows, header=HEADER) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(list(row))
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _snapshot(methodology) -> dict:
    return {
        i.code: (i.name, i.level, i.parent.code if i.parent else None, i.parameters, i.weight, i.is_draft)
        for i in methodology.indicators.select_related("parent")
    }


def test_the_export_lists_the_tree_depth_first_with_labels(draft, bizenv_keeper, bureau, market_bureau):
    services.update_indicator(
        indicator=draft.indicators.get(code="01.01"), by=bizenv_keeper, lead_unit=bureau, co_units=[market_bureau]
    )

    header, rows = export_rows(draft)

    assert header[:9] == HEADER
    assert [row[:3] for row in rows] == [
        ["01", "一级指标", "开办企业"],
        ["01.01", "二级指标", "开办企业时间"],
        ["01.02", "二级指标", "开办企业环节"],
    ]
    time = dict(zip(header, rows[1], strict=True))
    assert (time["指标方向"], time["指标类型"], time["计分方法"]) == ("越低越好", "时间", "前沿距离法")
    assert (time["前沿最优值"], time["前沿最差值"], time["满意值"]) == (0.5, 100, None)
    assert (time["牵头单位"], time["配合单位"], time["草案"], time["权重"]) == (
        "市营商环境建设局", "市市场监督管理局", "是", Decimal("2.000"))  # fmt: skip


def test_an_exported_workbook_imports_back_without_change(draft, bizenv_keeper, bureau):
    services.update_indicator(indicator=draft.indicators.get(code="01.01"), by=bizenv_keeper, lead_unit=bureau)
    before = _snapshot(draft)

    report = import_tree(methodology=draft, content=export_workbook(draft), by=bizenv_keeper)

    assert (report.ok, report.rows, report.created, report.updated) == (True, 3, 0, 3)
    assert _snapshot(draft) == before
    assert draft.indicators.get(code="01.01").lead_unit == bureau


def test_the_seeded_version_exports_and_reimports_into_its_copy(seeded, bizenv_keeper):
    copy = services.copy_methodology(source=seeded, code="2026", name="2026年指标体系", by=bizenv_keeper)

    report = import_tree(methodology=copy, content=export_workbook(seeded), by=bizenv_keeper)

    assert report.errors == []
    assert report.updated == seeded.indicators.count()


def test_new_rows_are_placed_under_the_indicator_their_code_extends(draft, bizenv_keeper):
    content = _workbook(
        ["02", "一级指标", "劳动力市场监管", "分", "越高越好", "指数", "前沿距离法", None, None],
        ["02.01", "", "劳动争议调解仲裁", "件", "越低越好", "环节", "前沿距离法", 1, 20],
        ["01.01.01", "观测点", "设立登记时间", "天", "越低越好", "时间", "前沿距离法", 0, 5],
    )

    report = import_tree(methodology=draft, content=content, by=bizenv_keeper)

    assert (report.ok, report.created, report.updated) == (True, 3, 0)
    added = {i.code: i for i in draft.indicators.select_related("parent").filter(code__in=["02.01", "01.01.01"])}
    assert (added["02.01"].parent.code, added["02.01"].level, added["02.01"].parameters) == (
        "02", 2, {"best": 1, "worst": 20})  # fmt: skip
    assert (added["01.01.01"].parent.code, added["01.01.01"].level) == ("01.01", 3)


def test_a_column_left_out_keeps_what_the_indicator_has(draft, bizenv_keeper):
    content = _workbook(["01.01", "开办企业全流程时间"], header=["代码", "指标名称"])

    report = import_tree(methodology=draft, content=content, by=bizenv_keeper)

    indicator = draft.indicators.get(code="01.01")
    assert report.updated == 1
    assert (indicator.name, indicator.parameters, indicator.weight, indicator.is_draft) == (
        "开办企业全流程时间", {"best": 0.5, "worst": 100}, Decimal(2), True)  # fmt: skip


def test_every_error_is_reported_by_row_and_column_and_nothing_is_written(draft, bizenv_keeper):
    before = _snapshot(draft)
    content = _workbook(
        ["01.01", "二级指标", "改了名字", "天", "越低越好", "时间", "前沿距离法", 100, 0.5],
        ["01.02", "二级指标", "开办企业环节", "个", "越快越好", "环节", "前沿距离法", 1, 18],
        ["03.01", "二级指标", "没有上级", "天", "越低越好", "时间", "前沿距离法", 1, 10],
        ["01.03", "一级指标", "层级不符", "天", "越低越好", "时间", "前沿距离法", 1, 10],
        ["01.04", "二级指标", "参数不是数字", "天", "越低越好", "时间", "前沿距离法", "一天", 10],
        ["01.01", "二级指标", "重复的行", "天", "越低越好", "时间", "前沿距离法", 1, 10],
        [None, "二级指标", "没有代码", "天", "越低越好", "时间", "前沿距离法", 1, 10],
        ["01.05", "二级指标", "新的好行", "天", "越低越好", "时间", "前沿距离法", 1, 10],
    )

    report = import_tree(methodology=draft, content=content, by=bizenv_keeper)

    assert report.errors == [
        RowError(2, "计分参数", "前沿最优值须小于前沿最差值。"),
        RowError(3, "指标方向", "应为：越低越好、越高越好。"),
        RowError(4, "代码", "找不到上级指标“03”（本版本和表格中都没有，或该行有错误）。"),
        RowError(5, "层级", "代码表明这是二级指标，与所填层级不符。"),
        RowError(6, "计分参数", "“前沿最优值”须为数字。"),
        RowError(7, "代码", "与第 2 行代码重复。"),
        RowError(8, "代码", "缺少指标代码。"),
    ]
    assert (report.created, report.updated) == (0, 0)
    assert _snapshot(draft) == before


def test_units_are_found_by_name_or_code_and_unknown_ones_are_errors(draft, bizenv_keeper, bureau, market_bureau):
    header = ["代码", "指标名称", "牵头单位", "配合单位"]
    good = _workbook(["01.01", "开办企业时间", "990100D30", "市市场监督管理局"], header=header)
    bad = _workbook(["01.01", "开办企业时间", "市发改委", "市营商环境建设局，不存在局"], header=header)

    assert import_tree(methodology=draft, content=bad, by=bizenv_keeper).errors == [
        RowError(2, "牵头单位", "找不到单位“市发改委”。"),
        RowError(2, "配合单位", "找不到单位“不存在局”。"),
    ]
    assert import_tree(methodology=draft, content=good, by=bizenv_keeper).ok
    indicator = draft.indicators.get(code="01.01")
    assert (indicator.lead_unit, list(indicator.co_units.all())) == (bureau, [market_bureau])


def test_a_parameter_the_method_does_not_use_is_an_error(draft, bizenv_keeper):
    content = _workbook(["01.01", "开办企业时间", "前沿距离法", 10], header=["代码", "指标名称", "计分方法", "满意值"])

    report = import_tree(methodology=draft, content=content, by=bizenv_keeper)

    assert report.errors == [RowError(2, "满意值", "“前沿距离法”不使用该参数。")]


def test_a_dry_run_reports_but_writes_nothing(draft, bizenv_keeper):
    content = _workbook(["02", "一级指标", "劳动力市场监管", "分", "越高越好", "指数", "前沿距离法", None, None])

    report = import_tree(methodology=draft, content=content, by=bizenv_keeper, dry_run=True)

    assert (report.ok, report.created) == (True, 1)
    assert not draft.indicators.filter(code="02").exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"not a workbook", "无法读取该文件，请上传 .xlsx 格式的 Excel 文件。"),
        (_workbook(header=["代码", "名字"]), "表头缺少“指标名称”列，请使用导出的表格。"),
        (_workbook(["01", "x", "y"], header=["代码", "指标名称", "备注"]), "表头中的“备注”不是指标表的列。"),
        (_workbook(), "表格中没有数据行。"),
    ],
)
def test_an_unreadable_workbook_is_refused_whole(draft, bizenv_keeper, content, message):
    with pytest.raises(BusinessRuleError) as error:
        import_tree(methodology=draft, content=content, by=bizenv_keeper)

    assert error.value.message == message


def test_only_a_keeper_imports_and_only_into_a_draft(draft, bizenv_keeper, reader):
    content = export_workbook(draft)
    with pytest.raises(BusinessRuleError):
        import_tree(methodology=draft, content=content, by=reader)

    services.update_indicator(
        indicator=draft.indicators.get(code="01.02"), by=bizenv_keeper, parameters={"best": 1, "worst": 18}
    )
    services.publish_methodology(methodology=draft, by=bizenv_keeper, confirm_drafts=True)
    with pytest.raises(BusinessRuleError) as error:
        import_tree(methodology=draft, content=content, by=bizenv_keeper)
    assert error.value.message.startswith("评价方法版本“T1”已发布")


def test_the_export_reads_back_as_a_workbook(draft):
    sheet = load_workbook(BytesIO(export_workbook(draft))).active

    assert sheet.title == "评价指标"
    assert sheet.max_row == 1 + Indicator.objects.filter(methodology=draft).count()
