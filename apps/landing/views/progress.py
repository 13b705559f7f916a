"""Construction progress pages: a project's monthly reports and photos, its milestones, the ledger, the charts."""

import mimetypes
from datetime import date, datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.core.audit import record_access
from apps.core.errors import BusinessRuleError
from apps.core.exports import xlsx_response
from apps.core.forms import add_rule_error
from apps.core.lists import paginate, query_without_page, wants_export
from apps.investment.permissions import get_project_for_user
from apps.investment.selectors.projects import area_units
from apps.landing import permissions
from apps.landing.forms.progress import (
    GanttFilterForm,
    LedgerFilterForm,
    MilestonePlanForm,
    MilestoneReachForm,
    PhotoForm,
    ProgressReportForm,
)
from apps.landing.selectors import gantt
from apps.landing.selectors import progress as selectors
from apps.landing.selectors.milestones import project_milestones
from apps.landing.services import milestones as milestone_services
from apps.landing.services import progress as services
from apps.landing.services.progress import OverContractWarning, can_report

GANTT_PAGE_SIZE = 30


def _project(request: HttpRequest, pk: int):
    return get_project_for_user(request.user, pk, action=permissions.VIEW_PROGRESS)


# ---- a project's monthly reports ------------------------------------------------------------


@login_required
def project_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The project's reports, and the form to enter or correct a month (the owning side only)."""
    project = _project(request, pk)
    allowed = can_report(request.user, project)
    if request.method == "POST":
        permissions.require(allowed)
    form = ProgressReportForm(request.POST or None, initial=_initial(project, request)) if allowed else None
    if request.method == "POST" and form.is_valid():
        try:
            report = services.report_progress(project=project, by=request.user, **form.cleaned_data)
        except OverContractWarning as warning:
            add_rule_error(form, warning)
            form.fields["confirm_over"].widget.attrs["class"] += " is-invalid"
        except BusinessRuleError as error:
            add_rule_error(form, error)
        else:
            messages.success(
                request,
                _("已保存 %(month)s 的建设进度，累计完成投资 %(total)s 万元。")
                % {"month": f"{report.month:%Y年%m月}", "total": f"{report.invested_to_date:,.2f}"},
            )
            return redirect("landing:project_progress", pk=project.pk)
    context = {
        "project": project,
        "form": form,
        "photo_form": PhotoForm() if allowed else None,
        "reports": selectors.project_reports(project),
        "share": selectors.share_of(
            project.progress_reports.order_by("-month").values_list("invested_to_date", flat=True).first(),
            project.contracted_investment,
        ),
    }
    return render(request, "landing/progress_project.html", context)


def _initial(project, request: HttpRequest) -> dict:
    """The month asked for (?month=2026-10, to correct it) with what was reported, else last month."""
    month = _month_param(request.GET.get("month")) or selectors.previous_month()
    report = project.progress_reports.filter(month=month).first()
    if report is None:
        return {"month": month}
    return {"month": month, "invested_in_month": report.invested_in_month, "description": report.description}


def _month_param(text: str | None) -> date | None:
    """A ``YYYY-MM`` query parameter as the month's first day, or None when missing or malformed."""
    try:
        return datetime.strptime(text or "", "%Y-%m").date()  # noqa: DTZ007 - a calendar month, no time of day
    except ValueError:
        return None


@login_required
@require_POST
def photo_add(request: HttpRequest, pk: int) -> HttpResponse:
    report = permissions.get_for_user(
        selectors.visible_reports(request.user), request.user, pk, permission=permissions.REPORT_PROGRESS
    )
    permissions.require(can_report(request.user, report.project))
    form = PhotoForm(request.POST, request.FILES)
    try:
        if not form.is_valid():
            raise BusinessRuleError("；".join(e for errors in form.errors.values() for e in errors))
        services.add_photo(report=report, by=request.user, **form.cleaned_data)
    except BusinessRuleError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("已上传 %(month)s 的进度照片。") % {"month": f"{report.month:%Y年%m月}"})
    return redirect("landing:project_progress", pk=report.project_id)


@login_required
def photo_view(request: HttpRequest, pk: int) -> FileResponse:
    """A progress photo, served only to those who see its project (media is never public)."""
    photo = permissions.get_for_user(
        selectors.visible_photos(request.user), request.user, pk, permission=permissions.VIEW_PROGRESS
    )
    name = photo.image.name.rsplit("/", 1)[-1]
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    response = FileResponse(photo.image.open("rb"), content_type=content_type, filename=name)
    response["Cache-Control"] = "private, max-age=3600"
    return response


@login_required
@require_POST
def photo_delete(request: HttpRequest, pk: int) -> HttpResponse:
    photo = permissions.get_for_user(
        selectors.visible_photos(request.user), request.user, pk, permission=permissions.REPORT_PROGRESS
    )
    project_id = photo.report.project_id
    permissions.require(can_report(request.user, photo.report.project))
    services.remove_photo(photo=photo, by=request.user)
    messages.success(request, _("已删除照片。"))
    return redirect("landing:project_progress", pk=project_id)


# ---- milestones -----------------------------------------------------------------------------


