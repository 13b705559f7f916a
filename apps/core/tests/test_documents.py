"""The document engine: docxtpl templates to .docx, LibreOffice to PDF, matplotlib charts with Chinese text.

data/sample_template.docx was built once by data/make_sample_template.py (python-docx, run by hand, committed with
its output): a title, a 文号 line, a paragraph of {{ }} fields, a {{ chart }} image paragraph and a table whose
rows come from {%tr for row in rows %}, body text in Noto Serif CJK SC and the title in Noto Sans CJK SC.

Tests that convert to PDF need LibreOffice's soffice. Without it they skip, unless REQUIRE_BROWSER=1 or CI=true
(both set by .ci/run), which turns the skip into a failure: CI installs libreoffice-writer-nogui.
"""

import io
import re
import time
import warnings
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from docx import Document
from docx.shared import Mm
from PIL import Image
from pypdf import PdfReader

from apps.core import charts, documents, office
from apps.core.errors import BusinessRuleError

SAMPLE_TEMPLATE = Path(__file__).parent / "data" / "sample_template.docx"
ROWS = [
    {"rank": 1, "unit": "东城区", "rate": "92.5%"},
    {"rank": 2, "unit": "高新技术产业开发区", "rate": "75.3%"},
    {"rank": 3, "unit": "西城区 & <新区>", "rate": "61.0%"},
]
CONTEXT = {
    "title": "关于十月份招商引资工作的通报",
    "doc_number": "营商考〔2026〕10号",
    "period": "2026年1—10月",
    "signed_count": 128,
    "contracted": "356.8",
    "summary": "东城区、高新区完成序时进度，西城区落后于序时进度。",
    "rows": ROWS,
    "issuer": "市招商引资工作领导小组办公室",
    "date": "2026年11月3日",
}
COMPLETION = [("东城区", 92.5), ("高新技术产业开发区", 75.3), ("西城区", 61.0)]


@pytest.fixture(scope="module")
def sample_docx() -> bytes:
    return documents.render_docx(SAMPLE_TEMPLATE, CONTEXT, {"chart": charts.completion_chart(COMPLETION)})


@pytest.fixture(scope="module")
def sample_pdf(soffice, sample_docx) -> PdfReader:
    return PdfReader(io.BytesIO(documents.docx_to_pdf(sample_docx)))


def template_with(*paragraphs: str) -> bytes:
    document = Document()
    for text in paragraphs:
        document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def one_shot(monkeypatch):
    """No resident office (no Python with UNO), so that conversions start soffice once each, as a fake one can."""
    monkeypatch.setattr(office, "keeper", office.Keeper(python="/nonexistent/python3"))


def fake_soffice(directory: Path, script: str) -> None:
    """An executable ``soffice`` in ``directory``, which becomes the whole PATH."""
    program = directory / "soffice"
    program.write_text("#!/bin/sh\n" + script)
    program.chmod(0o755)


def is_running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"  # a zombie is dead, only not yet reaped (a container's PID 1 may never reap it)


# ---- Word ----------------------------------------------------------------------------------------


def test_rendered_document_has_the_fields_in_their_paragraphs(sample_docx):
    paragraphs = [paragraph.text for paragraph in Document(io.BytesIO(sample_docx)).paragraphs]

    assert paragraphs[:3] == [
        "关于十月份招商引资工作的通报",
        "营商考〔2026〕10号",
        "2026年1—10月，全市新签约项目128个，协议投资356.8亿元。东城区、高新区完成序时进度，西城区落后于序时进度。",
    ]
    assert paragraphs[-2:] == ["市招商引资工作领导小组办公室", "2026年11月3日"]
    assert not any("{" in text or "}" in text for text in paragraphs)


def test_rendered_table_has_a_row_per_item_after_the_header(sample_docx):
    table = Document(io.BytesIO(sample_docx)).tables[0]

    assert [[cell.text for cell in row.cells] for row in table.rows] == [
        ["排名", "单位", "完成率"],
        ["1", "东城区", "92.5%"],
        ["2", "高新技术产业开发区", "75.3%"],
        ["3", "西城区 & <新区>", "61.0%"],  # escaped on the way in, so the XML stays valid
    ]


def test_chart_is_an_inline_image_of_the_requested_width():
    docx = documents.render_docx(
        SAMPLE_TEMPLATE, CONTEXT, {"chart": charts.completion_chart(COMPLETION)}, image_widths_mm={"chart": 120}
    )

    shapes = Document(io.BytesIO(docx)).inline_shapes
    assert len(shapes) == 1
    assert shapes[0].width == Mm(120)


def test_chart_defaults_to_the_type_area_width(sample_docx):
    assert Document(io.BytesIO(sample_docx)).inline_shapes[0].width == Mm(documents.DEFAULT_IMAGE_WIDTH_MM)


