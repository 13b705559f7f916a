"""Introducers (引荐人) and their rewards: the registry, the reward rules with a calculator, the claims."""

from datetime import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.db.models import Sum
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from apps.core.audit import record_access
from apps.core.errors import BusinessRuleError
from apps.core.exports import xlsx_response
from apps.core.forms import add_rule_error
from apps.core.lists import paginate, query_without_page, wants_export
from apps.investment import permissions
from apps.investment.forms.rewards import (
    ClaimNoteForm,
    IntroducerFilterForm,
    IntroducerForm,
    PaymentForm,
    ReasonForm,
    RewardClaimFilterForm,
    RewardRuleForm,
    RewardTryForm,
    ShareFormSet,
    shares_of,
)
from apps.investment.models import Introducer, Project, RewardClaim, RewardRule
from apps.investment.permissions import get_project_for_user
from apps.investment.selectors import rewards as selectors
from apps.investment.selectors.rewards import (
    ADD_INTRODUCER,
    CHANGE_INTRODUCER,
    REVEAL_PERSONAL_DATA,
    VIEW_INTRODUCERS,
    VIEW_REWARDS,
    get_introducer_for_user,
    get_reward_claim_for_user,
)
from apps.investment.services import rewards as services

INTRODUCER_HEADERS = (
    gettext_lazy("姓名或名称"), gettext_lazy("类别"), gettext_lazy("联系电话"), gettext_lazy("身份证号"),
    gettext_lazy("备案单位"), gettext_lazy("备案日期"), gettext_lazy("引荐项目数"), gettext_lazy("奖励申报数"),
    gettext_lazy("备注"),
)  # fmt: skip
CLAIM_HEADERS = (
    gettext_lazy("项目编号"), gettext_lazy("项目名称"), gettext_lazy("责任单位"), gettext_lazy("引荐人"),
    gettext_lazy("引荐人类别"), gettext_lazy("奖励办法"), gettext_lazy("实际固定资产投资（万元）"),
    gettext_lazy("分成比例（%）"), gettext_lazy("奖励金额（万元）"), gettext_lazy("状态"), gettext_lazy("招商部门确认人"),
    gettext_lazy("招商部门确认时间"), gettext_lazy("区县确认人"), gettext_lazy("区县确认时间"), gettext_lazy("退回原因"),
    gettext_lazy("不予奖励理由"), gettext_lazy("兑付日期"), gettext_lazy("兑付凭证号"), gettext_lazy("申报人"),
    gettext_lazy("申报日期"),
)  # fmt: skip
REVEALABLE = {"phone": "查看引荐人完整联系电话", "id_number": "查看引荐人完整身份证号"}


# ---- introducers --------------------------------------------------------------------------


@login_required
@permission_required(VIEW_INTRODUCERS, raise_exception=True)
def introducer_list(request: HttpRequest) -> HttpResponse:
    form = IntroducerFilterForm(request.GET, units=selectors.filter_units(request.user))
    introducers = selectors.list_introducers(request.user)
    if form.is_valid():
        introducers = selectors.filter_introducers(introducers, form.cleaned_data)
    if wants_export(request):
        return _export_introducers(request, introducers)
    context = {"form": form, "page": paginate(request, introducers), "query": query_without_page(request)}
    return render(request, "investment/introducer_list.html", context)


def _export_introducers(request: HttpRequest, introducers) -> HttpResponse:
    """Masked like the screen, unless the user's role may see personal data in full (recorded either way)."""
    rows = list(introducers)
    full = request.user.has_perm(REVEAL_PERSONAL_DATA)
    what = "导出引荐人名录（含完整个人信息）" if full else "导出引荐人名录"
    record_access(request.user, by=request.user, what=what, rows=len(rows))
    data = (
        (
            i.name,
            i.get_kind_display(),
            i.phone if full else i.masked_phone,
            i.id_number if full else i.masked_id_number,
            i.unit.name,
            i.registered_on,
            i.project_count,
            i.reward_count,
            i.note,
        )
        for i in rows
    )
    return xlsx_response(_("引荐人名录"), [str(h) for h in INTRODUCER_HEADERS], data)


@login_required
@permission_required(ADD_INTRODUCER, raise_exception=True)
def introducer_create(request: HttpRequest) -> HttpResponse:
    if request.user.unit is None:
        raise PermissionDenied
    form = IntroducerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            introducer = services.register_introducer(unit=request.user.unit, by=request.user, **form.changes())
        except BusinessRuleError as error:
            add_rule_error(form, error)
        else:
            messages.success(request, _("已备案引荐人“%(name)s”。") % {"name": introducer.name})
            return redirect("investment:introducer_detail", pk=introducer.pk)
    return render(request, "investment/introducer_form.html", _introducer_form_context(form, None))


