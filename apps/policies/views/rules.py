"""The rule editor of a policy item and its "test against an enterprise" button.

Items are city-wide reference records: every holder of VIEW_POLICY opens the editor read-only (the rule in words)
and may test the saved rule on an enterprise; only the document's editors (permissions.can_edit_policy) see the
form and save. The test posted from the editor tries the unsaved rule of the form (htmx, into the editor page).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from apps.core.errors import BusinessRuleError
from apps.core.forms import add_rule_error
from apps.enterprises.models import Enterprise
from apps.enterprises.selectors import search_enterprises
from apps.policies import permissions, rules
from apps.policies.models import PolicyItem
from apps.policies.rule_forms import RuleForm
from apps.policies.services import rule_editing


def _item(pk: int) -> PolicyItem:
    item = PolicyItem.objects.select_related("policy", "policy__issuing_unit", "department").filter(pk=pk).first()
    if item is None:
        raise Http404
    return item


@login_required
@permission_required(permissions.VIEW_POLICY, raise_exception=True)
def item_rule(request: HttpRequest, pk: int) -> HttpResponse:
    """The editor: the item's own conditions beside its rule, in words and as rows (or JSON) to edit."""
    item = _item(pk)
    can_edit = permissions.can_edit_policy(request.user, item.policy)
    if request.method == "POST" and not can_edit:
        raise PermissionDenied
    form = RuleForm(request.POST or None, rule=item.rule) if can_edit else None
    if request.method == "POST" and form.is_valid():
        try:
            rule_editing.set_rule(item, form.rule, by=request.user)
        except BusinessRuleError as error:
            add_rule_error(form, error)
        else:
            messages.success(request, _("已保存“%(title)s”的资格规则。") % {"title": item.title})
            return redirect("policies:item_rule", pk=item.pk)
    context = {
        "item": item,
        "policy": item.policy,
        "can_edit": can_edit,
        "form": form,
        "described": rules.describe(item.rule),
        "field_kinds": {name: field.kind for name, field in rules.FIELDS.items()},
        "kind_ops": {kind: list(ops) for kind, ops in rules.KIND_OPS.items()},
    }
    return render(request, "policies/rules/item_rule.html", context)


@login_required
@permission_required(permissions.VIEW_POLICY, raise_exception=True)
def item_rule_test(request: HttpRequest, pk: int) -> HttpResponse:
    """The rule explained for an enterprise: the form's unsaved rule when posted, else the saved one."""
    item = _item(pk)
    params = request.POST if request.method == "POST" else request.GET
    context: dict = {"item": item, "policy": item.policy, "query": params.get("q", "").strip(), "unsaved": False}
    rule = item.rule
    if request.method == "POST":
        form = RuleForm(request.POST, rule=item.rule)
        if not form.is_valid():
            context["rule_errors"] = _form_errors(form)
            return _test_response(request, context)
        rule, context["unsaved"] = form.rule, True
    enterprise, candidates = _enterprise(params)
    context["candidates"] = candidates
    if enterprise is not None:
        context["trial"] = rule_editing.try_rule(rule, enterprise)
    return _test_response(request, context)


def _test_response(request: HttpRequest, context: dict) -> HttpResponse:
    if request.htmx:
        return render(request, "policies/rules/item_rule_test.html#result", context)
    return render(request, "policies/rules/item_rule_test.html", context)


def _enterprise(params) -> tuple[Enterprise | None, list]:
    """The picked enterprise (by id), or the one the search text finds (USCC or name); several: the choices."""
    picked = params.get("enterprise", "").strip()
    if picked.isdigit():
        return Enterprise.objects.active().filter(pk=int(picked)).first(), []
    text = params.get("q", "").strip()
    if not text:
        return None, []
    matches = search_enterprises(text, limit=10)
    exact = [m for m in matches if m.enterprise.uscc == text.upper() or m.enterprise.name == text]
    if len(exact) == 1 or len(matches) == 1:
        return (exact or matches)[0].enterprise, []
    return None, matches


def _form_errors(form: RuleForm) -> list[str]:
    errors = [str(error) for error in form.non_field_errors()]
    errors += [str(error) for error in form.errors.get("advanced", [])]
    for number, row in enumerate(form.rows.forms, start=1):
        errors += [_("第%(n)d行：%(error)s") % {"n": number, "error": error} for error in row.non_field_errors()]
    return errors
