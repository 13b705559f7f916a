"""Batch start pages (集中开工): the list, the event with its projects, the printable list and its export."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.core.audit import record_access
from apps.core.errors import BusinessRuleError
from apps.core.exports import xlsx_response
from apps.core.forms import add_rule_error
from apps.core.lists import paginate, query_without_page, wants_export
from apps.investment import permissions as pipeline
from apps.landing import permissions
from apps.landing.forms.progress import BatchFilterForm, BatchForm, BatchProjectsForm
from apps.landing.models import BatchStart
from apps.landing.selectors import progress as selectors
from apps.landing.services import batches as services
from apps.landing.services.batches import StartOutcome, can_change
from apps.org.models import Unit

LIST_HEADERS = ("活动名称", "主办单位", "开工日期", "主会场", "项目数", "总投资（万元）")
PRINT_HEADERS = ("序号", "项目名称", "投资企业", "责任单位", "总投资（万元）", "建设内容")
OUTCOME_LEVELS = {
    StartOutcome.DONE: messages.SUCCESS,
    StartOutcome.PENDING: messages.INFO,
    StartOutcome.REFUSED: messages.ERROR,
    StartOutcome.SKIPPED: messages.WARNING,
}


def _organisers(user):
    """The units a batch start may be organised by: the user's own unit and those below it."""
    return Unit.objects.visible_to(user).active()


def _batch(request: HttpRequest, pk: int, *, change: bool = False) -> BatchStart:
    permission = permissions.CHANGE_BATCH if change else permissions.VIEW_BATCH
    batch = permissions.get_for_user(selectors.visible_batches(request.user), request.user, pk, permission=permission)
    if change:
        permissions.require(can_change(request.user, batch))
    return batch


@login_required
@permission_required(permissions.VIEW_BATCH, raise_exception=True)
def batch_list(request: HttpRequest) -> HttpResponse:
    form = BatchFilterForm(request.GET)
    batches = selectors.visible_batches(request.user)
    if form.is_valid():
        if form.cleaned_data.get("year"):
            batches = batches.filter(held_on__year=form.cleaned_data["year"])
        if text := form.cleaned_data.get("q", "").strip():
            batches = batches.filter(Q(name__icontains=text) | Q(venue__icontains=text))
    if wants_export(request):
        return _export_list(request, batches)
    context = {
        "form": form,
        "page": paginate(request, batches),
        "query": query_without_page(request),
        "can_create": can_change(request.user),
    }
    return render(request, "landing/batch_list.html", context)


def _export_list(request: HttpRequest, batches) -> HttpResponse:
    record_access(request.user, by=request.user, what="导出集中开工活动", rows=batches.count())
    rows = ((b.name, b.unit.name, b.held_on, b.venue, b.project_count, b.total or 0) for b in batches)
    return xlsx_response(_("集中开工活动"), LIST_HEADERS, rows)


@login_required
@permission_required(permissions.CHANGE_BATCH, raise_exception=True)
def batch_create(request: HttpRequest) -> HttpResponse:
    form = BatchForm(request.POST or None, units=_organisers(request.user), initial={"unit": request.user.unit})
    if request.method == "POST" and form.is_valid():
        try:
            batch = services.create_batch_start(by=request.user, **form.cleaned_data)
        except BusinessRuleError as error:
            add_rule_error(form, error)
        else:
            messages.success(request, _("已登记集中开工活动“%(name)s”，请加入开工项目。") % {"name": batch.name})
            return redirect("landing:batch_detail", pk=batch.pk)
    return render(request, "landing/batch_form.html", {"form": form})


