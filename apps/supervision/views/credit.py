"""The credit lists' pages: the ledger with its export, an entry with its history, repairs and effects log, the
entry form, the repair request and decision, the effect rules, and the Excel import.

Reading needs VIEW_CREDIT (city-wide: no data scope, see permissions.py). Writes are for whom
services/credit.py allows; a user who may read but not act gets a 403.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.core.audit import record_access
from apps.core.errors import BusinessRuleError
from apps.core.exports import xlsx_response
from apps.core.forms import add_rule_error
from apps.core.import_views import preview_import_page
from apps.core.lists import paginate, query_without_page, wants_export
from apps.supervision import credit_selectors as selectors
from apps.supervision import permissions
from apps.supervision.credit_forms import CreditEntryForm, CreditFilterForm, DecisionForm, EffectRuleForm, RepairForm
from apps.supervision.models import CreditEffectRule, CreditEntry, CreditPlace, CreditRepair, CreditState
from apps.supervision.services import credit as services
from apps.supervision.services.credit_import import import_entries, template_headers

VIEW = permissions.VIEW_CREDIT


def _entry(request: HttpRequest, pk: int) -> CreditEntry:
    queryset = CreditEntry.objects.select_related("enterprise", "recording_unit", "recorded_by")
    return permissions.get_credit_entry_for_user(request.user, pk, queryset=queryset)


def _repair(request: HttpRequest, pk: int) -> CreditRepair:
    permissions.require(request.user.has_perm(VIEW))
    repair = CreditRepair.objects.select_related("entry__recording_unit", "entry__enterprise").filter(pk=pk).first()
    if repair is None:
        raise Http404
    return repair


# ---- the ledger -------------------------------------------------------------------------------


@login_required
@permission_required(VIEW, raise_exception=True)
def credit_list(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    form = CreditFilterForm(request.GET)
    entries = selectors.list_entries()
    if form.is_valid():
        entries = selectors.filter_entries(entries, form.cleaned_data, today)
    if wants_export(request):
        rows = selectors.export_rows(entries, today)
        record_access(request.user, by=request.user, what="导出信用红黑名单", rows=len(rows))
        return xlsx_response(_("信用红黑名单"), selectors.EXPORT_HEADERS, rows)
    page = paginate(request, entries)
    page.object_list = selectors.with_states(page.object_list, today)
    context = {
        "form": form,
        "page": page,
        "query": query_without_page(request),
        "can_manage": permissions.can_manage_credit(request.user),
    }
    return render(request, "supervision/credit/entry_list.html", context)


# ---- one entry --------------------------------------------------------------------------------


def _detail(request: HttpRequest, entry: CreditEntry, **forms) -> HttpResponse:
    user = request.user
    today = timezone.localdate()
    repairs = list(entry.repairs.select_related("requested_by", "decided_by"))
    for repair in repairs:
        repair.entry = entry
        repair.moves = services.allowed_repair_moves(repair, user)
    may_request = services.can_request_repair(user, entry, today)
    context = {
        "entry": entry,
        "state": entry.state_on(today),
        "state_label": CreditState(entry.state_on(today)).label,
        "events": entry.events.select_related("actor"),
        "repairs": repairs,
        "effects": selectors.effect_logs(CreditEntry.objects.filter(pk=entry.pk))[:50],
        "repair_form": forms.get("repair_form") or (RepairForm() if may_request else None),
        "decision_form": forms.get("decision_form") or DecisionForm(),
        "can_edit": permissions.can_edit_credit(user, entry) and entry.repaired_at is None,
    }
    return render(request, "supervision/credit/entry_detail.html", context)


@login_required
def credit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, _entry(request, pk))


@login_required
def credit_create(request: HttpRequest) -> HttpResponse:
    permissions.require(permissions.can_manage_credit(request.user))
    return _form(request, None)


@login_required
def credit_edit(request: HttpRequest, pk: int) -> HttpResponse:
    entry = _entry(request, pk)
    permissions.require(permissions.can_edit_credit(request.user, entry))
    return _form(request, entry)


def _form(request: HttpRequest, entry: CreditEntry | None) -> HttpResponse:
    initial = {"uscc": request.GET.get("uscc", "")} if entry is None else None
    form = CreditEntryForm(request.POST or None, instance=entry, initial=initial)
    if request.method == "POST" and form.is_valid():
        values = dict(form.cleaned_data)
        try:
            if entry is None:
                entry = services.create_entry(**values, by=request.user)
            else:
                services.update_entry(entry=entry, by=request.user, **values)
        except BusinessRuleError as error:
            add_rule_error(form, error)
        else:
            messages.success(request, _("已保存信用名单条目。"))
            return redirect("supervision:credit_detail", pk=entry.pk)
    return render(request, "supervision/credit/entry_form.html", {"form": form, "entry": entry})


@login_required
@require_POST
def credit_repair_request(request: HttpRequest, pk: int) -> HttpResponse:
    entry = _entry(request, pk)
    permissions.require(services.can_request_repair(request.user, entry))
    form = RepairForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.request_repair(entry=entry, by=request.user, **form.cleaned_data)
        except BusinessRuleError as error:
            add_rule_error(form, error)
        else:
            messages.success(request, _("已提交信用修复申请，待其他审核人审核。"))
            return redirect("supervision:credit_detail", pk=entry.pk)
    return _detail(request, entry, repair_form=form)


@login_required
@require_POST
def credit_repair_decide(request: HttpRequest, pk: int) -> HttpResponse:
    repair = _repair(request, pk)
    action = request.POST.get("action", "")
    move = services.REPAIR_MOVES.get(action)
    permissions.require(move is not None and move in services.allowed_repair_moves(repair, request.user))
    form = DecisionForm(request.POST)
    if form.is_valid():
        try:
            services.decide_repair(repair=repair, action=action, by=request.user, **form.cleaned_data)
        except BusinessRuleError as error:
            add_rule_error(form, error)
        else:
            messages.success(request, _("已%(move)s。") % {"move": move.label})
            return redirect("supervision:credit_detail", pk=repair.entry_id)
    return _detail(request, _entry(request, repair.entry_id), decision_form=form)


@login_required
def credit_repair_evidence(request: HttpRequest, pk: int) -> FileResponse:
    """A repair's evidence, for those who read the lists."""
    repair = _repair(request, pk)
    if not repair.evidence:
        raise Http404
    return FileResponse(repair.evidence.open("rb"), as_attachment=True, filename=repair.evidence_filename)


