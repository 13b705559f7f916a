"""Generated official documents (公文-style bulletins): a Word template filled by docxtpl, then PDF by LibreOffice.

The template is an ordinary .docx that an administrator edits in Word or LibreOffice: ``{{ field }}`` for values,
``{%tr for row in rows %}`` … ``{%tr endfor %}`` rows for tables, ``{{ chart }}`` where an image goes (see
https://docxtpl.readthedocs.io). Because administrators write the tags, a broken tag or a field the caller does
not supply is a ``BusinessRuleError`` in Chinese saying where; silently blank fields in an official document would
be worse than no document.

PDF conversion goes to the LibreOffice that the process keeps running (apps/core/office.py: started on the first
conversion, its own profile and pipe, restarted if it dies or hangs), which saves LibreOffice's start-up (1–2 s)
on every bulletin but a worker's first. When that office cannot be had or fails twice, ``soffice --headless
--convert-to pdf`` runs once in a temporary directory with a user profile of its own, so that conversions in
parallel (several workers, pytest-xdist) do not fight over one profile lock. The fonts come from the server
(Debian's fonts-noto-cjk, see docs/deploy.md), and LibreOffice embeds them in the PDF.
"""

import contextlib
import io
import logging
import os
import re
import shutil
import signal
import subprocess
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any
from zipfile import BadZipFile

from django.utils.translation import gettext as _
from docx.opc.exceptions import PackageNotFoundError
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm
from docxtpl import DocxTemplate, InlineImage
from jinja2 import Environment, StrictUndefined, TemplateError, TemplateSyntaxError, UndefinedError

from apps.core import office
from apps.core.errors import BusinessRuleError

logger = logging.getLogger(__name__)
DEFAULT_IMAGE_WIDTH_MM = 156.0  # the type area of an A4 official document (GB/T 9704)
SOFFICE_NAMES = ("soffice", "libreoffice")
EXCERPT_LENGTH = 40


class PdfConversionError(RuntimeError):
    """LibreOffice is missing, failed, or did not finish in time."""


def render_docx(
    template: bytes | str | os.PathLike,
    context: Mapping[str, Any],
    images: Mapping[str, bytes | Sequence[bytes]] | None = None,
    *,
    image_widths_mm: Mapping[str, float] | None = None,
) -> bytes:
    """The template filled with ``context``; each of ``images`` (PNG/JPEG bytes) is placed where its name is.

    A list of images under one name is a list in the template too (``{%p for chart in charts %}{{ chart }}``).

    An image is ``image_widths_mm[name]`` millimetres wide (``DEFAULT_IMAGE_WIDTH_MM`` when not given), its height
    in proportion. Values are escaped, so ``<`` or ``&`` in a unit's name cannot break the document.
    """
    images = images or {}
    clashes = sorted(set(images) & set(context))
    if clashes:
        raise ValueError(f"names used both as context values and as images: {clashes}")
    document = _open_template(template)
    widths = image_widths_mm or {}
    values = dict(context)
    for name, data in images.items():
        width = Mm(widths.get(name, DEFAULT_IMAGE_WIDTH_MM))
        if isinstance(data, bytes):
            values[name] = InlineImage(document, io.BytesIO(data), width=width)
        else:
            values[name] = [InlineImage(document, io.BytesIO(one), width=width) for one in data]
    try:
        document.render(values, jinja_env=Environment(undefined=StrictUndefined, autoescape=True))
    except TemplateError as exc:
        raise BusinessRuleError(_template_error_message(exc)) from exc
    _fit_grids(document)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def docx_to_pdf(docx: bytes, *, timeout: int = 60) -> bytes:
    """The PDF that LibreOffice makes of ``docx``; PdfConversionError if it is missing, fails or takes too long."""
    return docx_to_pdfs([docx], timeout=timeout)[0]


def docx_to_pdfs(documents: Sequence[bytes], *, timeout: int = 60) -> list[bytes]:
    """The PDFs of several documents, in the process's resident LibreOffice or else one ``soffice`` run for all;
    ``timeout`` seconds for each document."""
    soffice = _find_soffice()
    if not documents:
        return []
    with tempfile.TemporaryDirectory(prefix="yingshang-pdf-") as directory:
        work = Path(directory)
        sources = []
        for n, docx in enumerate(documents):
            sources.append(work / f"document-{n}.docx")
            sources[-1].write_bytes(docx)
        (work / "resident").mkdir()
        results = [work / "resident" / f"{source.stem}.pdf" for source in sources]
        try:
            office.convert(list(zip(sources, results, strict=True)), soffice=soffice, timeout=timeout)
        except office.OfficeError as error:
            logger.warning("converting with a one-shot soffice instead of the resident office: %s", error)
            results = _convert_once(soffice, sources, work, timeout=timeout)
        return [result.read_bytes() for result in results]


def _convert_once(soffice: str, sources: list[Path], work: Path, *, timeout: int) -> list[Path]:
    """The PDFs of ``sources`` from one LibreOffice started for them (1–2 s of start-up) in ``work``."""
    command = [
        soffice,
        f"-env:UserInstallation={(work / 'profile').as_uri()}",
        "--headless",
        "--norestore",
        "--nologo",
        "--nolockcheck",
        "--convert-to",
        "pdf",
        "--outdir",
        str(work / "out"),
        *map(str, sources),
    ]
    stdout, stderr = _run(command, timeout=timeout * max(len(sources), 1), cwd=work)
    results = [work / "out" / f"{source.stem}.pdf" for source in sources]
    if not all(result.exists() for result in results):
        detail = (stderr or stdout).strip()[-500:]
        raise PdfConversionError(_("LibreOffice 没有生成 PDF：%(detail)s") % {"detail": detail or "-"})
    return results