@login_required
def batch_edit(request: HttpRequest, pk: int) -> HttpResponse:
    batch = _batch(request, pk, change=True)
    form = BatchForm(
        request.POST or None, instance=BatchStart.objects.get(pk=batch.pk), units=_organisers(request.user)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_batch_start(batch=batch, by=request.user, **form.cleaned_data)
        except BusinessRuleError as error:
            add_rule_error(form, error)
        else:
            messages.success(request, _("已保存。"))
            return redirect("landing:batch_detail", pk=batch.pk)
    return render(request, "landing/batch_form.html", {"form": form, "batch": batch})


@login_required
def batch_detail(request: HttpRequest, pk: int) -> HttpResponse:
    batch = _batch(request, pk)
    editable = can_change(request.user, batch)
    projects = selectors.batch_projects(batch)
    context = {
        "batch": batch,
        "projects": projects,
        "total": selectors.batch_total(batch),
        "can_change": editable,
        "add_form": BatchProjectsForm(projects=services.addable_projects(request.user, batch)) if editable else None,
        "to_start": sum(1 for p in projects if p.stage == "signed"),
    }
    return render(request, "landing/batch_detail.html", context)


@login_required
@require_POST
def batch_add_projects(request: HttpRequest, pk: int) -> HttpResponse:
    batch = _batch(request, pk, change=True)
    form = BatchProjectsForm(request.POST, projects=services.addable_projects(request.user, batch))
    if not form.is_valid():
        messages.error(request, _("请选择已签约或已开工、且在本单位范围内的项目。"))
        return redirect("landing:batch_detail", pk=batch.pk)
    try:
        added = services.add_batch_projects(batch=batch, projects=form.cleaned_data["projects"], by=request.user)
    except BusinessRuleError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("已加入 %(n)s 个开工项目。") % {"n": added})
    return redirect("landing:batch_detail", pk=batch.pk)


@login_required
@require_POST
def batch_remove_project(request: HttpRequest, pk: int) -> HttpResponse:
    batch = _batch(request, pk, change=True)
    project_id = request.POST.get("project", "")
    project = batch.projects.filter(pk=project_id).first() if project_id.isdigit() else None
    if project is None:
        messages.error(request, _("该项目不在本次集中开工中。"))
    else:
        services.remove_batch_project(batch=batch, project=project, by=request.user)
        messages.success(request, _("已将“%(name)s”移出本次集中开工。") % {"name": project.name})
    return redirect("landing:batch_detail", pk=batch.pk)


@login_required
@require_POST
def batch_register(request: HttpRequest, pk: int) -> HttpResponse:
    """Register the start of every listed project still at 签约 that the user's unit owns, and say how each went."""
    batch = _batch(request, pk, change=True)
    permissions.require(request.user.has_perm(pipeline.CHANGE))
    try:
        outcomes = services.register_batch_starts(batch=batch, by=request.user)
    except BusinessRuleError as error:
        messages.error(request, error.message)
        return redirect("landing:batch_detail", pk=batch.pk)
    for outcome in outcomes:
        text = f"{outcome.project.name}：{outcome.label}"
        messages.add_message(request, OUTCOME_LEVELS[outcome.result], f"{text}。{outcome.message}".rstrip())
    done = sum(1 for o in outcomes if o.result in (StartOutcome.DONE, StartOutcome.PENDING))
    messages.success(request, _("集中开工登记完成：%(done)s 个项目已登记或报送开工。") % {"done": done})
    return redirect("landing:batch_detail", pk=batch.pk)


@login_required
def batch_print(request: HttpRequest, pk: int) -> HttpResponse:
    """《集中开工项目清单》 for printing, and the same list as Excel (?export=xlsx)."""
    batch = _batch(request, pk)
    projects = selectors.batch_projects(batch)
    if wants_export(request):
        record_access(batch, by=request.user, what="导出集中开工项目清单", rows=projects.count())
        rows = (
            (i, p.name, p.enterprise.name, p.unit.name, p.contracted_investment, p.description)
            for i, p in enumerate(projects, start=1)
        )
        return xlsx_response(_("集中开工项目清单"), PRINT_HEADERS, rows)
    context = {"batch": batch, "projects": projects, "total": selectors.batch_total(batch)}
    return render(request, "landing/batch_print.html", context)
