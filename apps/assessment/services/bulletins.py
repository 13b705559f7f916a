"""Issuing bulletins (印发通报): the monthly bulletin, quarterly analysis, half-year summary and year-end ranking
of a snapshot, as Word and PDF, and the Word templates they are made with.

A bulletin is requested on a page with its wording (title, recipients, summary, requirements, date); the task
worker makes the files (charts, Word, then PDF through LibreOffice, a few seconds) and issues it. Issued files
never change: their SHA-256 is kept and checked on every download. A mistake is put right by a new version
under the same 文号, which supersedes the old one with a reason; both stay downloadable.
"""

import hashlib
import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.assessment.models import Bulletin, BulletinKind, BulletinTemplate, Scheme, Snapshot
from apps.assessment.services import bulletin_content
from apps.core import documents
from apps.core.audit import records_actor
from apps.core.charts import ChartFontError
from apps.core.errors import BusinessRuleError
from apps.core.workdays import chinese_date

logger = logging.getLogger(__name__)

DEFAULT_TEMPLATE = Path(__file__).resolve().parent.parent / "bulletin_templates" / "default.docx"
KIND_BY_PERIOD = {
    "month": BulletinKind.MONTHLY,
    "quarter": BulletinKind.QUARTERLY,
    "half": BulletinKind.HALF_YEAR,
    "year": BulletinKind.YEAR_END,
}
MAX_TEMPLATE_BYTES = 10 * 1024 * 1024
CURRENT = (Bulletin.Status.ISSUED, Bulletin.Status.GENERATING)


@dataclass(frozen=True)
class Draft:
    """What the issue page proposes: the next number and the wording, or the current version's to revise."""

    kind: str
    number: str
    title: str
    recipients: str
    summary: str
    requirements: str
    issued_on: date
    current: Bulletin | None


def kind_for(snapshot: Snapshot) -> str:
    if snapshot.kind not in KIND_BY_PERIOD:
        raise BusinessRuleError(_("旬快照不印发通报，请选择月、季、半年或年度的考核快照。"))
    return KIND_BY_PERIOD[snapshot.kind]


def current_bulletin(snapshot: Snapshot) -> Bulletin | None:
    """The snapshot's bulletin in force (or being made), its latest version."""
    return snapshot.bulletins.filter(status__in=CURRENT).order_by("-version").first()


def draft(snapshot: Snapshot, *, today: date | None = None) -> Draft:
    kind = kind_for(snapshot)
    today = today or timezone.localdate()
    current = current_bulletin(snapshot)
    if current is not None:
        return Draft(
            kind=kind, number=current.number, title=current.title, recipients=current.recipients,
            summary=current.summary, requirements=current.requirements, issued_on=today, current=current,
        )  # fmt: skip
    material = bulletin_content.gather(snapshot)
    return Draft(
        kind=kind, number=next_number(snapshot.scheme, today.year), title=default_title(snapshot, kind),
        recipients=default_recipients(snapshot.scheme), summary=bulletin_content.default_summary(material),
        requirements="", issued_on=today, current=None,
    )  # fmt: skip


def default_title(snapshot: Snapshot, kind: str) -> str:
    scheme = snapshot.scheme
    subject = scheme.name.removeprefix(_("%(year)s年度") % {"year": scheme.year})
    if kind == BulletinKind.QUARTERLY:
        return _("%(period)s%(subject)s情况分析") % {"period": snapshot.label, "subject": subject}
    if kind == BulletinKind.HALF_YEAR:
        return _("%(period)s%(subject)s情况总结") % {"period": snapshot.label, "subject": subject}
    if kind == BulletinKind.YEAR_END:
        return _("关于%(year)s年度%(subject)s结果的通报") % {"year": scheme.year, "subject": subject}
    return _("关于%(period)s%(subject)s情况的通报") % {"period": snapshot.label, "subject": subject}


def default_recipients(scheme: Scheme) -> str:
    if scheme.group == Scheme.Group.DEPARTMENT:
        return _("市直各有关部门")
    return _("各县（市、区）人民政府，各园区管委会")


def number_prefix(scheme: Scheme, year: int) -> str:
    return f"{scheme.bulletin_prefix or _('考核')}〔{year}〕"


def next_number(scheme: Scheme, year: int) -> str:
    """The next 文号 of the scheme's prefix in ``year``: 示招考〔2026〕4号 after 3号 (any scheme's)."""
    prefix = number_prefix(scheme, year)
    taken = Bulletin.objects.filter(number__startswith=prefix).values_list("number", flat=True)
    pattern = re.compile(re.escape(prefix) + r"(\d+)")
    numbers = [int(match.group(1)) for number in taken if (match := pattern.match(number))]
    return _("%(prefix)s%(n)s号") % {"prefix": prefix, "n": max(numbers, default=0) + 1}


