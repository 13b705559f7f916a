"""Supervision tasks' pages: the ledger with its export, a task with its reports, missing periods and history, the
office's form and moves, the unit's report and closure request, the month's overdue list, and the downloads.

Viewing needs VIEW_PROBLEM within the scope (permissions.visible_tasks: 404 outside it). The supervising office
assigns, corrects, closes and returns; the responsible unit reports and asks for closure (services/tasks.py).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.audit import record_access
from apps.core.errors import BusinessRuleError
from apps.core.exports import xlsx_response
from apps.core.forms import add_rule_error
from apps.core.lists import paginate, query_without_page, wants_export
from apps.supervision import permissions, task_selectors
from apps.supervision.models import ProgressReport, SupervisionTask
from apps.supervision.services import task_periods
from apps.supervision.services import tasks as services
from apps.supervision.services.deadlines import LABELS, Thresholds
from apps.supervision.task_forms import (
    CloseForm,
    MonthForm,
    ReportForm,
    RequestCloseForm,
    ReturnForm,
    TaskFilterForm,
    TaskForm,
)


def _task(request: HttpRequest, pk: int) -> SupervisionTask:
    queryset = permissions.visible_tasks(request.user).select_related(
        "unit", "supervising_unit", "created_by", "closed_by"
    )
    return permissions.get_task_for_user(request.user, pk, queryset=queryset)


@login_required
@permission_required(permissions.VIEW_PROBLEM, raise_exception=True)
def task_list(request: HttpRequest) -> HttpResponse:
    form = TaskFilterForm(request.GET, units=task_selectors.task_units(request.user))
    thresholds = Thresholds.on(timezone.localdate())
    tasks = task_selectors.list_tasks(request.user)
    if form.is_valid():
        tasks = task_selectors.filter_tasks(tasks, form.cleaned_data, thresholds)
    if wants_export(request):
        rows = task_selectors.task_rows(tasks, thresholds)
        record_access(request.user, by=request.user, what="导出督办事项台账", rows=len(rows))
        return xlsx_response(_("督办事项台账"), task_selectors.TASK_HEADERS, rows)
    page = paginate(request, tasks)
    page.object_list = task_selectors.with_state(page.object_list, thresholds)
    context = {
        "form": form,
        "page": page,
        "query": query_without_page(request),
        "can_manage": permissions.can_manage(request.user),
    }
    return render(request, "supervision/task_list.html", context)


@login_required
def task_detail(request: HttpRequest, pk: int) -> HttpResponse:
    task = _task(request, pk)
    user = request.user
    today = timezone.localdate()
    reports = list(task.reports.select_related("filed_by"))
    light = task_periods.light(task, Thresholds.on(today))
    context = {
        "task": task,
        "light": light,
        "light_label": LABELS.get(light, ""),
        "co_units": task.co_units.order_by("path"),
        "reports": reports,
        "missing": task_periods.missing_periods(task, today, [r.period_start for r in reports]),
        "events": task.events.select_related("actor"),
        "moves": services.allowed_moves(task, user),
        "can_edit": permissions.can_supervise_task(user, task) and task.is_open,
        "can_report": permissions.can_report_task(user, task)
        and task.status == SupervisionTask.Status.IN_PROGRESS
        and task.is_periodic,
    }
    return render(request, "supervision/task_detail.html", context)


@login_required
def task_create(request: HttpRequest) -> HttpResponse:
    permissions.require(permissions.can_manage(request.user))
    return _form(request, None)


@login_required
def task_edit(request: HttpRequest, pk: int) -> HttpResponse:
    task = _task(request, pk)
    permissions.require(permissions.can_supervise_task(request.user, task))
    return _form(request, task)


def _form(request: HttpRequest, task: SupervisionTask | None) -> HttpResponse:
    user = request.user
    form = TaskForm(request.POST or None, request.FILES or None, instance=task,
                    units=permissions.responsible_units(user))  # fmt: skip
    if request.method == "POST" and form.is_valid():
        try:
            if task is None:
                task = services.create_task(**form.cleaned_data, by=user)
            else:
                services.update_task(task=task, by=user, **form.cleaned_data)
        except BusinessRuleError as error:
            add_rule_error(form, error)
        else:
            messages.success(request, _("已保存督办事项 %(code)s。") % {"code": task.code})
            return redirect("supervision:task_detail", pk=task.pk)
    return render(request, "supervision/task_form.html", {"form": form, "task": task})


@login_required
def task_report(request: HttpRequest, pk: int) -> HttpResponse:
    """The responsible unit files the progress report of a period."""
    task = _task(request, pk)
    permissions.require(permissions.can_report_task(request.user, task))
    filed = task.reports.values_list("period_start", flat=True)
    periods = task_periods.reportable_periods(task, timezone.localdate(), filed)
    form = ReportForm(request.POST or None, request.FILES or None, periods=periods)
    if request.method == "POST" and form.is_valid():
        try:
            services.file_report(task=task, by=request.user, **form.cleaned_data)
        except BusinessRuleError as error:
            add_rule_error(form, error)
        else:
            messages.success(request, _("已报送进展。"))
            return redirect("supervision:task_detail", pk=task.pk)
    context = {"task": task, "form": form, "heading": _("报送进展"), "multipart": True}
    return render(request, "supervision/task_subform.html", context)


def _perform(request: HttpRequest, pk: int, move: services.Move, form_class, perform) -> HttpResponse:
    """GET shows the move's form, POST makes it; 403 when the table does not give it to the user."""
    task = _task(request, pk)
    permissions.require(move in services.allowed_moves(task, request.user))
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            perform(task, form.cleaned_data)
        except BusinessRuleError as error:
            add_rule_error(form, error)
        else:
            messages.success(request, _("已%(move)s：%(code)s。") % {"move": move.label, "code": task.code})
            return redirect("supervision:task_detail", pk=task.pk)
    return render(request, "supervision/task_subform.html", {"task": task, "form": form, "heading": move.label})


