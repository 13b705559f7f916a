"""Procedure checklist pages (手续清单): the steps list, a step and its moves, making and changing a checklist.

Who may do what: apps/landing/services/checklists.py (keeps_checklist, handles, allowed_moves).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.core.audit import record_access
from apps.core.errors import BusinessRuleError
from apps.core.exports import xlsx_response
from apps.core.forms import add_rule_error
from apps.core.lists import paginate, query_without_page, wants_export
from apps.investment.permissions import get_project_for_user
from apps.investment.selectors.projects import area_units
from apps.landing import permissions
from apps.landing.forms.checklists import (
    ChooseTemplateForm,
    DepartmentForm,
    FinishForm,
    ManualStepForm,
    ReasonForm,
    StartForm,
    StepFilterForm,
)
from apps.landing.models import Checklist, ChecklistStep
from apps.landing.selectors import checklists as selectors
from apps.landing.services import checklists as services

MOVE_FORMS = {"start": StartForm, "finish": FinishForm, "not_needed": ReasonForm, "reopen": ReasonForm}
EXPORT_HEADERS = [
    gettext_lazy("项目编号"), gettext_lazy("项目名称"), gettext_lazy("项目单位"), gettext_lazy("手续"),
    gettext_lazy("责任部门"), gettext_lazy("状态"), gettext_lazy("法定时限（工作日）"), gettext_lazy("受理日期"),
    gettext_lazy("应办结日期"), gettext_lazy("办结日期"), gettext_lazy("批准文号"), gettext_lazy("逾期"),
]  # fmt: skip


# ---- the steps list ("我的手续") ----------------------------------------------------------------


@login_required
@permission_required(permissions.VIEW_CHECKLIST, raise_exception=True)
def step_list(request: HttpRequest) -> HttpResponse:
    """The steps in the user's scope: a department's to handle, an owner's to follow."""
    today = timezone.localdate()
    form = StepFilterForm(
        request.GET, departments=selectors.filter_departments(request.user), units=area_units(request.user)
    )
    steps = selectors.steps_in_scope(request.user)
    if form.is_valid():
        steps = selectors.filter_steps(steps, form.cleaned_data, request.user, today)
    if wants_export(request):
        return _export(request, steps, today)
    page = paginate(request, steps)
    rows = [{"step": step, "overdue": selectors.is_overdue(step, today)} for step in page.object_list]
    context = {"form": form, "page": page, "rows": rows, "query": query_without_page(request)}
    return render(request, "landing/checklist_step_list.html", context)


def _export(request: HttpRequest, steps, today) -> HttpResponse:
    record_access(request.user, by=request.user, what="导出手续清单", rows=steps.count())
    yes, no = _("是"), ""
    rows = (
        (
            s.checklist.project.code,
            s.checklist.project.name,
            s.checklist.project.unit.name,
            s.name,
            s.department.name,
            s.get_status_display(),
            s.time_limit_days,
            s.started_on,
            s.due_on,
            s.done_on,
            s.approval_number,
            yes if selectors.is_overdue(s, today) else no,
        )
        for s in steps
    )
    return xlsx_response(_("手续清单"), [str(h) for h in EXPORT_HEADERS], rows)


# ---- one step ------------------------------------------------------------------------------------


def _get_step(request: HttpRequest, pk: int) -> ChecklistStep:
    return permissions.get_for_user(
        selectors.steps_in_scope(request.user), request.user, pk, permission=permissions.VIEW_CHECKLIST
    )


def _back(request: HttpRequest, step: ChecklistStep) -> HttpResponse:
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("landing:step_detail", pk=step.pk)


@login_required
def step_detail(request: HttpRequest, pk: int) -> HttpResponse:
    step = _get_step(request, pk)
    project = step.checklist.project
    context = {
        "step": step,
        "project": project,
        "moves": services.allowed_moves(step, request.user),
        "overdue": selectors.is_overdue(step, timezone.localdate()),
        "prerequisites": step.prerequisites.select_related("department"),
        "followers": step.followers.select_related("department"),
        "documents": step.documents.all(),
        "history": selectors.step_history(step),
        "can_reassign": services.keeps_checklist(request.user, project) and step.status not in services.FINISHED,
    }
    return render(request, "landing/checklist_step_detail.html", context)


