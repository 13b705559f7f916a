"""Builds default.docx beside this file: the bulletin template used for every kind of bulletin until an
administrator uploads one of their own (services/bulletins.py lists the fields it may use).

Run by hand when the default must change and commit the .docx with it:
``PYTHONPATH=. .venv/bin/python apps/assessment/bulletin_templates/make_default.py``. An administrator who
wants another layout downloads this file from the templates page, edits it in Word or LibreOffice and uploads it.
"""

from pathlib import Path

from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from apps.core.official_docx import HEADING_FONT, official_document, set_fonts

TARGET = Path(__file__).with_name("default.docx")
RED = RGBColor(0xC0, 0x00, 0x00)
INDENT = Pt(32)  # two characters of 三号
TABLE_SIZE = Pt(10.5)  # 五号
ANNEX_SIZE = Pt(9)  # 小五: nine items' completion side by side


def build() -> None:
    document = official_document()
    heading = document.styles["Heading 1"]
    set_fonts(heading, HEADING_FONT, "Times New Roman")
    heading.font.size, heading.font.bold, heading.font.color.rgb = Pt(16), False, RGBColor(0, 0, 0)
    heading.paragraph_format.first_line_indent = INDENT
    heading.paragraph_format.space_before, heading.paragraph_format.space_after = Pt(6), Pt(0)
    _masthead(document)
    document.add_paragraph("{{ title }}", style="Title").alignment = WD_ALIGN_PARAGRAPH.CENTER
    _centred(document, "{{ version_note }}", size=Pt(12))
    document.add_paragraph("{{ recipients }}：")
    _paragraphs(document, "summary_paragraphs")
    document.add_paragraph("一、总体情况", style="Heading 1")
    _paragraphs(document, "key_figures")
    document.add_paragraph("{%p if supervision_text %}")
    _indented(document, "{{ supervision_text }}")
    document.add_paragraph("{%p endif %}")
    document.add_paragraph("二、考核排名", style="Heading 1")
    _indented(document, "{{ ranking_intro }}")
    _table(
        document,
        ["名次", "单位", "得分", "扣分", "较上期", "落后序时进度的指标"],
        "rows",
        ["{{ row.rank }}", "{{ row.unit }}", "{{ row.score }}", "{{ row.deducted }}", "{{ row.change }}",
         "{{ row.behind }}"],
        [14, 44, 20, 18, 18, 42],
    )  # fmt: skip
    document.add_paragraph("{%p for chart in completion_charts %}")
    _centred(document, "{{ chart }}")
    document.add_paragraph("{%p endfor %}")
    _centred(document, "{{ trend_chart }}")
    document.add_paragraph("三、表扬与约谈", style="Heading 1")
    _indented(document, "{{ praise_text }}")
    _indented(document, "{{ admonish_text }}")
    _indented(document, "{{ accountability_text }}")
    document.add_paragraph("四、数据更正", style="Heading 1")
    _indented(document, "{{ corrections_text }}")
    document.add_paragraph("{%p if corrections %}")
    _table(
        document,
        ["单位", "指标", "原通报期", "原通报数", "更正数", "更正理由"],
        "corrections",
        ["{{ row.unit }}", "{{ row.metric }}", "{{ row.corrects }}", "{{ row.published }}", "{{ row.corrected }}",
         "{{ row.reason }}"],
        [30, 28, 24, 20, 20, 34],
    )  # fmt: skip
    document.add_paragraph("{%p endif %}")
    document.add_paragraph("{%p if requirements_paragraphs %}")
    document.add_paragraph("五、下一步工作要求", style="Heading 1")
    _paragraphs(document, "requirements_paragraphs")
    document.add_paragraph("{%p endif %}")
    document.add_paragraph()
    document.add_paragraph("{{ issuing_unit }}").alignment = WD_ALIGN_PARAGRAPH.RIGHT
    document.add_paragraph("{{ issued_on }}").alignment = WD_ALIGN_PARAGRAPH.RIGHT
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    document.add_paragraph("附件").runs[0].font.name = HEADING_FONT
    document.add_paragraph("{{ period }}分项指标完成率", style="Title").alignment = WD_ALIGN_PARAGRAPH.CENTER
    _indented(document, "{{ annex_note }}")
    _matrix(document)
    _page_numbers(document)
    document.save(TARGET)


