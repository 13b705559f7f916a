"""Importing the project ledger: upload, watch the check, read the preview, commit or start over."""

from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRefresh

from apps.core.audit import record_access
from apps.core.errors import BusinessRuleError
from apps.core.exports import XLSX_CONTENT_TYPE, xlsx_response
from apps.core.lists import paginate, query_without_page, wants_export
from apps.investment import importing, permissions
from apps.investment.forms.imports import ImportFilterForm, LedgerUploadForm

ROWS_PER_PAGE = 100
LIST_HEADERS = ("文件名", "导入单位", "导入人", "上传时间", "行数", "状态", "导入项目数", "导入时间")


@login_required
@permission_required(permissions.IMPORT, raise_exception=True)
def import_list(request: HttpRequest) -> HttpResponse:
    upload_form = LedgerUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and upload_form.is_valid():
        upload = upload_form.cleaned_data["file"]
        try:
            ledger_import = importing.upload_ledger(filename=upload.name, content=upload.read(), by=request.user)
        except BusinessRuleError as error:
            messages.error(request, error.message)
            return redirect("investment:import_list")
        return redirect("investment:import_detail", pk=ledger_import.pk)
    form = ImportFilterForm(request.GET)
    imports = importing.visible_imports(request.user).defer("content", "rows")
    if form.is_valid():
        imports = _filtered(imports, form.cleaned_data)
    if wants_export(request):
        return xlsx_response(_("项目台账导入记录"), LIST_HEADERS, _list_rows(imports))
    context = {
        "upload_form": upload_form,
        "form": form,
        "page": paginate(request, imports),
        "query": query_without_page(request),
    }
    return render(request, "investment/import_list.html", context)


def _filtered(imports: QuerySet, data: dict) -> QuerySet:
    if data.get("q"):
        imports = imports.filter(filename__icontains=data["q"].strip())
    if data.get("status"):
        imports = imports.filter(status=data["status"])
    return imports


def _list_rows(imports: QuerySet):
    for item in imports:
        yield (
            item.filename,
            item.unit.name,
            item.created_by.name,
            timezone.localtime(item.created_at).strftime("%Y-%m-%d %H:%M"),
            item.total_rows,
            item.get_status_display(),
            item.summary.get("projects", "") if item.status == item.Status.COMMITTED else "",
            timezone.localtime(item.committed_at).strftime("%Y-%m-%d %H:%M") if item.committed_at else "",
        )


@login_required
@permission_required(permissions.IMPORT, raise_exception=True)
def import_template(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(importing.template_workbook(), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(_('项目台账导入模板'))}.xlsx"
    return response


@login_required
def import_detail(request: HttpRequest, pk: int) -> HttpResponse:
    ledger_import = importing.get_import_for_user(request.user, pk)
    if wants_export(request) and ledger_import.rows:
        record_access(ledger_import, by=request.user, what="导出台账导入检查结果", rows=len(ledger_import.rows))
        headers = ("行号", *importing.HEADERS, "检查结果")
        return xlsx_response(_("台账检查结果"), headers, importing.report_rows(ledger_import.rows))
    counts = importing.row_counts(ledger_import.rows)
    shown = request.GET.get("rows", "errors" if counts["errors"] else "all")
    shown = shown if shown in importing.ROW_FILTERS else "all"
    context = {
        "ledger_import": ledger_import,
        "page": paginate(request, importing.rows_shown(ledger_import.rows, shown), per_page=ROWS_PER_PAGE),
        "shown": shown,
        "query": f"rows={shown}",
        "counts": counts,
        "row_filters": [(key, f"{label}（{counts[key]}）") for key, label in importing.row_filter_labels()],
    }
    if request.htmx and request.htmx.target == "import-progress":
        if not ledger_import.is_running:
            return HttpResponseClientRefresh()
        return render(request, "investment/import_detail.html#progress", context)
    return render(request, "investment/import_detail.html", context)


@login_required
@require_POST
def import_commit(request: HttpRequest, pk: int) -> HttpResponse:
    ledger_import = importing.get_import_for_user(request.user, pk)
    try:
        importing.start_commit(ledger_import)
    except BusinessRuleError as error:
        messages.error(request, error.message)
    return redirect("investment:import_detail", pk=ledger_import.pk)