@login_required
def step_move(request: HttpRequest, pk: int) -> HttpResponse:
    """GET ?move=start shows the form; POST performs the move the table allows."""
    step = _get_step(request, pk)
    project = step.checklist.project
    owner = services.keeps_checklist(request.user, project)
    if not (owner or services.handles(request.user, step)):
        raise PermissionDenied
    kind = request.POST.get("move") or request.GET.get("move", "")
    move = services.MOVES.get(kind)
    if move is None:
        return redirect("landing:step_detail", pk=step.pk)
    if move.owner_only and not owner:
        raise PermissionDenied
    if move not in services.allowed_moves(step, request.user):
        messages.error(request, _("该手续当前不能%(move)s。") % {"move": move.label})
        return redirect("landing:step_detail", pk=step.pk)
    form = MOVE_FORMS[kind](request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.PERFORMERS[kind](step=step, by=request.user, **form.cleaned_data)
        except BusinessRuleError as error:
            add_rule_error(form, error)
        else:
            messages.success(request, _("“%(step)s”已%(move)s。") % {"step": step.name, "move": move.label})
            return _back(request, step)
    waiting = [p for p in step.prerequisites.all() if p.status not in services.FINISHED] if kind == "start" else []
    context = {"step": step, "project": project, "form": form, "move": move, "kind": kind, "waiting": waiting}
    context["next"] = request.POST.get("next") or request.GET.get("next", "")
    return render(request, "landing/checklist_step_form.html", context)


@login_required
def step_department(request: HttpRequest, pk: int) -> HttpResponse:
    """The owning side gives the step to another department."""
    step = _get_step(request, pk)
    project = step.checklist.project
    permissions.require(services.keeps_checklist(request.user, project))
    form = DepartmentForm(
        request.POST or None, departments=selectors.department_choices(project), initial={"department": step.department}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.reassign_department(step=step, by=request.user, **form.cleaned_data)
        except BusinessRuleError as error:
            add_rule_error(form, error)
        else:
            messages.success(request, _("已改由%(department)s办理。") % {"department": step.department.name})
            return redirect("landing:step_detail", pk=step.pk)
    context = {"step": step, "project": project, "form": form, "title": _("改派责任部门")}
    return render(request, "landing/checklist_form.html", context)


# ---- a project's checklist -----------------------------------------------------------------------


def _get_owned_project(request: HttpRequest, pk: int):
    project = get_project_for_user(request.user, pk, action=permissions.CHANGE_CHECKLIST)
    permissions.require(services.keeps_checklist(request.user, project))
    return project


def _landing(project) -> HttpResponse:
    return redirect("landing:project_landing", pk=project.pk)


@login_required
def checklist_create(request: HttpRequest, pk: int) -> HttpResponse:
    """Make the project's checklist from the template the owner chooses."""
    project = _get_owned_project(request, pk)
    if Checklist.objects.filter(project=project).exists():
        messages.info(request, _("该项目已有手续清单。"))
        return _landing(project)
    initial = {"started_on": project.signed_on or timezone.localdate()}
    form = ChooseTemplateForm(request.POST or None, templates=selectors.active_templates(), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.create_checklist(project=project, by=request.user, **form.cleaned_data)
        except BusinessRuleError as error:
            add_rule_error(form, error)
        else:
            messages.success(request, _("已建立手续清单。"))
            return _landing(project)
    context = {"project": project, "form": form, "title": _("建立手续清单")}
    return render(request, "landing/checklist_form.html", context)


@login_required
def checklist_change_template(request: HttpRequest, pk: int) -> HttpResponse:
    """Start the checklist again from another template while no step has started."""
    project = _get_owned_project(request, pk)
    checklist = Checklist.objects.filter(project=project).first()
    if checklist is None:
        messages.info(request, _("该项目还没有手续清单。"))
        return _landing(project)
    form = ChooseTemplateForm(
        request.POST or None,
        templates=selectors.active_templates(),
        with_start=False,
        initial={"template": checklist.template_id},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.change_template(checklist=checklist, by=request.user, **form.cleaned_data)
        except BusinessRuleError as error:
            add_rule_error(form, error)
        else:
            messages.success(request, _("已按“%(name)s”重新生成手续清单。") % {"name": checklist.template_name})
            return _landing(project)
    context = {"project": project, "form": form, "title": _("更换手续清单模板")}
    return render(request, "landing/checklist_form.html", context)


@login_required
def step_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Add a step the template lacks (补充手续)."""
    project = _get_owned_project(request, pk)
    checklist = Checklist.objects.filter(project=project).first()
    if checklist is None:
        messages.info(request, _("该项目还没有手续清单。"))
        return _landing(project)
    form = ManualStepForm(request.POST or None, departments=selectors.department_choices(project), checklist=checklist)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_step(checklist=checklist, by=request.user, **form.cleaned_data)
        except BusinessRuleError as error:
            add_rule_error(form, error)
        else:
            messages.success(request, _("已补充手续“%(name)s”。") % {"name": form.cleaned_data["name"]})
            return _landing(project)
    context = {"project": project, "form": form, "title": _("补充手续")}
    return render(request, "landing/checklist_form.html", context)
