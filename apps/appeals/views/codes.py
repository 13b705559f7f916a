"""The dispatch catalogue (派单目录) and the time-limit policies (时限配置): read-only, city-wide code lists."""

from django.contrib.auth.decorators import login_required, permission_required
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from apps.appeals.forms import CatalogueFilterForm, PolicyFilterForm
from apps.appeals.models import DispatchRule, TimeLimitPolicy
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
    context = {"form": form, "page": paginate(request, rules), "query": query_without_page(request)}
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
    context = {"form": form, "page": paginate(request, policies), "query": query_without_page(request)}
    return render(request, "appeals/policy_list.html", context)
