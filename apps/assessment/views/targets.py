"""Target pages: one unit's target with its time-progress plan and its manual figures, and the evidence.

The assessed unit enters its plan and manual figures (services.can_plan / can_enter); the unit that runs
the scheme may enter the plan too. The evidence is served only to those who see the figure.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.assessment import permissions
from apps.assessment.figures import figure
from apps.assessment.forms.targets import ManualValueForm, PlanForm, PlanPointFormSet, plan_points
from apps.assessment.models import Metric, Target
from apps.assessment.services import schemes as services
from apps.assessment.services.periods import periods_of_year
from apps.core.errors import BusinessRuleError
from apps.core.forms import add_rule_error
from apps.core.workdays import chinese_date


def _target(request: HttpRequest, pk: int) -> Target:
    queryset = permissions.visible_targets(request.user).select_related("item__metric", "item__scheme__unit", "unit")
    return permissions.get_for_user(queryset, request.user, pk, permission=permissions.VIEW_TARGET)


def _plan_initial(target: Target, plan: str) -> list[dict]:
    """The rows of the plan form: the stored plan, or the period ends of the plan asked for, to fill in."""
    if plan == Target.Plan.EVEN:
        return []
    if plan == target.plan:
        stored = [{"ends_on": p.ends_on, "value": p.value} for p in target.plan_points.all()]
        if stored:
            return stored
    kind = services.PLAN_PERIODS[plan]
    return [{"ends_on": period.ends_on, "value": None} for period in periods_of_year(kind, target.item.scheme.year)]


def _plan_forms(request: HttpRequest, target: Target):
    if request.method == "POST" and request.POST.get("action") == "plan":
        return PlanForm(request.POST), PlanPointFormSet(request.POST, prefix="points")
    plan = request.GET.get("plan")
    plan = plan if plan in Target.Plan.values else target.plan
    rows = _plan_initial(target, plan)
    return PlanForm(initial={"plan": plan}), PlanPointFormSet(initial=rows, prefix="points")


def _save_plan(request: HttpRequest, target: Target, form, formset) -> bool:
    if not (form.is_valid() and formset.is_valid()):
        if formset.non_form_errors():
            form.add_error(None, formset.non_form_errors()[0])
        return False
    try:
        services.set_plan(target=target, plan=form.cleaned_data["plan"], points=plan_points(formset), by=request.user)
    except BusinessRuleError as error:
        target.refresh_from_db()
        add_rule_error(form, error)
        return False
    messages.success(request, _("已保存序时计划：%(plan)s。") % {"plan": target.get_plan_display()})
    return True


def _save_value(request: HttpRequest, target: Target, form) -> bool:
    if not form.is_valid():
        return False
    try:
        value = services.enter_manual_value(target=target, by=request.user, **form.cleaned_data)
    except BusinessRuleError as error:
        add_rule_error(form, error)
        return False
    messages.success(
        request,
        _("已填报截至%(day)s的累计完成数：%(value)s。")
        % {"day": chinese_date(value.as_of), "value": figure(value.value, target.item.metric.kind)},
    )
    return True


@login_required
def target_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The target, its plan (with the form) and its manual figures (with the form to enter one)."""
    target = _target(request, pk)
    metric = target.item.metric
    can_plan = services.can_plan(request.user, target)
    can_enter = metric.source == Metric.Source.MANUAL and services.can_enter(request.user, target)
    action = request.POST.get("action") if request.method == "POST" else None
    if request.method == "POST":
        permissions.require({"plan": can_plan, "enter": can_enter}.get(action, False))
    plan_form, plan_formset = _plan_forms(request, target) if can_plan else (None, None)
    value_form = None
    if can_enter:
        data = (request.POST, request.FILES) if action == "enter" else (None, None)
        value_form = ManualValueForm(*data, initial={"as_of": timezone.localdate()})
    saved = (action == "plan" and _save_plan(request, target, plan_form, plan_formset)) or (
        action == "enter" and _save_value(request, target, value_form)
    )
    if saved:
        return redirect("assessment:target_detail", pk=target.pk)
    context = {
        "target": target,
        "scheme": target.item.scheme,
        "metric": metric,
        "points": list(target.plan_points.all()),
        "values": list(target.manual_values.select_related("entered_by")),
        "plan_form": plan_form,
        "plan_formset": plan_formset,
        "plan_choices": [choice for choice in Target.Plan.choices if choice[0] != Target.Plan.EVEN],
        "value_form": value_form,
    }
    return render(request, "assessment/target_detail.html", context)


@login_required
def manual_value_evidence(request: HttpRequest, pk: int) -> FileResponse:
    """A manual figure's evidence, served only to those who see the figure (media is never public)."""
    value = permissions.get_for_user(
        permissions.visible_manual_values(request.user), request.user, pk, permission=permissions.VIEW_TARGET
    )
    name = value.evidence.name.rsplit("/", 1)[-1]
    return FileResponse(value.evidence.open("rb"), as_attachment=True, filename=name)
