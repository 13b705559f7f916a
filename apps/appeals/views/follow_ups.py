"""回访工作台: every call the hotline owes, in one list — after a reply, after a limit expired without a reply,
each merged ticket's own appellant, and the later re-check. The calls are made on the ticket page."""

from django.contrib.auth.decorators import login_required, permission_required
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from apps.appeals import permissions
from apps.appeals.forms import WorklistFilterForm, WorklistKind
from apps.appeals.models import Appeal
from apps.appeals.models.appeals import State
from apps.appeals.services import follow_ups
from apps.appeals.views.tickets import _local, _search
from apps.core.audit import record_access
from apps.core.exports import xlsx_response
from apps.core.lists import paginate, query_without_page, wants_export


def _owed(appeals) -> dict[str, object]:
    """Each kind of call with the tickets that owe it."""
    return {
        WorklistKind.REPLY: appeals.filter(state=State.AWAITING_FOLLOW_UP),
        WorklistKind.EXPIRY: follow_ups.awaiting_expiry_follow_up(appeals),
        WorklistKind.MERGED: follow_ups.awaiting_merged_follow_up(appeals),
        WorklistKind.RECHECK: follow_ups.awaiting_recheck(appeals),
    }


def kind_of(appeal: Appeal) -> str:
    """Which call a listed ticket owes (a ticket owes one at a time)."""
    if appeal.state == State.AWAITING_FOLLOW_UP:
        return WorklistKind.REPLY
    if appeal.state == State.MERGED:
        return WorklistKind.MERGED
    if appeal.state == State.RESOLVED:
        return WorklistKind.RECHECK
    return WorklistKind.EXPIRY


def worklist(user, data: dict):
    """The visible tickets owing a call, narrowed by the filters (the export uses the same)."""
    owed = _owed(permissions.visible_appeals(user))
    if data.get("kind"):
        appeals = owed[data["kind"]]
    else:
        condition = Q()
        for queryset in owed.values():
            condition |= Q(pk__in=queryset.values("pk"))
        appeals = permissions.visible_appeals(user).filter(condition)
    appeals = _search(appeals, data.get("q") or "")
    if data.get("category"):
        appeals = appeals.filter(category=data["category"])
    return appeals.select_related("category", "merged_into").order_by("reply_due", "created_at", "pk")


@login_required
@permission_required(permissions.FOLLOW_UP_APPEAL, raise_exception=True)
def follow_up_list(request: HttpRequest) -> HttpResponse:
    """回访工作台: search, the kind of call, category, pagination and the Excel export."""
    form = WorklistFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    appeals = worklist(request.user, data)
    unmasked = request.user.has_perm(permissions.VIEW_PERSONAL_DATA)
    if wants_export(request):
        return _export(request, appeals, unmasked)
    page = paginate(request, appeals)
    rows = [(appeal, WorklistKind(kind_of(appeal))) for appeal in page.object_list]
    context = {"form": form, "page": page, "rows": rows, "query": query_without_page(request), "export": True}
    return render(request, "appeals/follow_up_list.html", context)


def _export(request: HttpRequest, appeals, unmasked: bool) -> HttpResponse:
    headers = [
        _("工单编号"),
        _("回访类型"),
        _("标题"),
        _("诉求分类"),
        _("诉求人"),
        _("联系电话"),
        _("并入工单"),
        _("答复期限"),
    ]
    rows = [
        [
            a.number,
            str(WorklistKind(kind_of(a)).label),
            a.title,
            a.category.name,
            a.citizen_name,
            a.phone if unmasked else a.masked_phone,
            a.merged_into.number if a.merged_into_id else "",
            _local(a.reply_due),
        ]  # fmt: skip
        for a in appeals
    ]
    if unmasked:
        record_access(request.user, by=request.user, what="导出回访工作台（含完整个人信息）", rows=len(rows))
    return xlsx_response(_("回访工作台"), headers, rows)
