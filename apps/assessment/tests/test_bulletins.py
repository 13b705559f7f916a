"""Bulletins: the number, the wording, the files read back (Word with python-docx, PDF with pypdf), versions
that supersede, failures the issuer sees, templates checked before they are accepted."""

import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from docx import Document
from pypdf import PdfReader

from apps.assessment.models import Bulletin, BulletinTemplate, Target
from apps.assessment.services import bulletin_content, bulletins
from apps.assessment.services.periods import period_of
from apps.assessment.services.snapshots import take_snapshot
from apps.core import documents
from apps.core.errors import BusinessRuleError
from apps.org.models import Unit
from apps.org.tests.factories import make_unit
from apps.supervision.models import SupervisionTask

pytestmark = pytest.mark.django_db

SEPTEMBER = period_of("month", date(2026, 9, 1))
OCTOBER = period_of("month", date(2026, 10, 1))


@pytest.fixture
def september(clock, scheme, ranked, keeper):
    ranked()
    return take_snapshot(scheme=scheme, period=SEPTEMBER, by=keeper)


@pytest.fixture
def without_pdf(monkeypatch):
    """Word only: the PDF step returns a stand-in, for the tests about everything but LibreOffice."""
    monkeypatch.setattr(documents, "docx_to_pdfs", lambda docs, **_: [b"%PDF-1.7 stand-in"] * len(docs))


def issue(snapshot, by, *, capture, **changes):
    wording = bulletins.draft(snapshot)
    fields = {
        "title": wording.title, "recipients": wording.recipients, "summary": wording.summary,
        "requirements": "", "issued_on": date(2026, 11, 5), **changes,
    }  # fmt: skip
    with capture(execute=True):
        bulletin = bulletins.request_bulletin(snapshot=snapshot, by=by, **fields)
    bulletin.refresh_from_db()
    return bulletin


def docx_text(bulletin) -> tuple[list[str], list[list[list[str]]]]:
    with bulletin.docx.open("rb") as handle:
        document = Document(io.BytesIO(handle.read()))
    paragraphs = [p.text for p in document.paragraphs]
    tables = [[[cell.text for cell in row.cells] for row in table.rows] for table in document.tables]
    return paragraphs, tables


def test_the_draft_proposes_the_next_number_a_title_and_a_summary(september):
    draft = bulletins.draft(september, today=date(2026, 11, 5))

    assert draft.number == "示招考〔2026〕1号"
    assert draft.title == "关于2026年9月县区招商引资考核情况的通报"
    assert draft.recipients == "各县（市、区）人民政府，各园区管委会"
    assert draft.summary.startswith("2026年9月，按照《2026年度县区招商引资考核》办法，对3个单位的3项指标")
    assert "东城区位居前列；南湖区排名靠后" in draft.summary


def test_numbers_follow_on_within_a_year_and_start_again_in_the_next(
    september, scheme, keeper, without_pdf, django_capture_on_commit_callbacks
):
    first = issue(september, keeper, capture=django_capture_on_commit_callbacks)
    october = take_snapshot(scheme=scheme, period=OCTOBER)

    assert first.number == "示招考〔2026〕1号"
    assert bulletins.draft(october).number == "示招考〔2026〕2号"
    assert bulletins.next_number(scheme, 2027) == "示招考〔2027〕1号"


def test_an_issued_bulletin_has_the_ranking_in_its_word_file_and_its_hashes(
    september, keeper, without_pdf, django_capture_on_commit_callbacks
):
    bulletin = issue(september, keeper, capture=django_capture_on_commit_callbacks, requirements="一要……\n二要……")

    assert (bulletin.status, bulletin.error) == (Bulletin.Status.ISSUED, "")
    assert bulletin.progress == 100
    assert bulletin.template_revision == 0
    paragraphs, tables = docx_text(bulletin)
    assert "示招考〔2026〕1号" in paragraphs
    assert "关于2026年9月县区招商引资考核情况的通报" in paragraphs
    assert "各县（市、区）人民政府，各园区管委会：" in paragraphs
    assert "对排名前1位的东城区予以通报表扬。" in paragraphs
    assert "对排名后1位的南湖区予以通报批评，并约谈其主要负责同志。" in paragraphs
    assert [p for p in paragraphs if p.startswith(("一要", "二要"))] == ["一要……", "二要……"]
    assert "2026年11月5日" in paragraphs
    ranking = tables[0]
    assert ranking[0] == ["名次", "单位", "得分", "扣分", "较上期", "落后序时进度的指标"]
    assert [row[:3] for row in ranking[1:]] == [
        ["1", "东城区", "84.00"],
        ["2", "西城区", "60.00"],
        ["3", "南湖区", "52.00"],
    ]
    with bulletin.docx.open("rb") as handle:
        assert bulletins.sha256(handle.read()) == bulletin.docx_sha256
    assert bulletins.issued_file(bulletin, "pdf") == b"%PDF-1.7 stand-in"


