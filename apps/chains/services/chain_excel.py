"""One chain ↔ one Excel workbook: the sheet 环节 lists the links (环节/上级环节/位置/行业代码/关键词/说明/薄弱阈值/排序)
in map order, the sheet 产业链 holds the chain's own fields (名称, 简介, 薄弱环节阈值, 启用, 排序).

The workbook is the whole map: importing it creates the chain (or updates the one of that name), creates or updates
each link by its name, and deletes the links the sheet no longer lists — refused, like a delete on the page, while
an enterprise is confirmed on one or a lead came from it. Every row goes through the services of maps.py (the same
rules as the forms) inside one transaction; the preview (``commit=False``) always rolls back, and a commit keeps
everything only when no row has an error. Links are written parents first, whatever the sheet's order.
"""

from dataclasses import dataclass, field
from io import BytesIO
from zipfile import BadZipFile

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font
from openpyxl.utils.exceptions import InvalidFileException

from apps.chains import permissions
from apps.chains.models import Chain, Link, Segment
from apps.chains.services import maps
from apps.chains.services.coverage import chain_coverage
from apps.core.errors import BusinessRuleError
from apps.core.exports import safe_cell
from apps.core.imports import ImportReport, Rollback, RowError
from apps.org.models import User

MAX_ROWS = 500
LINKS_SHEET, CHAIN_SHEET = pgettext_lazy("chain", "环节"), gettext_lazy("产业链")
NAME, PARENT, SEGMENT, CODES, KEYWORDS, DESCRIPTION, THRESHOLD, ORDER = (
    pgettext_lazy("chain", "环节"), gettext_lazy("上级环节"), gettext_lazy("位置"), gettext_lazy("行业代码"),
    gettext_lazy("关键词"), gettext_lazy("说明"), gettext_lazy("薄弱阈值"), gettext_lazy("排序"),
)  # fmt: skip
HEADERS = (NAME, PARENT, SEGMENT, CODES, KEYWORDS, DESCRIPTION, THRESHOLD, ORDER)
ITEM, VALUE = gettext_lazy("项目"), gettext_lazy("内容")
CHAIN_NAME, CHAIN_DESCRIPTION, CHAIN_THRESHOLD, CHAIN_ACTIVE, CHAIN_ORDER = (
    gettext_lazy("产业链名称"), gettext_lazy("简介"), gettext_lazy("薄弱环节阈值"), gettext_lazy("启用"),
    gettext_lazy("排序"),
)  # fmt: skip
#: which column a service's refusal belongs to, by the field it names
FIELD_COLUMNS = {"name": NAME, "parent": PARENT, "segment": SEGMENT, "industry_codes": CODES, "keywords": KEYWORDS,
                 "weak_below": THRESHOLD}  # fmt: skip
YES, NO = gettext_lazy("是"), gettext_lazy("否")


def export_chain(chain: Chain) -> bytes:
    """The chain as a workbook the import reads back unchanged."""
    workbook = Workbook()
    links = workbook.active
    links.title = str(LINKS_SHEET)
    _append_header(links, HEADERS)
    for row in chain_coverage(chain):
        link = row.link
        links.append([safe_cell(value) for value in (
            link.name, link.parent.name if link.parent_id else "", link.get_segment_display(),
            "、".join(link.industry_codes), "、".join(link.keywords), link.description, link.weak_below, link.order,
        )])  # fmt: skip
    links.freeze_panes = "A2"
    fields = workbook.create_sheet(str(CHAIN_SHEET))
    _append_header(fields, (ITEM, VALUE))
    for item, value in (
        (CHAIN_NAME, chain.name), (CHAIN_DESCRIPTION, chain.description), (CHAIN_THRESHOLD, chain.weak_below),
        (CHAIN_ACTIVE, str(YES if chain.is_active else NO)), (CHAIN_ORDER, chain.order),
    ):  # fmt: skip
        fields.append([str(item), safe_cell(value)])
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _append_header(sheet, headers) -> None:
    sheet.append([str(header) for header in headers])
    for cell in sheet[1]:
        cell.font = Font(bold=True)


@dataclass(frozen=True)
class PreviewRow:
    row: int
    action: str
    name: str
    parent: str
    segment: str


@dataclass
class ChainImport(ImportReport):
    chain_name: str = ""
    chain_created: bool = False
    chain_id: int | None = None
    deleted: int = 0
    preview: list[PreviewRow] = field(default_factory=list)


@dataclass
class _LinkRow:
    number: int
    values: dict
    parent: str


