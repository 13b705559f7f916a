"""The bulletin pages: issuing from a ranking, the progress while the worker makes the files, downloads that are
audited, versions, the list with its filter and export, and the templates page."""

import io
from datetime import date

import pytest
from auditlog.models import LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook

from apps.assessment.models import Bulletin, BulletinTemplate
from apps.assessment.services.periods import period_of
from apps.assessment.services.snapshots import take_snapshot
from apps.core import documents

pytestmark = pytest.mark.django_db


@pytest.fixture
def september(clock, scheme, ranked, keeper):
    ranked()
    return take_snapshot(scheme=scheme, period=period_of("month", date(2026, 9, 1)), by=keeper)


@pytest.fixture(autouse=True)
def without_pdf(monkeypatch):
    monkeypatch.setattr(documents, "docx_to_pdfs", lambda docs, **_: [b"%PDF-1.7 stand-in"] * len(docs))


def form_data(**changes) -> dict:
    return {
        "title": "关于2026年9月县区招商引资考核情况的通报", "recipients": "各县（市、区）人民政府",
        "issued_on": "2026-11-05", "summary": "第一段。\n第二段。", "requirements": "", **changes,
    }  # fmt: skip


@pytest.fixture
def issued(september, client_for, keeper, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client_for(keeper).post(reverse("assessment:bulletin_create", args=[september.pk]), form_data())
    return Bulletin.objects.get()


def test_the_keeper_issues_a_bulletin_from_the_ranking(
    september, client_for, keeper, django_capture_on_commit_callbacks
):
    client = client_for(keeper)
    ranking = client.get(reverse("assessment:snapshot_detail", args=[september.pk])).content.decode()
    url = reverse("assessment:bulletin_create", args=[september.pk])
    assert f'href="{url}"' in ranking

    page = client.get(url).content.decode()
    assert "示招考〔2026〕1号" in page
    assert "东城区位居前列" in page  # the proposed summary

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, form_data())

    bulletin = Bulletin.objects.get()
    assert response.url == reverse("assessment:bulletin_detail", args=[bulletin.pk])
    assert bulletin.status == Bulletin.Status.ISSUED
    detail = client.get(response.url).content.decode()
    assert 'data-testid="bulletin-files"' in detail
    assert reverse("assessment:bulletin_download", args=[bulletin.pk, "docx"]) in detail


def test_a_blank_summary_is_refused_and_nothing_is_queued(september, client_for, keeper):
    response = client_for(keeper).post(
        reverse("assessment:bulletin_create", args=[september.pk]), form_data(summary="")
    )

    assert response.status_code == 200
    assert "这个字段是必填项" in response.content.decode()
    assert not Bulletin.objects.exists()


def test_while_the_worker_runs_the_page_shows_the_progress_and_polls(september, client_for, keeper):
    client = client_for(keeper)
    client.post(reverse("assessment:bulletin_create", args=[september.pk]), form_data())  # not run: no commit
    bulletin = Bulletin.objects.get()
    Bulletin.objects.filter(pk=bulletin.pk).update(progress=50)
    url = reverse("assessment:bulletin_detail", args=[bulletin.pk])

    partial = client.get(url, headers={"HX-Request": "true"}).content.decode()

    assert partial.strip().startswith('<div id="bulletin-status"')
    assert 'hx-trigger="every 1s"' in partial
    assert 'value="50"' in partial


def test_a_download_is_the_issued_file_and_is_audited(issued, client_for, keeper):
    response = client_for(keeper).get(reverse("assessment:bulletin_download", args=[issued.pk, "docx"]))

    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    assert "filename*=utf-8''" in response["Content-Disposition"].lower()
    paragraphs = [p.text for p in Document(io.BytesIO(response.content)).paragraphs]
    assert "示招考〔2026〕1号" in paragraphs
    entry = LogEntry.objects.filter(action=LogEntry.Action.ACCESS).latest("timestamp")
    assert entry.additional_data["what"] == "下载考核通报"


