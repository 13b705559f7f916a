"""Ticket pages: intake (登记诉求), the scoped ticket list with its Excel export, and one ticket's page.

Holders of view_appeal read the tickets in their scope (permissions.py); out-of-scope ids are a 404. Phone
and ID numbers are masked in lists and exports unless the role holds view_appellant_data, and every
unmasked read or export is recorded in the audit log. The action forms live in views/actions.py.
"""

import re
from datetime import datetime, time, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.db.models import Exists, OuterRef, Prefetch, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.appeals import permissions
from apps.appeals.forms import AppealFilterForm, IntakeForm
from apps.appeals.models import Appeal, Assignment, DispatchRule, Pause
from apps.appeals.models.appeals import State
from apps.appeals.services import clocks
from apps.appeals.services.intake import AppealFields, record_appeal
from apps.core.audit import record_access
from apps.core.errors import BusinessRuleError
from apps.core.exports import xlsx_response
from apps.core.forms import add_rule_error
from apps.core.lists import paginate, query_without_page, wants_export
from apps.core.workdays import WorkdayCalendar
from apps.org.models import Unit

VIEW = "appeals.view_appeal"
DATETIME = "%Y年%m月%d日 %H:%M"
#: the ticket list counts this far (a city's hotline has millions of tickets; core.lists.CappedPaginator)
LIST_COUNT_LIMIT = 10_000


def filter_units(user):
    """Units offered in the filter: the user's subtree and the catalogue's lead units (shared reference data)."""
    lead_units = DispatchRule.objects.values("lead_unit")
    return (Unit.objects.visible_to(user) | Unit.objects.filter(pk__in=lead_units)).active().order_by("path")


#: what a ticket number looks like (SQ + date + serial): such a search is a prefix match on the unique index
NUMBER_PATTERN = re.compile(r"SQ\d{4,}", re.IGNORECASE)


def _search(appeals, text: str):
    text = text.strip()
    if not text:
        return appeals
    if NUMBER_PATTERN.fullmatch(text):
        return appeals.filter(number__startswith=text.upper())
    return appeals.filter(Q(number__icontains=text) | Q(title__icontains=text) | Q(citizen_name__icontains=text))


def _day_start(day) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def filtered_appeals(user, data: dict):
    """The visible tickets narrowed by the list's filters (the export uses the same)."""
    appeals = _search(permissions.visible_appeals(user), data.get("q") or "")
    for name in ("state", "appeal_type", "channel", "urgency", "category"):
        if data.get(name):
            appeals = appeals.filter(**{name: data[name]})
    if data.get("unit"):
        active = Assignment.objects.filter(unit=data["unit"]).exclude(state=Assignment.State.RETURNED)
        appeals = appeals.filter(pk__in=active.values("appeal"))
    if data.get("start"):
        appeals = appeals.filter(created_at__gte=_day_start(data["start"]))
    if data.get("end"):
        appeals = appeals.filter(created_at__lt=_day_start(data["end"] + timedelta(days=1)))
    if data.get("light"):
        appeals = appeals.filter(lit(data["light"], timezone.now()))
    # newest first by number (it grows with the id): an order the database merges with a unit's assignments
    return appeals.order_by("-pk")


def _paused_by(moment_field: str, *, inclusive: bool) -> Exists:
    """An open pause began before the ticket's ``moment_field``: its clock stopped short of that moment."""
    lookup = "started_at__lte" if inclusive else "started_at__lt"
    pauses = Pause.objects.filter(appeal=OuterRef("pk"), ended_at__isnull=True, **{lookup: OuterRef(moment_field)})
    return Exists(pauses)


