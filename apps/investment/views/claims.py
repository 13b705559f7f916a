"""多头招商: the coordinating bureau's queue of conflicts and its decisions."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from apps.core.errors import BusinessRuleError
from apps.core.forms import add_rule_error
from apps.core.lists import paginate
from apps.investment import permissions
from apps.investment.forms.projects import ConflictDecisionForm
from apps.investment.models import ClaimConflict
from apps.investment.permissions import get_conflict_for_user, visible_conflicts
from apps.investment.services.claims import decide_conflict


@login_required
@permission_required(permissions.VIEW, raise_exception=True)
def conflict_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", ClaimConflict.Status.OPEN)
    conflicts = visible_conflicts(request.user).select_related("holder__project", "challenger__project")
    if status in ClaimConflict.Status.values:
        conflicts = conflicts.filter(status=status)
    context = {
        "page": paginate(request, conflicts.order_by("-created_at")),
        "status": status,
        "statuses": ClaimConflict.Status.choices,
        "can_decide": permissions.is_coordinator(request.user),
        "query": f"status={status}",
    }
    return render(request, "investment/conflict_list.html", context)


@login_required
def conflict_detail(request: HttpRequest, pk: int) -> HttpResponse:
    conflict = get_conflict_for_user(request.user, pk)
    can_decide = request.user.has_perm(permissions.DECIDE_CLAIM) and permissions.is_coordinator(request.user)
    form = ConflictDecisionForm(request.POST or None) if can_decide else None
    if request.method == "POST" and form is not None and form.is_valid():
        try:
            decided = decide_conflict(conflict=conflict, by=request.user, **form.cleaned_data)
        except BusinessRuleError as error:
            add_rule_error(form, error)
        else:
            messages.success(request, _("已协调：%(decision)s。") % {"decision": decided.get_decision_display()})
            return redirect("investment:conflict_list")
    context = {
        "conflict": conflict,
        "form": form,
        "sides": [(conflict.holder, _("首报单位")), (conflict.challenger, _("后报单位"))],
        # the parties learn who holds the enterprise and since when; the talks themselves stay with the coordinator
        "show_projects": can_decide,
    }
    return render(request, "investment/conflict_detail.html", context)
