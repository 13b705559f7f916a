"""The policy registry's pages: the list with its export, a document with its "1+N" set and items, the forms of
documents and items, publish / repeal, and an item's page.

Documents and items are city-wide reference records: every holder of VIEW_POLICY reads them all (global_path);
the issuing unit's policy officers or the city's policy office edit them (permissions.can_edit_policy, 403).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.core.audit import record_access
from apps.core.errors import BusinessRuleError
from apps.core.exports import xlsx_response
from apps.core.forms import add_rule_error
from apps.core.lists import paginate, query_without_page, wants_export
from apps.policies import permissions, rules
from apps.policies import registry_selectors as selectors
from apps.policies.models import Policy, PolicyItem, PolicyState
from apps.policies.registry_forms import ItemForm, PolicyFilterForm, PolicyForm, RepealForm
from apps.policies.services import registry as services


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _policy(pk: int) -> Policy:
    return get_object_or_404(Policy.objects.select_related("issuing_unit", "parent", "created_by"), pk=pk)


def _item(pk: int) -> PolicyItem:
    return get_object_or_404(PolicyItem.objects.select_related("policy__issuing_unit", "department"), pk=pk)


@login_required
@permission_required(permissions.VIEW_POLICY, raise_exception=True)
def policy_list(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    form = PolicyFilterForm(request.GET, units=selectors.issuing_units_in_use())
    policies = selectors.list_policies()
    if form.is_valid():
        policies = selectors.filter_policies(policies, form.cleaned_data, today)
    if wants_export(request):
        rows = selectors.export_rows(policies, today)
        record_access(request.user, by=request.user, what="导出惠企政策库", rows=len(rows))
        return xlsx_response(_("惠企政策库"), [str(h) for h in selectors.EXPORT_HEADERS], rows)
    page = paginate(request, policies)
    context = {
        "form": form,
        "page": page,
        "policies": selectors.with_states(page.object_list, today),
        "query": query_without_page(request),
        "can_create": request.user.has_perm(permissions.MANAGE_POLICY),
    }
    return render(request, "policies/registry/policy_list.html", context)


def _detail(request: HttpRequest, policy: Policy, repeal_form: RepealForm | None = None) -> HttpResponse:
    today = timezone.localdate()
    (policy,) = selectors.with_states([policy], today)
    can_edit = permissions.can_edit_policy(request.user, policy)
    context = {
        "policy": policy,
        "set": selectors.policy_set(policy, today),
        "items": selectors.policy_items(policy),
        "can_edit": can_edit and policy.state != PolicyState.REPEALED,
        "can_publish": can_edit and policy.state == PolicyState.DRAFT,
        "repeal_form": repeal_form or (RepealForm() if can_edit and policy.published_at and not policy.repealed_on
                                       else None),
        "no_longer_in_force": policy.state in (PolicyState.EXPIRED, PolicyState.REPEALED),
    }  # fmt: skip
    return render(request, "policies/registry/policy_detail.html", context)


@login_required
@permission_required(permissions.VIEW_POLICY, raise_exception=True)
def policy_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, _policy(pk))


@login_required
@permission_required(permissions.MANAGE_POLICY, raise_exception=True)
def policy_create(request: HttpRequest) -> HttpResponse:
    return _policy_form(request, None)


@login_required
@permission_required(permissions.VIEW_POLICY, raise_exception=True)
def policy_edit(request: HttpRequest, pk: int) -> HttpResponse:
    policy = _policy(pk)
    _require(permissions.can_edit_policy(request.user, policy) and policy.repealed_on is None)
    return _policy_form(request, policy)


def _policy_form(request: HttpRequest, policy: Policy | None) -> HttpResponse:
    form = PolicyForm(request.POST or None, request.FILES or None, instance=policy, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            if policy is None:
                policy = services.create_policy(**form.cleaned_data, by=request.user)
            else:
                services.update_policy(policy=policy, by=request.user, **form.cleaned_data)
        except BusinessRuleError as error:
            add_rule_error(form, error)
        else:
            messages.success(request, _("已保存政策文件。"))
            return redirect("policies:policy_detail", pk=policy.pk)
    return render(request, "policies/registry/policy_form.html", {"form": form, "policy": policy})


@login_required
@require_POST
def policy_act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Publish or repeal a document (POST)."""
    _require(request.user.has_perm(permissions.VIEW_POLICY))
    policy = _policy(pk)
    _require(action in ("publish", "repeal") and permissions.can_edit_policy(request.user, policy))
    try:
        if action == "publish":
            services.publish_policy(policy=policy, by=request.user)
            messages.success(request, _("已发布该政策。"))
        else:
            form = RepealForm(request.POST)
            if not form.is_valid():
                return _detail(request, policy, repeal_form=form)
            try:
                services.repeal_policy(policy=policy, by=request.user, repealed_on=form.cleaned_data["repealed_on"],
                                       note=form.cleaned_data["repeal_note"])  # fmt: skip
            except BusinessRuleError as error:
                add_rule_error(form, error)
                return _detail(request, _policy(pk), repeal_form=form)
            messages.success(request, _("已废止该政策。"))
    except BusinessRuleError as error:
        messages.error(request, error.message)
    return redirect("policies:policy_detail", pk=policy.pk)


