"""Scheme pages: the list, a new scheme, a scheme with its items and every unit's targets (the matrix),
the targets' Excel template and import. The rules: services/schemes.py and services/target_import.py.

Anyone who sees a scheme (permissions.visible_schemes: the unit that runs it, the units it assesses)
reads it; only the 考核管理员 of the unit that runs it (MANAGE_SCHEME and permissions.runs) changes it:
403 for the others, 404 outside the scope.
"""

from dataclasses import dataclass
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.db.models import Count, Q, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.assessment import permissions
from apps.assessment.forms.schemes import ItemForm, SchemeFilterForm, SchemeForm
from apps.assessment.models import PeriodKind, Scheme, SchemeItem, Target
from apps.assessment.services import schemes as services
from apps.assessment.services.target_import import eligible_units, import_targets, template_workbook
from apps.core.audit import record_access
from apps.core.errors import BusinessRuleError
from apps.core.exports import XLSX_CONTENT_TYPE, xlsx_response
from apps.core.forms import add_rule_error
from apps.core.import_views import import_page
from apps.core.lists import paginate, query_without_page, wants_export
from apps.org.models import Unit


def _scheme(request: HttpRequest, pk: int, *, permission: str = permissions.VIEW) -> Scheme:
    queryset = permissions.visible_schemes(request.user).select_related("unit")
    return permissions.get_for_user(queryset, request.user, pk, permission=permission)


def _kept(request: HttpRequest, pk: int) -> Scheme:
    """A scheme the user keeps: 404 outside the scope, 403 for those who only read it."""
    scheme = _scheme(request, pk, permission=permissions.MANAGE_SCHEME)
    permissions.require(permissions.runs(request.user, scheme))
    return scheme


def keeps(user, scheme: Scheme) -> bool:
    return user.has_perm(permissions.MANAGE_SCHEME) and permissions.runs(user, scheme)


# ---- the list -------------------------------------------------------------------------------


@login_required
@permission_required(permissions.VIEW, raise_exception=True)
def scheme_list(request: HttpRequest) -> HttpResponse:
    visible = permissions.visible_schemes(request.user)
    years = visible.order_by("-year").values_list("year", flat=True).distinct()
    form = SchemeFilterForm(request.GET, years=list(years))
    schemes = visible.select_related("unit").annotate(item_count=Count("items"), weight=Sum("items__weight"))
    if form.is_valid():
        if form.cleaned_data["year"]:
            schemes = schemes.filter(year=form.cleaned_data["year"])
        if form.cleaned_data["group"]:
            schemes = schemes.filter(group=form.cleaned_data["group"])
    context = {
        "form": form,
        "page": paginate(request, schemes.order_by("-year", "group")),
        "query": query_without_page(request),
        "can_create": request.user.has_perm(permissions.MANAGE_SCHEME),
    }
    return render(request, "assessment/scheme_list.html", context)


