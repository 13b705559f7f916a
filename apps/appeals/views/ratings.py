"""Rating pages (好差评): entry by staff, the ledger with its export, the bad-rating worklist, one rating's page
with its actions and history, the summary per unit, and the portal page where an appellant rates a ticket.

Every queryset goes through ``permissions.visible_ratings`` (the office keeping the rating and the rated
unit); an out-of-scope id is a 404 and an action the table does not allow the user a 403. The rater's
identity is masked on every page and left out of every export unless the user may see it
(``permissions.may_see_rater``: the verification role, never the rated unit); unmasked reads and exports
are recorded in the audit log.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.appeals import permissions, rating_forms
from apps.appeals.forms import QueryForm
from apps.appeals.models import RatingAppeal, ServiceRating
from apps.appeals.models.process import Decision
from apps.appeals.models.ratings import BAD_LEVELS, RatingAction, RatingChannel, RatingKind
from apps.appeals.services import ratings
from apps.appeals.services.ratings import RatingFields
from apps.appeals.views.public import find_by_code
from apps.appeals.views.tickets import filter_units
from apps.core.audit import record_access
from apps.core.errors import BusinessRuleError
from apps.core.exports import xlsx_response
from apps.core.forms import add_rule_error
from apps.core.lists import paginate, query_without_page, wants_export
from apps.core.workdays import WorkdayCalendar
from apps.org.models import Unit

DATETIME = "%Y年%m月%d日 %H:%M"
#: at most this many open bad ratings are looked at for the amber/red filter (the light is computed in Python)
LIGHT_SCAN_LIMIT = 5000


def _local(moment) -> str:
    return timezone.localtime(moment).strftime(DATETIME) if moment else ""


def _cleaned(form) -> dict:
    return form.cleaned_data if form.is_bound and form.is_valid() else {}


def _units(user):
    """Units offered in the filters: those that have ratings the user sees."""
    return Unit.objects.filter(pk__in=permissions.visible_ratings(user).values("unit")).order_by("path")


def _with_rows(queryset):
    pending = RatingAppeal.objects.filter(rating=OuterRef("pk"), decision=Decision.PENDING)
    return queryset.select_related("unit", "office", "appeal").annotate(has_pending_appeal=Exists(pending))


def _yes_no(queryset, field: str, value: str):
    return queryset.filter(**{field: value == "yes"}) if value in ("yes", "no") else queryset


def filtered_ratings(user, data: dict):
    """The visible ratings narrowed by the ledger's filters (the export uses the same)."""
    found = permissions.visible_ratings(user)
    text = (data.get("q") or "").strip()
    if text:
        found = found.filter(
            Q(service_name__icontains=text) | Q(staff_name__icontains=text) | Q(appeal__number__icontains=text)
        )
    for name in ("level", "kind", "unit", "channel", "state"):
        if data.get(name):
            found = found.filter(**{name: data[name]})
    if data.get("bad"):
        found = found.filter(level__in=BAD_LEVELS)
    found = _yes_no(_yes_no(found, "defaulted", data.get("defaulted", "")), "excluded", data.get("excluded", ""))
    if data.get("start"):
        found = found.filter(rated_at__gte=ratings.day_start(data["start"]))
    if data.get("end"):
        found = found.filter(rated_at__lt=ratings.day_start(data["end"] + timedelta(days=1)))
    return found


@login_required
@permission_required(permissions.VIEW_RATING, raise_exception=True)
def rating_list(request: HttpRequest) -> HttpResponse:
    """好差评台账: search, filters, pagination and the Excel export of what is shown."""
    form = rating_forms.RatingFilterForm(request.GET or None, units=_units(request.user))
    found = _with_rows(filtered_ratings(request.user, _cleaned(form)))
    if wants_export(request):
        return _export(request, found)
    page = paginate(request, found)
    context = {
        "form": form, "page": page, "query": query_without_page(request), "export": True,
        "rows": [(r, ratings.masked_identity(r)) for r in page.object_list],  # unmasked only on a rating's page
        "can_record": request.user.has_perm(permissions.RECORD_RATING),
    }  # fmt: skip
    return render(request, "appeals/ratings/rating_list.html", context)


