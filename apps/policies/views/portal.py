"""The enterprise portal (企业门户): the items the enterprise is eligible for with the reasons, its cases, an
online application, and its own case (resubmit when returned, withdraw).

Only a portal user linked to an enterprise (permissions.account_enterprise) uses these pages: staff get 403, and
another enterprise's case is a 404 like a missing id.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.errors import BusinessRuleError
from apps.core.forms import add_rule_error
from apps.enterprises.models import Enterprise
from apps.policies import fulfilment_selectors as selectors
from apps.policies import permissions
from apps.policies.fulfilment_forms import PortalApplyForm, materials_of, move_form_class, move_values
from apps.policies.models import OPEN_STATES, Fulfilment, FulfilmentState
from apps.policies.services import eligibility
from apps.policies.services import fulfilment as services


def _enterprise(request: HttpRequest) -> Enterprise:
    enterprise = permissions.account_enterprise(request.user)
    if enterprise is None:
        raise PermissionDenied
    return enterprise


@login_required
def portal_home(request: HttpRequest) -> HttpResponse:
    enterprise = _enterprise(request)
    today = timezone.localdate()
    cases = selectors.with_lights(
        Fulfilment.objects.filter(enterprise=enterprise).select_related("item__policy").order_by("-id"), today
    )
    taken = {case.item_id: case for case in cases if case.state in (*OPEN_STATES, FulfilmentState.PAID)}
    matches = [
        {"item": match.item, "lines": match.explanation.lines, "case": taken.get(match.item.pk)}
        for match in eligibility.eligible_items(enterprise, today)
    ]
    context = {"enterprise": enterprise, "matches": matches, "cases": cases}
    return render(request, "policies/portal/home.html", context)


@login_required
def portal_apply(request: HttpRequest, pk: int) -> HttpResponse:
    enterprise = _enterprise(request)
    item = get_object_or_404(eligibility.items_in_force(timezone.localdate()), pk=pk)
    form = PortalApplyForm(request.POST or None, request.FILES or None,
                           initial={"contact_name": request.user.name})  # fmt: skip
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            case = services.apply(
                item, enterprise, by=request.user, channel=Fulfilment.Channel.ONLINE,
                contact_name=data["contact_name"], contact_phone=data["contact_phone"],
                declared_amount=data["declared_amount"], materials=materials_of(data),
            )  # fmt: skip
        except BusinessRuleError as error:
            add_rule_error(form, error)
        else:
            if case.state == FulfilmentState.STOPPED:
                messages.warning(request, _("申请已中止：%(reason)s") % {"reason": case.stop_reason})
            else:
                messages.success(request, _("已提交申请 %(number)s，请留意办理进度。") % {"number": case.number})
            return redirect("policies:portal_case", pk=case.pk)
    return render(request, "policies/portal/apply.html", {"enterprise": enterprise, "item": item, "form": form})


def _own_case(request: HttpRequest, pk: int) -> Fulfilment:
    enterprise = _enterprise(request)
    cases = Fulfilment.objects.filter(enterprise=enterprise).select_related("item__policy", "unit", "enterprise")
    return get_object_or_404(cases, pk=pk)


@login_required
def portal_case(request: HttpRequest, pk: int) -> HttpResponse:
    """The enterprise's own case; POST makes one of its moves (``action``: resubmit or withdraw)."""
    case = _own_case(request, pk)
    failed = None
    if request.method == "POST":
        action = request.POST.get("action", "")
        move = services.find_move(action, case.state)
        if move is None or move not in services.allowed_moves(case, request.user):
            if action not in services.ACTIONS:
                raise Http404
            messages.error(
                request, _("该申请当前为“%(state)s”，不能进行此操作。") % {"state": case.get_state_display()}
            )
            return redirect("policies:portal_case", pk=case.pk)
        form = move_form_class(move)(request.POST, request.FILES)
        if form.is_valid():
            try:
                case = services.move(case, action, by=request.user, **move_values(move, form.cleaned_data))
            except BusinessRuleError as error:
                add_rule_error(form, error)
            else:
                messages.success(request, _("已%(move)s。") % {"move": move.label})
                return redirect("policies:portal_case", pk=case.pk)
        failed = (action, form)
    forms = [
        (move, failed[1] if failed and failed[0] == move.action else move_form_class(move)())
        for move in services.allowed_moves(case, request.user)
    ]
    events = list(case.events.order_by("at", "id"))
    for event in events:
        event.label = services.ACTION_LABELS.get(event.action, event.action)
    context = {
        "case": case,
        "events": events,
        "materials": case.materials.all(),
        "move_forms": forms,
        "returned_note": _last_return_note(events) if case.state == FulfilmentState.RETURNED else "",
    }
    return render(request, "policies/portal/case.html", context, status=400 if failed else 200)


def _last_return_note(events) -> str:
    returns = [event for event in events if event.action == "return"]
    return returns[-1].note if returns else ""