def import_chain(*, content: bytes, commit: bool, by: User) -> ChainImport:
    """Check (and with ``commit`` keep) the chain and every link; a workbook with any error writes nothing."""
    if not permissions.can_manage(by):
        raise BusinessRuleError(_("只有产业链图谱维护人员可以导入产业链。"))
    link_sheet, chain_sheet = _sheets(content)
    report = ChainImport()
    chain_values = _chain_values(report, chain_sheet)
    rows = _link_rows(report, link_sheet)
    try:
        with transaction.atomic():
            chain = _save_chain(report, chain_values, by) if chain_values else None
            if chain is not None:
                _save_links(report, chain, rows, by)
            if report.errors or not commit:
                raise Rollback
    except Rollback:
        report.chain_id = None  # nothing was kept
        if report.errors:
            report.created = report.updated = report.deleted = 0
    return report


def _sheets(content: bytes) -> tuple[list[tuple], list[tuple]]:
    try:
        workbook = load_workbook(BytesIO(content), read_only=True, data_only=True)
    except (InvalidFileException, BadZipFile, OSError, KeyError, ValueError) as error:
        raise BusinessRuleError(_("无法读取该文件，请上传 .xlsx 格式的 Excel 文件。")) from error
    names = workbook.sheetnames
    if str(CHAIN_SHEET) not in names:
        raise BusinessRuleError(_("缺少“产业链”工作表，请使用导出的产业链表格。"))
    links = workbook[str(LINKS_SHEET)] if str(LINKS_SHEET) in names else workbook.worksheets[0]
    return list(links.iter_rows(values_only=True)), list(workbook[str(CHAIN_SHEET)].iter_rows(values_only=True))


def _text(value) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return "" if value is None else str(value).strip()


def _number(report: ChainImport, number: int, column, value, *, blank=None) -> int | None:
    text = _text(value)
    if not text:
        return blank
    if text.isdigit():
        return int(text)
    report.errors.append(RowError(number, str(column), _("“%(value)s”不是整数。") % {"value": text}))
    return blank


def _chain_values(report: ChainImport, rows: list[tuple]) -> dict | None:
    cells = {_text(row[0]): (number, row[1] if len(row) > 1 else None) for number, row in enumerate(rows, 1) if row}
    number, name = cells.get(str(CHAIN_NAME), (1, None))
    report.chain_name = _text(name)
    if not report.chain_name:
        report.errors.append(RowError(number, str(CHAIN_SHEET), _("“产业链”工作表中请填写产业链名称。")))
        return None
    active = _text(cells.get(str(CHAIN_ACTIVE), (0, YES))[1])
    threshold_row, threshold = cells.get(str(CHAIN_THRESHOLD), (0, None))
    order_row, order = cells.get(str(CHAIN_ORDER), (0, None))
    return {
        "row": number,
        "name": report.chain_name,
        "description": _text(cells.get(str(CHAIN_DESCRIPTION), (0, ""))[1]),
        "weak_below": _number(report, threshold_row, CHAIN_THRESHOLD, threshold, blank=3),
        "is_active": active != str(NO),
        "order": _number(report, order_row, CHAIN_ORDER, order, blank=0),
    }


def _link_rows(report: ChainImport, sheet: list[tuple]) -> list[_LinkRow]:
    header = [_text(cell) for cell in (sheet[0] if sheet else ())]
    missing = [str(name) for name in (NAME, SEGMENT) if str(name) not in header]
    if missing:
        raise BusinessRuleError(_("表头缺少“%(columns)s”列，请使用导出的表格。") % {"columns": "、".join(missing)})
    rows = [
        (number, dict(zip(header, values, strict=False)))
        for number, values in enumerate(sheet[1:], start=2)
        if any(value not in (None, "") for value in values)
    ]
    if not rows:
        raise BusinessRuleError(_("“环节”工作表中没有环节。"))
    if len(rows) > MAX_ROWS:
        raise BusinessRuleError(_("一条产业链最多 %(n)s 个环节。") % {"n": MAX_ROWS})
    report.rows = len(rows)
    return [row for number, values in rows if (row := _link_row(report, number, values))]