def _export(request: HttpRequest, found) -> HttpResponse:
    """The ledger as Excel; the rater's identity only in the rows the user may see unmasked (recorded)."""
    user = request.user
    with_rater = user.has_perm(permissions.VIEW_RATER_DATA)
    headers = [
        _("评价时间"), _("评价对象"), _("工单编号或服务事项"), _("工作人员"), _("被评价单位"), _("渠道"), _("等级"),
        _("评价内容"), _("评价意见"), _("默认好评"), _("申诉剔除"), _("剔除理由"), _("整改状态"), _("核实结论"),
        _("整改期限"), _("整改措施"),
    ]  # fmt: skip
    if with_rater:
        headers += [_("评价人"), _("评价人电话"), _("评价人所在企业")]
    rows, unmasked = [], 0
    for r in found:
        row = [
            _local(r.rated_at), r.get_kind_display(), r.object_label, r.staff_name, r.unit.name,
            r.get_channel_display(), r.get_level_display(), "、".join(r.selected), r.comment,
            _("是") if r.defaulted else "", _("是") if r.excluded else "", r.exclusion_reason, r.get_state_display(),
            r.get_finding_display(), _local(r.rectify_due), r.measures,
        ]  # fmt: skip
        if with_rater:
            shown = permissions.may_see_rater(user, r)
            unmasked += shown
            row += [r.rater_name, r.rater_phone, r.rater_enterprise] if shown else ["", "", ""]
        rows.append(row)
    if unmasked:
        record_access(user, by=user, what="导出好差评（含评价人信息）", rows=unmasked)
    return xlsx_response(_("好差评台账"), headers, rows)


def rated_units(user):
    """Units a clerk may record a service rating for: their subtree, the departments of the same government
    (the hall's windows) and the catalogue's lead units."""
    unit = user.unit
    siblings = Unit.objects.none()
    if unit.depth > 1:
        parent_path = unit.path[: -Unit.steplen]
        siblings = Unit.objects.filter(path__startswith=parent_path, depth=unit.depth, kind=Unit.Kind.DEPARTMENT)
    return (filter_units(user) | siblings).active().order_by("path")


