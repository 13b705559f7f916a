"""The administrator's pages: the locality's time limits, each stage's gate, the screening rules."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from apps.core.errors import BusinessRuleError
from apps.core.forms import add_rule_error
from apps.investment import permissions
from apps.investment.forms.rules import GateForm, ScreeningRuleForm, SettingsForm
from apps.investment.models import PipelineSettings, ProjectDocument, ScreeningRule, Stage
from apps.investment.services import rules as services
from apps.investment.services.workflow import gate_for


@login_required
def settings_edit(request: HttpRequest) -> HttpResponse:
    permissions.require_manager(request.user)
    form = SettingsForm(request.POST or None, instance=PipelineSettings.current())
    if request.method == "POST" and form.is_valid():
        try:
            services.save_settings(by=request.user, **form.cleaned_data)
        except BusinessRuleError as error:
            add_rule_error(form, error)
        else:
            messages.success(request, _("已保存招商参数。"))
            return redirect("investment:settings_edit")
    gates = [(stage, gate_for(stage)) for stage in Stage if stage != Stage.LEAD]
    context = {"form": form, "gates": gates, "field_names": dict(services.gate_field_choices())}
    context["document_names"] = dict(ProjectDocument.Kind.choices)
    return render(request, "investment/settings_form.html", context)


@login_required
def gate_edit(request: HttpRequest, stage: str) -> HttpResponse:
    permissions.require_manager(request.user)
    if stage not in Stage.values or stage == Stage.LEAD:
        raise Http404
    stage = Stage(stage)
    gate = gate_for(stage)
    initial = {f: getattr(gate, f) for f in ("required_fields", "required_documents", "needs_approval")}
    form = GateForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_gate(stage=stage, by=request.user, **form.cleaned_data)
        except BusinessRuleError as error:
            add_rule_error(form, error)
        else:
            messages.success(request, _("已保存“%(stage)s”阶段条件。") % {"stage": stage.label})
            return redirect("investment:settings_edit")
    return render(request, "investment/gate_form.html", {"form": form, "stage": stage})


@login_required
def screening_rule_list(request: HttpRequest) -> HttpResponse:
    permissions.require_manager(request.user)
    rules = ScreeningRule.objects.prefetch_related("industries")
    return render(request, "investment/screening_rule_list.html", {"rules": rules})


@login_required
def screening_rule_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    permissions.require_manager(request.user)
    rule = get_object_or_404(ScreeningRule, pk=pk) if pk else ScreeningRule()
    form = ScreeningRuleForm(request.POST or None, instance=rule)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_screening_rule(
                rule=form.save(commit=False), industries=form.cleaned_data["industries"], by=request.user
            )
        except BusinessRuleError as error:
            add_rule_error(form, error)
        else:
            messages.success(request, _("已保存选商规则。"))
            return redirect("investment:screening_rule_list")
    return render(request, "investment/screening_rule_form.html", {"form": form, "rule": rule if pk else None})
