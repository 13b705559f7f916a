"""The ledger's pages: the list with its export, a problem with its timetable, evidence, history and the moves
the user may make, the forms of the office and of the unit, and the 督办通知单.

Viewing needs VIEW_PROBLEM within the scope (permissions.visible_problems: 404 outside it). Each action is for
whom services.problems allows: the supervising office opens, changes, signs off and returns; the responsible
unit records progress and reports. A problem the user may see but not act on answers 403.
"""

from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.core.audit import record_access
from apps.core.errors import BusinessRuleError
from apps.core.exports import xlsx_response
from apps.core.forms import add_rule_error
from apps.core.lists import paginate, query_without_page, wants_export
from apps.supervision import permissions, selectors
from apps.supervision.forms import (
    EvidenceForm,
    MilestoneForm,
    ProblemFilterForm,
    ProblemForm,
    ReportForm,
    ReturnForm,
    SignOffForm,
    StartForm,
)
from apps.supervision.models import Evidence, Milestone, Problem
from apps.supervision.services import problems as services
from apps.supervision.services.deadlines import LABELS, Thresholds
from apps.supervision.services.notice import notice_docx
from apps.supervision.views.defaults import default_context

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _problem(request: HttpRequest, pk: int) -> Problem:
    queryset = permissions.visible_problems(request.user).select_related(
        "unit", "supervising_unit", "created_by", "reported_by", "signed_off_by"
    )
    return permissions.get_problem_for_user(request.user, pk, queryset=queryset)


# ---- the ledger -----------------------------------------------------------------------------


@login_required
@permission_required(permissions.VIEW_PROBLEM, raise_exception=True)
def problem_list(request: HttpRequest) -> HttpResponse:
    form = ProblemFilterForm(request.GET, units=selectors.ledger_units(request.user))
    thresholds = Thresholds.on(timezone.localdate())
    problems = selectors.list_problems(request.user)
    if form.is_valid():
        problems = selectors.filter_problems(problems, form.cleaned_data, thresholds)
    if wants_export(request):
        rows = selectors.export_rows(problems, thresholds)
        record_access(request.user, by=request.user, what="导出问题整改台账", rows=len(rows))
        return xlsx_response(_("问题整改台账"), selectors.EXPORT_HEADERS, rows)
    page = paginate(request, problems)
    page.object_list = selectors.with_lights(page.object_list, thresholds)
    context = {
        "form": form,
        "page": page,
        "query": query_without_page(request),
        "can_manage": permissions.can_manage(request.user),
    }
    return render(request, "supervision/problem_list.html", context)


# ---- one problem ----------------------------------------------------------------------------


@login_required
def problem_detail(request: HttpRequest, pk: int) -> HttpResponse:
    problem = _problem(request, pk)
    user = request.user
    light = Thresholds.on(timezone.localdate()).light(problem)
    context = {
        "problem": problem,
        "light": light,
        "light_label": LABELS.get(light, ""),
        "co_units": problem.co_units.order_by("path"),
        "milestones": problem.milestones.select_related("done_by"),
        "evidence": problem.evidence.select_related("uploaded_by"),
        "events": problem.events.select_related("actor"),
        "moves": services.allowed_moves(problem, user),
        "can_edit": permissions.can_supervise(user, problem) and problem.status != Problem.Status.SIGNED_OFF,
        "can_plan": services.can_edit_timetable(user, problem),
        "can_report": permissions.can_report(user, problem) and problem.is_open,
        **default_context(user, problem),
    }
    return render(request, "supervision/problem_detail.html", context)