@login_required
@permission_required(permissions.VIEW_POLICY, raise_exception=True)
def item_create(request: HttpRequest, pk: int) -> HttpResponse:
    policy = _policy(pk)
    _require(permissions.can_edit_policy(request.user, policy) and policy.repealed_on is None)
    return _item_form(request, policy, None)


@login_required
@permission_required(permissions.VIEW_POLICY, raise_exception=True)
def item_edit(request: HttpRequest, pk: int) -> HttpResponse:
    item = _item(pk)
    _require(permissions.can_edit_policy(request.user, item.policy) and item.policy.repealed_on is None)
    return _item_form(request, item.policy, item)


def _item_form(request: HttpRequest, policy: Policy, item: PolicyItem | None) -> HttpResponse:
    form = ItemForm(request.POST or None, instance=item)
    if request.method == "POST" and form.is_valid():
        try:
            if item is None:
                item = services.create_item(policy=policy, by=request.user, **form.cleaned_data)
            else:
                services.update_item(item=item, by=request.user, **form.cleaned_data)
        except BusinessRuleError as error:
            add_rule_error(form, error)
        else:
            messages.success(request, _("已保存政策条款。"))
            return redirect("policies:item_detail", pk=item.pk)
    context = {"form": form, "policy": policy, "item": item}
    return render(request, "policies/registry/item_form.html", context)


@login_required
@permission_required(permissions.VIEW_POLICY, raise_exception=True)
def item_detail(request: HttpRequest, pk: int) -> HttpResponse:
    item = _item(pk)
    (policy,) = selectors.with_states([item.policy], timezone.localdate())
    can_edit = permissions.can_edit_policy(request.user, policy) and policy.state != PolicyState.REPEALED
    context = {
        "item": item,
        "policy": policy,
        "rule_lines": _rule_lines(item),
        "can_edit": can_edit,
        "no_longer_in_force": policy.state in (PolicyState.EXPIRED, PolicyState.REPEALED),
    }
    return render(request, "policies/registry/item_detail.html", context)


def _rule_lines(item: PolicyItem) -> list[str]:
    """The rule in words (read-only here: the rule editor changes it)."""
    return [] if rules.is_empty(item.rule) else rules.describe(item.rule)


@login_required
@require_POST
def item_copy(request: HttpRequest, pk: int) -> HttpResponse:
    """Copy an item (with its rule) into the same document, then open the copy's form."""
    _require(request.user.has_perm(permissions.VIEW_POLICY))
    item = _item(pk)
    _require(permissions.can_edit_policy(request.user, item.policy))
    try:
        copy = services.copy_item(item=item, by=request.user)
    except BusinessRuleError as error:
        messages.error(request, error.message)
        return redirect("policies:item_detail", pk=item.pk)
    messages.success(request, _("已复制该条款，请修改后保存。"))
    return redirect("policies:item_edit", pk=copy.pk)
