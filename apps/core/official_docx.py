"""The page and type of a Chinese official document (党政机关公文格式, GB/T 9704) for python-docx, used by the
scripts that build the platform's default Word templates.

A4 with the standard's margins; body text in Noto Serif CJK SC at 16 pt (三号, standing in for 仿宋), titles in
Noto Sans CJK SC (for 小标宋/黑体). Word on a machine without the Noto fonts substitutes them by the alternative
names written into the font table, so the document still reads as an official one there.
"""

from docx import Document
from docx.document import Document as DocumentType
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

BODY_FONT = "Noto Serif CJK SC"
HEADING_FONT = "Noto Sans CJK SC"
LATIN_FONT = "Times New Roman"
BODY_SIZE = Pt(16)  # 三号
TITLE_SIZE = Pt(22)  # 二号
ALTERNATIVES = [(BODY_FONT, "仿宋", "roman"), (HEADING_FONT, "黑体", "swiss")]


def official_document() -> DocumentType:
    """A new document with the page, the Normal and Title styles and the font table of an official document."""
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    normal = document.styles["Normal"]
    set_fonts(normal, BODY_FONT, LATIN_FONT)
    normal.font.size = BODY_SIZE
    language = OxmlElement("w:lang")
    language.set(qn("w:eastAsia"), "zh-CN")
    normal.element.get_or_add_rPr().append(language)
    title = document.styles["Title"]
    set_fonts(title, HEADING_FONT, LATIN_FONT)
    title.font.size, title.font.bold, title.font.color.rgb = TITLE_SIZE, True, RGBColor(0, 0, 0)
    title.element.pPr.remove(title.element.pPr.find(qn("w:pBdr")))  # no blue rule under an official title
    _add_alternative_fonts(document)
    return document


def set_fonts(style, east_asia: str, latin: str) -> None:
    """The style's Chinese and Latin fonts, instead of the theme's."""
    style.font.name = latin
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), east_asia)
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(theme), None)


def _add_alternative_fonts(document: DocumentType) -> None:
    font_table = next(part for part in document.part.package.iter_parts() if part.partname == "/word/fontTable.xml")
    entries = "".join(
        f'<w:font w:name="{name}"><w:altName w:val="{alternative}"/><w:charset w:val="86"/>'
        f'<w:family w:val="{family}"/><w:pitch w:val="variable"/></w:font>'
        for name, alternative, family in ALTERNATIVES
    )
    font_table._blob = font_table.blob.replace(b"</w:fonts>", entries.encode() + b"</w:fonts>")