def test_template_may_be_given_as_bytes():
    docx = documents.render_docx(SAMPLE_TEMPLATE.read_bytes(), CONTEXT, {"chart": charts.completion_chart(COMPLETION)})

    assert Document(io.BytesIO(docx)).paragraphs[0].text == "关于十月份招商引资工作的通报"


def test_body_keeps_the_templates_chinese_fonts(sample_docx):
    styles = Document(io.BytesIO(sample_docx)).styles
    east_asia = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia"

    assert styles["Normal"].element.rPr.rFonts.get(east_asia) == "Noto Serif CJK SC"
    assert styles["Title"].element.rPr.rFonts.get(east_asia) == "Noto Sans CJK SC"


@pytest.mark.parametrize(
    ("paragraphs", "message"),
    [
        (
            ("标题", "{{ title }", "正文"),
            "模板第 2 处有误：标签写法有误（unexpected '}'）。出错处的文字：“{{ title }正文”",
        ),
        (
            ("标题", "正文", "{% endfor %}"),
            "模板第 3 处有误：不认识的标签“endfor”（拼写有误，或缺少与它对应的开始标签）。出错处的文字：“{% endfor %}”",
        ),
        (
            ("{{ title | 没有这个过滤器 }}",),
            "模板第 1 处有误：标签写法有误（No filter named '没有这个过滤器'.）。"
            "出错处的文字：“{{ title | 没有这个过滤器 }}”",
        ),
        (("{% for row in rows %}{{ row.unit }}", "正文"), "模板有误：标签 {% for %} 没有结束，缺少 {% endfor %}。"),
    ],
)
def test_broken_tag_is_a_business_rule_error_saying_where(paragraphs, message):
    with pytest.raises(BusinessRuleError) as raised:
        documents.render_docx(template_with(*paragraphs), CONTEXT)

    assert raised.value.message == message


def test_field_the_caller_does_not_supply_is_an_error_not_a_blank():
    with pytest.raises(BusinessRuleError) as raised:
        documents.render_docx(template_with("{{ titel }}"), CONTEXT)

    assert raised.value.message == "模板引用了不存在的字段：titel。请检查字段名的拼写。"


def test_file_that_is_not_a_word_document_is_refused():
    with pytest.raises(BusinessRuleError) as raised:
        documents.render_docx(b"%PDF-1.7 not a docx", CONTEXT)

    assert raised.value.message == "模板不是有效的 Word 文档（.docx）。"


def test_image_name_may_not_hide_a_context_value():
    with pytest.raises(ValueError, match="title"):
        documents.render_docx(SAMPLE_TEMPLATE, CONTEXT, {"title": charts.completion_chart(COMPLETION)})


# ---- PDF -----------------------------------------------------------------------------------------


def test_pdf_has_the_title_and_the_table_cells(sample_pdf):
    text = re.sub(r"\s+", "", "".join(page.extract_text() for page in sample_pdf.pages))

    assert "关于十月份招商引资工作的通报" in text
    assert "营商考〔2026〕10号" in text
    assert "3西城区&<新区>61.0%" in text


def test_pdf_embeds_the_cjk_fonts(sample_pdf):
    embedded = set()
    for page in sample_pdf.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = font.get("/FontDescriptor") or font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            if any(key in descriptor.get_object() for key in ("/FontFile", "/FontFile2", "/FontFile3")):
                embedded.add(re.sub(r"^/[A-Z]{6}\+", "", font["/BaseFont"]))  # no subset prefix

    assert any(name.startswith("NotoSerifCJK") for name in embedded), embedded  # body
    assert any(name.startswith("NotoSansCJK") for name in embedded), embedded  # title


def test_pdf_has_the_chart_as_an_image(sample_pdf):
    images = sample_pdf.pages[0].images

    assert len(images) == 1
    assert images[0].image.size == (921, 289)


def test_parallel_conversions_do_not_clash(soffice, sample_docx):
    with ThreadPoolExecutor(max_workers=2) as pool:
        pdfs = list(pool.map(documents.docx_to_pdf, [sample_docx, sample_docx]))

    for pdf in pdfs:
        assert "营商考〔2026〕10号" in re.sub(r"\s+", "", PdfReader(io.BytesIO(pdf)).pages[0].extract_text())


def test_missing_soffice_is_a_clear_error(monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))

    with pytest.raises(documents.PdfConversionError, match="libreoffice-writer-nogui"):
        documents.docx_to_pdf(b"docx")


def test_conversion_that_takes_too_long_is_killed_with_its_children(one_shot, monkeypatch, tmp_path):
    pid_file = tmp_path / "child.pid"
    fake_soffice(tmp_path, f"/bin/sleep 30 &\necho $! > {pid_file}\nwait\n")
    monkeypatch.setenv("PATH", str(tmp_path))
    started = time.monotonic()

    with pytest.raises(documents.PdfConversionError) as raised:
        documents.docx_to_pdf(b"docx", timeout=1)

    assert raised.value.args[0] == "LibreOffice 转换 PDF 超过 1 秒仍未完成，已终止。"
    assert time.monotonic() - started < 10
    child = int(pid_file.read_text())
    for _ in range(50):
        if not is_running(child):
            break
        time.sleep(0.05)
    assert not is_running(child)


