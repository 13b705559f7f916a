from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from apps.chains.models import Chain, Link, Segment
from apps.chains.services.chain_excel import export_chain, import_chain
from apps.chains.tests.conftest import make_enterprise, place
from apps.core.errors import BusinessRuleError

HEADER = ("环节", "上级环节", "位置", "行业代码", "关键词", "说明", "薄弱阈值", "排序")


def _workbook(links: list[tuple], chain: list[tuple] | None = None, *, header=HEADER) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "环节"
    sheet.append(header)
    for row in links:
        sheet.append(row)
    fields = workbook.create_sheet("产业链")
    fields.append(("项目", "内容"))
    for row in chain if chain is not None else [("产业链名称", "氢能"), ("简介", "制储运加用"), ("薄弱环节阈值", 2)]:
        fields.append(row)
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _map(chain: Chain) -> list[tuple]:
    return sorted(
        (link.name, link.parent.name if link.parent else "", link.segment, link.industry_codes, link.keywords,
         link.description, link.weak_below, link.order)
        for link in Link.objects.filter(chain=chain).select_related("parent")
    )  # fmt: skip


def test_the_export_lists_links_in_map_order_and_the_chain_fields(chain, links):
    links["cells"].weak_below = 1
    links["cells"].save()
    workbook = load_workbook(BytesIO(export_chain(chain)))
    rows = list(workbook["环节"].iter_rows(values_only=True))
    assert rows[0] == HEADER
    assert rows[1:3] == [("动力电池", None, "上游", "38", None, None, None, 0), ("电芯", "动力电池", "上游", None,
                                                                             "电芯、锂离子电池", None, 1, 0)]  # fmt: skip
    assert [row[0] for row in rows[3:]] == ["驱动电机", "整车制造", "充换电"]
    fields = dict(workbook["产业链"].iter_rows(min_row=2, values_only=True))
    assert fields == {"产业链名称": "新能源汽车", "简介": None, "薄弱环节阈值": 2, "启用": "是", "排序": 0}


def test_export_then_import_changes_nothing(chain, links, officer_a):
    before = _map(chain)
    report = import_chain(content=export_chain(chain), commit=True, by=officer_a)
    assert report.ok, report.errors
    assert (report.created, report.updated, report.deleted, report.chain_created) == (0, 5, 0, False)
    assert _map(chain) == before


def test_the_preview_checks_every_row_and_writes_nothing(city, officer_a):
    content = _workbook([("电解槽", "制氢", "上游", "34", "电解槽、PEM电解槽"), ("制氢", "", "上游", "26", "制氢、绿氢"),
                         ("加氢站", "", "下游", "45", "加氢站")])  # fmt: skip
    report = import_chain(content=content, commit=False, by=officer_a)
    assert report.ok, report.errors
    assert (report.chain_name, report.chain_created, report.created, report.chain_id) == ("氢能", True, 3, None)
    assert [(row.name, row.action) for row in report.preview] == [
        ("制氢", "新增"),
        ("加氢站", "新增"),
        ("电解槽", "新增"),
    ]
    assert not Chain.objects.exists()


def test_the_import_creates_the_chain_with_sub_links_parents_first(city, officer_a):
    content = _workbook(
        [("电解槽", "制氢", "上游", "34", "电解槽、PEM电解槽", "", 1, 2), ("制氢", "", "上游", 26, "制氢")]
    )
    report = import_chain(content=content, commit=True, by=officer_a)
    assert report.ok, report.errors
    chain = Chain.objects.get(pk=report.chain_id)
    assert (chain.name, chain.description, chain.weak_below, chain.is_active) == ("氢能", "制储运加用", 2, True)
    assert _map(chain) == [("制氢", "", "upstream", ["26"], ["制氢"], "", None, 2),
                           ("电解槽", "制氢", "upstream", ["34"], ["电解槽", "PEM电解槽"], "", 1, 2)]  # fmt: skip