@records_actor
@transaction.atomic
def request_bulletin(
    *,
    snapshot: Snapshot,
    title: str,
    recipients: str,
    summary: str,
    requirements: str = "",
    issued_on: date,
    by: AbstractBaseUser,
    revision_reason: str = "",
) -> Bulletin:
    """Queue the bulletin of ``snapshot`` for the worker; a new version if one is in force (with a reason)."""
    kind = kind_for(snapshot)
    Scheme.objects.select_for_update().get(pk=snapshot.scheme_id)  # one number at a time
    if issued_on < snapshot.ends_on:
        raise BusinessRuleError(
            _("印发日期不能早于考核周期的截止日（%(day)s）。") % {"day": chinese_date(snapshot.ends_on)},
            field="issued_on",
        )
    for name, value in (("title", title), ("recipients", recipients), ("summary", summary)):
        if not value.strip():
            raise BusinessRuleError(_("此项不能为空。"), field=name)
    current = current_bulletin(snapshot)
    if current is not None and current.status == Bulletin.Status.GENERATING:
        raise BusinessRuleError(_("这期通报正在生成，请稍候再试。"))
    if current is not None and not revision_reason.strip():
        raise BusinessRuleError(
            _("%(number)s已经印发。发布新版本须填写修订理由。") % {"number": current.number}, field="revision_reason"
        )
    revision = template_revision(kind)
    bulletin = Bulletin.objects.create(
        snapshot=snapshot,
        kind=kind,
        number=current.number if current else next_number(snapshot.scheme, issued_on.year),
        title=title.strip(),
        recipients=recipients.strip(),
        issued_on=issued_on,
        issuing_unit=snapshot.scheme.unit,
        summary=summary.strip(),
        requirements=requirements.strip(),
        version=current.version + 1 if current else 1,
        supersedes=current,
        revision_reason=revision_reason.strip() if current else "",
        template_revision=revision,
        requested_by=by,
    )
    _enqueue(bulletin)
    return bulletin


@records_actor
@transaction.atomic
def retry(*, bulletin: Bulletin, by: AbstractBaseUser) -> Bulletin:
    """Make a bulletin whose generation failed again (e.g. after the template was fixed)."""
    if bulletin.status != Bulletin.Status.FAILED:
        raise BusinessRuleError(_("只有生成失败的通报可以重新生成。"))
    bulletin.template_revision = template_revision(bulletin.kind)
    bulletin.status, bulletin.error, bulletin.progress = Bulletin.Status.GENERATING, "", 0
    bulletin.save(update_fields=["status", "error", "progress", "template_revision"])
    _enqueue(bulletin)
    return bulletin


def _enqueue(bulletin: Bulletin) -> None:
    from apps.assessment.tasks import generate_bulletin

    transaction.on_commit(lambda: generate_bulletin.enqueue(bulletin.pk))


def generate(bulletin: Bulletin) -> Bulletin:
    """Make the files of a requested bulletin and issue it (the worker's part). A template or conversion
    problem marks it failed with the reason, for the issuer to see; anything else is logged and re-raised."""
    generate_all([bulletin])
    return bulletin


def generate_all(requested: list[Bulletin]) -> None:
    """``generate`` for several bulletins, their PDFs made in one LibreOffice run (e.g. the demo's)."""
    words: list[tuple[Bulletin, bytes]] = []
    with _failing_on_errors(requested):
        for bulletin in requested:
            words.append((bulletin, render_word(bulletin)))
    if not words:
        return
    made = [bulletin for bulletin, _docx in words]
    with _failing_on_errors(made):
        pdfs = documents.docx_to_pdfs([docx for _bulletin, docx in words])
        for (bulletin, docx), pdf in zip(words, pdfs, strict=True):
            _issue(bulletin, docx, pdf)


@contextmanager
def _failing_on_errors(requested: list[Bulletin]) -> Iterator[None]:
    try:
        yield
    except (BusinessRuleError, documents.PdfConversionError, ChartFontError) as error:
        for bulletin in requested:
            if bulletin.status == Bulletin.Status.GENERATING:
                _fail(bulletin, getattr(error, "message", None) or str(error))
    except Exception:
        logger.exception("bulletins %s failed", [bulletin.pk for bulletin in requested])
        for bulletin in requested:
            if bulletin.status == Bulletin.Status.GENERATING:
                _fail(bulletin, _("生成时发生系统错误，已记录。请稍后重新生成，或联系系统管理员。"))
        raise


def render_word(bulletin: Bulletin) -> bytes:
    """The bulletin's Word file from its snapshot, its wording and the current template, progress saved."""
    _progress(bulletin, 10)
    material = bulletin_content.gather(bulletin.snapshot)
    context, images = bulletin_content.document_fields(material, wording(bulletin))
    _progress(bulletin, 35)
    template, bulletin.template_revision = template_for(bulletin.kind)
    docx = documents.render_docx(template, context, images)
    _progress(bulletin, 50)
    return docx