@login_required
@permission_required(permissions.RECORD_RATING, raise_exception=True)
def rating_create(request: HttpRequest) -> HttpResponse:
    """登记评价 received at the window or by phone, kept by the clerk's own unit.

    A service's rated unit is one of the clerk's subtree or of the catalogue's lead units (the departments
    serving at the hall); a ticket's is its lead unit.
    """
    initial = {"kind": RatingKind.TICKET if request.GET.get("appeal") else RatingKind.SERVICE}
    initial["appeal_number"], initial["channel"] = request.GET.get("appeal", ""), RatingChannel.PHONE
    appeals = permissions.visible_appeals(request.user)
    units = rated_units(request.user)
    form = rating_forms.RatingForm(request.POST or None, appeals=appeals, units=units, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        fields = RatingFields(
            kind=data["kind"], channel=data["channel"], level=data["level"], selected=tuple(data["selected"]),
            comment=data["comment"], unit=data["unit"], service_name=data["service_name"],
            staff_name=data["staff_name"], appeal=data["appeal"], rater_name=data["rater_name"],
            rater_phone=data["rater_phone"], rater_enterprise=data["rater_enterprise"],
        )  # fmt: skip
        try:
            rating = ratings.record_rating(fields=fields, office=request.user.unit, by=request.user, now=timezone.now())
        except BusinessRuleError as error:
            add_rule_error(form, error)
        else:
            messages.success(request, _("已登记评价。"))
            return redirect("appeals:rating_detail", pk=rating.pk)
    return render(request, "appeals/ratings/rating_form.html", {"form": form})


@login_required
@permission_required(permissions.VIEW_RATING, raise_exception=True)
def bad_rating_list(request: HttpRequest) -> HttpResponse:
    """差评整改: the open bad ratings with their due dates, lights and the actions allowed to the user."""
    form = rating_forms.BadRatingFilterForm(request.GET or None, units=_units(request.user))
    data = _cleaned(form)
    found = permissions.visible_ratings(request.user).open_bad()
    for name in ("state", "unit"):
        if data.get(name):
            found = found.filter(**{name: data[name]})
    now, calendar = timezone.now(), WorkdayCalendar.load()
    found = _with_rows(found).order_by("verify_due", "rectify_due", "pk")
    if data.get("light"):
        lit = [r.pk for r in found[:LIGHT_SCAN_LIMIT] if ratings.rating_light(r, now, calendar) == data["light"]]
        found = found.filter(pk__in=lit)
    page = paginate(request, found)
    rows = [
        (r, ratings.rating_light(r, now, calendar), ratings.running_due(r), _labels(r, request.user))
        for r in page.object_list
    ]
    context = {"form": form, "page": page, "rows": rows, "query": query_without_page(request)}
    return render(request, "appeals/ratings/bad_rating_list.html", context)


def _labels(rating: ServiceRating, user) -> list[tuple[str, str]]:
    return [(key, SPECS[key].label) for key in form_keys(rating, user)]


@login_required
@permission_required(permissions.VIEW_RATING, raise_exception=True)
def rating_summary(request: HttpRequest) -> HttpResponse:
    """好差评统计 per rated unit: real ratings apart from defaulted and excluded ones, with each rate's parts."""
    form = rating_forms.SummaryFilterForm(request.GET or None)
    data = _cleaned(form)
    found = filtered_ratings(request.user, {k: data.get(k) for k in ("kind", "channel", "start", "end")})
    context = {"form": form, "rows": ratings.summary_by_unit(found)}
    return render(request, "appeals/ratings/rating_summary.html", context)


# ---- one rating and its actions ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Spec:
    label: str
    form: type
    run: Callable  # (rating, data, user, now) -> event


def _decide(rating, data, user, now):
    return ratings.decide_rating_appeal(
        rating=rating, uphold=data["decision"] == "approve", note=data["note"], by=user, now=now
    )


SPECS: dict[str, Spec] = {
    "verify": Spec(_("回访核实"), rating_forms.VerifyForm, lambda r, d, u, n: ratings.verify_rating(rating=r, by=u, now=n, **d)),
    "rectify": Spec(_("整改"), rating_forms.RectifyForm, lambda r, d, u, n: ratings.rectify_rating(rating=r, by=u, now=n, **d)),
    "feedback": Spec(_("反馈评价人"), rating_forms.FeedbackForm, lambda r, d, u, n: ratings.feed_back_rating(rating=r, by=u, now=n, **d)),
    "file_appeal": Spec(_("提出申诉"), rating_forms.RatingAppealForm, lambda r, d, u, n: ratings.file_rating_appeal(rating=r, by=u, now=n, **d)),
    "review_appeal": Spec(_("复核申诉"), rating_forms.AppealDecisionForm, _decide),
}  # fmt: skip
FORM_FOR = {RatingAction.UPHOLD_APPEAL: "review_appeal", RatingAction.REJECT_APPEAL: "review_appeal"}


def form_keys(rating: ServiceRating, user) -> list[str]:
    """The forms to show: one per allowed action (the appeal decision pair shares one), in the table's order."""
    keys = []
    for action in ratings.allowed_actions_for(rating, user):
        key = FORM_FOR.get(action, action)
        if key not in keys:
            keys.append(key)
    return keys


def _detail(request: HttpRequest, rating: ServiceRating, bound: tuple[str, object] | None = None) -> HttpResponse:
    keys = form_keys(rating, request.user)
    action_forms = [(key, SPECS[key].label, SPECS[key].form(auto_id=f"id_{key}_%s")) for key in keys]
    if bound is not None:
        action_forms = [(k, label, bound[1] if k == bound[0] else f) for k, label, f in action_forms]
    now = timezone.now()
    context = {
        "rating": rating,
        "rater": ratings.rater_identity(request.user, rating),
        "light": ratings.rating_light(rating, now, WorkdayCalendar.load()),
        "due": ratings.running_due(rating),
        "events": rating.events.select_related("actor", "actor_unit").order_by("at", "pk"),
        "rating_appeals": rating.appeals.select_related("filed_by", "decided_by").order_by("filed_at", "pk"),
        "second_ratings": rating.second_ratings.all(),
        "action_forms": action_forms,
    }
    return render(request, "appeals/ratings/rating_detail.html", context)


@login_required
@permission_required(permissions.VIEW_RATING, raise_exception=True)
def rating_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, permissions.get_rating_for_user(request.user, pk))