@login_required
def introducer_edit(request: HttpRequest, pk: int) -> HttpResponse:
    introducer = get_introducer_for_user(request.user, pk, action=CHANGE_INTRODUCER)
    personal = request.user.has_perm(REVEAL_PERSONAL_DATA)
    form = IntroducerForm(
        request.POST or None,
        initial=IntroducerForm.initial_for(introducer, personal=personal),
        masked=None if personal else introducer,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_introducer(introducer=introducer, by=request.user, **form.changes())
        except BusinessRuleError as error:
            add_rule_error(form, error)
        else:
            messages.success(request, _("已保存。"))
            return redirect("investment:introducer_detail", pk=introducer.pk)
    return render(request, "investment/introducer_form.html", _introducer_form_context(form, introducer))


def _introducer_form_context(form: IntroducerForm, introducer: Introducer | None) -> dict:
    chosen = form["enterprise"].value()
    enterprise = chosen if hasattr(chosen, "pk") else None
    if enterprise is None and str(chosen or "").isdigit():
        enterprise = form.fields["enterprise"].queryset.filter(pk=chosen).first()
    return {"form": form, "introducer": introducer, "enterprise": enterprise}


@login_required
def introducer_detail(request: HttpRequest, pk: int) -> HttpResponse:
    introducer = get_introducer_for_user(request.user, pk)
    projects = selectors.introducer_projects(request.user, introducer)
    claims = selectors.visible_reward_claims(request.user).filter(introducer=introducer)
    context = {
        "introducer": introducer,
        "projects": [(project, services.can_file(request.user, project)) for project in projects],
        "claims": claims.select_related("project", "rule") if request.user.has_perm(VIEW_REWARDS) else None,
        "can_change": request.user.has_perm(CHANGE_INTRODUCER)
        and introducer.unit.path.startswith(request.user.unit.path),
    }
    return render(request, "investment/introducer_detail.html", context)


@login_required
@require_POST
def introducer_reveal(request: HttpRequest, pk: int) -> HttpResponse:
    """The full phone or ID number, for a role allowed to see it; every reveal is recorded."""
    introducer = get_introducer_for_user(request.user, pk, action=REVEAL_PERSONAL_DATA)
    field = request.POST.get("field", "")
    if field not in REVEALABLE:
        return HttpResponseBadRequest()
    record_access(introducer, by=request.user, what=REVEALABLE[field])
    context = {"introducer": introducer, "field": field, "revealed": True}
    return render(request, "investment/introducer_detail.html#personal", context)


# ---- reward rules --------------------------------------------------------------------------


def _may_read_rules(user) -> bool:
    return user.has_perm(VIEW_REWARDS) or user.has_perm(permissions.MANAGE)


def _may_manage_rules(user) -> bool:
    """Rules are city-wide: the coordinating unit's administrators keep them."""
    return permissions.can_manage(user)


@login_required
def reward_rule_list(request: HttpRequest) -> HttpResponse:
    if not _may_read_rules(request.user):
        raise PermissionDenied
    rules = list(selectors.all_rules())
    current = services.rule_in_force(timezone.localdate())
    context = {
        "rules": [(rule, rule == current) for rule in rules],
        "can_manage": _may_manage_rules(request.user),
        "try_form": RewardTryForm(initial={"rule": rules[0].pk if rules else None}),
    }
    return render(request, "investment/reward_rule_list.html", context)


@login_required
def reward_rule_create(request: HttpRequest) -> HttpResponse:
    return _rule_form(request, None)


@login_required
def reward_rule_edit(request: HttpRequest, pk: int) -> HttpResponse:
    rule = RewardRule.objects.filter(pk=pk).first()
    if rule is None:
        raise Http404
    return _rule_form(request, rule)


def _rule_form(request: HttpRequest, rule: RewardRule | None) -> HttpResponse:
    if not _may_manage_rules(request.user):
        raise PermissionDenied
    initial = RewardRuleForm.initial_for(rule) if rule else {"claim_within_days": 365}
    form = RewardRuleForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.save_reward_rule(rule=rule, by=request.user, **form.cleaned_data)
        except BusinessRuleError as error:
            add_rule_error(form, error)
        else:
            messages.success(request, _("已保存奖励办法“%(name)s”。") % {"name": saved.name})
            return redirect("investment:reward_rule_list")
    context = {"form": form, "rule": rule, "used": bool(rule and RewardClaim.objects.filter(rule=rule).exists())}
    return render(request, "investment/reward_rule_form.html", context)


@login_required
def reward_rule_try(request: HttpRequest) -> HttpResponse:
    """试算: the computation band by band, for a saved rule or for the bands being edited (htmx fragment)."""
    if not _may_read_rules(request.user):
        raise PermissionDenied
    form = RewardTryForm(request.GET)
    computation, errors = None, []
    if form.is_valid():
        data = form.cleaned_data
        rule = data.get("rule")
        bands = rule.bands if rule else data.get("parsed_bands", [])
        cap = rule.cap if rule else data.get("cap")
        try:
            services.check_bands(bands)
        except BusinessRuleError as error:
            errors.append(error.message)
        else:
            computation = services.compute_reward(bands, cap, data["amount"])
    else:
        errors = [message for messages_ in form.errors.values() for message in messages_]
    context = {"computation": computation, "errors": errors, "share": 100}
    return render(request, "investment/reward_computation.html", context)


# ---- reward claims -------------------------------------------------------------------------


@login_required
@permission_required(VIEW_REWARDS, raise_exception=True)
def reward_claim_list(request: HttpRequest) -> HttpResponse:
    form = RewardClaimFilterForm(request.GET, units=selectors.filter_units(request.user), years=selectors.claim_years())
    claims = selectors.list_reward_claims(request.user)
    if form.is_valid():
        claims = selectors.filter_reward_claims(claims, form.cleaned_data, user=request.user)
    if wants_export(request):
        return _export_claims(request, claims)
    page = paginate(request, claims)
    context = {
        "form": form,
        "page": page,
        "query": query_without_page(request),
        "labels": {claim.pk: selectors.progress_label(claim) for claim in page.object_list},
        "returns": {claim.pk: selectors.return_reason(claim) for claim in page.object_list},
        "total": claims.aggregate(total=Sum("amount"))["total"],
        "claimable": selectors.claimable_projects(request.user),
    }
    return render(request, "investment/reward_claim_list.html", context)


def _export_claims(request: HttpRequest, claims) -> HttpResponse:
    rows = list(claims)
    record_access(request.user, by=request.user, what="导出引荐奖励", rows=len(rows))
    data = (
        (
            c.project.code,
            c.project.name,
            c.project.unit.name,
            c.introducer.name,
            c.introducer.get_kind_display(),
            c.rule.name,
            c.base_investment,
            c.share,
            c.amount,
            selectors.progress_label(c),
            c.bureau_confirmed_by.name if c.bureau_confirmed_by else "",
            _local(c.bureau_confirmed_at),
            c.county_confirmed_by.name if c.county_confirmed_by else "",
            _local(c.county_confirmed_at),
            selectors.return_reason(c),
            c.rejected_reason,
            c.paid_on,
            c.voucher_number,
            c.created_by.name,
            timezone.localtime(c.created_at).date(),
        )
        for c in rows
    )
    return xlsx_response(_("引荐奖励台账"), [str(h) for h in CLAIM_HEADERS], data)


def _local(moment: datetime | None) -> datetime | str:
    """A local wall-clock time for a spreadsheet cell (openpyxl refuses aware datetimes); "" when unset."""
    return timezone.localtime(moment).replace(tzinfo=None) if moment else ""


@login_required
def reward_claim_create(request: HttpRequest, pk: int) -> HttpResponse:
    """File (or, after a return, file again) the reward of a producing project's introducers."""
    project = get_project_for_user(request.user, pk)
    if not services.can_file(request.user, project):
        raise PermissionDenied
    project = Project.objects.select_related("unit", "introducer", "enterprise").get(pk=project.pk)
    problems = services.filing_problems(project)
    introducers = selectors.visible_introducers(request.user) | Introducer.objects.filter(pk=project.introducer_id)
    formset = ShareFormSet(
        request.POST or None, initial=_initial_shares(project), form_kwargs={"introducers": introducers.distinct()}
    )
    note_form = ClaimNoteForm(request.POST or None)
    context = _claim_form_context(project, problems, formset, note_form)
    if request.method == "POST" and not problems and formset.is_valid() and note_form.is_valid():
        try:
            claims = services.file_reward_claims(
                project=project, shares=shares_of(formset), note=note_form.cleaned_data["note"], by=request.user
            )
        except BusinessRuleError as error:
            context["filing_error"] = error.message
        else:
            messages.success(request, _("已申报引荐奖励，待招商部门和区县确认。"))
            return redirect("investment:reward_claim_detail", pk=claims[0].pk)
    return render(request, "investment/reward_claim_form.html", context)


def _initial_shares(project: Project) -> list[dict]:
    """The shares filed before (when filing again after a return), or the project's introducer at 100%."""
    filed = RewardClaim.objects.filter(project=project, status=RewardClaim.Status.SUBMITTED).order_by("id")
    if filed:
        return [{"introducer": claim.introducer_id, "share": claim.share} for claim in filed]
    return [{"introducer": project.introducer_id, "share": 100}] if project.introducer_id else []


def _claim_form_context(project: Project, problems: list[str], formset, note_form) -> dict:
    rule = services.rule_for(project) if project.producing_on else None
    base = services.actual_fixed_asset(project)
    return {
        "project": project,
        "problems": problems,
        "formset": formset,
        "note_form": note_form,
        "rule": rule,
        "base": base,
        "deadline": services.claim_deadline(project, rule) if rule else None,
        "computation": services.compute_reward(rule.bands, rule.cap, base) if rule else None,
    }


@login_required
def reward_claim_detail(request: HttpRequest, pk: int) -> HttpResponse:
    claim = get_reward_claim_for_user(request.user, pk)
    return render(request, "investment/reward_claim_detail.html", _claim_context(request, claim))


def _claim_context(request: HttpRequest, claim: RewardClaim, **forms) -> dict:
    actions = services.allowed_actions(claim, request.user)
    side = services.side_to_confirm(claim, request.user) if services.CONFIRM in actions else None
    current_base = services.actual_fixed_asset(claim.project)
    return {
        "claim": claim,
        "label": selectors.progress_label(claim),
        "computation": services.compute_reward(claim.rule.bands, claim.rule.cap, claim.base_investment),
        "actions": [action.kind for action in actions],
        "confirm_side": {services.BUREAU: _("招商部门"), services.COUNTY: _("区县")}.get(side, ""),
        "reason_form": forms.get("reason_form") or ReasonForm(),
        "payment_form": forms.get("payment_form") or PaymentForm(),
        "timeline": selectors.claim_timeline(claim),
        "base_changed": current_base if current_base != claim.base_investment else None,
        "returned": selectors.return_reason(claim),
    }


@login_required
@require_POST
def reward_claim_act(request: HttpRequest, pk: int) -> HttpResponse:
    """Confirm, return, refuse or record the payment: what ``allowed_actions`` offers the user."""
    claim = get_reward_claim_for_user(request.user, pk)
    action = services.ACTIONS.get(request.POST.get("action", ""))
    if action is None or action not in services.allowed_actions(claim, request.user):
        messages.error(request, _("当前不能对该奖励申报执行这一操作。"))
        return redirect("investment:reward_claim_detail", pk=claim.pk)
    reason_form, payment_form = ReasonForm(request.POST), PaymentForm(request.POST)
    form = payment_form if action == services.PAY else reason_form
    if action != services.CONFIRM and not form.is_valid():
        return _claim_page(request, claim, reason_form=reason_form, payment_form=payment_form)
    try:
        _perform(action, claim, form, request.user)
    except BusinessRuleError as error:
        add_rule_error(form, error)
        return _claim_page(request, claim, reason_form=reason_form, payment_form=payment_form)
    messages.success(request, _("已%(action)s。") % {"action": action.label})
    return redirect("investment:reward_claim_detail", pk=claim.pk)


def _perform(action: services.Action, claim: RewardClaim, form, user) -> None:
    if action == services.CONFIRM:
        services.confirm_reward_claim(claim=claim, by=user)
    elif action == services.RETURN:
        services.return_reward_claim(claim=claim, reason=form.cleaned_data["reason"], by=user)
    elif action == services.REJECT:
        services.reject_reward_claim(claim=claim, reason=form.cleaned_data["reason"], by=user)
    else:
        services.pay_reward_claim(claim=claim, by=user, **form.cleaned_data)


def _claim_page(request: HttpRequest, claim: RewardClaim, **forms) -> HttpResponse:
    context = _claim_context(request, claim, **forms)
    return render(request, "investment/reward_claim_detail.html", context)
