"""Builds default.docx beside this file: the 督办通知单 (supervision notice) of a rectification problem
(services/notice.py lists the fields it may use).

Run by hand when the default must change and commit the .docx with it:
``PYTHONPATH=. .venv/bin/python apps/supervision/notice_templates/make_default.py``.
"""

from pathlib import Path

from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from apps.core.official_docx import HEADING_FONT, official_document

TARGET = Path(__file__).with_name("default.docx")
RED = RGBColor(0xC0, 0x00, 0x00)
INDENT = Pt(32)  # two characters of 三号
TABLE_SIZE = Pt(12)  # 小四


def build() -> None:
    document = official_document()
    _masthead(document)
    document.add_paragraph("督办通知单", style="Title").alignment = WD_ALIGN_PARAGRAPH.CENTER
    document.add_paragraph("{{ unit }}：")
    _indented(document, "{{ opening }}")
    _fields(document)
    document.add_paragraph("{%p if milestones %}")
    _indented(document, "整改时间表：")
    _milestones(document)
    document.add_paragraph("{%p endif %}")
    _indented(document, "{{ requirement }}")
    document.add_paragraph()
    document.add_paragraph("{{ issuing_unit }}").alignment = WD_ALIGN_PARAGRAPH.RIGHT
    document.add_paragraph("{{ issued_on }}").alignment = WD_ALIGN_PARAGRAPH.RIGHT
    document.save(TARGET)


def _masthead(document) -> None:
    name = document.add_paragraph()
    name.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = name.add_run("{{ issuing_unit }}")
    run.font.size, run.font.bold, run.font.color.rgb = Pt(26), True, RED
    run.font.name = HEADING_FONT
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), HEADING_FONT)
    number = document.add_paragraph()
    number.alignment = WD_ALIGN_PARAGRAPH.CENTER
    number.add_run("{{ number }}")
    border = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in {"w:val": "single", "w:sz": "18", "w:space": "6", "w:color": "C00000"}.items():
        bottom.set(qn(key), value)
    border.append(bottom)
    number._p.get_or_add_pPr().append(border)


def _indented(document, text: str) -> None:
    document.add_paragraph(text).paragraph_format.first_line_indent = INDENT


def _fields(document) -> None:
    rows = [
        ("问题编号", "{{ code }}"), ("问题", "{{ title }}"), ("具体表现", "{{ description }}"),
        ("问题来源", "{{ source }}"), ("配合单位", "{{ co_units }}"), ("整改措施", "{{ measures }}"),
        ("整改时限", "{{ due_on }}"), ("当前状态", "{{ state }}"),
    ]  # fmt: skip
    table = _table(document, len(rows), [32, 124])
    for row, (label, value) in zip(table.rows, rows, strict=True):
        _cell(row.cells[0], label, bold=True)
        _cell(row.cells[1], value, centred=False)


def _milestones(document) -> None:
    table = _table(document, 4, [14, 86, 28, 28])
    for cell, text in zip(table.rows[0].cells, ["序号", "节点任务", "完成时限", "完成情况"], strict=True):
        _cell(cell, text, bold=True)
    table.rows[1].cells[0].text = "{%tr for row in milestones %}"
    cells = ["{{ row.number }}", "{{ row.title }}", "{{ row.due_on }}", "{{ row.done }}"]
    for cell, text in zip(table.rows[2].cells, cells, strict=True):
        _cell(cell, text)
    table.rows[3].cells[0].text = "{%tr endfor %}"


def _table(document, rows: int, widths_mm: list[float]):
    table = document.add_table(rows=rows, cols=len(widths_mm))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for column, width in zip(table.columns, widths_mm, strict=True):
        column.width = Mm(width)
        for cell in column.cells:
            cell.width = Mm(width)
    return table


def _cell(cell, text: str, *, bold: bool = False, centred: bool = True) -> None:
    paragraph = cell.paragraphs[0]
    if centred:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run(text)
    run.font.size, run.font.bold = TABLE_SIZE, bold


if __name__ == "__main__":
    build()
