"""Admonition pages: the ledger of talks (约谈台账: filters, export) and one talk with its record and follow-up.

A unit sees its own admonitions, the unit that runs the scheme sees them all (permissions.visible_admonitions);
the scheme's unit records the talk and the follow-up (services.admonitions)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from apps.assessment import permissions
from apps.assessment.forms.admonitions import AdmonitionFilterForm, FollowUpForm, TalkForm
from apps.assessment.models import Admonition, SnapshotRow
from apps.assessment.services import admonitions as services
from apps.core.audit import record_access
from apps.core.errors import BusinessRuleError
from apps.core.exports import xlsx_response
from apps.core.forms import add_rule_error
from apps.core.lists import paginate, query_without_page, wants_export
from apps.org.models import Unit

EXPORT_HEADERS = (
    "考核方案", "依据排名", "被约谈单位", "名次", "状态", "约谈日期", "约谈领导", "被约谈人", "指出问题", "整改承诺",
    "整改情况", "整改完成日期",
)  # fmt: skip


@login_required
@permission_required(permissions.VIEW, raise_exception=True)
def admonition_list(request: HttpRequest) -> HttpResponse:
    visible = permissions.visible_admonitions(request.user)
    form = AdmonitionFilterForm(
        request.GET,
        schemes=permissions.visible_schemes(request.user).order_by("-year", "group"),
        units=Unit.objects.filter(pk__in=visible.values("unit")).order_by("path"),
    )
    admonitions = visible.select_related("snapshot__scheme", "unit").order_by("-snapshot__ends_on", "unit__path")
    if form.is_valid():
        data = form.cleaned_data
        if data["scheme"]:
            admonitions = admonitions.filter(snapshot__scheme=data["scheme"])
        if data["unit"]:
            admonitions = admonitions.filter(unit=data["unit"])
        if data["status"]:
            admonitions = admonitions.filter(status=data["status"])
    if wants_export(request):
        rows = list(admonitions)
        record_access(request.user, by=request.user, what="导出约谈台账", rows=len(rows))
        ranks = _ranks(rows)
        return xlsx_response(_("约谈台账"), [_(h) for h in EXPORT_HEADERS], (_row(a, ranks) for a in rows))
    page = paginate(request, admonitions)
    ranks = _ranks(page.object_list)
    for admonition in page.object_list:
        admonition.rank = ranks.get((admonition.snapshot_id, admonition.unit_id))
    context = {"form": form, "page": page, "query": query_without_page(request)}
    return render(request, "assessment/admonition_list.html", context)


def _ranks(admonitions) -> dict[tuple[int, int], int]:
    """The place each admonished unit had in its ranking, in one query."""
    rows = SnapshotRow.objects.filter(
        snapshot_id__in={a.snapshot_id for a in admonitions}, unit_id__in={a.unit_id for a in admonitions}
    ).values_list("snapshot_id", "unit_id", "rank")
    return {(snapshot, unit): rank for snapshot, unit, rank in rows}


def _row(a: Admonition, ranks: dict) -> tuple:
    return (
        a.snapshot.scheme.name, a.snapshot.label, a.unit.name, ranks.get((a.snapshot_id, a.unit_id)),
        a.get_status_display(), a.held_on, a.leader, a.attendees, a.issues, a.commitments, a.follow_up,
        a.followed_on,
    )  # fmt: skip


def _admonition(request: HttpRequest, pk: int) -> Admonition:
    queryset = permissions.visible_admonitions(request.user).select_related("snapshot__scheme__unit", "unit")
    return permissions.get_for_user(queryset, request.user, pk, permission=permissions.VIEW)


def _forms(request: HttpRequest, admonition: Admonition, action: str | None):
    talk_initial = {
        "held_on": admonition.held_on, "leader": admonition.leader, "attendees": admonition.attendees,
        "issues": admonition.issues, "commitments": admonition.commitments,
    }  # fmt: skip
    follow_initial = {"follow_up": admonition.follow_up, "followed_on": admonition.followed_on}
    talk = TalkForm(request.POST if action == "talk" else None, initial=talk_initial)
    follow = FollowUpForm(request.POST if action == "follow_up" else None, initial=follow_initial)
    return talk, follow


@login_required
def admonition_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The talk and its follow-up; the scheme's unit records both here (POST action=talk / follow_up)."""
    admonition = _admonition(request, pk)
    can_record = request.user.has_perm(permissions.RECORD_ADMONITION) and permissions.runs(
        request.user, admonition.snapshot.scheme
    )
    action = request.POST.get("action") if request.method == "POST" else None
    if request.method == "POST":
        permissions.require(can_record and action in ("talk", "follow_up"))
    talk_form, follow_form = _forms(request, admonition, action)
    form = {"talk": talk_form, "follow_up": follow_form}.get(action)
    if form is not None and form.is_valid():
        try:
            if action == "talk":
                services.record_talk(admonition=admonition, by=request.user, **form.cleaned_data)
            else:
                services.record_follow_up(admonition=admonition, by=request.user, **form.cleaned_data)
        except BusinessRuleError as error:
            admonition.refresh_from_db()
            add_rule_error(form, error)
        else:
            done = _("已登记约谈情况。") if action == "talk" else _("已登记整改情况。")
            messages.success(request, done)
            return redirect("assessment:admonition_detail", pk=admonition.pk)
    row = admonition.snapshot.rows.filter(unit=admonition.unit).first()
    context = {
        "admonition": admonition,
        "snapshot": admonition.snapshot,
        "scheme": admonition.snapshot.scheme,
        "row": row,
        "talk_form": talk_form if can_record else None,
        "follow_form": follow_form if can_record and admonition.status != Admonition.Status.PLANNED else None,
    }
    return render(request, "assessment/admonition_detail.html", context)