def test_a_monthly_bulletin_reports_the_months_overdue_supervision_tasks(
    september, keeper, county_a, without_pdf, django_capture_on_commit_callbacks
):
    """A task due on 15 September and still open is overdue by 11 working days at the month's end (16–30
    September); it was reported monthly, and the September report is missing too."""
    SupervisionTask.objects.create(
        code="DB2026-0001", title="推进园区标准厂房建设", content="年内建成标准厂房。", source="instruction",
        document_title="批示件", document_date=date(2026, 8, 1), unit=county_a, supervising_unit=county_a,
        assigned_on=date(2026, 8, 1), due_on=date(2026, 9, 15), cycle="monthly",
    )  # fmt: skip

    paragraphs, _tables = docx_text(issue(september, keeper, capture=django_capture_on_commit_callbacks))

    expected = "本月督办事项逾期1项，其中月底仍未办结1项：东城区1项（最长逾期11个工作日）。未按期报送进展1次。"
    assert expected in paragraphs


def test_without_overdue_tasks_the_bulletin_says_so(september, keeper, without_pdf, django_capture_on_commit_callbacks):
    paragraphs, _tables = docx_text(issue(september, keeper, capture=django_capture_on_commit_callbacks))

    assert "本月无逾期督办事项，各责任单位均按期报送进展。" in paragraphs


def test_key_figures_sum_the_units_and_compare_with_the_time_progress(september):
    material = bulletin_content.gather(september)
    context, images = bulletin_content.document_fields(material, bulletin_content.sample_wording())

    # 重大项目谋划储备数: 12 + 5 + 8 of 10 each; the time-progress at 30 September is 273/365 of the year's target
    assert "重大项目谋划储备数：完成25 个，为年度目标30 个的83.3%，序时进度74.8%。" in context["key_figures"]
    assert "招商政策兑现率：各单位平均80.0%，目标平均100.0%。" in context["key_figures"]
    assert len(images["completion_charts"]) == 1
    assert images["trend_chart"].startswith(b"\x89PNG")


def test_many_units_continue_the_completion_chart(september):
    material = bulletin_content.gather(september)
    many = bulletin_content.Material(
        scheme=material.scheme, period=material.period, items=material.items,
        lines=material.lines * 20, corrections=[], trend_periods=[], trend={},
    )  # fmt: skip

    _context, images = bulletin_content.document_fields(many, bulletin_content.sample_wording())

    assert len(images["completion_charts"]) == 3  # 60 units, 24 to a chart


def test_a_new_version_keeps_the_number_supersedes_the_old_and_says_why(
    september, keeper, without_pdf, django_capture_on_commit_callbacks
):
    first = issue(september, keeper, capture=django_capture_on_commit_callbacks)
    with pytest.raises(BusinessRuleError, match="须填写修订理由"):
        issue(september, keeper, capture=django_capture_on_commit_callbacks)

    second = issue(september, keeper, capture=django_capture_on_commit_callbacks, revision_reason="更正南湖区数据")

    first.refresh_from_db()
    assert (second.number, second.version, second.supersedes) == (first.number, 2, first)
    assert first.status == Bulletin.Status.SUPERSEDED
    assert bulletins.issued_file(first, "docx")  # the old version stays downloadable
    paragraphs, _tables = docx_text(second)
    assert "（第2版，替代2026年11月5日印发的第1版。修订理由：更正南湖区数据）" in paragraphs


def test_a_changed_file_is_refused_at_download(september, keeper, without_pdf, django_capture_on_commit_callbacks):
    bulletin = issue(september, keeper, capture=django_capture_on_commit_callbacks)
    bulletin.pdf.save("tampered.pdf", ContentFile(b"%PDF-1.7 changed"))

    with pytest.raises(BusinessRuleError, match="校验值不符"):
        bulletins.issued_file(bulletin, "pdf")