def test_one_digit_codes_typed_as_numbers_get_their_leading_zero(city, officer_a):
    report = import_chain(content=_workbook([("煤炭开采", "", "上游", 6, "煤矿")]), commit=True, by=officer_a)
    assert Link.objects.get(pk__isnull=False).industry_codes == ["06"], report.errors


def test_every_row_error_is_reported_and_nothing_is_written(city, officer_a):
    content = _workbook([
        ("制氢", "", "上游", "26", "制氢"),
        ("制氢", "", "上游", "26", "重复"),
        ("储氢", "", "侧游", "33", "储氢"),
        ("加氢站", "", "下游", "99、X", "加氢"),
        ("燃料电池", "电堆", "中游", "38", "燃料电池"),
        ("电解槽", "制氢", "中游", "34", "电解槽"),
        ("甲", "乙", "中游", "", "", "", "两个"),
        ("乙", "甲", "中游"),
    ])  # fmt: skip
    report = import_chain(content=content, commit=True, by=officer_a)
    errors = {(error.row, error.column): error.message for error in report.errors}
    assert "在表中重复" in errors[(3, "环节")]
    assert "位置“侧游”不是可选的值" in errors[(4, "位置")]
    assert "“99、X”不存在" in errors[(5, "行业代码")]
    assert "上级环节“电堆”不在表中" in errors[(6, "上级环节")]
    assert "同一位置（上游）" in errors[(7, "位置")]
    assert "不是整数" in errors[(8, "薄弱阈值")]
    assert "循环" in errors[(9, "上级环节")]
    assert report.created == 0
    assert not Chain.objects.exists()


def test_links_the_sheet_no_longer_lists_are_deleted(chain, links, officer_a):
    rows = [row for row in load_workbook(BytesIO(export_chain(chain)))["环节"].iter_rows(min_row=2, values_only=True)
            if row[0] not in ("动力电池", "电芯")]  # fmt: skip
    report = import_chain(content=_workbook(rows, [("产业链名称", "新能源汽车")]), commit=True, by=officer_a)
    assert report.ok, report.errors
    assert report.deleted == 2
    assert set(Link.objects.filter(chain=chain).values_list("name", flat=True)) == {"驱动电机", "整车制造", "充换电"}


def test_a_worked_link_missing_from_the_sheet_refuses_the_whole_import(chain, links, officer_a):
    place(links["cells"], make_enterprise("示范电芯有限公司"))
    rows = [("驱动电机", "", "中游", "", "电机", "", "", 0), ("新环节", "", "下游")]
    report = import_chain(content=_workbook(rows, [("产业链名称", "新能源汽车")]), commit=True, by=officer_a)
    assert [error.message for error in report.errors] == [
        "表中没有环节“动力电池”，但它不能删除：环节“动力电池”已有 1 家确认企业、0 条招商线索，不能删除。请把它保留在表中。"
    ]
    assert Link.objects.filter(chain=chain).count() == 5
    assert not Link.objects.filter(name="新环节").exists()


def test_a_sub_link_moved_out_from_under_a_deleted_parent_stays(chain, links, officer_a):
    rows = [
        ("电芯", "", "上游", "", "电芯"),
        ("驱动电机", "", "中游"),
        ("整车制造", "", "下游"),
        ("充换电", "", "下游"),
    ]
    report = import_chain(content=_workbook(rows, [("产业链名称", "新能源汽车")]), commit=True, by=officer_a)
    assert (report.ok, report.deleted) == (True, 1)
    assert Link.objects.get(chain=chain, name="电芯").parent is None


