"""Moving a project: the move forms, the level above's confirmation, and the queue of what waits for it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from apps.core.errors import BusinessRuleError
from apps.core.forms import add_rule_error
from apps.core.lists import paginate
from apps.investment import permissions
from apps.investment.forms.projects import DecisionForm, MoveForm
from apps.investment.models import Stage
from apps.investment.permissions import get_project_for_user
from apps.investment.selectors.projects import waiting_confirmation
from apps.investment.services import workflow
from apps.investment.services.workflow import allowed_moves, missing_for, pending_change

MOVES = {
    "advance": (workflow.ADVANCE, workflow.advance_project),
    "pause": (workflow.PAUSE, workflow.pause_project),
    "resume": (workflow.RESUME, workflow.resume_project),
    "drop": (workflow.DROP, workflow.drop_project),
}


@login_required
def project_move(request: HttpRequest, pk: int) -> HttpResponse:
    """GET ?move=advance shows the form; POST performs the move the table allows."""
    project = get_project_for_user(request.user, pk, action=permissions.CHANGE)
    kind = request.POST.get("move") or request.GET.get("move", "advance")
    if kind not in MOVES or MOVES[kind][0] not in allowed_moves(project, request.user):
        messages.error(request, _("当前不能对该项目执行这一操作。"))
        return redirect("investment:project_detail", pk=project.pk)
    move, perform = MOVES[kind]
    form = MoveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            perform(project=project, by=request.user, **form.cleaned_data)
        except BusinessRuleError as error:
            add_rule_error(form, error)
        else:
            messages.success(request, _("已%(move)s。") % {"move": move.label})
            return redirect("investment:project_detail", pk=project.pk)
    next_stage = Stage(project.stage).next()
    context = {
        "project": project,
        "form": form,
        "move": move,
        "kind": kind,
        "next_stage": next_stage if kind == "advance" else None,
        "missing": missing_for(project, next_stage) if kind == "advance" and next_stage else [],
    }
    return render(request, "investment/move_form.html", context)


@login_required
def project_decide(request: HttpRequest, pk: int) -> HttpResponse:
    """The level above confirms or returns the stage the project's unit claimed."""
    project = get_project_for_user(request.user, pk, action=permissions.APPROVE)
    change = pending_change(project)
    if change is None or not permissions.can_confirm(request.user, project):
        messages.error(request, _("该项目没有您可以确认的阶段。"))
        return redirect("investment:project_detail", pk=project.pk)
    form = DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        confirm = request.POST.get("decision") == "confirm"
        try:
            if confirm:
                workflow.confirm_stage(change=change, by=request.user, **form.cleaned_data)
            else:
                workflow.return_stage(change=change, by=request.user, **form.cleaned_data)
        except BusinessRuleError as error:
            add_rule_error(form, error)
        else:
            messages.success(request, _("已确认，该阶段计入统计。") if confirm else _("已退回。"))
            return redirect(request.POST.get("next") or "investment:confirmation_list")
    context = {"project": project, "change": change, "form": form, "documents": project.documents.all()}
    return render(request, "investment/decide_form.html", context)


@login_required
@permission_required(permissions.APPROVE, raise_exception=True)
def confirmation_list(request: HttpRequest) -> HttpResponse:
    changes = waiting_confirmation(request.user).order_by("at")
    return render(request, "investment/confirmation_list.html", {"page": paginate(request, changes)})
