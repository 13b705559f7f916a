"""KPI pages: the figures with their formulas, a table by unit, the months, and the projects behind each figure."""

from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.core.audit import record_access
from apps.core.exports import xlsx_response
from apps.core.lists import paginate, query_without_page, wants_export
from apps.investment import permissions
from apps.investment.forms.kpis import KpiDrillForm, KpiFilterForm
from apps.investment.selectors.kpis import (
    DRILLS,
    SPECS,
    Kpi,
    UnitRow,
    default_base,
    drill_period,
    drill_totals,
    drilled_projects,
    kpi_scope,
    kpi_units,
    kpis_from,
    monthly,
    scan,
    total,
    unit_breakdown,
    with_amounts,
)

#: the KPIs the per-unit table shows on screen (the export has them all)
TABLE_KEYS = (
    "signed_count", "contracted", "start_rate", "producing_rate", "capacity_rate", "funds_in_place", "funds_rate",
    "share_1yi", "out_of_province", "out_of_province_growth", "days_to_start",
)  # fmt: skip
EXPORT_UNITS = {
    "count": gettext_lazy("个"), "amount": gettext_lazy("万元"), "rate": "%", "growth": "%", "days": gettext_lazy("天"),
}  # fmt: skip
DRILL_HEADERS = (
    gettext_lazy("项目编号"), gettext_lazy("项目名称"), gettext_lazy("投资企业"), gettext_lazy("责任单位"),
    gettext_lazy("项目类型"), gettext_lazy("已确认阶段"), gettext_lazy("签约日期"), gettext_lazy("开工日期"),
    gettext_lazy("投产日期"), gettext_lazy("达产日期"), gettext_lazy("协议投资（万元）"),
    gettext_lazy("此前已统计投资（万元）"), gettext_lazy("计入统计的协议投资（万元）"),
    gettext_lazy("统计期到位资金（万元）"), gettext_lazy("其中省外（万元）"), gettext_lazy("其中外资（万元）"),
    gettext_lazy("签约至开工（天）"),
)  # fmt: skip


def _form(form_class, request: HttpRequest, base):
    """The filter, its units those below the viewer's base unit."""
    return form_class(request.GET or None, units=kpi_units(base), top_depth=base.depth if base is not None else 1)


# ---- the KPI page -------------------------------------------------------------------------


@login_required
@permission_required(permissions.VIEW_KPI, raise_exception=True)
def kpi_dashboard(request: HttpRequest) -> HttpResponse:
    default = default_base(request.user)
    form = _form(KpiFilterForm, request, default)
    period, unit = form.chosen_period(), form.chosen_unit()
    scope = kpi_scope(request.user, unit)
    base = unit or default
    rows, cells = unit_breakdown(scope, period, base) if base is not None else ([], scan(scope, period))
    if wants_export(request):
        return _export_table(request, period.label, rows)
    kpis = kpis_from(total(cells))
    context = {
        "form": form,
        "period": period,
        "unit": base,
        "kpis": list(kpis.values()),
        "table": [_table_row(request, row) for row in rows],
        "columns": [kpis[key] for key in TABLE_KEYS],
        "months": monthly(cells, period),
        "query": query_without_page(request),
    }
    return render(request, "investment/kpi_dashboard.html", context)


def _table_row(request: HttpRequest, row: UnitRow) -> dict:
    query = None
    if row.role == "child":
        params = request.GET.copy()
        for name in ("page", "export", "unit"):
            params.pop(name, None)
        params["unit"] = row.unit.pk
        query = params.urlencode()
    return {"row": row, "cells": [row.kpis[key] for key in TABLE_KEYS], "query": query}


def _export_table(request: HttpRequest, period_label: str, rows: list[UnitRow]) -> HttpResponse:
    record_access(request.user, by=request.user, what="导出招商指标分单位表", period=period_label)
    headers = [_("单位"), *(f"{spec.name}（{EXPORT_UNITS[spec.kind]}）" for spec in SPECS)]
    lines = ([row.label, *(_cell(row.kpis[spec.key]) for spec in SPECS)] for row in rows)
    return xlsx_response(_("招商指标（%(period)s）") % {"period": period_label}, headers, lines)


def _cell(kpi: Kpi):
    if kpi.value is None:
        return None
    if kpi.kind in ("rate", "growth"):
        return round(kpi.value * 100, 1)
    if kpi.kind == "days":
        return round(kpi.value, 1)
    return kpi.value


# ---- the projects behind a KPI ------------------------------------------------------------


@login_required
@permission_required(permissions.VIEW_KPI, raise_exception=True)
def kpi_drilldown(request: HttpRequest, key: str) -> HttpResponse:
    drill = DRILLS.get(key)
    if drill is None:
        raise Http404
    form = _form(KpiDrillForm, request, default_base(request.user))
    period, unit = form.chosen_period(), form.chosen_unit()
    search = form.cleaned_data["q"] if form.is_bound and form.is_valid() else ""
    drilled = drilled_projects(permissions.visible_projects(request.user), period, key, unit=unit, search=search)
    projects = with_amounts(drilled, period, key)
    shown_period = drill_period(period, key)
    if wants_export(request):
        return _export_projects(request, drill, shown_period, projects)
    context = {
        "form": form,
        "drill": drill,
        "period": shown_period,
        "unit": unit,
        "page": paginate(request, projects),
        "totals": drill_totals(drilled, period, key),
        "query": query_without_page(request),
        "back_query": _without(request, "q"),
    }
    return render(request, "investment/kpi_drilldown.html", context)


def _without(request: HttpRequest, *names: str) -> str:
    params = request.GET.copy()
    for name in ("page", "export", *names):
        params.pop(name, None)
    return params.urlencode()


def _export_projects(request: HttpRequest, drill, period, projects) -> HttpResponse:
    rows = list(projects)
    record_access(request.user, by=request.user, what="导出招商指标明细", kpi=drill.key, rows=len(rows))
    lines = (
        (
            p.code,
            p.name,
            p.enterprise.name,
            p.unit.name,
            p.get_kind_display(),
            p.get_counted_stage_display(),
            p.signed_on,
            p.started_on,
            p.producing_on,
            p.at_capacity_on,
            p.contracted_investment,
            p.counted_before,
            p.counted,
            p.period_funds,
            p.period_out_of_province,
            p.period_foreign,
            p.days_to_start.days if p.days_to_start is not None else None,
        )  # fmt: skip
        for p in rows
    )
    title = _("%(drill)s（%(period)s）") % {"drill": drill.title, "period": period.label}
    return xlsx_response(title, [str(header) for header in DRILL_HEADERS], lines)
