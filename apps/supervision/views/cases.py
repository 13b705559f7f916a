"""Typical cases' pages: the list, a case with its sources (linked only where the viewer may open them), the
office's form, the sources it links, and the moves (审核发布, 撤回, 重新编辑)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.core.errors import BusinessRuleError
from apps.core.forms import add_rule_error
from apps.core.lists import paginate, query_without_page
from apps.supervision import permissions, task_selectors
from apps.supervision.models import CaseSource, TypicalCase
from apps.supervision.services import cases as services
from apps.supervision.task_forms import CaseFilterForm, CaseForm, PublishForm, RedraftForm, SourceForm, WithdrawForm


def _case(request: HttpRequest, pk: int) -> TypicalCase:
    queryset = permissions.visible_cases(request.user).select_related("unit", "author_unit", "published_by")
    return permissions.get_case_for_user(request.user, pk, queryset=queryset)


@login_required
@permission_required(permissions.VIEW_PROBLEM, raise_exception=True)
def case_list(request: HttpRequest) -> HttpResponse:
    form = CaseFilterForm(request.GET, units=task_selectors.case_units(request.user))
    cases = task_selectors.list_cases(request.user)
    if form.is_valid():
        cases = task_selectors.filter_cases(cases, form.cleaned_data)
    context = {
        "form": form,
        "page": paginate(request, cases),
        "query": query_without_page(request),
        "can_manage": permissions.can_manage(request.user),
    }
    return render(request, "supervision/case_list.html", context)


def _detail(request: HttpRequest, case: TypicalCase, source_form: SourceForm | None = None) -> HttpResponse:
    user = request.user
    editable = services.can_edit(user, case)
    context = {
        "case": case,
        "sources": services.sources_for(case, user),
        "events": case.events.select_related("actor") if permissions.can_write_case(user, case) else None,
        "moves": services.allowed_moves(case, user),
        "can_edit": editable,
        "source_form": source_form or (SourceForm() if editable else None),
    }
    return render(request, "supervision/case_detail.html", context)


@login_required
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, _case(request, pk))


@login_required
def case_create(request: HttpRequest) -> HttpResponse:
    permissions.require(permissions.can_manage(request.user))
    return _form(request, None)


@login_required
def case_edit(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case(request, pk)
    permissions.require(services.can_edit(request.user, case))
    return _form(request, case)


def _form(request: HttpRequest, case: TypicalCase | None) -> HttpResponse:
    form = CaseForm(request.POST or None, instance=case, units=task_selectors.case_units(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            if case is None:
                case = services.create_case(**form.cleaned_data, by=request.user)
            else:
                services.update_case(case=case, by=request.user, **form.cleaned_data)
        except BusinessRuleError as error:
            add_rule_error(form, error)
        else:
            messages.success(request, _("已保存典型案例。"))
            return redirect("supervision:case_detail", pk=case.pk)
    return render(request, "supervision/case_form.html", {"form": form, "case": case})


@login_required
@require_POST
def case_source_add(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case(request, pk)
    permissions.require(services.can_edit(request.user, case))
    form = SourceForm(request.POST)
    if form.is_valid():
        try:
            services.add_source(case=case, by=request.user, **form.cleaned_data)
        except BusinessRuleError as error:
            add_rule_error(form, error)
        else:
            messages.success(request, _("已关联来源。"))
            return redirect("supervision:case_detail", pk=case.pk)
    return _detail(request, case, source_form=form)


@login_required
@require_POST
def case_source_remove(request: HttpRequest, pk: int) -> HttpResponse:
    visible = CaseSource.objects.filter(case__in=permissions.visible_cases(request.user))
    source = get_object_or_404(visible.select_related("case__author_unit"), pk=pk)
    permissions.require(services.can_edit(request.user, source.case))
    services.remove_source(source=source, by=request.user)
    messages.success(request, _("已移除来源。"))
    return redirect("supervision:case_detail", pk=source.case_id)


def _perform(request: HttpRequest, pk: int, move: services.Move, form_class, perform) -> HttpResponse:
    case = _case(request, pk)
    permissions.require(move in services.allowed_moves(case, request.user))
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            perform(case, form.cleaned_data)
        except BusinessRuleError as error:
            add_rule_error(form, error)
        else:
            messages.success(request, _("已%(move)s：%(title)s。") % {"move": move.label, "title": case.title})
            return redirect("supervision:case_detail", pk=case.pk)
    return render(request, "supervision/case_move.html", {"case": case, "form": form, "move": move})


@login_required
def case_publish(request: HttpRequest, pk: int) -> HttpResponse:
    return _perform(
        request,
        pk,
        services.PUBLISH,
        PublishForm,
        lambda c, data: services.publish_case(case=c, by=request.user, **data),
    )


@login_required
def case_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    return _perform(
        request, pk, services.WITHDRAW, WithdrawForm,
        lambda c, data: services.withdraw_case(case=c, by=request.user, **data),
    )  # fmt: skip


@login_required
def case_redraft(request: HttpRequest, pk: int) -> HttpResponse:
    return _perform(
        request, pk, services.REDRAFT, RedraftForm, lambda c, data: services.redraft_case(case=c, by=request.user)
    )