@login_required
@require_POST
def rating_act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Perform one action from the rating page through its service."""
    rating = permissions.get_rating_for_user(request.user, pk)
    if action not in SPECS or action not in form_keys(rating, request.user):
        raise PermissionDenied
    form = SPECS[action].form(request.POST, request.FILES, auto_id=f"id_{action}_%s")
    if form.is_valid():
        try:
            SPECS[action].run(rating, form.cleaned_data, request.user, timezone.now())
        except BusinessRuleError as error:
            add_rule_error(form, error)
        else:
            messages.success(request, _("已%(action)s。") % {"action": SPECS[action].label})
            return redirect("appeals:rating_detail", pk=rating.pk)
    rating.refresh_from_db()
    return _detail(request, rating, bound=(action, form))


@login_required
def rating_evidence(request: HttpRequest, pk: int) -> FileResponse:
    """The rectification evidence, served only to those who see the rating."""
    if not request.user.has_perm(permissions.VIEW_RATING):
        raise PermissionDenied
    rating = permissions.get_rating_for_user(request.user, pk)
    if not rating.evidence:
        raise Http404
    return FileResponse(rating.evidence.open("rb"), as_attachment=True, filename=rating.evidence_filename)


@login_required
def rating_appeal_evidence(request: HttpRequest, pk: int) -> FileResponse:
    """An appeal's evidence, served only to those who see the rating."""
    if not request.user.has_perm(permissions.VIEW_RATING):
        raise PermissionDenied
    appeal = RatingAppeal.objects.visible_to(request.user).filter(pk=pk).first()
    if appeal is None or not appeal.evidence:
        raise Http404
    return FileResponse(appeal.evidence.open("rb"), as_attachment=True, filename=appeal.evidence_filename)


# ---- the portal: the appellant rates the handling of a ticket ---------------------------------------------


def _public_fields(appeal, data) -> RatingFields:
    return RatingFields(
        kind=RatingKind.TICKET, channel=RatingChannel.PORTAL, level=data["level"], selected=tuple(data["selected"]),
        comment=data["comment"], appeal=appeal, rater_name=appeal.citizen_name, rater_phone=appeal.phone,
        rater_enterprise=appeal.enterprise.name if appeal.enterprise_id else "",
    )  # fmt: skip


def public_rate(request: HttpRequest) -> HttpResponse:
    """评价办理情况 (no login): number + query code, then one rating per ticket, or the invited second rating."""
    source = request.POST if request.method == "POST" else request.GET
    query = QueryForm(source or None)
    appeal = find_by_code(query.cleaned_data["number"], query.cleaned_data["code"]) if query.is_valid() else None
    context = {"query_form": query, "appeal": appeal, "searched": query.is_bound, "done": False, "form": None}
    if appeal is None:
        return render(request, "appeals/ratings/public_rate.html", context)
    first = appeal.ratings.filter(follows__isnull=True).first()
    follows = ratings.second_rating_invitation(appeal)
    context.update(first=first, follows=follows, rateable=appeal.state in ratings.RATED_STATES)
    if context["rateable"] and (first is None or follows is not None):
        form = rating_forms.PublicRatingForm(request.POST if request.method == "POST" else None, initial=source)
        if request.method == "POST" and form.is_valid():
            try:
                ratings.record_rating(
                    fields=_public_fields(appeal, form.cleaned_data), office=appeal.unit, by=None,
                    now=timezone.now(), follows=follows,
                )  # fmt: skip
            except BusinessRuleError as error:
                add_rule_error(form, error)
            else:
                context["done"], form = True, None
        context["form"] = form
    return render(request, "appeals/ratings/public_rate.html", context)