def test_an_assessed_county_reads_the_bulletin_but_may_not_issue(issued, client_for, county_keeper_c, september):
    client = client_for(county_keeper_c)

    assert issued.title in client.get(reverse("assessment:bulletin_list")).content.decode()
    assert client.get(reverse("assessment:bulletin_download", args=[issued.pk, "pdf"])).status_code == 200
    assert client.get(reverse("assessment:bulletin_create", args=[september.pk])).status_code == 403


def test_a_new_version_needs_a_reason_and_supersedes_the_old(
    issued, september, client_for, keeper, django_capture_on_commit_callbacks
):
    client = client_for(keeper)
    url = reverse("assessment:bulletin_create", args=[september.pk])

    refused = client.post(url, form_data())
    assert "这个字段是必填项" in refused.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, form_data(revision_reason="更正南湖区储备项目数"))

    issued.refresh_from_db()
    second = Bulletin.objects.get(version=2)
    assert issued.status == Bulletin.Status.SUPERSEDED
    old_page = client.get(reverse("assessment:bulletin_detail", args=[issued.pk])).content.decode()
    assert 'data-testid="bulletin-superseded"' in old_page
    assert "更正南湖区储备项目数" in old_page  # the version history names the reason
    assert second.number == issued.number


def test_a_failed_bulletin_shows_why_and_can_be_made_again(
    september, client_for, keeper, django_capture_on_commit_callbacks, monkeypatch
):
    client = client_for(keeper)

    def fail(docs, **_):
        raise documents.PdfConversionError("LibreOffice 转换 PDF 超过 60 秒仍未完成，已终止。")

    monkeypatch.setattr(documents, "docx_to_pdfs", fail)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("assessment:bulletin_create", args=[september.pk]), form_data())
    bulletin = Bulletin.objects.get()
    page = client.get(reverse("assessment:bulletin_detail", args=[bulletin.pk])).content.decode()
    assert "生成失败：LibreOffice 转换 PDF 超过 60 秒仍未完成" in page

    monkeypatch.setattr(documents, "docx_to_pdfs", lambda docs, **_: [b"%PDF-1.7 stand-in"] * len(docs))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("assessment:bulletin_retry", args=[bulletin.pk]))
    bulletin.refresh_from_db()
    assert bulletin.status == Bulletin.Status.ISSUED


def test_the_list_filters_and_exports(issued, client_for, keeper):
    client = client_for(keeper)
    url = reverse("assessment:bulletin_list")

    assert issued.title in client.get(url, {"q": "示招考"}).content.decode()
    assert "没有符合条件的通报" in client.get(url, {"q": "不存在"}).content.decode()
    assert "没有符合条件的通报" in client.get(url, {"status": "failed"}).content.decode()
    sheet = load_workbook(io.BytesIO(client.get(url, {"export": "xlsx"}).content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("文号", "版本", "标题")
    assert rows[1][:3] == ("示招考〔2026〕1号", 1, issued.title)


def docx_with(*paragraphs: str) -> SimpleUploadedFile:
    document = Document()
    for text in paragraphs:
        document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return SimpleUploadedFile("通报模板.docx", buffer.getvalue())


def test_the_templates_page_refuses_a_broken_template_and_takes_a_good_one(client_for, keeper, county_keeper_c):
    client = client_for(keeper)
    url = reverse("assessment:template_upload", args=["monthly"])

    page = client.get(reverse("assessment:template_list")).content.decode()
    assert "系统默认模板" in page
    assert "ranking_intro" in page  # the fields are listed
    refused = client.post(url, {"file": docx_with("{{ titel }}")}, follow=True).content.decode()
    assert "模板未采用：模板引用了不存在的字段：titel" in refused
    assert not BulletinTemplate.objects.exists()

    taken = client.post(url, {"file": docx_with("{{ title }}")}, follow=True).content.decode()
    assert "已采用新的月度通报模板（第1版）" in taken
    download = client.get(reverse("assessment:template_download", args=["monthly"]))
    assert [p.text for p in Document(io.BytesIO(download.content)).paragraphs] == ["{{ title }}"]
    assert client_for(county_keeper_c).get(reverse("assessment:template_list")).status_code == 403


def test_an_unknown_kind_of_template_is_not_found(client_for, keeper):
    assert client_for(keeper).get(reverse("assessment:template_download", args=["weekly"])).status_code == 404