# ---- effect rules -----------------------------------------------------------------------------


@login_required
@permission_required(VIEW, raise_exception=True)
def credit_rules(request: HttpRequest) -> HttpResponse:
    places = list(CreditPlace.values)
    rules = sorted(CreditEffectRule.objects.select_related("updated_by"), key=lambda r: (r.kind, places.index(r.place)))
    context = {"rules": rules, "can_edit": permissions.can_edit_credit_rules(request.user)}
    return render(request, "supervision/credit/rule_list.html", context)


@login_required
def credit_rule_edit(request: HttpRequest, pk: int) -> HttpResponse:
    permissions.require(permissions.can_edit_credit_rules(request.user))
    rule = CreditEffectRule.objects.filter(pk=pk).first()
    if rule is None:
        raise Http404
    form = EffectRuleForm(request.POST or None, instance=rule)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_effect_rule(rule=rule, by=request.user, **form.cleaned_data)
        except BusinessRuleError as error:
            add_rule_error(form, error)
        else:
            messages.success(request, _("已保存联合奖惩规则。"))
            return redirect("supervision:credit_rules")
    return render(request, "supervision/credit/rule_form.html", {"form": form, "rule": rule})


# ---- import -----------------------------------------------------------------------------------


@login_required
def credit_import(request: HttpRequest) -> HttpResponse:
    """Upload → preview (every row checked, nothing kept) → 确认导入 (all or nothing)."""
    permissions.require(permissions.can_manage_credit(request.user))

    def done(report) -> HttpResponse:
        messages.success(request, _("已导入 %(n)s 条信用名单条目。") % {"n": report.created})
        return redirect("supervision:credit_list")

    return preview_import_page(
        request, key="supervision_credit_import", template="supervision/credit/entry_import.html", done=done,
        run=lambda content, commit: import_entries(content=content, commit=commit, by=request.user),
        restart="supervision:credit_import",
    )  # fmt: skip


@login_required
def credit_import_template(request: HttpRequest) -> HttpResponse:
    """An empty sheet with the import's columns and one example row."""
    permissions.require(permissions.can_manage_credit(request.user))
    example = (
        "91440101MA5CXXXX0X", "示范市某某建材有限公司", "黑名单", "法院失信被执行人", "有履行能力而拒不履行生效法律文书确定的义务",
        "《最高人民法院关于公布失信被执行人名单信息的若干规定》", "（2026）示01执123号", "2026-03-01", "", "2029-02-28",
    )  # fmt: skip
    return xlsx_response(_("信用名单导入模板"), template_headers(), [example])