def test_the_chain_sheet_is_required_and_needs_a_name(city, officer_a):
    workbook = Workbook()
    workbook.active.append(HEADER)
    buffer = BytesIO()
    workbook.save(buffer)
    with pytest.raises(BusinessRuleError, match="缺少“产业链”工作表"):
        import_chain(content=buffer.getvalue(), commit=False, by=officer_a)
    report = import_chain(content=_workbook([("制氢", "", "上游")], [("简介", "无名")]), commit=False, by=officer_a)
    assert [error.message for error in report.errors] == ["“产业链”工作表中请填写产业链名称。"]
    with pytest.raises(BusinessRuleError, match="“环节”工作表中没有环节"):
        import_chain(content=_workbook([]), commit=False, by=officer_a)
    with pytest.raises(BusinessRuleError, match="表头缺少“位置”列"):
        import_chain(content=_workbook([], header=("环节",)), commit=False, by=officer_a)
    with pytest.raises(BusinessRuleError, match="无法读取"):
        import_chain(content=b"not a workbook", commit=False, by=officer_a)


def test_only_keepers_may_import(city, county_admin_a):
    with pytest.raises(BusinessRuleError, match="只有产业链图谱维护人员"):
        import_chain(content=_workbook([("制氢", "", "上游")]), commit=True, by=county_admin_a)


def test_a_stopped_chain_stays_stopped_through_the_sheet(chain, links, officer_a):
    chain.is_active = False
    chain.save()
    import_chain(content=export_chain(chain), commit=True, by=officer_a)
    chain.refresh_from_db()
    assert chain.is_active is False


# --- pages -----------------------------------------------------------------------------------------------------


def _upload(content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile("氢能.xlsx", content)


def test_upload_preview_then_confirm(client_for, officer_a, city):
    client = client_for(officer_a)
    url = reverse("chains:chain_import")
    content = _workbook([("制氢", "", "上游", "26", "制氢"), ("电解槽", "制氢", "上游", "34", "电解槽")])
    response = client.post(url, {"file": _upload(content)})
    assert response.status_code == 200
    page = response.content.decode()
    assert "检查通过：将新建产业链“氢能”" in page
    assert "新增 2 个、更新 0 个、删除 0 个环节" in page
    assert not Chain.objects.exists()
    response = client.post(url, {"confirm": "1"})
    chain = Chain.objects.get(name="氢能")
    assert response.url == reverse("chains:chain_detail", args=[chain.pk])
    assert chain.links.count() == 2


def test_an_upload_with_errors_shows_them_by_row(client_for, officer_a, city):
    content = _workbook([("制氢", "", "侧游")])
    response = client_for(officer_a).post(reverse("chains:chain_import"), {"file": _upload(content)})
    assert "未导入任何数据" in response.content.decode()
    assert "位置“侧游”不是可选的值" in response.content.decode()


@pytest.mark.parametrize("who", ["anonymous", "reader"])
def test_the_import_is_refused_to_non_keepers_and_writes_nothing(client, client_for, county_admin_a, city, who):
    client = client if who == "anonymous" else client_for(county_admin_a)
    response = client.post(reverse("chains:chain_import"), {"file": _upload(_workbook([("制氢", "", "上游")]))})
    assert response.status_code == (302 if who == "anonymous" else 403)
    assert not Chain.objects.exists()


def test_readers_export_a_chain_and_the_export_is_audited(client_for, county_admin_a, chain, links):
    from auditlog.models import LogEntry

    response = client_for(county_admin_a).get(reverse("chains:chain_export", args=[chain.pk]))
    assert response.status_code == 200
    assert "filename*=UTF-8''%E6%96%B0" in response["Content-Disposition"]
    assert load_workbook(BytesIO(response.content))["环节"].max_row == 6
    entry = LogEntry.objects.get(action=LogEntry.Action.ACCESS)
    assert (entry.actor, entry.additional_data["what"]) == (county_admin_a, "导出产业链图谱")


def test_the_seed_chains_round_trip_through_excel(db, officer_a):
    from apps.chains.seed import load_seed_chains

    for chain in load_seed_chains():
        before = _map(chain)
        report = import_chain(content=export_chain(chain), commit=True, by=officer_a)
        assert report.ok, (chain.name, report.errors)
        assert _map(chain) == before
    assert Link.objects.filter(segment=Segment.DOWNSTREAM).exists()
