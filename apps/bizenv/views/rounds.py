"""Evaluation-round pages: the rounds, one round's progress, the lead units' entry sheets and their review,
the references, and the round's life (open, close, compute, publish, disclosure).

Rounds are city-wide: every holder of VIEW_ROUND sees the list; what each sees inside a round (values,
results) is decided by apps/bizenv/permissions.py. The rules live in services/rounds.py and results.py.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.bizenv import permissions
from apps.bizenv.models import Entry, Indicator, Reference, Round
from apps.bizenv.round_forms import (
    DisclosureForm,
    EntryFilterForm,
    EntrySheetForm,
    ReferenceForm,
    ReviewForm,
    RoundFilterForm,
    RoundForm,
)
from apps.bizenv.services import entry_excel, platform_values, results, rounds
from apps.core.audit import record_access
from apps.core.errors import BusinessRuleError
from apps.core.exports import xlsx_response
from apps.core.forms import add_rule_error
from apps.core.import_views import import_page
from apps.core.lists import paginate, query_without_page, wants_export

VIEW, MANAGE = permissions.VIEW_ROUND, permissions.MANAGE_ROUND


def round_for(request: HttpRequest, pk: int, *, permission: str = VIEW) -> Round:
    queryset = permissions.visible_rounds(request.user).select_related("methodology")
    return permissions.get_for_user(queryset, request.user, pk, permission=permission)


def _done(request: HttpRequest, action, message: str, **kwargs) -> bool:
    """Run a service call; a broken rule becomes an error message. True when it went through."""
    try:
        action(by=request.user, **kwargs)
    except BusinessRuleError as error:
        messages.error(request, error.message)
        return False
    messages.success(request, message)
    return True


@login_required
@permission_required(VIEW, raise_exception=True)
def round_list(request: HttpRequest) -> HttpResponse:
    form = RoundFilterForm(request.GET)
    found = permissions.visible_rounds(request.user).select_related("methodology")
    if form.is_valid():
        if form.cleaned_data["q"]:
            found = found.filter(name__icontains=form.cleaned_data["q"].strip())
        if form.cleaned_data["year"]:
            found = found.filter(year=form.cleaned_data["year"])
        if form.cleaned_data["status"]:
            found = found.filter(status=form.cleaned_data["status"])
    context = {
        "form": form,
        "page": paginate(request, found),
        "query": query_without_page(request),
        "can_manage": permissions.can_manage_rounds(request.user),
    }
    return render(request, "bizenv/round_list.html", context)


@login_required
@permission_required(MANAGE, raise_exception=True)
def round_create(request: HttpRequest) -> HttpResponse:
    form = RoundForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            round_ = rounds.create_round(
                methodology=form.cleaned_data["methodology"],
                fields=form.round_fields(),
                units=list(form.cleaned_data["units"]),
                by=request.user,
            )
        except BusinessRuleError as error:
            add_rule_error(form, error)
        else:
            messages.success(request, _("已建立评价轮次“%(name)s”。") % {"name": round_.name})
            return redirect("bizenv:round_detail", pk=round_.pk)
    return render(request, "bizenv/round_form.html", {"form": form, "title": _("新建评价轮次")})


@login_required
def round_edit(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = round_for(request, pk, permission=MANAGE)
    form = RoundForm(request.POST or None, round_=round_)
    if request.method == "POST" and form.is_valid():
        try:
            rounds.update_round(
                round_=round_, fields=form.round_fields(), units=list(form.cleaned_data["units"]), by=request.user
            )
        except BusinessRuleError as error:
            add_rule_error(form, error)
        else:
            messages.success(request, _("已保存。"))
            return redirect("bizenv:round_detail", pk=round_.pk)
    context = {"form": form, "round": round_, "title": _("修改评价轮次")}
    return render(request, "bizenv/round_form.html", context)


@login_required
@require_POST
def round_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Open, close, compute, publish or delete a round (the organiser only)."""
    round_ = round_for(request, pk, permission=MANAGE)
    actions = {
        "open": (rounds.open_round, _("已开始填报。")),
        "close": (rounds.close_round, _("已截止填报，进入审核。")),
        "compute": (results.compute, _("已按当前数据试算结果（仅组织单位可见）。")),
        "platform": (platform_values.fill_from_platform, _("已从本平台的办件记录取数，请审核。")),
        "publish": (results.publish_round, _("已发布评价结果，本轮次数据已锁定。")),
        "delete": (rounds.delete_round, _("已删除评价轮次。")),
    }
    if action not in actions:
        raise Http404
    service, message = actions[action]
    if _done(request, service, message, round_=round_) and action == "delete":
        return redirect("bizenv:round_list")
    return redirect("bizenv:round_detail", pk=round_.pk)


