"""The review pages (政策兑现回头看): every policy's totals with its items, one policy's items, the workbook.

Needs VIEW_REVIEW; the cases counted are those the user reads (services/review.py).
"""

from urllib.parse import quote

from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.audit import record_access
from apps.core.exports import XLSX_CONTENT_TYPE
from apps.core.lists import query_without_page, wants_export
from apps.policies import permissions
from apps.policies import registry_selectors as selectors
from apps.policies.models import Policy
from apps.policies.registry_forms import ReviewFilterForm, ReviewYearForm
from apps.policies.services import review as services


def _filters(request: HttpRequest) -> tuple[ReviewFilterForm, dict]:
    form = ReviewFilterForm(request.GET, units=selectors.issuing_units_in_use())
    data = form.cleaned_data if form.is_valid() else {}
    filters = {"year": data.get("year"), "issuing_unit": data.get("issuing_unit"), "state": data.get("state") or None}
    return form, filters


def _workbook(request: HttpRequest, review: services.Review, title: str) -> HttpResponse:
    record_access(request.user, by=request.user, what="导出政策兑现回头看", rows=len(review.items))
    filename = f"{title}-{timezone.localdate():%Y%m%d}.xlsx"
    response = HttpResponse(services.review_workbook(review), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    response["Cache-Control"] = "no-store"
    return response


@login_required
@permission_required(permissions.VIEW_REVIEW, raise_exception=True)
def review(request: HttpRequest) -> HttpResponse:
    form, filters = _filters(request)
    table = services.build_review(request.user, **filters)
    if wants_export(request):
        return _workbook(request, table, _("政策兑现回头看"))
    context = {"form": form, "review": table, "query": query_without_page(request)}
    return render(request, "policies/registry/review.html", context)


@login_required
@permission_required(permissions.VIEW_REVIEW, raise_exception=True)
def review_policy(request: HttpRequest, pk: int) -> HttpResponse:
    policy = get_object_or_404(Policy.objects.select_related("issuing_unit"), pk=pk)
    form = ReviewYearForm(request.GET)
    year = form.cleaned_data.get("year") if form.is_valid() else None
    table = services.build_review(request.user, year=year, policy=policy)
    if wants_export(request):
        return _workbook(request, table, _("政策兑现回头看"))
    context = {"form": form, "review": table, "row": table.policies[0], "query": query_without_page(request)}
    return render(request, "policies/registry/review_policy.html", context)