@login_required
def task_request_close(request: HttpRequest, pk: int) -> HttpResponse:
    return _perform(
        request, pk, services.REQUEST_CLOSE, RequestCloseForm,
        lambda t, data: services.request_closure(task=t, by=request.user, **data),
    )  # fmt: skip


@login_required
def task_return(request: HttpRequest, pk: int) -> HttpResponse:
    return _perform(
        request, pk, services.RETURN, ReturnForm, lambda t, data: services.return_task(task=t, by=request.user, **data)
    )


@login_required
def task_close(request: HttpRequest, pk: int) -> HttpResponse:
    return _perform(
        request, pk, services.CLOSE, CloseForm, lambda t, data: services.close_task(task=t, by=request.user, **data)
    )


@login_required
def task_document(request: HttpRequest, pk: int) -> FileResponse:
    """The source document's attachment, served only to those who see the task."""
    task = _task(request, pk)
    if not task.document_file:
        raise Http404
    return FileResponse(task.document_file.open("rb"), as_attachment=True, filename=task.document_filename)


@login_required
def report_attachment(request: HttpRequest, pk: int) -> FileResponse:
    """A progress report's attachment, served only to those who see its task."""
    visible = ProgressReport.objects.filter(task__in=permissions.visible_tasks(request.user))
    report = get_object_or_404(visible, pk=pk)
    permissions.require(request.user.has_perm(permissions.VIEW_PROBLEM))
    if not report.attachment:
        raise Http404
    return FileResponse(report.attachment.open("rb"), as_attachment=True, filename=report.attachment_filename)


@login_required
@permission_required(permissions.VIEW_PROBLEM, raise_exception=True)
def task_overdue(request: HttpRequest) -> HttpResponse:
    """本月逾期督办事项: the month's overdue tasks and missing reports of the viewer's scope, as a page or Excel."""
    form = MonthForm(request.GET)
    today = timezone.localdate()
    year, month = form.cleaned_data["month"] if form.is_valid() else (today.year, today.month)
    result = task_periods.monthly_overdue(year=year, month=month, tasks=permissions.visible_tasks(request.user))
    if wants_export(request):
        rows = task_selectors.overdue_rows(result)
        record_access(request.user, by=request.user, what="导出本月逾期督办事项", rows=len(rows))
        title = _("%(year)s年%(month)s月逾期督办事项") % {"year": year, "month": month}
        return xlsx_response(title, task_selectors.OVERDUE_HEADERS, rows)
    context = {"form": form, "result": result, "query": query_without_page(request), "year": year, "month": month}
    return render(request, "supervision/task_overdue.html", context)
