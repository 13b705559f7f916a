"""The resident LibreOffice (apps/core/office.py): reused between conversions, replaced when it dies or hangs,
stopped at exit, and the one-shot ``soffice --convert-to`` whenever it cannot be had.

Each test has a keeper of its own (``office.keeper`` replaced), so that no test inherits another's office.
"""

import io
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from docx import Document

from apps.core import documents, office

TEXT = "关于十月份招商引资工作的通报"


def word_file(text: str = TEXT) -> bytes:
    document = Document()
    document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def pdf_text(pdf: bytes, tmp_path: Path) -> str:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext is missing: install Debian's poppler-utils")
    path = tmp_path / "out.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout  # noqa: S603, S607


def is_running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"


def wait_until_gone(pid: int) -> bool:
    for _ in range(100):
        if not is_running(pid):
            return True
        time.sleep(0.05)
    return False


@pytest.fixture(scope="session")
def uno(soffice) -> None:
    """Debian's Python with python3-uno, which the resident office needs: skipped without it, except in CI."""
    command = [office.UNO_PYTHON, "-I", "-c", "import uno"]
    if not os.path.exists(office.UNO_PYTHON) or subprocess.run(command, capture_output=True, check=False).returncode:  # noqa: S603
        reason = f"{office.UNO_PYTHON} cannot import uno: install Debian's python3-uno (./dev test does it as root)"
        if os.environ.get("REQUIRE_BROWSER") == "1" or os.environ.get("CI", "").lower() in {"1", "true"}:
            pytest.fail(f"REQUIRE_BROWSER=1 or CI but {reason}")
        pytest.skip(reason)


@pytest.fixture
def keeper(uno, monkeypatch):
    """A keeper of the test's own, its office stopped afterwards."""
    own = office.Keeper()
    monkeypatch.setattr(office, "keeper", own)
    yield own
    own.stop()


def test_conversion_goes_through_the_resident_office_and_gives_the_chinese_text(keeper, tmp_path):
    pdf = documents.docx_to_pdf(word_file())

    assert pdf.startswith(b"%PDF-")
    assert TEXT in pdf_text(pdf, tmp_path)
    assert keeper.current() is not None


def test_second_conversion_reuses_the_same_office(keeper, tmp_path):
    documents.docx_to_pdf(word_file("第一份"))
    pid = keeper.current().pid

    pdf = documents.docx_to_pdf(word_file("第二份"))

    assert keeper.current().pid == pid
    assert "第二份" in pdf_text(pdf, tmp_path)


def test_several_documents_convert_in_one_call_in_their_order(keeper, tmp_path):
    pdfs = documents.docx_to_pdfs([word_file("第一份文件"), word_file("第二份文件")])

    assert ["第一份文件" in pdf_text(pdf, tmp_path) for pdf in pdfs] == [True, False]
    assert "第二份文件" in pdf_text(pdfs[1], tmp_path)


def test_office_is_replaced_after_its_share_of_documents(keeper, monkeypatch):
    monkeypatch.setattr(office, "MAX_CONVERSIONS", 2)
    documents.docx_to_pdfs([word_file(), word_file()])
    first = keeper.current().pid

    documents.docx_to_pdf(word_file())

    assert keeper.current().pid != first


def test_killed_office_is_replaced_by_a_fresh_one(keeper, tmp_path):
    documents.docx_to_pdf(word_file())
    killed = keeper.current().pid
    os.killpg(killed, signal.SIGKILL)
    assert wait_until_gone(killed)

    pdf = documents.docx_to_pdf(word_file())

    assert TEXT in pdf_text(pdf, tmp_path)
    assert keeper.current().pid != killed


def test_hung_office_is_killed_and_the_conversion_done_in_a_fresh_one(keeper, tmp_path):
    documents.docx_to_pdf(word_file())
    hung = keeper.current().pid
    os.killpg(hung, signal.SIGSTOP)

    pdf = documents.docx_to_pdf(word_file(), timeout=3)

    assert TEXT in pdf_text(pdf, tmp_path)
    assert keeper.current().pid != hung
    assert wait_until_gone(hung)


def test_document_the_office_cannot_load_leaves_the_office_running(keeper, tmp_path):
    documents.docx_to_pdf(word_file())
    pid = keeper.current().pid

    with pytest.raises(office.DocumentError):
        keeper.convert([(tmp_path / "missing.docx", tmp_path / "out.pdf")], soffice=shutil.which("soffice"), timeout=10)

    assert keeper.current().pid == pid


@pytest.mark.parametrize(
    "python",
    ["/nonexistent/python3", sys.executable],  # no such program; the project's own Python, which has no uno
    ids=["missing", "without-uno"],
)
def test_without_a_resident_office_conversion_starts_soffice_once(soffice, monkeypatch, tmp_path, python):
    own = office.Keeper(python=python)
    monkeypatch.setattr(office, "keeper", own)

    pdf = documents.docx_to_pdf(word_file())

    assert TEXT in pdf_text(pdf, tmp_path)
    assert own.current() is None
    assert own.unavailable
    assert TEXT in pdf_text(documents.docx_to_pdf(word_file()), tmp_path)  # not tried again, still converted


def test_office_that_dies_at_once_fails_after_one_retry(tmp_path):
    own = office.Keeper()
    pairs = [(tmp_path / "document-0.docx", tmp_path / "document-0.pdf")]

    with pytest.raises(office.OfficeError, match="failed twice"):
        own.convert(pairs, soffice="/bin/false", timeout=5)

    assert own.current() is None
    assert not own.unavailable  # a later conversion tries again


def test_office_is_stopped_when_the_process_exits(uno, tmp_path):
    source = tmp_path / "document.docx"
    source.write_bytes(word_file())
    script = (
        "import sys; from pathlib import Path; from apps.core import office; "
        f"office.convert([(Path({str(source)!r}), Path({str(tmp_path / 'document.pdf')!r}))], "
        f"soffice={shutil.which('soffice')!r}, timeout=60); print(office.keeper.current().pid)"
    )

    done = subprocess.run(  # noqa: S603
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, cwd=Path(office.__file__).parents[2]
    )

    assert (tmp_path / "document.pdf").exists()
    assert wait_until_gone(int(done.stdout))