def _fit_grids(document: DocxTemplate) -> None:
    """Columns repeated by ``{%tc for %}`` get a grid squeezed into the template table's width (docxtpl keeps the
    width); LibreOffice lays a table out by its grid, so the grid is rebuilt from the first row's cell widths
    wherever the two disagree: the table grows with its columns, as the cells say."""
    for table in document.docx.element.body.iter(qn("w:tbl")):
        grid, row = table.find(qn("w:tblGrid")), table.find(qn("w:tr"))
        if grid is None or row is None:
            continue
        widths = []
        for cell in row.iter(qn("w:tc")):
            width = cell.find(f"{qn('w:tcPr')}/{qn('w:tcW')}")
            span = cell.find(f"{qn('w:tcPr')}/{qn('w:gridSpan')}")
            if width is None or span is not None:
                widths = []  # merged or unsized cells: leave the grid as the template made it
                break
            widths.append(width.get(qn("w:w")))
        if widths and widths != [column.get(qn("w:w")) for column in grid.findall(qn("w:gridCol"))]:
            for column in grid.findall(qn("w:gridCol")):
                grid.remove(column)
            for width in widths:
                column = OxmlElement("w:gridCol")
                column.set(qn("w:w"), width)
                grid.append(column)


def _open_template(template: bytes | str | os.PathLike) -> DocxTemplate:
    source = io.BytesIO(template) if isinstance(template, bytes) else template
    document = DocxTemplate(source)
    try:
        document.init_docx()
    except (PackageNotFoundError, BadZipFile, KeyError) as exc:
        raise BusinessRuleError(_("模板不是有效的 Word 文档（.docx）。")) from exc
    return document


def _template_error_message(exc: TemplateError) -> str:
    if isinstance(exc, UndefinedError):
        name = re.search(r"'([^']+)' (?:is undefined|has no attribute '([^']+)')", exc.message or "")
        field = (name.group(2) or name.group(1)) if name else exc.message
        return _("模板引用了不存在的字段：%(field)s。请检查字段名的拼写。") % {"field": field}
    if not isinstance(exc, TemplateSyntaxError):
        return _("模板有误：%(problem)s") % {"problem": exc}
    message = exc.message or ""
    unclosed = re.search(r"innermost block that needs to be closed is '([^']+)'", message)
    if message.startswith("Unexpected end of template"):
        # Jinja points at the end of the document here, not at the tag left open: name the tag instead.
        tag = unclosed.group(1) if unclosed else "for"
        return _("模板有误：标签 {%% %(tag)s %%} 没有结束，缺少 {%% end%(tag)s %%}。") % {"tag": tag}
    unknown = re.match(r"Encountered unknown tag '([^']+)'", message)
    if unknown:
        problem = _("不认识的标签“%(tag)s”（拼写有误，或缺少与它对应的开始标签）") % {"tag": unknown.group(1)}
    else:
        problem = _("标签写法有误（%(detail)s）") % {"detail": message}
    return _located(problem, exc)


def _located(problem: str, exc: TemplateSyntaxError) -> str:
    # docxtpl puts each paragraph of the Word part on a line of its own before Jinja reads it, so Jinja's line
    # number is the paragraph's (table cells included; line 1 is the part's opening), and docx_context holds
    # the text of the lines around it.
    lineno = exc.lineno or 0
    context_lines = list(getattr(exc, "docx_context", None) or [])
    index = lineno - 1 - max(lineno - 4, 0)
    excerpt = context_lines[index].strip()[:EXCERPT_LENGTH] if 0 <= index < len(context_lines) else ""
    if lineno < 1:
        return _("模板有误：%(problem)s") % {"problem": problem}
    return _("模板第 %(number)s 处有误：%(problem)s。出错处的文字：“%(excerpt)s”") % {
        "number": max(lineno - 1, 1),
        "problem": problem,
        "excerpt": excerpt,
    }


def _find_soffice() -> str:
    for name in SOFFICE_NAMES:
        path = shutil.which(name)
        if path:
            return path
    raise PdfConversionError(
        _(
            "没有找到 LibreOffice（soffice），无法生成 PDF。请安装 Debian 软件包 libreoffice-writer-nogui（见 docs/deploy.md）。"
        )
    )


def _run(command: list[str], *, timeout: int, cwd: Path) -> tuple[str, str]:
    # soffice is a shell script that starts oosplash, which starts soffice.bin: a session of their own lets a
    # timeout kill all three, not just the script.
    process = subprocess.Popen(  # noqa: S603 - a fixed command; the only variable parts are our own temp paths
        command, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True
    )
    try:
        stdout, stderr = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):  # it may have ended on its own at the last moment
            os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        raise PdfConversionError(
            _("LibreOffice 转换 PDF 超过 %(seconds)s 秒仍未完成，已终止。") % {"seconds": timeout}
        ) from None
    if process.returncode != 0:
        detail = (stderr or stdout).strip()[-500:]
        raise PdfConversionError(
            _("LibreOffice 转换 PDF 失败（退出码 %(code)s）：%(detail)s")
            % {"code": process.returncode, "detail": detail}
        )
    return stdout, stderr
