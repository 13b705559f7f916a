"""Builds sample_template.docx beside this file, the Word template of apps/core/tests/test_documents.py.

Run by hand when the sample must change (``.venv/bin/python apps/core/tests/data/make_sample_template.py``) and
commit the .docx with it: the tests read the committed file, as the platform reads a template an administrator
uploaded. A4 with the margins of GB/T 9704; body text in Noto Serif CJK SC (仿宋 for Word where Noto is absent),
the title in Noto Sans CJK SC (黑体 likewise).
"""

from pathlib import Path

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

TARGET = Path(__file__).with_name("sample_template.docx")


def set_fonts(style, east_asia: str, latin: str) -> None:
    style.font.name = latin
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), east_asia)
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(theme), None)


def add_alternative_fonts(document) -> None:
    # Word on a machine without the Noto fonts substitutes by these alternative names and the GB2312 charset.
    font_table = next(part for part in document.part.package.iter_parts() if part.partname == "/word/fontTable.xml")
    entries = "".join(
        f'<w:font w:name="{name}"><w:altName w:val="{alternative}"/><w:charset w:val="86"/>'
        f'<w:family w:val="{family}"/><w:pitch w:val="variable"/></w:font>'
        for name, alternative, family in [("Noto Serif CJK SC", "仿宋", "roman"), ("Noto Sans CJK SC", "黑体", "swiss")]
    )
    font_table._blob = font_table.blob.replace(b"</w:fonts>", entries.encode() + b"</w:fonts>")


def build() -> None:
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    normal = document.styles["Normal"]
    set_fonts(normal, "Noto Serif CJK SC", "Times New Roman")
    normal.font.size = Pt(16)
    language = OxmlElement("w:lang")
    language.set(qn("w:eastAsia"), "zh-CN")
    normal.element.get_or_add_rPr().append(language)
    title = document.styles["Title"]
    set_fonts(title, "Noto Sans CJK SC", "Times New Roman")
    title.font.size, title.font.bold, title.font.color.rgb = Pt(22), True, RGBColor(0, 0, 0)
    title.element.pPr.remove(title.element.pPr.find(qn("w:pBdr")))  # no blue rule under an official title
    add_alternative_fonts(document)

    document.add_paragraph("{{ title }}", style="Title").alignment = WD_ALIGN_PARAGRAPH.CENTER
    document.add_paragraph("{{ doc_number }}").alignment = WD_ALIGN_PARAGRAPH.CENTER
    body = document.add_paragraph(
        "{{ period }}，全市新签约项目{{ signed_count }}个，协议投资{{ contracted }}亿元。{{ summary }}"
    )
    body.paragraph_format.first_line_indent = Pt(32)
    document.add_paragraph("{{ chart }}").alignment = WD_ALIGN_PARAGRAPH.CENTER
    table = document.add_table(rows=3, cols=3)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, text in zip(table.rows[0].cells, ["排名", "单位", "完成率"], strict=True):
        cell.text = text
    table.rows[1].cells[0].text = "{%tr for row in rows %}"
    for cell, text in zip(table.rows[2].cells, ["{{ row.rank }}", "{{ row.unit }}", "{{ row.rate }}"], strict=True):
        cell.text = text
    table.add_row().cells[0].text = "{%tr endfor %}"
    document.add_paragraph("{{ issuer }}").alignment = WD_ALIGN_PARAGRAPH.RIGHT
    document.add_paragraph("{{ date }}").alignment = WD_ALIGN_PARAGRAPH.RIGHT
    document.save(TARGET)


if __name__ == "__main__":
    build()