@login_required
@permission_required(permissions.MANAGE_SCHEME, raise_exception=True)
def scheme_create(request: HttpRequest) -> HttpResponse:
    unit = request.user.unit
    permissions.require(unit is not None)
    units = Unit.objects.filter(path__startswith=unit.path, is_active=True).order_by("path")
    initial = {"year": timezone.localdate().year, "unit": unit}
    form = SchemeForm(request.POST or None, units=units, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            scheme = services.create_scheme(by=request.user, **form.cleaned_data)
        except BusinessRuleError as error:
            add_rule_error(form, error)
        else:
            messages.success(request, _("已建立考核方案“%(name)s”，请添加考核项目。") % {"name": scheme.name})
            return redirect("assessment:scheme_detail", pk=scheme.pk)
    return render(request, "assessment/scheme_form.html", {"form": form})


# ---- one scheme -----------------------------------------------------------------------------


@dataclass
class MatrixRow:
    unit: Unit
    cells: list[Target | None]


def _matrix(request: HttpRequest, scheme: Scheme, items: list[SchemeItem]) -> list[MatrixRow]:
    """One row per assessed unit the user sees, one cell per item: three queries whatever the size."""
    targets = list(permissions.visible_targets(request.user).filter(item__scheme=scheme))
    by_id = {item.pk: item for item in items}
    for target in targets:
        target.item = by_id[target.item_id]  # the cell shows the figure by its metric's kind, without a query
    by_cell = {(t.unit_id, t.item_id): t for t in targets}
    condition = Q(pk__in=[t.unit_id for t in targets])
    if permissions.runs(request.user, scheme):
        condition |= Q(pk__in=eligible_units(scheme).values("pk"))  # the units still without a target show too
    units = Unit.objects.filter(condition).order_by("path")
    return [MatrixRow(unit, [by_cell.get((unit.pk, item.pk)) for item in items]) for unit in units]


def _kind_labels(scheme: Scheme) -> str:
    labels = dict(PeriodKind.choices)
    return "、".join(str(labels.get(kind, kind)) for kind in scheme.snapshot_kinds)


@login_required
def scheme_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The scheme, its items (with the form to add one) and the targets matrix (?export=xlsx)."""
    scheme = _scheme(request, pk)
    can_keep = keeps(request.user, scheme)
    if request.method == "POST":
        permissions.require(can_keep)
    items = list(scheme.items.select_related("metric").order_by("order", "pk"))
    rows = _matrix(request, scheme, items)
    if wants_export(request):
        return _export_matrix(request, scheme, items, rows)
    form = None
    is_open = not scheme.snapshots.exists()
    if can_keep and is_open:
        form = ItemForm(request.POST or None, scheme=scheme)
        if request.method == "POST" and form.is_valid():
            try:
                item = services.add_item(scheme=scheme, by=request.user, **form.cleaned_data)
            except BusinessRuleError as error:
                add_rule_error(form, error)
            else:
                messages.success(request, _("已添加考核项目“%(name)s”。") % {"name": item.metric.name})
                return redirect("assessment:scheme_detail", pk=scheme.pk)
    elif request.method == "POST":
        messages.error(request, _("方案已生成考核快照，不能再增删考核项目或修改分值。"))
        return redirect("assessment:scheme_detail", pk=scheme.pk)
    context = {
        "scheme": scheme,
        "kinds": _kind_labels(scheme),
        "items": items,
        "total_weight": sum((item.weight for item in items), start=0),
        "rows": rows,
        "form": form,
        "is_open": is_open,
        "can_keep": can_keep,
        "can_deduct": request.user.has_perm(permissions.RECORD_DEDUCTION) and permissions.runs(request.user, scheme),
        "can_snapshot": request.user.has_perm(permissions.TAKE_SNAPSHOT) and permissions.runs(request.user, scheme),
        "snapshots": permissions.visible_snapshots(request.user).filter(scheme=scheme).order_by("-ends_on", "kind"),
    }
    return render(request, "assessment/scheme_detail.html", context)


def _export_matrix(request: HttpRequest, scheme: Scheme, items: list[SchemeItem], rows: list[MatrixRow]):
    record_access(scheme, by=request.user, what="导出考核目标", rows=len(rows))
    headers = [_("单位代码"), _("单位名称"), *[item.metric.name for item in items]]
    lines = ([row.unit.code, row.unit.name, *[cell.value if cell else None for cell in row.cells]] for row in rows)
    return xlsx_response(_("%(name)s考核目标") % {"name": scheme.name}, headers, lines)


# ---- targets from Excel ---------------------------------------------------------------------


@login_required
def target_template(request: HttpRequest, pk: int) -> HttpResponse:
    """The workbook to fill in: every unit of the scheme's group, one column per item, today's targets."""
    scheme = _kept(request, pk)
    filename = _("%(name)s-目标模板.xlsx") % {"name": scheme.name}
    response = HttpResponse(template_workbook(scheme), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    response["Cache-Control"] = "no-store"
    return response


@login_required
def target_import(request: HttpRequest, pk: int) -> HttpResponse:
    """Upload the filled template: every row checked first; one error and nothing is written."""
    scheme = _kept(request, pk)

    def done(report) -> HttpResponse:
        messages.success(
            request,
            _("已导入 %(rows)s 个单位的 %(targets)s 项考核目标。") % {"rows": report.rows, "targets": report.targets},
        )
        return redirect("assessment:scheme_detail", pk=scheme.pk)

    return import_page(
        request,
        template="assessment/target_import.html",
        context={"scheme": scheme},
        run=lambda content: import_targets(scheme=scheme, content=content, by=request.user),
        done=done,
        label=_("考核目标 Excel 文件（.xlsx）"),
    )
