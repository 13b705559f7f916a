"""Ranking pages: the snapshots, a ranking with its corrections, the live standing against the
time-progress, and the leader's page. The rules: services/snapshots.py and services/scoring.py."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.assessment import permissions
from apps.assessment.forms.rankings import CorrectionForm, SnapshotFilterForm, StandingForm, TakeSnapshotForm
from apps.assessment.models import Correction, Snapshot
from apps.assessment.selectors import rankings as selectors
from apps.assessment.services.bulletins import KIND_BY_PERIOD, current_bulletin
from apps.assessment.services.periods import ended_periods
from apps.assessment.services.snapshots import explain_correction, take_snapshot
from apps.core.audit import record_access
from apps.core.errors import BusinessRuleError
from apps.core.exports import xlsx_response
from apps.core.forms import add_rule_error
from apps.core.lists import paginate, query_without_page, wants_export


def _scheme(request: HttpRequest, pk: int):
    return permissions.get_for_user(
        permissions.visible_schemes(request.user), request.user, pk, permission=permissions.VIEW
    )


@login_required
@permission_required(permissions.VIEW, raise_exception=True)
def snapshot_list(request: HttpRequest) -> HttpResponse:
    schemes = permissions.visible_schemes(request.user).order_by("-year", "group")
    form = SnapshotFilterForm(request.GET, schemes=schemes)
    snapshots = selectors.visible_snapshots(request.user).order_by("-ends_on", "scheme", "kind")
    if form.is_valid():
        if form.cleaned_data["scheme"]:
            snapshots = snapshots.filter(scheme=form.cleaned_data["scheme"])
        if form.cleaned_data["kind"]:
            snapshots = snapshots.filter(kind=form.cleaned_data["kind"])
    context = {"form": form, "page": paginate(request, snapshots), "query": query_without_page(request)}
    return render(request, "assessment/snapshot_list.html", context)


@login_required
@permission_required(permissions.TAKE_SNAPSHOT, raise_exception=True)
def snapshot_take(request: HttpRequest, pk: int) -> HttpResponse:
    """Take a snapshot of an ended period now, rather than waiting for the daily scan."""
    scheme = _scheme(request, pk)
    if not permissions.runs(request.user, scheme):
        raise PermissionDenied
    taken = set(scheme.snapshots.values_list("kind", "ends_on"))
    today = timezone.localdate()
    periods = [
        period
        for kind in scheme.snapshot_kinds
        for period in ended_periods(kind, scheme.year, today)
        if (period.kind, period.ends_on) not in taken
    ]
    form = TakeSnapshotForm(request.POST or None, periods=periods)
    if request.method == "POST" and form.is_valid():
        try:
            snapshot = take_snapshot(scheme=scheme, period=form.chosen(), by=request.user)
        except BusinessRuleError as error:
            add_rule_error(form, error)
        else:
            messages.success(request, _("已生成%(label)s考核快照。") % {"label": snapshot.label})
            return redirect("assessment:snapshot_detail", pk=snapshot.pk)
    return render(request, "assessment/snapshot_take.html", {"scheme": scheme, "form": form, "periods": periods})


@login_required
@permission_required(permissions.VIEW, raise_exception=True)
def snapshot_detail(request: HttpRequest, pk: int) -> HttpResponse:
    snapshot = permissions.get_for_user(
        selectors.visible_snapshots(request.user), request.user, pk, permission=permissions.VIEW
    )
    cols, lines = selectors.ranking(snapshot)
    if wants_export(request):
        return _export(request, snapshot, cols, lines)
    corrections = list(snapshot.corrections.select_related("unit", "metric", "corrects", "explained_by"))
    context = {
        "snapshot": snapshot,
        "scheme": snapshot.scheme,
        "columns": cols,
        "lines": lines,
        "corrections": corrections,
        "can_explain": request.user.has_perm(permissions.TAKE_SNAPSHOT)
        and permissions.runs(request.user, snapshot.scheme),
        "correction_form": CorrectionForm(),
        "bulletin": current_bulletin(snapshot),
        "can_issue": snapshot.kind in KIND_BY_PERIOD
        and request.user.has_perm(permissions.ISSUE_BULLETIN)
        and permissions.runs(request.user, snapshot.scheme),
    }
    return render(request, "assessment/snapshot_detail.html", context)


def _export(request: HttpRequest, snapshot: Snapshot, cols, lines) -> HttpResponse:
    record_access(snapshot, by=request.user, what="导出考核排名", rows=len(lines))
    headers = [_("名次"), _("单位"), _("得分"), _("扣分"), _("上期名次"), _("变化"), *[c.name for c in cols], _("备注")]
    rows = (
        [
            line.rank, line.unit.name, line.score, line.deducted, line.previous_rank or "",
            {"up": "↑", "down": "↓", "same": "→"}.get(line.change, _("新")),
            *[cell.actual for cell in line.cells], _flags(line),
        ]
        for line in lines
    )  # fmt: skip
    return xlsx_response(f"{snapshot.scheme.name}-{snapshot.label}", headers, rows)


def _flags(line) -> str:
    flags = [_("通报表扬")] if line.praised else []
    if line.admonish:
        flags.append(_("约谈"))
    if line.accountability:
        flags.append(_("连续两期靠后，问责审查"))
    return "、".join(flags)


@login_required
@require_POST
def correction_explain(request: HttpRequest, pk: int) -> HttpResponse:
    visible = Correction.objects.filter(snapshot__in=selectors.visible_snapshots(request.user))
    correction = permissions.get_for_user(visible, request.user, pk, permission=permissions.TAKE_SNAPSHOT)
    if not permissions.runs(request.user, correction.snapshot.scheme):
        raise PermissionDenied
    form = CorrectionForm(request.POST)
    if form.is_valid():
        try:
            explain_correction(correction=correction, reason=form.cleaned_data["reason"], by=request.user)
        except BusinessRuleError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("已记录更正理由。"))
    else:
        messages.error(request, _("请填写更正理由。"))
    return redirect("assessment:snapshot_detail", pk=correction.snapshot_id)


@login_required
@permission_required(permissions.VIEW, raise_exception=True)
def standing(request: HttpRequest, pk: int) -> HttpResponse:
    """Every unit's figures up to yesterday against its time-progress (序时进度), red/amber/green."""
    scheme = _scheme(request, pk)
    items = list(scheme.items.select_related("metric").order_by("order", "pk"))
    if not items:
        return render(request, "assessment/standing.html", {"scheme": scheme, "lines": [], "no_items": True})
    form = StandingForm(request.GET, items=items)
    chosen = form.cleaned_data["item"] if form.is_valid() and form.cleaned_data["item"] else items[0].pk
    cols, lines, day = selectors.standing(scheme)
    index = next((n for n, col in enumerate(cols) if col.id == chosen), 0)
    context = {
        "scheme": scheme,
        "form": form,
        "columns": cols,
        "lines": lines,
        "day": day,
        "chart": selectors.progress_chart(lines, index),
        "chart_item": cols[index],
        "behind": [line for line in lines if line.light == "red"],
    }
    return render(request, "assessment/standing.html", context)


@login_required
@permission_required(permissions.VIEW, raise_exception=True)
def leader(request: HttpRequest) -> HttpResponse:
    """This period's rankings of the counties and the departments, and who is behind the time-progress."""
    panels = []
    for scheme in selectors.current_schemes(request.user):
        snapshot = selectors.latest_snapshot(scheme)
        cols, lines = selectors.ranking(snapshot) if snapshot else ([], [])
        live_cols, live_lines, day = selectors.standing(scheme) if scheme.items.exists() else ([], [], None)
        panels.append(
            {
                "scheme": scheme,
                "snapshot": snapshot,
                "columns": cols,
                "lines": lines,
                "day": day,
                "behind": [line for line in live_lines if line.light == "red"],
                "chart": selectors.progress_chart(live_lines, 0) if live_lines else None,
                "chart_item": live_cols[0] if live_cols else None,
            }
        )
    return render(request, "assessment/leader.html", {"panels": panels})
