"""The government-defaults pages (政府违约失信): the ledger with its totals and export, the office's form, and the
clearance form on the problem's page (the default's lifecycle is its problem's: report, verify, sign off).
"""

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.db.models import Q, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.core.audit import record_access
from apps.core.errors import BusinessRuleError
from apps.core.exports import xlsx_response
from apps.core.forms import add_rule_error
from apps.core.lists import paginate, query_without_page, wants_export
from apps.supervision import permissions, selectors
from apps.supervision.forms_defaults import ClearanceForm, DefaultFilterForm, DefaultForm
from apps.supervision.models import GovernmentDefault
from apps.supervision.services import defaults as services


def _filtered(defaults, data: dict):
    text = (data.get("q") or "").strip()
    if text:
        defaults = defaults.filter(
            Q(problem__title__icontains=text) | Q(enterprise__name__icontains=text) | Q(enterprise__uscc=text.upper())
        )
    for name in ("kind", "found_by"):
        if data.get(name):
            defaults = defaults.filter(**{name: data[name]})
    if data.get("status"):
        defaults = defaults.filter(problem__status=data["status"])
    if data.get("unit"):
        defaults = defaults.filter(problem__unit__path__startswith=data["unit"].path)
    return defaults


def _totals(defaults) -> dict:
    owed = defaults.aggregate(owed=Sum("amount_owed"))["owed"] or Decimal(0)
    cleared = GovernmentDefault.objects.filter(pk__in=defaults.values("pk")).aggregate(c=Sum("clearances__amount"))
    return {"owed": owed, "cleared": cleared["c"] or Decimal(0), "count": defaults.count()}


@login_required
@permission_required(permissions.VIEW_PROBLEM, raise_exception=True)
def default_list(request: HttpRequest) -> HttpResponse:
    form = DefaultFilterForm(request.GET, units=selectors.ledger_units(request.user))
    defaults = services.visible_defaults(request.user).order_by("-found_on", "-id")
    if form.is_valid():
        defaults = _filtered(defaults, form.cleaned_data)
    if wants_export(request):
        return _export(request, defaults)
    context = {
        "form": form, "page": paginate(request, defaults), "query": query_without_page(request), "export": True,
        "totals": _totals(defaults), "can_manage": permissions.can_manage(request.user),
    }  # fmt: skip
    return render(request, "supervision/default_list.html", context)


def _export(request: HttpRequest, defaults) -> HttpResponse:
    headers = [
        _("问题编号"), _("事项"), _("违约失信类型"), _("涉及企业"), _("统一社会信用代码"), _("责任单位"), _("发现渠道"),
        _("发现日期"), _("涉及金额（万元）"), _("已清偿（万元）"), _("尚欠（万元）"), _("整改时限"), _("状态"),
    ]  # fmt: skip
    rows = [
        [
            d.problem.code,
            d.problem.title,
            d.get_kind_display(),
            d.enterprise.name,
            d.enterprise.uscc or "",
            d.problem.unit.name,
            d.get_found_by_display(),
            d.found_on,
            d.amount_owed,
            d.amount_cleared,
            d.amount_outstanding,
            d.problem.due_on,
            d.problem.get_status_display(),
        ]  # fmt: skip
        for d in defaults
    ]
    record_access(request.user, by=request.user, what="导出政府违约失信台账", rows=len(rows))
    return xlsx_response(_("政府违约失信台账"), headers, rows)


@login_required
def default_create(request: HttpRequest) -> HttpResponse:
    permissions.require(permissions.can_manage(request.user))
    commitments = permissions.visible_commitments(request.user).unfulfilled().select_related("unit")
    form = DefaultForm(request.POST or None, units=permissions.responsible_units(request.user), commitments=commitments)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            default = services.register_default(
                title=data["title"], unit=data["unit"], due_on=data["due_on"], enterprise=data["enterprise_code"],
                kind=data["kind"], found_by=data["found_by"], found_on=data["found_on"],
                amount_owed=data["amount_owed"], commitment=data["commitment"], description=data["description"],
                measures=data["measures"], by=request.user,
            )  # fmt: skip
        except BusinessRuleError as error:
            add_rule_error(form, error)
        else:
            messages.success(request, _("已登记政府违约失信事项 %(code)s。") % {"code": default.problem.code})
            return redirect("supervision:problem_detail", pk=default.problem.pk)
    return render(request, "supervision/default_form.html", {"form": form})


@login_required
@require_POST
def clearance_create(request: HttpRequest, pk: int) -> HttpResponse:
    problem = permissions.get_problem_for_user(request.user, pk)
    default = GovernmentDefault.objects.filter(problem=problem).first()
    permissions.require(default is not None and permissions.can_report(request.user, problem))
    form = ClearanceForm(request.POST)
    if form.is_valid():
        try:
            services.record_clearance(default=default, by=request.user, **form.cleaned_data)
        except BusinessRuleError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("已登记清偿。"))
    else:
        messages.error(request, _("请填写清偿日期、金额和清偿情况。"))
    return redirect("supervision:problem_detail", pk=problem.pk)


def default_context(user, problem) -> dict:
    """What the problem's page shows of a default: its details, clearances and, for the unit, the clearance form."""
    default = GovernmentDefault.objects.filter(problem=problem).select_related("enterprise", "commitment").first()
    if default is None:
        return {}
    can_clear = permissions.can_report(user, problem) and problem.is_open
    return {
        "default": default,
        "clearances": default.clearances.select_related("recorded_by"),
        "clearance_form": ClearanceForm() if can_clear else None,
    }