def wording(bulletin: Bulletin) -> bulletin_content.Wording:
    note = ""
    if bulletin.supersedes_id:
        note = _("（第%(version)s版，替代%(date)s印发的第%(previous)s版。修订理由：%(reason)s）") % {
            "version": bulletin.version,
            "date": chinese_date(bulletin.supersedes.issued_on),
            "previous": bulletin.supersedes.version,
            "reason": bulletin.revision_reason,
        }
    return bulletin_content.Wording(
        issuing_unit=bulletin.issuing_unit.name, number=bulletin.number, title=bulletin.title,
        recipients=bulletin.recipients, issued_on=chinese_date(bulletin.issued_on), summary=bulletin.summary,
        requirements=bulletin.requirements, version_note=note,
    )  # fmt: skip


def _progress(bulletin: Bulletin, percent: int) -> None:
    bulletin.progress = percent
    Bulletin.objects.filter(pk=bulletin.pk).update(progress=percent)


def _fail(bulletin: Bulletin, message: str) -> None:
    bulletin.status, bulletin.error = Bulletin.Status.FAILED, message
    bulletin.save(update_fields=["status", "error"])


@transaction.atomic
def _issue(bulletin: Bulletin, docx: bytes, pdf: bytes) -> None:
    stem = f"bulletin-{bulletin.pk}-v{bulletin.version}"
    bulletin.docx.save(f"{stem}.docx", ContentFile(docx), save=False)
    bulletin.pdf.save(f"{stem}.pdf", ContentFile(pdf), save=False)
    bulletin.docx_sha256, bulletin.pdf_sha256 = sha256(docx), sha256(pdf)
    bulletin.status, bulletin.progress, bulletin.issued_at = Bulletin.Status.ISSUED, 100, timezone.now()
    bulletin.save()
    if bulletin.supersedes_id:
        Bulletin.objects.filter(pk=bulletin.supersedes_id).update(status=Bulletin.Status.SUPERSEDED)


def sha256(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def issued_file(bulletin: Bulletin, fmt: str) -> bytes:
    """The issued Word or PDF file, after checking it is byte for byte the one issued."""
    if bulletin.status not in (Bulletin.Status.ISSUED, Bulletin.Status.SUPERSEDED):
        raise BusinessRuleError(_("通报尚未印发，没有可下载的文件。"))
    stored, expected = (bulletin.docx, bulletin.docx_sha256) if fmt == "docx" else (bulletin.pdf, bulletin.pdf_sha256)
    with stored.open("rb") as handle:
        content = handle.read()
    if sha256(content) != expected:
        logger.error("bulletin %s: the stored %s does not match its SHA-256", bulletin.pk, fmt)
        raise BusinessRuleError(_("存档文件与印发时的校验值不符，可能已被改动，已停止下载。请联系系统管理员。"))
    return content


# ---- templates ----


def template_for(kind: str) -> tuple[bytes, int]:
    """The Word template of ``kind`` and its revision: the uploaded one, or the platform's default (0)."""
    uploaded = BulletinTemplate.objects.filter(kind=kind).first()
    if uploaded is None:
        return DEFAULT_TEMPLATE.read_bytes(), 0
    with uploaded.file.open("rb") as handle:
        return handle.read(), uploaded.revision


def template_revision(kind: str) -> int:
    return BulletinTemplate.objects.filter(kind=kind).values_list("revision", flat=True).first() or 0


@records_actor
@transaction.atomic
def upload_template(*, kind: str, content: bytes, filename: str, by: AbstractBaseUser) -> BulletinTemplate:
    """Accept a template only if it makes a document from the sample facts: a misspelt field or a broken tag is
    refused here, with where it is, rather than when a bulletin is due."""
    if kind not in BulletinKind.values:
        raise BusinessRuleError(_("通报类别不正确。"), field="kind")
    if not filename.lower().endswith(".docx"):
        raise BusinessRuleError(_("请上传 Word 文档（.docx）。旧版 .doc 请先在 Word 中另存为 .docx。"), field="file")
    if len(content) > MAX_TEMPLATE_BYTES:
        raise BusinessRuleError(_("模板文件不能超过 10 MB。"), field="file")
    context, images = bulletin_content.document_fields(
        bulletin_content.sample_material(), bulletin_content.sample_wording()
    )
    try:
        documents.render_docx(content, context, images)
    except BusinessRuleError as error:
        raise BusinessRuleError(error.message, field="file") from error
    template = BulletinTemplate.objects.select_for_update().filter(kind=kind).first()
    if template is None:
        template = BulletinTemplate(kind=kind, revision=0)
    template.revision += 1
    template.uploaded_by = by
    template.file.save(f"bulletin-{kind}-r{template.revision}.docx", ContentFile(content), save=False)
    template.save()
    return template


def reset_template(*, kind: str, by: AbstractBaseUser) -> BulletinTemplate:
    """Go back to the platform's default layout for ``kind``, as a new revision (bulletins name the revision
    they were made with, so revisions only ever go up)."""
    return upload_template(kind=kind, content=DEFAULT_TEMPLATE.read_bytes(), filename=DEFAULT_TEMPLATE.name, by=by)
