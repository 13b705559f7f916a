"""The staff pages of fulfilment cases: the list with its export, the window's application form, a case with
its timeline, materials and the forms of the moves the user may make, and the scoped material download.

Reading needs VIEW_FULFILMENT within the scope (permissions.visible_fulfilments: 404 outside it); portal users
hold no staff permission and get 403. Each move is for whom services.fulfilment allows.
"""

from pathlib import PurePath

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.core.audit import record_access
from apps.core.errors import BusinessRuleError
from apps.core.exports import xlsx_response
from apps.core.forms import add_rule_error
from apps.core.lists import paginate, query_without_page, wants_export
from apps.enterprises.marks import attach_marks
from apps.enterprises.models import Enterprise
from apps.policies import fulfilment_selectors as selectors
from apps.policies import permissions
from apps.policies.fulfilment_forms import (
    FulfilmentFilterForm,
    WindowApplyForm,
    materials_of,
    move_form_class,
    move_values,
)
from apps.policies.models import Fulfilment, FulfilmentMaterial
from apps.policies.services import fulfilment as services

REVEAL_PERSONAL_DATA = "org.view_personal_data"


def _case(request: HttpRequest, pk: int) -> Fulfilment:
    case = permissions.get_fulfilment_for_user(request.user, pk)
    return (
        Fulfilment.objects.select_related("item__policy", "item__department", "enterprise", "unit", "window_unit",
                                          "applicant")
        .get(pk=case.pk)
    )  # fmt: skip


# ---- the list -------------------------------------------------------------------------------


