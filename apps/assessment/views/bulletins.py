"""Bulletin pages: the list, issuing a snapshot's bulletin (or a new version), its progress and downloads, and
the Word templates. The rules: services/bulletins.py."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.assessment import permissions
from apps.assessment.forms.bulletins import BulletinFilterForm, BulletinForm, TemplateUploadForm
from apps.assessment.models import Bulletin, BulletinKind, BulletinTemplate
from apps.assessment.selectors import rankings as selectors
from apps.assessment.services import bulletin_content, bulletins
from apps.core.audit import record_access
from apps.core.errors import BusinessRuleError
from apps.core.exports import xlsx_response
from apps.core.forms import add_rule_error
from apps.core.lists import paginate, query_without_page, wants_export

CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}


def _bulletin(request: HttpRequest, pk: int, permission: str = permissions.VIEW_BULLETIN) -> Bulletin:
    visible = permissions.visible_bulletins(request.user).select_related(
        "snapshot__scheme__unit", "issuing_unit", "requested_by", "supersedes"
    )
    return permissions.get_for_user(visible, request.user, pk, permission=permission)


@login_required
@permission_required(permissions.VIEW_BULLETIN, raise_exception=True)
def bulletin_list(request: HttpRequest) -> HttpResponse:
    schemes = permissions.visible_schemes(request.user).order_by("-year", "group")
    form = BulletinFilterForm(request.GET, schemes=schemes)
    found = permissions.visible_bulletins(request.user).select_related("snapshot__scheme", "issuing_unit")
    if form.is_valid():
        data = form.cleaned_data
        if data["q"]:
            found = found.filter(Q(number__icontains=data["q"]) | Q(title__icontains=data["q"]))
        if data["scheme"]:
            found = found.filter(snapshot__scheme=data["scheme"])
        if data["kind"]:
            found = found.filter(kind=data["kind"])
        if data["status"]:
            found = found.filter(status=data["status"])
    found = found.order_by("-issued_on", "-number", "-version")
    if wants_export(request):
        return _export(request, found)
    context = {
        "form": form,
        "page": paginate(request, found),
        "query": query_without_page(request),
        "can_manage_templates": request.user.has_perm(permissions.MANAGE_TEMPLATE),
    }
    return render(request, "assessment/bulletin_list.html", context)


def _export(request: HttpRequest, found) -> HttpResponse:
    rows = list(found)
    record_access(request.user, by=request.user, what="导出考核通报清单", rows=len(rows))
    headers = [_("文号"), _("版本"), _("标题"), _("通报类别"), _("考核周期"), _("印发单位"), _("印发日期"), _("状态")]
    return xlsx_response(
        _("考核通报"),
        headers,
        (
            [b.number, b.version, b.title, b.get_kind_display(), b.snapshot.label, b.issuing_unit.name, b.issued_on,
             b.get_status_display()]
            for b in rows
        ),
    )  # fmt: skip


@login_required
@permission_required(permissions.ISSUE_BULLETIN, raise_exception=True)
def bulletin_create(request: HttpRequest, pk: int) -> HttpResponse:
    """Issue the bulletin of a snapshot, or a new version of the one in force."""
    snapshot = permissions.get_for_user(
        selectors.visible_snapshots(request.user), request.user, pk, permission=permissions.ISSUE_BULLETIN
    )
    if not permissions.runs(request.user, snapshot.scheme):
        raise PermissionDenied
    try:
        draft = bulletins.draft(snapshot)
    except BusinessRuleError as error:
        messages.error(request, error.message)
        return redirect("assessment:snapshot_detail", pk=snapshot.pk)
    if draft.current is not None and draft.current.is_running:
        messages.info(request, _("这期通报正在生成。"))
        return redirect("assessment:bulletin_detail", pk=draft.current.pk)
    initial = {
        "title": draft.title, "recipients": draft.recipients, "issued_on": draft.issued_on, "summary": draft.summary,
        "requirements": draft.requirements,
    }  # fmt: skip
    form = BulletinForm(request.POST or None, initial=initial, revising=draft.current is not None)
    if request.method == "POST" and form.is_valid():
        try:
            bulletin = bulletins.request_bulletin(snapshot=snapshot, by=request.user, **form.cleaned_data)
        except BusinessRuleError as error:
            add_rule_error(form, error)
        else:
            messages.success(request, _("已提交，正在生成 Word 和 PDF 文件。"))
            return redirect("assessment:bulletin_detail", pk=bulletin.pk)
    context = {"snapshot": snapshot, "draft": draft, "form": form}
    return render(request, "assessment/bulletin_form.html", context)


@login_required
@permission_required(permissions.VIEW_BULLETIN, raise_exception=True)
def bulletin_detail(request: HttpRequest, pk: int) -> HttpResponse:
    bulletin = _bulletin(request, pk)
    runs = permissions.runs(request.user, bulletin.snapshot.scheme)
    context = {
        "bulletin": bulletin,
        "versions": list(
            Bulletin.objects.filter(number=bulletin.number).select_related("requested_by").order_by("-version")
        ),
        "can_issue": runs and request.user.has_perm(permissions.ISSUE_BULLETIN),
    }
    if request.headers.get("HX-Request"):
        return render(request, "assessment/bulletin_detail.html#status", context)
    return render(request, "assessment/bulletin_detail.html", context)


@login_required
@permission_required(permissions.VIEW_BULLETIN, raise_exception=True)
def bulletin_download(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    if fmt not in CONTENT_TYPES:
        raise Http404
    bulletin = _bulletin(request, pk)
    try:
        content = bulletins.issued_file(bulletin, fmt)
    except BusinessRuleError as error:
        messages.error(request, error.message)
        return redirect("assessment:bulletin_detail", pk=bulletin.pk)
    record_access(bulletin, by=request.user, what="下载考核通报", format=fmt, version=bulletin.version)
    suffix = "" if bulletin.version == 1 else _("（第%(version)s版）") % {"version": bulletin.version}
    return _attachment(content, fmt, f"{bulletin.number}{bulletin.title}{suffix}.{fmt}")


def _attachment(content: bytes, fmt: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def bulletin_retry(request: HttpRequest, pk: int) -> HttpResponse:
    bulletin = _bulletin(request, pk, permissions.ISSUE_BULLETIN)
    if not permissions.runs(request.user, bulletin.snapshot.scheme):
        raise PermissionDenied
    try:
        bulletins.retry(bulletin=bulletin, by=request.user)
    except BusinessRuleError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("已重新提交生成。"))
    return redirect("assessment:bulletin_detail", pk=bulletin.pk)


# ---- templates ----


@login_required
@permission_required(permissions.MANAGE_TEMPLATE, raise_exception=True)
def template_list(request: HttpRequest) -> HttpResponse:
    uploaded = {t.kind: t for t in BulletinTemplate.objects.select_related("uploaded_by")}
    kinds = [(value, label, uploaded.get(value)) for value, label in BulletinKind.choices]
    context = {"kinds": kinds, "fields": bulletin_content.FIELDS, "form": TemplateUploadForm()}
    return render(request, "assessment/template_list.html", context)


def _kind(kind: str) -> str:
    if kind not in BulletinKind.values:
        raise Http404
    return kind


@login_required
@permission_required(permissions.MANAGE_TEMPLATE, raise_exception=True)
def template_download(request: HttpRequest, kind: str) -> HttpResponse:
    content, revision = bulletins.template_for(_kind(kind))
    label = BulletinKind(kind).label
    name = _("%(kind)s模板（第%(revision)s版）.docx") % {"kind": label, "revision": revision} if revision else (
        _("%(kind)s模板（默认）.docx") % {"kind": label}
    )  # fmt: skip
    return _attachment(content, "docx", name)


@login_required
@require_POST
@permission_required(permissions.MANAGE_TEMPLATE, raise_exception=True)
def template_upload(request: HttpRequest, kind: str) -> HttpResponse:
    kind = _kind(kind)
    form = TemplateUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("请选择要上传的 Word 模板。"))
        return redirect("assessment:template_list")
    upload = form.cleaned_data["file"]
    if upload.size > bulletins.MAX_TEMPLATE_BYTES:
        messages.error(request, _("模板文件不能超过 10 MB。"))
        return redirect("assessment:template_list")
    try:
        template = bulletins.upload_template(kind=kind, content=upload.read(), filename=upload.name, by=request.user)
    except BusinessRuleError as error:
        messages.error(request, _("模板未采用：%(reason)s") % {"reason": error.message})
    else:
        messages.success(
            request,
            _("已采用新的%(kind)s模板（第%(revision)s版）。")
            % {"kind": template.get_kind_display(), "revision": template.revision},
        )
    return redirect("assessment:template_list")


@login_required
@require_POST
@permission_required(permissions.MANAGE_TEMPLATE, raise_exception=True)
def template_reset(request: HttpRequest, kind: str) -> HttpResponse:
    template = bulletins.reset_template(kind=_kind(kind), by=request.user)
    messages.success(
        request,
        _("%(kind)s已恢复为系统默认模板（第%(revision)s版）。")
        % {"kind": template.get_kind_display(), "revision": template.revision},
    )
    return redirect("assessment:template_list")
