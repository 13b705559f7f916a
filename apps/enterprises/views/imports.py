"""Importing a registry extract: upload, watch the check, read the preview, commit or start over."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRefresh

from apps.core.errors import BusinessRuleError
from apps.core.exports import xlsx_response
from apps.core.lists import paginate
from apps.enterprises import importing, permissions
from apps.enterprises.forms import ImportForm
from apps.enterprises.models import RegistryImport
from apps.enterprises.permissions import get_import_for_user, visible_imports
from apps.enterprises.tasks import check_registry_import

ROWS_PER_PAGE = 100
ROW_FILTERS = ("all", "errors", "create", "possible", "match")


@login_required
@permission_required(permissions.IMPORT, raise_exception=True)
def import_list(request: HttpRequest) -> HttpResponse:
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if request.user.unit is None:
            messages.error(request, _("您的账号不属于任何单位，不能导入。"))
            return redirect("enterprises:import_list")
        with transaction.atomic():
            registry_import = RegistryImport.objects.create(
                unit=request.user.unit, filename=upload.name[:200], content=upload.read(), created_by=request.user
            )
            transaction.on_commit(lambda: check_registry_import.enqueue(registry_import.pk))
        return redirect("enterprises:import_detail", pk=registry_import.pk)
    imports = visible_imports(request.user).defer("content", "rows")
    return render(request, "enterprises/import_list.html", {"form": form, "page": paginate(request, imports)})


@login_required
@permission_required(permissions.IMPORT, raise_exception=True)
def import_template(request: HttpRequest) -> HttpResponse:
    return xlsx_response(_("企业名录导入模板"), importing.HEADERS, importing.template_rows())


@login_required
def import_detail(request: HttpRequest, pk: int) -> HttpResponse:
    registry_import = get_import_for_user(request.user, pk)
    counts = _counts(registry_import.rows)
    shown = request.GET.get("rows", "errors" if counts["errors"] else "all")
    shown = shown if shown in ROW_FILTERS else "all"
    rows = _rows(registry_import.rows, shown)
    context = {
        "registry_import": registry_import,
        "page": paginate(request, rows, per_page=ROWS_PER_PAGE),
        "shown": shown,
        "query": f"rows={shown}",
        "counts": counts,
        "row_filters": [(key, f"{label}（{counts[key]}）") for key, label in _row_filter_labels()],
    }
    if request.htmx and request.htmx.target == "import-progress":
        if not registry_import.is_running:
            return HttpResponseClientRefresh()
        return render(request, "enterprises/import_detail.html#progress", context)
    return render(request, "enterprises/import_detail.html", context)


def _row_filter_labels() -> list[tuple[str, str]]:
    return [
        ("all", _("全部")),
        ("errors", _("有错误")),
        ("create", _("将新增")),
        ("possible", _("可能重复")),
        ("match", _("已有企业")),
    ]


def _rows(rows: list[dict], shown: str) -> list[dict]:
    if shown == "errors":
        return [row for row in rows if row["errors"]]
    if shown == "create":
        return [row for row in rows if not row["errors"] and row["action"] == importing.ACTION_CREATE]
    if shown == "match":
        return [row for row in rows if not row["errors"] and row["action"] == importing.ACTION_MATCH]
    if shown == "possible":
        return [
            row for row in rows if not row["errors"] and row["action"] == importing.ACTION_CREATE and row["possible"]
        ]
    return rows


def _counts(rows: list[dict]) -> dict[str, int]:
    return {name: len(_rows(rows, name)) for name in ROW_FILTERS}


@login_required
@require_POST
def import_commit(request: HttpRequest, pk: int) -> HttpResponse:
    registry_import = get_import_for_user(request.user, pk)
    try:
        with transaction.atomic():
            importing.start_commit(registry_import)
    except BusinessRuleError as error:
        messages.error(request, error.message)
    return redirect("enterprises:import_detail", pk=registry_import.pk)