def lit(light: str, now: datetime) -> Q:
    """Running tickets whose light is ``light`` at ``now``, as clocks.status_at decides, in SQL: red past the running
    stage's due date, amber from the ticket's warn_at; a paused clock stands at the start of its pause."""
    signing, handling = Q(state=State.AWAITING_SIGN_FOR), Q(state__in=(State.HANDLING, State.RETURN_PENDING))
    red = signing & Q(sign_for_due__lt=now) & ~_paused_by("sign_for_due", inclusive=True)
    red |= handling & Q(reply_due__lt=now) & ~_paused_by("reply_due", inclusive=True)
    if light == clocks.Light.RED:
        return red
    return (signing | handling) & Q(warn_at__lte=now) & ~_paused_by("warn_at", inclusive=False) & ~red


def _with_rows(appeals):
    active = Assignment.objects.exclude(state=Assignment.State.RETURNED).select_related("unit")
    return appeals.select_related("category", "policy").prefetch_related(
        "pauses", Prefetch("assignments", queryset=active, to_attr="active_assignments")
    )


def _lead_name(appeal: Appeal) -> str:
    return next((a.unit.name for a in appeal.active_assignments if a.role == Assignment.Role.LEAD), "")


@login_required
@permission_required(VIEW, raise_exception=True)
def appeal_list(request: HttpRequest) -> HttpResponse:
    """工单列表: search, filters, amber/red lights, pagination and the Excel export of what is shown."""
    form = AppealFilterForm(request.GET or None, units=filter_units(request.user))
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    appeals = _with_rows(filtered_appeals(request.user, data))
    if wants_export(request):
        return _export(request, appeals)
    page = paginate(request, appeals, count_limit=LIST_COUNT_LIMIT)
    now, calendar = timezone.now(), WorkdayCalendar.load()
    rows = [(a, _lead_name(a), clocks.light_or_none(a, now, calendar)) for a in page.object_list]
    context = {
        "form": form, "page": page, "rows": rows, "query": query_without_page(request), "export": True,
        "can_record": request.user.has_perm(permissions.RECORD_APPEAL),
    }  # fmt: skip
    return render(request, "appeals/appeal_list.html", context)


def _local(moment) -> str:
    return timezone.localtime(moment).strftime(DATETIME) if moment else ""


def _export(request: HttpRequest, appeals) -> HttpResponse:
    unmasked = request.user.has_perm(permissions.VIEW_PERSONAL_DATA)
    headers = [
        _("工单编号"), _("登记时间"), _("来源渠道"), _("诉求类型"), _("诉求分类"), _("紧急程度"), _("标题"),
        _("企业"), _("诉求人"), _("联系电话"), _("证件号码"), _("主办单位"), _("状态"), _("答复期限"), _("关闭时间"),
    ]  # fmt: skip
    rows = [
        [
            a.number,
            _local(a.created_at),
            a.get_channel_display(),
            a.get_appeal_type_display(),
            a.category.name,
            a.get_urgency_display(),
            a.title,
            a.enterprise.name if a.enterprise_id else "",
            a.citizen_name,
            a.phone if unmasked else a.masked_phone,
            a.id_number if unmasked else a.masked_id_number,
            _lead_name(a),
            a.get_state_display(),
            _local(a.reply_due),
            _local(a.closed_at),
        ]  # fmt: skip
        for a in appeals.select_related("enterprise")
    ]
    if unmasked:
        record_access(request.user, by=request.user, what="导出诉求工单（含完整个人信息）", rows=len(rows))
    return xlsx_response(_("诉求工单"), headers, rows)


@login_required
@permission_required(permissions.RECORD_APPEAL, raise_exception=True)
def appeal_create(request: HttpRequest) -> HttpResponse:
    """登记诉求 in the agent's own unit; the ticket page then shows likely duplicates and the triage."""
    form = IntakeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            appeal = record_appeal(
                fields=AppealFields(**form.cleaned_data), unit=request.user.unit, by=request.user, now=timezone.now()
            )
        except BusinessRuleError as error:
            add_rule_error(form, error)
        else:
            messages.success(
                request,
                _("已登记工单 %(number)s，查询码 %(code)s。") % {"number": appeal.number, "code": appeal.query_code},
            )
            return redirect("appeals:detail", pk=appeal.pk)
    return render(request, "appeals/appeal_form.html", {"form": form})
