"""The commitments ledger's pages: the list with its export, a commitment with its fulfilment and cancel forms,
the office's form, and the evidence download.

Viewing needs VIEW_PROBLEM within the scope (permissions.visible_commitments: 404 outside it). The supervising
office registers, corrects and cancels; the committing unit records the fulfilment (services/commitments.py).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.core.audit import record_access
from apps.core.errors import BusinessRuleError
from apps.core.exports import xlsx_response
from apps.core.forms import add_rule_error
from apps.core.lists import paginate, query_without_page, wants_export
from apps.supervision import permissions, selectors
from apps.supervision.forms import CancelForm, CommitmentFilterForm, CommitmentForm, FulfilForm
from apps.supervision.models import InvestorCommitment
from apps.supervision.services import commitments as services


def _commitment(request: HttpRequest, pk: int) -> InvestorCommitment:
    queryset = permissions.visible_commitments(request.user).select_related(
        "unit", "supervising_unit", "project", "enterprise", "raised_problem", "created_by"
    )
    return permissions.get_commitment_for_user(request.user, pk, queryset=queryset)


@login_required
@permission_required(permissions.VIEW_PROBLEM, raise_exception=True)
def commitment_list(request: HttpRequest) -> HttpResponse:
    form = CommitmentFilterForm(request.GET, units=selectors.ledger_units(request.user))
    commitments = selectors.list_commitments(request.user)
    if form.is_valid():
        commitments = selectors.filter_commitments(commitments, form.cleaned_data)
    if wants_export(request):
        rows = selectors.commitment_rows(commitments)
        record_access(request.user, by=request.user, what="导出政府承诺兑现台账", rows=len(rows))
        return xlsx_response(_("政府承诺兑现台账"), selectors.COMMITMENT_HEADERS, rows)
    context = {
        "form": form,
        "page": paginate(request, commitments),
        "query": query_without_page(request),
        "can_manage": permissions.can_manage(request.user),
    }
    return render(request, "supervision/commitment_list.html", context)


def _detail(request: HttpRequest, commitment: InvestorCommitment, **forms) -> HttpResponse:
    moves = {move.action for move in services.allowed_moves(commitment, request.user)}
    context = {
        "commitment": commitment,
        "events": commitment.events.select_related("actor"),
        "fulfil_form": forms.get("fulfil_form") or (FulfilForm() if "fulfil" in moves else None),
        "cancel_form": forms.get("cancel_form") or (CancelForm() if "cancel" in moves else None),
        "can_edit": permissions.can_supervise_commitment(request.user, commitment) and commitment.is_open,
    }
    return render(request, "supervision/commitment_detail.html", context)


@login_required
def commitment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, _commitment(request, pk))


@login_required
def commitment_create(request: HttpRequest) -> HttpResponse:
    permissions.require(permissions.can_manage(request.user))
    return _form(request, None)


@login_required
def commitment_edit(request: HttpRequest, pk: int) -> HttpResponse:
    commitment = _commitment(request, pk)
    permissions.require(permissions.can_supervise_commitment(request.user, commitment))
    return _form(request, commitment)


def _form(request: HttpRequest, commitment: InvestorCommitment | None) -> HttpResponse:
    user = request.user
    form = CommitmentForm(
        request.POST or None, instance=commitment, units=permissions.responsible_units(user),
        projects=permissions.commitment_projects(user),
    )  # fmt: skip
    if request.method == "POST" and form.is_valid():
        try:
            if commitment is None:
                commitment = services.create_commitment(**form.cleaned_data, by=user)
            else:
                services.update_commitment(commitment=commitment, by=user, **form.cleaned_data)
        except BusinessRuleError as error:
            add_rule_error(form, error)
        else:
            messages.success(request, _("已保存政府承诺事项。"))
            return redirect("supervision:commitment_detail", pk=commitment.pk)
    return render(request, "supervision/commitment_form.html", {"form": form, "commitment": commitment})


def _perform(request: HttpRequest, pk: int, move: services.Move, form_class, perform, name: str) -> HttpResponse:
    """POST makes the move; a form error shows the detail page again; 403 when the table does not allow it."""
    commitment = _commitment(request, pk)
    permissions.require(move in services.allowed_moves(commitment, request.user))
    form = form_class(request.POST, request.FILES)
    if form.is_valid():
        try:
            perform(commitment, form.cleaned_data)
        except BusinessRuleError as error:
            add_rule_error(form, error)
        else:
            messages.success(request, _("已%(move)s该承诺。") % {"move": move.label})
            return redirect("supervision:commitment_detail", pk=commitment.pk)
    return _detail(request, commitment, **{name: form})


@login_required
@require_POST
def commitment_fulfil(request: HttpRequest, pk: int) -> HttpResponse:
    return _perform(
        request, pk, services.FULFIL, FulfilForm,
        lambda c, data: services.fulfil_commitment(commitment=c, by=request.user, **data), "fulfil_form",
    )  # fmt: skip


@login_required
@require_POST
def commitment_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    return _perform(
        request, pk, services.CANCEL, CancelForm,
        lambda c, data: services.cancel_commitment(commitment=c, by=request.user, **data), "cancel_form",
    )  # fmt: skip


@login_required
def commitment_evidence(request: HttpRequest, pk: int) -> FileResponse:
    """The fulfilment evidence, served only to those who see the commitment."""
    commitment = _commitment(request, pk)
    if not commitment.evidence:
        raise Http404
    return FileResponse(commitment.evidence.open("rb"), as_attachment=True, filename=commitment.evidence_filename)