def _link_row(report: ChainImport, number: int, cells: dict) -> _LinkRow | None:
    segments = {str(label): value for value, label in Segment.choices} | {value: value for value in Segment.values}
    segment_text = _text(cells.get(str(SEGMENT)))
    if segment_text not in segments:
        message = _("位置“%(text)s”不是可选的值，请填写：上游、中游、下游。") % {"text": segment_text}
        report.errors.append(RowError(number, str(SEGMENT), message if segment_text else _("请填写位置。")))
        return None
    codes = [code.zfill(2) if code.isdigit() else code for code in maps.split_terms(_text(cells.get(str(CODES))))]
    values = {
        "name": _text(cells.get(str(NAME))),
        "segment": segments[segment_text],
        "industry_codes": codes,
        "keywords": maps.split_terms(_text(cells.get(str(KEYWORDS)))),
        "description": _text(cells.get(str(DESCRIPTION))),
        "weak_below": _number(report, number, THRESHOLD, cells.get(str(THRESHOLD))),
        "order": _number(report, number, ORDER, cells.get(str(ORDER)), blank=number - 1),
    }
    return _LinkRow(number, values, _text(cells.get(str(PARENT))))


def _save_chain(report: ChainImport, values: dict, by: User) -> Chain | None:
    number = values.pop("row")
    chain = Chain.objects.filter(name=values["name"]).first()
    try:
        if chain is None:
            chain = maps.create_chain(**values, by=by)
            report.chain_created = True
        else:
            maps.update_chain(chain=chain, **values, by=by)
    except BusinessRuleError as error:
        report.errors.append(RowError(number, str(CHAIN_SHEET), error.message))
        return None
    report.chain_id = chain.pk
    return chain


def _save_links(report: ChainImport, chain: Chain, rows: list[_LinkRow], by: User) -> None:
    by_name: dict[str, _LinkRow] = {}
    for row in rows:
        name = row.values["name"]
        if name in by_name:
            report.errors.append(RowError(row.number, str(NAME), _("环节“%(name)s”在表中重复。") % {"name": name}))
        elif name:
            by_name[name] = row
    existing = {link.name: link for link in Link.objects.filter(chain=chain)}
    saved: dict[str, Link] = {}
    for row in _parents_first(report, rows, by_name):
        _save_link(report, chain, row, existing.get(row.values["name"]), saved, by)
    _delete_absent(report, chain, [link for name, link in existing.items() if name not in by_name], by)


def _parents_first(report: ChainImport, rows: list[_LinkRow], by_name: dict[str, _LinkRow]) -> list[_LinkRow]:
    """The rows ordered so that each parent comes before its sub-links; unknown parents and cycles are errors."""
    for row in rows:
        if row.parent and row.parent not in by_name:
            message = _("上级环节“%(parent)s”不在表中。") % {"parent": row.parent}
            report.errors.append(RowError(row.number, str(PARENT), message))
    waiting = [row for row in by_name.values() if not row.parent or row.parent in by_name]
    ordered: list[_LinkRow] = []
    placed: set[str] = set()
    while waiting:
        ready = [row for row in waiting if not row.parent or row.parent in placed]
        if not ready:
            for row in waiting:
                report.errors.append(RowError(row.number, str(PARENT), _("上级环节形成了循环。")))
            break
        ordered.extend(ready)
        placed.update(row.values["name"] for row in ready)
        waiting = [row for row in waiting if row not in ready]
    return ordered


def _save_link(report: ChainImport, chain: Chain, row: _LinkRow, link: Link | None, saved: dict, by: User) -> None:
    values = {**row.values, "parent": saved.get(row.parent)}
    if row.parent and values["parent"] is None:
        return  # the parent's own row failed: its error is reported there
    try:
        if link is None:
            link, action = maps.create_link(chain=chain, **values, by=by), _("新增")
            report.created += 1
        else:
            link, action = maps.update_link(link=link, **values, by=by), _("更新")
            report.updated += 1
    except BusinessRuleError as error:
        report.errors.append(RowError(row.number, str(FIELD_COLUMNS.get(error.field, NAME)), error.message))
        return
    saved[link.name] = link
    report.preview.append(PreviewRow(row.number, action, link.name, row.parent, link.get_segment_display()))


def _delete_absent(report: ChainImport, chain: Chain, absent: list[Link], by: User) -> None:
    """Delete the links the sheet no longer lists, the top-most first (their sub-links go with them)."""
    absent_ids = {link.pk for link in absent}
    for link in absent:
        if link.parent_id in absent_ids:
            continue
        gone = 1 + len(maps.descendant_ids(link))
        try:
            maps.delete_link(link=link, by=by)
        except BusinessRuleError as error:
            message = _("表中没有环节“%(name)s”，但它不能删除：%(reason)s请把它保留在表中。")
            report.errors.append(RowError(0, str(NAME), message % {"name": link.name, "reason": error.message}))
            continue
        report.deleted += gone
        report.preview.append(PreviewRow(0, _("删除"), link.name, "", link.get_segment_display()))
