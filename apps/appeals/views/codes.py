"""The dispatch catalogue (派单目录) and the time-limit policies (时限配置): city-wide code lists, read by every
holder of view_appeal; the hotline office's administrator publishes new versions (services/codes.py)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.forms.models import model_to_dict
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.appeals import permissions
from apps.appeals.forms import CatalogueFilterForm, DispatchRuleForm, PolicyFilterForm, PolicyForm
from apps.appeals.models import DispatchRule, TimeLimitPolicy
from apps.appeals.services import codes
from apps.core.errors import BusinessRuleError
from apps.core.forms import add_rule_error
from apps.core.lists import paginate, query_without_page

VIEW = "appeals.view_appeal"


def _cleaned(form) -> dict:
    return form.cleaned_data if form.is_bound and form.is_valid() else {}


@login_required
@permission_required(VIEW, raise_exception=True)
def catalogue_list(request: HttpRequest) -> HttpResponse:
    form = CatalogueFilterForm(request.GET or None)
    data = _cleaned(form)
    rules = DispatchRule.objects.select_related("category", "area", "lead_unit").prefetch_related("co_units")
    if data.get("q"):
        text = data["q"].strip()
        rules = rules.filter(
            Q(category__name__icontains=text) | Q(category__code__startswith=text) | Q(lead_unit__name__icontains=text)
        )
    if data.get("category"):
        rules = rules.filter(category=data["category"])
    if data.get("valid_on"):
        rules = rules.valid_on(data["valid_on"])
    context = {
        "form": form, "page": paginate(request, rules), "query": query_without_page(request),
        "can_maintain": permissions.can_maintain_codes(request.user),
    }  # fmt: skip
    return render(request, "appeals/catalogue_list.html", context)


@login_required
@permission_required(VIEW, raise_exception=True)
def policy_list(request: HttpRequest) -> HttpResponse:
    form = PolicyFilterForm(request.GET or None)
    data = _cleaned(form)
    policies = TimeLimitPolicy.objects.select_related("jurisdiction")
    for name in ("appeal_type", "urgency"):
        if data.get(name):
            policies = policies.filter(**{name: data[name]})
    if data.get("valid_on"):
        policies = policies.valid_on(data["valid_on"])
    context = {
        "form": form, "page": paginate(request, policies), "query": query_without_page(request),
        "can_maintain": permissions.can_maintain_codes(request.user),
    }  # fmt: skip
    return render(request, "appeals/policy_list.html", context)


def _copied_from(request: HttpRequest, model, exclude: list[str]) -> dict:
    """A new version starts as a copy of the one named by ?from= (its dates left blank)."""
    source = (
        model.objects.filter(pk=request.GET.get("from") or 0).first() if request.GET.get("from", "").isdigit() else None
    )
    return model_to_dict(source, exclude=["id", "valid_from", "valid_to", *exclude]) if source else {}


def _publish(request: HttpRequest, form, publish, title: str, back: str) -> HttpResponse:
    if not permissions.can_maintain_codes(request.user):
        raise PermissionDenied
    if request.method == "POST" and form.is_valid():
        try:
            publish(form)
        except BusinessRuleError as error:
            add_rule_error(form, error)
        else:
            messages.success(request, _("已发布新版本，自生效日期起适用。"))
            return redirect(back)
    return render(request, "appeals/code_version_form.html", {"form": form, "title": title, "back": back})


@login_required
@permission_required(permissions.MAINTAIN_CODES, raise_exception=True)
def catalogue_create(request: HttpRequest) -> HttpResponse:
    """派单目录 new version (the hotline office's administrator)."""
    form = DispatchRuleForm(request.POST or None, initial=_copied_from(request, DispatchRule, []))

    def publish(bound):
        rule = bound.save(commit=False)
        today = timezone.localdate()
        return codes.publish_dispatch_rule(
            rule=rule, co_units=bound.cleaned_data["co_units"], by=request.user, today=today
        )

    return _publish(request, form, publish, _("发布派单目录新版本"), "appeals:catalogue_list")


@login_required
@permission_required(permissions.MAINTAIN_CODES, raise_exception=True)
def policy_create(request: HttpRequest) -> HttpResponse:
    """办理时限 new version (the hotline office's administrator)."""
    form = PolicyForm(request.POST or None, initial=_copied_from(request, TimeLimitPolicy, []))

    def publish(bound):
        return codes.publish_policy(policy=bound.save(commit=False), by=request.user, today=timezone.localdate())

    return _publish(request, form, publish, _("发布办理时限新版本"), "appeals:policy_list")