def _masthead(document) -> None:
    """The red masthead (版头): the issuing unit, the 文号 and a red rule."""
    name = document.add_paragraph()
    name.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = name.add_run("{{ issuing_unit }}")
    run.font.size, run.font.bold, run.font.color.rgb = Pt(26), True, RED
    run.font.name = HEADING_FONT
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), HEADING_FONT)
    number = _centred(document, "{{ number }}")
    border = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in {"w:val": "single", "w:sz": "18", "w:space": "6", "w:color": "C00000"}.items():
        bottom.set(qn(key), value)
    border.append(bottom)
    number._p.get_or_add_pPr().append(border)


def _centred(document, text: str, *, size=None):
    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run(text)
    if size is not None:
        run.font.size = size
    return paragraph


def _indented(document, text: str) -> None:
    document.add_paragraph(text).paragraph_format.first_line_indent = INDENT


def _paragraphs(document, name: str) -> None:
    document.add_paragraph(f"{{%p for paragraph in {name} %}}")
    _indented(document, "{{ paragraph }}")
    document.add_paragraph("{%p endfor %}")


def _table(document, headers: list[str], rows: str, cells: list[str], widths_mm: list[float]) -> None:
    table = document.add_table(rows=4, cols=len(headers))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for column, width in zip(table.columns, widths_mm, strict=True):
        column.width = Mm(width)  # the grid, which LibreOffice follows; Word follows the cells'
        for cell in column.cells:
            cell.width = Mm(width)
    for cell, text in zip(table.rows[0].cells, headers, strict=True):
        _cell(cell, text, bold=True)
    table.rows[1].cells[0].text = f"{{%tr for row in {rows} %}}"
    for cell, text in zip(table.rows[2].cells, cells, strict=True):
        _cell(cell, text)
    table.rows[3].cells[0].text = "{%tr endfor %}"
    _row_property(table.rows[0], "w:tblHeader")  # repeated on every page
    _row_property(table.rows[2], "w:cantSplit")  # a unit's row stays on one page


def _matrix(document) -> None:
    """The annex: a row per unit, a column per item (``{%tc %}`` repeats the columns), completion in each cell."""
    table = document.add_table(rows=4, cols=5)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for column, width in zip(table.columns, [11, 29, 2, 12.8, 2], strict=True):
        column.width = Mm(width)
        for cell in column.cells:
            cell.width = Mm(width)
    header = ["名次", "单位", "{%tc for name in annex_items %}", "{{ name }}", "{%tc endfor %}"]
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        _cell(cell, text, bold=True, size=ANNEX_SIZE)
    table.rows[1].cells[0].text = "{%tr for row in annex_rows %}"
    body = ["{{ row.rank }}", "{{ row.unit }}", "{%tc for figure in row.cells %}", "{{ figure }}", "{%tc endfor %}"]
    for cell, text in zip(table.rows[2].cells, body, strict=True):
        _cell(cell, text, size=ANNEX_SIZE)
    table.rows[3].cells[0].text = "{%tr endfor %}"
    _row_property(table.rows[0], "w:tblHeader")
    _row_property(table.rows[2], "w:cantSplit")


def _cell(cell, text: str, *, bold: bool = False, size=TABLE_SIZE) -> None:
    paragraph = cell.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run(text)
    run.font.size, run.font.bold = size, bold


def _row_property(row, name: str) -> None:
    element = OxmlElement(name)
    element.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(element)


def _page_numbers(document) -> None:
    """ "— 1 —" centred in the footer, as GB/T 9704 numbers pages."""
    paragraph = document.sections[0].footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.add_run("— ")
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    text = OxmlElement("w:r")
    value = OxmlElement("w:t")
    value.text = "1"
    text.append(value)
    field.append(text)
    paragraph._p.append(field)
    paragraph.add_run(" —")


if __name__ == "__main__":
    build()