@login_required
def problem_create(request: HttpRequest) -> HttpResponse:
    permissions.require(permissions.can_manage(request.user))
    form = ProblemForm(request.POST or None, units=permissions.responsible_units(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            problem = services.create_problem(**form.cleaned_data, by=request.user)
        except BusinessRuleError as error:
            add_rule_error(form, error)
        else:
            messages.success(request, _("已登记整改问题 %(code)s。") % {"code": problem.code})
            return redirect("supervision:problem_detail", pk=problem.pk)
    return render(request, "supervision/problem_form.html", {"form": form})


@login_required
def problem_edit(request: HttpRequest, pk: int) -> HttpResponse:
    problem = _problem(request, pk)
    permissions.require(permissions.can_supervise(request.user, problem))
    units = permissions.responsible_units(request.user)
    form = ProblemForm(request.POST or None, instance=problem, units=units)
    if request.method == "POST" and form.is_valid():
        values = dict(form.cleaned_data)
        try:
            services.update_problem(problem=problem, by=request.user, **values)
        except BusinessRuleError as error:
            add_rule_error(form, error)
        else:
            messages.success(request, _("已保存 %(code)s。") % {"code": problem.code})
            return redirect("supervision:problem_detail", pk=problem.pk)
    return render(request, "supervision/problem_form.html", {"form": form, "problem": problem})


def _perform(request: HttpRequest, pk: int, move: services.Move, form_class, perform) -> HttpResponse:
    """GET shows the move's form, POST makes it; 403 when the table does not give it to the user."""
    problem = _problem(request, pk)
    permissions.require(move in services.allowed_moves(problem, request.user))
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            perform(problem, form.cleaned_data)
        except BusinessRuleError as error:
            add_rule_error(form, error)
        else:
            messages.success(request, _("已%(move)s：%(code)s。") % {"move": move.label, "code": problem.code})
            return redirect("supervision:problem_detail", pk=problem.pk)
    return render(request, "supervision/problem_move.html", {"problem": problem, "move": move, "form": form})


@login_required
def problem_start(request: HttpRequest, pk: int) -> HttpResponse:
    return _perform(
        request, pk, services.START, StartForm, lambda p, data: services.start_problem(problem=p, by=request.user)
    )


@login_required
def problem_report(request: HttpRequest, pk: int) -> HttpResponse:
    return _perform(
        request, pk, services.REPORT, ReportForm,
        lambda p, data: services.report_completion(problem=p, by=request.user, **data),
    )  # fmt: skip


@login_required
def problem_return(request: HttpRequest, pk: int) -> HttpResponse:
    return _perform(
        request, pk, services.RETURN, ReturnForm,
        lambda p, data: services.return_problem(problem=p, by=request.user, **data),
    )  # fmt: skip


@login_required
def problem_sign_off(request: HttpRequest, pk: int) -> HttpResponse:
    return _perform(
        request, pk, services.SIGN_OFF, SignOffForm,
        lambda p, data: services.sign_off_problem(problem=p, by=request.user, **data),
    )  # fmt: skip


# ---- timetable, progress, evidence ----------------------------------------------------------


@login_required
def milestone_create(request: HttpRequest, pk: int) -> HttpResponse:
    problem = _problem(request, pk)
    permissions.require(services.can_edit_timetable(request.user, problem))
    form = MilestoneForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_milestone(problem=problem, by=request.user, **form.cleaned_data)
        except BusinessRuleError as error:
            add_rule_error(form, error)
        else:
            messages.success(request, _("已添加整改节点。"))
            return redirect("supervision:problem_detail", pk=problem.pk)
    context = {"problem": problem, "form": form, "heading": _("添加整改节点")}
    return render(request, "supervision/problem_subform.html", context)


@login_required
@require_POST
def milestone_done(request: HttpRequest, pk: int) -> HttpResponse:
    visible = Milestone.objects.filter(problem__in=permissions.visible_problems(request.user))
    milestone = get_object_or_404(visible.select_related("problem__unit"), pk=pk)
    permissions.require(permissions.can_report(request.user, milestone.problem))
    try:
        services.complete_milestone(milestone=milestone, by=request.user)
    except BusinessRuleError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("节点“%(title)s”已完成。") % {"title": milestone.title})
    return redirect("supervision:problem_detail", pk=milestone.problem_id)


@login_required
def evidence_create(request: HttpRequest, pk: int) -> HttpResponse:
    problem = _problem(request, pk)
    permissions.require(permissions.can_report(request.user, problem))
    form = EvidenceForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_evidence(problem=problem, by=request.user, **form.cleaned_data)
        except BusinessRuleError as error:
            add_rule_error(form, error)
        else:
            messages.success(request, _("已上传佐证材料。"))
            return redirect("supervision:problem_detail", pk=problem.pk)
    context = {"problem": problem, "form": form, "heading": _("上传佐证材料"), "multipart": True}
    return render(request, "supervision/problem_subform.html", context)


@login_required
def evidence_download(request: HttpRequest, pk: int) -> FileResponse:
    """Evidence is served only to those who see its problem (media is never public)."""
    visible = Evidence.objects.filter(problem__in=permissions.visible_problems(request.user))
    evidence = get_object_or_404(visible, pk=pk)
    permissions.require(request.user.has_perm(permissions.VIEW_PROBLEM))
    return FileResponse(evidence.file.open("rb"), as_attachment=True, filename=evidence.filename)


@login_required
def problem_notice(request: HttpRequest, pk: int) -> HttpResponse:
    """The 督办通知单 as Word."""
    problem = _problem(request, pk)
    try:
        content = notice_docx(problem)
    except BusinessRuleError as error:
        messages.error(request, error.message)
        return redirect("supervision:problem_detail", pk=problem.pk)
    response = HttpResponse(content, content_type=DOCX_TYPE)
    filename = _("督办通知单-%(code)s.docx") % {"code": problem.code}
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response