def test_the_date_may_not_be_before_the_period_ends_and_a_dekad_has_no_bulletin(september, keeper, scheme):
    with pytest.raises(BusinessRuleError, match="不能早于考核周期的截止日（2026年9月30日）"):
        bulletins.request_bulletin(
            snapshot=september, title="t", recipients="r", summary="s", issued_on=date(2026, 9, 29), by=keeper
        )
    dekad = take_snapshot(scheme=scheme, period=period_of("dekad", date(2026, 10, 21)))
    with pytest.raises(BusinessRuleError, match="旬快照不印发通报"):
        bulletins.draft(dekad)
    assert not Bulletin.objects.exists()


def test_a_template_problem_fails_the_bulletin_with_the_reason_and_it_can_be_made_again(
    september, keeper, without_pdf, django_capture_on_commit_callbacks, monkeypatch
):
    broken = template_bytes("{{ titel }}")
    monkeypatch.setattr(bulletins, "template_for", lambda kind: (broken, 0))

    bulletin = issue(september, keeper, capture=django_capture_on_commit_callbacks)

    assert bulletin.status == Bulletin.Status.FAILED
    assert "模板引用了不存在的字段：titel" in bulletin.error
    monkeypatch.undo()
    monkeypatch.setattr(documents, "docx_to_pdfs", lambda docs, **_: [b"%PDF-1.7 stand-in"] * len(docs))
    with django_capture_on_commit_callbacks(execute=True):
        bulletins.retry(bulletin=bulletin, by=keeper)
    bulletin.refresh_from_db()
    assert (bulletin.status, bulletin.error) == (Bulletin.Status.ISSUED, "")


def template_bytes(*paragraphs: str) -> bytes:
    document = Document()
    for text in paragraphs:
        document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_an_uploaded_template_is_tried_first_and_then_used(
    september, keeper, without_pdf, django_capture_on_commit_callbacks
):
    with pytest.raises(BusinessRuleError, match="模板引用了不存在的字段：perod"):
        bulletins.upload_template(kind="monthly", content=template_bytes("{{ perod }}"), filename="t.docx", by=keeper)
    with pytest.raises(BusinessRuleError, match=r"\.docx"):
        bulletins.upload_template(kind="monthly", content=b"x", filename="t.doc", by=keeper)
    assert not BulletinTemplate.objects.exists()

    template = bulletins.upload_template(
        kind="monthly", content=template_bytes("{{ number }} {{ period }}"), filename="mine.docx", by=keeper
    )
    bulletin = issue(september, keeper, capture=django_capture_on_commit_callbacks)

    assert template.revision == 1
    assert bulletin.template_revision == 1
    assert docx_text(bulletin)[0] == ["示招考〔2026〕1号 2026年9月"]
    assert bulletins.reset_template(kind="monthly", by=keeper).revision == 2


def test_the_default_template_uses_only_the_fields_the_bulletin_supplies():
    context, images = bulletin_content.document_fields(
        bulletin_content.sample_material(), bulletin_content.sample_wording()
    )

    assert {name for name, _description in bulletin_content.FIELDS} == set(context) | set(images)
    documents.render_docx(bulletins.DEFAULT_TEMPLATE, context, images)  # raises on any unknown field


def test_the_pdf_has_the_ranking_and_the_charts(soffice, september, keeper, django_capture_on_commit_callbacks):
    bulletin = issue(september, keeper, capture=django_capture_on_commit_callbacks)

    with bulletin.pdf.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    text = "".join(page.extract_text() for page in reader.pages).replace(" ", "").replace("\n", "")
    assert "关于2026年9月县区招商引资考核情况的通报" in text
    assert "1东城区84.00" in text
    assert "3南湖区52.00" in text
    assert sum(len(page.images) for page in reader.pages) >= 2  # completion and trend charts


def test_gathering_the_facts_takes_the_same_queries_for_3_and_6_units_and_more_months(
    september, scheme, city, count_queries, enter
):
    three = count_queries(lambda: bulletin_content.gather(september))
    for n in range(4, 7):
        unit = make_unit(parent=city, name=f"第{n}区", kind=Unit.Kind.COUNTY, code=f"99010{n}")
        for item in scheme.items.all():
            Target.objects.create(item=item, unit=unit, value=Decimal(n))
    october = take_snapshot(scheme=scheme, period=OCTOBER)

    six = count_queries(lambda: bulletin_content.gather(october))

    assert len(bulletin_content.gather(october).lines) == 6
    assert three == six
