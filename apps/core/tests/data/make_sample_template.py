"""Builds sample_template.docx beside this file, the Word template of apps/core/tests/test_documents.py.

Run by hand when the sample must change (``PYTHONPATH=. .venv/bin/python apps/core/tests/data/make_sample_template.py``) and
commit the .docx with it: the tests read the committed file, as the platform reads a template an administrator
uploaded. The page and fonts of an official document come from apps/core/official_docx.py.
"""

from pathlib import Path

from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

from apps.core.official_docx import official_document

TARGET = Path(__file__).with_name("sample_template.docx")


def build() -> None:
    document = official_document()
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