@login_required
def project_milestone_plan(request: HttpRequest, pk: int) -> HttpResponse:
    """The work plan's milestones: planned and actual dates, the plan form and the form to reach one."""
    project = _project(request, pk)
    allowed = can_report(request.user, project)
    if request.method == "POST":
        permissions.require(allowed)
    form = _plan_form(project, request.POST or None) if allowed else None
    if request.method == "POST" and form.is_valid():
        try:
            milestone_services.plan_milestones(project=project, planned=form.planned(), by=request.user)
        except BusinessRuleError as error:
            add_rule_error(form, error)
        else:
            messages.success(request, _("已保存节点计划。"))
            return redirect("landing:project_milestones", pk=project.pk)
    return _milestone_page(request, project, form, MilestoneReachForm() if allowed else None)


def _plan_form(project, data=None) -> MilestonePlanForm:
    return MilestonePlanForm(data, initial={m.kind: m.planned_on for m in project.milestones.all()})


def _milestone_page(request: HttpRequest, project, plan_form, reach_form) -> HttpResponse:
    context = {
        "project": project,
        "plan_form": plan_form,
        "reach_form": reach_form,
        "milestones": project_milestones(project),
        "chart": gantt.project_chart(project),
    }
    return render(request, "landing/milestone_plan.html", context)


@login_required
@require_POST
def milestone_reach(request: HttpRequest, pk: int) -> HttpResponse:
    """Reach a milestone: a pipeline stage through the pipeline, 主体完工 on the milestone."""
    project = _project(request, pk)
    permissions.require(can_report(request.user, project))
    form = MilestoneReachForm(request.POST)
    if form.is_valid():
        try:
            reached = milestone_services.reach_milestone(project=project, by=request.user, **form.cleaned_data)
        except BusinessRuleError as error:
            add_rule_error(form, error)
        else:
            _say_reached(request, reached)
            return redirect("landing:project_milestones", pk=project.pk)
    # a refused reach keeps the plan form on the page, as the plan page itself shows it
    return _milestone_page(request, project, _plan_form(project), form)


def _say_reached(request: HttpRequest, reached) -> None:
    values = {"kind": reached.kind.label, "date": f"{reached.happened_on:%Y-%m-%d}"}
    if reached.pending:
        messages.success(request, _("已报送“%(kind)s”（%(date)s），待上级确认后计入统计。") % values)
    else:
        messages.success(request, _("已登记“%(kind)s”（%(date)s）。") % values)


# ---- the monthly ledger ---------------------------------------------------------------------

LEDGER_HEADERS = (
    "项目编号", "项目名称", "投资企业", "责任单位", "阶段", "协议投资（万元）", "月份", "填报情况",
    "当月完成投资（万元）", "累计完成投资（万元）", "累计完成比例（%）", "形象进度",
)  # fmt: skip


@login_required
@permission_required(permissions.VIEW_PROGRESS, raise_exception=True)
def progress_ledger(request: HttpRequest) -> HttpResponse:
    """Every started project in scope with its report of the month (default: last month) or 未填报."""
    form = LedgerFilterForm(request.GET, units=area_units(request.user))
    data = form.cleaned_data if form.is_valid() else {}
    month = data.get("month") or selectors.previous_month()
    projects = selectors.ledger_projects(request.user, month, data)
    if wants_export(request):
        return _export_ledger(request, projects, month)
    context = {
        "form": form,
        "month": month,
        "page": paginate(request, projects),
        "query": query_without_page(request),
        "totals": selectors.ledger_totals(projects),
    }
    return render(request, "landing/progress_ledger.html", context)


def _export_ledger(request: HttpRequest, projects, month) -> HttpResponse:
    record_access(request.user, by=request.user, what="导出建设进度台账", rows=projects.count())
    rows = (
        (
            p.code,
            p.name,
            p.enterprise.name,
            p.unit.name,
            p.get_stage_display(),
            p.contracted_investment,
            f"{month:%Y-%m}",
            _("已填报") if p.reported else _("未填报"),
            p.month_invested,
            p.to_date,
            selectors.share_of(p.to_date, p.contracted_investment),
            p.month_description or "",
        )  # fmt: skip
        for p in projects
    )
    return xlsx_response(_("建设进度台账"), LEDGER_HEADERS, rows)


# ---- 挂图作战 -------------------------------------------------------------------------------


@login_required
@permission_required(permissions.VIEW_PROGRESS, raise_exception=True)
def gantt_chart(request: HttpRequest) -> HttpResponse:
    """The county's projects on one chart for a year, 30 rows a page, printable on A3 landscape."""
    form = GanttFilterForm(request.GET, units=area_units(request.user))
    data = form.cleaned_data if form.is_valid() else {}
    year = data.get("year") or timezone.localdate().year
    page = paginate(request, gantt.chart_projects(request.user, data, year), per_page=GANTT_PAGE_SIZE)
    context = {
        "form": form,
        "year": year,
        "page": page,
        "query": query_without_page(request),
        "chart": gantt.county_chart(page.object_list, year),
    }
    return render(request, "landing/gantt_county.html", context)