@pytest.mark.parametrize(
    ("script", "message"),
    [
        ("echo 'Error: source file could not be loaded' >&2\nexit 1\n", "LibreOffice 转换 PDF 失败（退出码 1）"),
        ("echo 'convert nothing'\nexit 0\n", "LibreOffice 没有生成 PDF：convert nothing"),
    ],
)
def test_failed_conversion_says_what_libreoffice_said(one_shot, monkeypatch, tmp_path, script, message):
    fake_soffice(tmp_path, script)
    monkeypatch.setenv("PATH", str(tmp_path))

    with pytest.raises(documents.PdfConversionError) as raised:
        documents.docx_to_pdf(b"docx")

    assert raised.value.args[0].startswith(message)
    if "exit 1" in script:
        assert raised.value.args[0].endswith("Error: source file could not be loaded")


# ---- charts --------------------------------------------------------------------------------------


def test_completion_chart_is_a_png_as_wide_as_the_type_area_with_a_band_per_unit():
    image = Image.open(io.BytesIO(charts.completion_chart(COMPLETION, title="签约项目完成率", reference=66.7)))

    assert image.format == "PNG"
    # 156 mm at 150 dpi; 25 mm of margins + 3 × 8 mm of bars = 49 mm
    assert image.size == (921, 289)


def test_trend_chart_is_a_png_of_the_requested_size():
    png = charts.trend_chart(["1月", "2月", "3月"], {"东城区": [10, None, 30]}, width_mm=120, height_mm=60)

    image = Image.open(io.BytesIO(png))
    assert image.format == "PNG"
    assert image.size == (709, 354)


def test_charts_are_deterministic_and_carry_no_software_name():
    first = charts.trend_chart(["1月", "2月"], {"东城区": [10, 20], "西城区": [5, 25]}, title="趋势")
    second = charts.trend_chart(["1月", "2月"], {"东城区": [10, 20], "西城区": [5, 25]}, title="趋势")

    assert first == second
    assert "Software" not in Image.open(io.BytesIO(first)).info


def test_chinese_text_finds_its_glyphs():
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # matplotlib warns "Glyph … missing from font(s)" before drawing a box
        charts.completion_chart(COMPLETION, title="签约项目完成率", reference=50.0, reference_label="序时进度")
        charts.trend_chart(["一季度", "二季度"], {"协议投资额": [1.0, 2.0]}, title="协议投资趋势", y_label="亿元")


def test_a_latin_font_would_have_drawn_boxes(monkeypatch):
    """The check above can fail: with DejaVu Sans the same chart warns about missing glyphs."""
    monkeypatch.setattr(charts, "CJK_FONT_FAMILY", "DejaVu Sans")

    with pytest.warns(UserWarning, match="missing from font"):
        charts.completion_chart(COMPLETION, title="签约项目完成率")


def test_completion_figure_labels_each_bar_and_marks_units_behind_the_reference():
    figure = charts.completion_figure(COMPLETION, reference=66.7)
    axes = figure.axes[0]

    assert [label.get_text() for label in axes.get_yticklabels()] == ["东城区", "高新技术产业开发区", "西城区"]
    assert [text.get_text() for text in axes.texts] == ["92.5%", "75.3%", "61.0%"]
    colours = [patch.get_facecolor() for patch in axes.patches]
    assert colours[0] == colours[1] != colours[2]
    assert [list(line.get_xdata()) for line in axes.lines] == [[66.7, 66.7]]
    assert [text.get_text() for text in axes.get_legend().get_texts()] == ["序时进度"]


def test_completion_figure_without_reference_has_no_line_and_no_warning_colour():
    axes = charts.completion_figure(COMPLETION).axes[0]

    assert list(axes.lines) == []
    assert len({patch.get_facecolor() for patch in axes.patches}) == 1


def test_trend_series_must_have_a_point_per_period():
    with pytest.raises(ValueError, match="3 periods"):
        charts.trend_figure(["1月", "2月", "3月"], {"东城区": [1, 2]})


def test_missing_cjk_font_is_a_clear_error():
    with pytest.raises(charts.ChartFontError, match="fonts-noto-cjk"):
        charts.find_cjk_font("Nonexistent CJK Font SC")


def test_several_documents_convert_in_one_run_in_their_order(soffice):
    first, second = (template_with(text) for text in ("第一份文件", "第二份文件"))

    pdfs = documents.docx_to_pdfs([first, second])

    assert ["第一份文件" in PdfReader(io.BytesIO(pdf)).pages[0].extract_text() for pdf in pdfs] == [True, False]
    assert "第二份文件" in PdfReader(io.BytesIO(pdfs[1])).pages[0].extract_text()
