"""The checklist templates' administration (手续清单模板): city-wide, kept by the coordinating unit."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.core.errors import BusinessRuleError
from apps.core.forms import add_rule_error
from apps.investment.models import Project
from apps.landing.forms.checklists import TemplateForm, TemplateStepForm
from apps.landing.models import Checklist, ChecklistTemplate, TemplateStep
from apps.landing.services import templates as services


def _require_manager(request: HttpRequest) -> None:
    if not services.can_manage_templates(request.user):
        raise PermissionDenied


@login_required
def template_list(request: HttpRequest) -> HttpResponse:
    _require_manager(request)
    templates = ChecklistTemplate.objects.annotate(step_count=Count("steps", distinct=True)).order_by("name")
    in_use = dict(
        Checklist.objects.filter(template__isnull=False).values_list("template").annotate(n=Count("pk")).order_by()
    )
    kinds = dict(Project.Kind.choices)
    rows = [{"template": t, "in_use": in_use.get(t.pk, 0), "kind": kinds.get(t.project_kind, "")} for t in templates]
    return render(request, "landing/template_list.html", {"rows": rows})


@login_required
def template_create(request: HttpRequest) -> HttpResponse:
    _require_manager(request)
    form = TemplateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            template = services.save_template(by=request.user, **form.cleaned_data)
        except BusinessRuleError as error:
            add_rule_error(form, error)
        else:
            messages.success(request, _("已新增模板，请添加手续。"))
            return redirect("landing:template_detail", pk=template.pk)
    return render(request, "landing/template_form.html", {"form": form, "template": None})


@login_required
def template_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The template's details (editable) and its steps."""
    _require_manager(request)
    template = get_object_or_404(ChecklistTemplate, pk=pk)
    form = TemplateForm(request.POST or None, initial=TemplateForm.initial_for(template))
    if request.method == "POST" and form.is_valid():
        try:
            services.save_template(template=template, by=request.user, **form.cleaned_data)
        except BusinessRuleError as error:
            add_rule_error(form, error)
        else:
            messages.success(request, _("已保存模板（版本 %(revision)s）。") % {"revision": template.revision})
            return redirect("landing:template_detail", pk=template.pk)
    steps = template.steps.select_related("department").prefetch_related("prerequisites")
    revisions = (
        Checklist.objects.filter(template=template)
        .values("template_revision")
        .annotate(n=Count("pk"))
        .order_by("-template_revision")
    )
    context = {"template": template, "form": form, "steps": steps, "revisions": revisions}
    return render(request, "landing/template_detail.html", context)


@login_required
def template_step_add(request: HttpRequest, pk: int) -> HttpResponse:
    _require_manager(request)
    template = get_object_or_404(ChecklistTemplate, pk=pk)
    return _step_form(request, template, None)


@login_required
def template_step_edit(request: HttpRequest, pk: int) -> HttpResponse:
    _require_manager(request)
    step = get_object_or_404(TemplateStep.objects.select_related("template"), pk=pk)
    return _step_form(request, step.template, step)


def _step_form(request: HttpRequest, template: ChecklistTemplate, step: TemplateStep | None) -> HttpResponse:
    initial = TemplateStepForm.initial_for(step) if step is not None else {}
    form = TemplateStepForm(request.POST or None, template=template, step=step, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_template_step(template=template, step=step, by=request.user, **form.cleaned_data)
        except BusinessRuleError as error:
            add_rule_error(form, error)
        else:
            messages.success(request, _("已保存手续，模板升为版本 %(revision)s。") % {"revision": template.revision})
            return redirect("landing:template_detail", pk=template.pk)
    context = {"template": template, "step": step, "form": form}
    return render(request, "landing/template_step_form.html", context)


@login_required
@require_POST
def template_step_delete(request: HttpRequest, pk: int) -> HttpResponse:
    _require_manager(request)
    step = get_object_or_404(TemplateStep.objects.select_related("template"), pk=pk)
    template = step.template
    try:
        services.delete_template_step(step=step, by=request.user)
    except BusinessRuleError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("已删除手续“%(name)s”。") % {"name": step.name})
    return redirect("landing:template_detail", pk=template.pk)