@login_required
@require_POST
def round_disclosure(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = round_for(request, pk, permission=MANAGE)
    form = DisclosureForm(request.POST)
    if form.is_valid():
        _done(
            request,
            rounds.set_disclosure,
            _("已修改结果公开范围。"),
            round_=round_,
            disclosure=form.cleaned_data["disclosure"],
        )
    return redirect("bizenv:round_detail", pk=round_.pk)


def _filtered_progress(round_: Round, request: HttpRequest, form: EntryFilterForm) -> list:
    indicators = rounds.indicators_of(round_.methodology)
    rows = rounds.progress(round_, indicators)
    if not form.is_valid():
        return rows
    words = form.cleaned_data["q"].strip()
    if words:
        rows = [row for row in rows if words in row.indicator.code or words in row.indicator.name]
    if form.cleaned_data["mine"]:
        rows = [row for row in rows if permissions.leads(request.user, row.indicator)]
    wanted = form.cleaned_data["status"]
    tests = {
        "missing": lambda row: row.missing > 0,
        "waiting": lambda row: row.counts.get(Entry.Status.SUBMITTED, 0) > 0,
        "returned": lambda row: row.counts.get(Entry.Status.RETURNED, 0) > 0,
    }
    return [row for row in rows if tests[wanted](row)] if wanted else rows


@login_required
def round_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The round's settings, the entry progress per indicator (filterable, exportable) and its actions."""
    round_ = round_for(request, pk)
    form = EntryFilterForm(request.GET)
    rows = _filtered_progress(round_, request, form)
    if wants_export(request):
        headers = [
            _("指标代码"),
            _("指标名称"),
            _("牵头单位"),
            _("应填"),
            _("已填"),
            _("待审核"),
            _("已退回"),
            _("已审核"),
        ]
        data = [
            [
                row.indicator.code,
                row.indicator.name,
                str(row.indicator.lead_unit or ""),
                row.expected,
                row.entered,
                row.counts.get(Entry.Status.SUBMITTED, 0),
                row.counts.get(Entry.Status.RETURNED, 0),
                row.approved,
            ]
            for row in rows
        ]
        record_access(round_, by=request.user, what="导出评价填报进度", rows=len(data))
        return xlsx_response(_("%(name)s填报进度") % {"name": round_.name}, headers, data)
    context = {
        "round": round_,
        "form": form,
        "page": paginate(request, rows, per_page=50),
        "query": query_without_page(request),
        "units": list(round_.units.order_by("path")),
        "can_manage": permissions.can_manage_rounds(request.user),
        "waiting": rounds.unreviewed(round_),
        "disclosure_form": DisclosureForm(initial={"disclosure": round_.disclosure}),
        "sees_results": permissions.visible_results(request.user, round_).exists(),
    }
    return render(request, "bizenv/round_detail.html", context)


def _indicator_in(round_: Round, indicator_pk: int) -> Indicator:
    return get_object_or_404(
        Indicator.objects.select_related("lead_unit"), pk=indicator_pk, methodology=round_.methodology
    )


@login_required
def entry_sheet(request: HttpRequest, pk: int, indicator_pk: int) -> HttpResponse:
    """One indicator's values for every county: the lead unit enters and submits, the organiser reviews."""
    round_ = round_for(request, pk)
    indicator = _indicator_in(round_, indicator_pk)
    can_review = permissions.can_manage_rounds(request.user)
    if not (permissions.leads(request.user, indicator) or can_review or permissions.sees_all(request.user)):
        raise PermissionDenied
    units = list(round_.units.order_by("path"))
    entries = {entry.unit_id: entry for entry in Entry.objects.filter(round=round_, indicator=indicator)}
    form = EntrySheetForm(request.POST or None, indicator=indicator, units=units, entries=entries)
    if request.method == "POST" and form.is_valid() and _save_sheet(request, round_, indicator, form):
        return redirect("bizenv:entry_sheet", pk=round_.pk, indicator_pk=indicator.pk)
    context = {
        "round": round_,
        "indicator": indicator,
        "form": form,
        "entries": entries,
        "may_enter": any(rounds.can_enter(request.user, round_, indicator, entries.get(u.pk)) for u in units),
        "can_review": can_review and round_.status in (Round.Status.OPEN, Round.Status.CLOSED),
        "review_form": ReviewForm(),
    }
    return render(request, "bizenv/entry_sheet.html", context)


class _SheetError(Exception):
    """Raised inside the sheet's transaction so that a sheet with one bad value saves none."""


def _save_sheet(request: HttpRequest, round_: Round, indicator: Indicator, form: EntrySheetForm) -> bool:
    """Save every changed value or none; "submit" also sends them for review."""
    saved = submitted = 0
    try:
        with transaction.atomic():
            for unit, value, note in form.changed_values():
                try:
                    rounds.save_entry(
                        round_=round_, unit=unit, indicator=indicator, value=value, note=note, by=request.user
                    )
                except BusinessRuleError as error:
                    form.add_error(f"value_{unit.pk}", error.message)
                saved += 1
            if form.errors:
                raise _SheetError
            if "submit" in request.POST:
                submitted = rounds.submit_entries(round_=round_, indicator=indicator, by=request.user)
    except _SheetError:
        return False
    except BusinessRuleError as error:
        add_rule_error(form, error)
        return False
    messages.success(
        request, _("已保存 %(saved)s 项，报送 %(submitted)s 项。") % {"saved": saved, "submitted": submitted}
    )
    return True


@login_required
@require_POST
def entry_review(request: HttpRequest, pk: int) -> HttpResponse:
    """Approve or return one submitted value (the organiser)."""
    entry = Entry.objects.select_related("round", "indicator").filter(pk=pk).first()
    if entry is None or not permissions.visible_entries(request.user, entry.round).filter(pk=pk).exists():
        raise Http404
    permissions.require(permissions.can_manage_rounds(request.user))
    form = ReviewForm(request.POST)
    approve = request.POST.get("decision") == "approve"
    if form.is_valid():
        message = _("已审核通过。") if approve else _("已退回牵头单位。")
        _done(request, rounds.review_entry, message, entry=entry, approve=approve, comment=form.cleaned_data["comment"])
    return redirect("bizenv:entry_sheet", pk=entry.round_id, indicator_pk=entry.indicator_id)


@login_required
@require_POST
def entry_approve_all(request: HttpRequest, pk: int, indicator_pk: int) -> HttpResponse:
    round_ = round_for(request, pk, permission=MANAGE)
    indicator = _indicator_in(round_, indicator_pk)
    _done(request, rounds.approve_submitted, _("已审核通过该指标全部待审核数据。"), round_=round_, indicator=indicator)
    return redirect("bizenv:entry_sheet", pk=round_.pk, indicator_pk=indicator.pk)


@login_required
def entry_import(request: HttpRequest, pk: int) -> HttpResponse:
    """The lead unit's sheet: download it with what is entered, upload it filled in (all or nothing)."""
    round_ = round_for(request, pk, permission=permissions.ENTER_VALUE)
    if wants_export(request):
        headers, rows = entry_excel.export_rows(round_, request.user)
        record_access(round_, by=request.user, what="导出评价填报表", rows=len(rows))
        return xlsx_response(_("%(name)s填报表") % {"name": round_.name}, headers, rows)

    def done(report) -> HttpResponse:
        messages.success(
            request,
            _("已导入 %(rows)s 行：新增 %(created)s 项，更新 %(updated)s 项；请在各指标页报送。")
            % {"rows": report.rows, "created": report.created, "updated": report.updated},
        )
        return redirect("bizenv:round_detail", pk=round_.pk)

    return import_page(
        request,
        template="bizenv/entry_import.html",
        context={"round": round_},
        run=lambda content: entry_excel.import_entries(round_=round_, content=content, by=request.user),
        done=done,
        label=_("填报表（.xlsx）"),
    )


@login_required
def reference_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The province's and city's averages of each indicator (the organiser)."""
    round_ = round_for(request, pk, permission=MANAGE)
    indicators = rounds.leaves(rounds.indicators_of(round_.methodology))
    existing = {(r.indicator_id, r.level): r.value for r in Reference.objects.filter(round=round_)}
    form = ReferenceForm(request.POST or None, indicators=indicators, references=existing)
    if request.method == "POST" and form.is_valid():
        try:
            changed = rounds.save_references(
                round_=round_, values=form.values(), source=form.cleaned_data["source"], by=request.user
            )
        except BusinessRuleError as error:
            add_rule_error(form, error)
        else:
            messages.success(request, _("已保存 %(n)s 项参考值。") % {"n": changed})
            return redirect("bizenv:round_detail", pk=round_.pk)
    return render(request, "bizenv/reference_form.html", {"round": round_, "form": form})