@login_required
@permission_required(permissions.VIEW_FULFILMENT, raise_exception=True)
def fulfilment_list(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    cases = selectors.list_fulfilments(request.user)
    form = FulfilmentFilterForm(request.GET, cases=cases)
    if form.is_valid():
        cases = selectors.filter_fulfilments(cases, form.cleaned_data, request.user, today)
    if wants_export(request):
        rows = selectors.export_rows(cases, today)
        record_access(request.user, by=request.user, what="导出政策兑现件", rows=len(rows))
        return xlsx_response(_("政策兑现件"), [str(header) for header in selectors.EXPORT_HEADERS], rows)
    page = paginate(request, cases)
    page.object_list = selectors.with_lights(page.object_list, today)
    context = {
        "form": form,
        "page": page,
        "query": query_without_page(request),
        "can_apply": request.user.has_perm(permissions.APPLY) and request.user.unit is not None,
    }
    return render(request, "policies/fulfilment/list.html", context)


# ---- the window's application ---------------------------------------------------------------


@login_required
@permission_required(permissions.APPLY, raise_exception=True)
def fulfilment_create(request: HttpRequest) -> HttpResponse:
    if request.user.unit is None:
        raise PermissionDenied
    form = WindowApplyForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        enterprise = Enterprise.objects.filter(uscc=data["uscc"]).first()
        if enterprise is None:
            form.add_error("uscc", _("本平台企业库中没有该统一社会信用代码的企业。"))
        else:
            try:
                case = services.apply(
                    data["item"], enterprise, by=request.user, channel=Fulfilment.Channel.WINDOW,
                    contact_name=data["contact_name"], contact_phone=data["contact_phone"],
                    declared_amount=data["declared_amount"], materials=materials_of(data),
                )  # fmt: skip
            except BusinessRuleError as error:
                add_rule_error(form, error)
            else:
                _tell_result(request, case, _("已受理兑现申请 %(number)s。"))
                return redirect("policies:fulfilment_detail", pk=case.pk)
    return render(request, "policies/fulfilment/create.html", {"form": form})


def _tell_result(request: HttpRequest, case: Fulfilment, done: str) -> None:
    if case.state == services.State.STOPPED:
        messages.warning(
            request, _("%(number)s 已中止：%(reason)s") % {"number": case.number, "reason": case.stop_reason}
        )
    else:
        messages.success(request, done % {"number": case.number})


# ---- one case -------------------------------------------------------------------------------


def detail_context(request: HttpRequest, case: Fulfilment, failed: tuple[str, object] | None = None) -> dict:
    """What the case page shows; ``failed`` is the (action, bound form) of a move that was refused."""
    user = request.user
    today = timezone.localdate()
    light = selectors.light(case, today, selectors.amber_until(today))
    forms = []
    for move in services.allowed_moves(case, user):
        if failed is not None and failed[0] == move.action:
            forms.append((move, failed[1]))
        else:
            initial = {"amount": _suggested_amount(case, move)} if move.asks else {}
            forms.append((move, move_form_class(move)(initial=initial)))
    events = list(case.events.select_related("actor"))
    for event in events:
        event.label = services.ACTION_LABELS.get(event.action, event.action)
    attach_marks([case.enterprise], user, shown_on=case)
    return {
        "case": case,
        "light": light,
        "light_label": selectors.LIGHT_LABELS.get(light, ""),
        "events": events,
        "materials": case.materials.select_related("uploaded_by"),
        "move_forms": forms,
        "phone": case.contact_phone if user.has_perm(REVEAL_PERSONAL_DATA) else case.masked_phone,
    }


def _suggested_amount(case: Fulfilment, move: services.Move):
    """The amount the form starts with: the previous step's figure, or the item's fixed amount."""
    if move.action == "pay":
        return case.approved_amount
    if move.action == "pass":
        return case.proposed_amount
    return case.proposed_amount or case.item.fixed_amount or case.declared_amount


@login_required
def fulfilment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case(request, pk)
    return render(request, "policies/fulfilment/detail.html", detail_context(request, case))


@login_required
@require_POST
def fulfilment_act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Make one move of the table; a refused one shows the page again with the reason beside its field."""
    if action not in services.ACTIONS:
        raise Http404
    case = _case(request, pk)
    move = services.find_move(action, case.state)
    if move is None:
        messages.error(request, _("该兑现件当前为“%(state)s”，不能进行此操作。") % {"state": case.get_state_display()})
        return redirect("policies:fulfilment_detail", pk=case.pk)
    if move not in services.allowed_moves(case, request.user):
        raise PermissionDenied
    form = move_form_class(move)(request.POST, request.FILES)
    if form.is_valid():
        try:
            case = services.move(case, action, by=request.user, **move_values(move, form.cleaned_data))
        except BusinessRuleError as error:
            add_rule_error(form, error)
        else:
            _tell_result(request, case, _("已%(move)s：%%(number)s。") % {"move": move.label})
            return redirect("policies:fulfilment_detail", pk=case.pk)
    context = detail_context(request, case, failed=(action, form))
    return render(request, "policies/fulfilment/detail.html", context, status=400)


@login_required
def fulfilment_material(request: HttpRequest, pk: int) -> FileResponse:
    """A material is served only to who sees its case: staff within the scope, the enterprise's portal users."""
    enterprise = permissions.account_enterprise(request.user)
    if enterprise is not None:
        materials = FulfilmentMaterial.objects.filter(fulfilment__enterprise=enterprise)
    else:
        materials = FulfilmentMaterial.objects.filter(fulfilment__in=permissions.visible_fulfilments(request.user))
    material = get_object_or_404(materials, pk=pk)
    filename = f"{material.name}{PurePath(material.file.name).suffix}"
    return FileResponse(material.file.open("rb"), as_attachment=True, filename=filename)


@login_required
def fulfilment_voucher(request: HttpRequest, pk: int) -> FileResponse:
    """The payment voucher (兑付凭证), to who sees the case: staff within the scope, the enterprise's portal users."""
    enterprise = permissions.account_enterprise(request.user)
    if enterprise is not None:
        cases = Fulfilment.objects.filter(enterprise=enterprise)
    else:
        cases = permissions.visible_fulfilments(request.user)
    case = get_object_or_404(cases.exclude(voucher=""), pk=pk)
    filename = _("兑付凭证-%(number)s%(suffix)s") % {
        "number": case.number,
        "suffix": PurePath(case.voucher.name).suffix,
    }
    return FileResponse(case.voucher.open("rb"), as_attachment=True, filename=filename)
