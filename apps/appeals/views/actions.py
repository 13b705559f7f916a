"""One ticket's page and its action forms.

The forms shown are exactly those for the actions ``transitions.allowed_actions_for`` returns for the user
(an approve/reject pair shares one form with a decision), narrowed to what applies now (a review form only
when a request is pending, sign-for only while the user's unit has not signed). Each form posts to
``appeals:act`` with its key; the view calls the transition service, and a BusinessRuleError shows on the
form. An action the table does not allow this user is a 403; a ticket out of scope a 404.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.appeals import forms, permissions
from apps.appeals.models import Appeal, Assignment, ExtensionRequest
from apps.appeals.models.appeals import State
from apps.appeals.models.process import Action, Decision
from apps.appeals.services import clocks, duplicates, follow_ups, transitions
from apps.appeals.services.dispatch import suggest_units
from apps.appeals.views.public import public_reply
from apps.core.errors import BusinessRuleError
from apps.core.forms import add_rule_error
from apps.core.workdays import CalendarNotCovered, WorkdayCalendar

VIEW = "appeals.view_appeal"


@dataclass(frozen=True)
class Spec:
    label: str
    form: type
    run: Callable  # (appeal, data, user, now, assignment) -> Event
    mine: bool = False  # acts on the user's own assignment


def _mine(appeal: Appeal, user) -> Assignment | None:
    return next((a for a in appeal.assignments.all() if a.is_active and a.unit_id == user.unit_id), None)


def _open_pause(appeal: Appeal) -> bool:
    return appeal.pauses.filter(ended_at__isnull=True).exists()


def _review_return(appeal, data, user, now, assignment):
    service = transitions.approve_return if data["decision"] == "approve" else transitions.reject_return
    return service(appeal=appeal, assignment=data["assignment"], note=data["note"], by=user, now=now)


def _follow_up(appeal, data, user, now, assignment):
    return transitions.follow_up_appeal(appeal=appeal, by=user, now=now, **data)


def _recheck(appeal, data, user, now, assignment):
    still_solved = data["answer"] == "still_solved"
    return follow_ups.record_recheck(appeal=appeal, still_solved=still_solved, note=data["note"], by=user, now=now)


SPECS: dict[str, Spec] = {
    "accept": Spec(_("受理"), forms.NoteForm, lambda a, d, u, n, s: transitions.accept_appeal(appeal=a, by=u, now=n, **d)),
    "refuse": Spec(_("不予受理"), forms.RefuseForm, lambda a, d, u, n, s: transitions.refuse_appeal(appeal=a, by=u, now=n, **d)),
    "dispatch": Spec(_("派单"), forms.DispatchForm, lambda a, d, u, n, s: transitions.dispatch_appeal(appeal=a, by=u, now=n, **d)),
    "answer_directly": Spec(_("直接答复"), forms.AnswerForm, lambda a, d, u, n, s: transitions.answer_directly(appeal=a, by=u, now=n, **d)),
    "merge": Spec(_("并单"), forms.MergeForm, lambda a, d, u, n, s: transitions.merge_appeal(appeal=a, by=u, now=n, **d)),
    "sign_for": Spec(_("签收"), forms.EmptyForm, lambda a, d, u, n, s: transitions.sign_for(appeal=a, assignment=s, by=u, now=n), mine=True),
    "contact": Spec(_("联系诉求人"), forms.NoteForm, lambda a, d, u, n, s: transitions.contact_appellant(appeal=a, assignment=s, by=u, now=n, **d), mine=True),
    "reply": Spec(_("答复"), forms.ReplyForm, lambda a, d, u, n, s: transitions.reply_appeal(appeal=a, assignment=s, by=u, now=n, **d), mine=True),
    "request_return": Spec(_("申请退单"), forms.ReturnRequestForm, lambda a, d, u, n, s: transitions.request_return(appeal=a, assignment=s, by=u, now=n, **d), mine=True),
    "review_return": Spec(_("审核退单"), forms.ReturnDecisionForm, _review_return),
    "request_extension": Spec(_("申请延期"), forms.ExtensionRequestForm, lambda a, d, u, n, s: transitions.request_extension(appeal=a, assignment=s, by=u, now=n, **d), mine=True),
    "review_extension": Spec(_("审批延期"), forms.ExtensionDecisionForm, lambda a, d, u, n, s: transitions.decide_extension(appeal=a, approve=d["decision"] == "approve", note=d["note"], by=u, now=n)),
    "pause": Spec(_("暂停计时"), forms.PauseForm, lambda a, d, u, n, s: transitions.pause_clock(appeal=a, assignment=s, by=u, now=n, **d), mine=True),
    "resume": Spec(_("恢复计时"), forms.EmptyForm, lambda a, d, u, n, s: transitions.resume_clock(appeal=a, assignment=s, by=u, now=n), mine=True),
    "follow_up": Spec(_("回访"), forms.FollowUpForm, _follow_up),
    "expiry_follow_up": Spec(_("超期回访"), forms.CallForm, lambda a, d, u, n, s: follow_ups.follow_up_expired(appeal=a, by=u, now=n, **d)),
    "follow_up_merged": Spec(_("并单回访"), forms.CallForm, lambda a, d, u, n, s: follow_ups.follow_up_merged(appeal=a, by=u, now=n, **d)),
    "recheck": Spec(_("复查回访"), forms.RecheckForm, _recheck),
}  # fmt: skip
#: the table's actions → the form that performs them
FORM_FOR = {
    Action.APPROVE_RETURN: "review_return",
    Action.REJECT_RETURN: "review_return",
    Action.APPROVE_EXTENSION: "review_extension",
    Action.REJECT_EXTENSION: "review_extension",
    Action.REDO: "follow_up",
    Action.RECHECK: "recheck",
    Action.REOPEN: "recheck",
}


def _applies(key: str, appeal: Appeal, mine: Assignment | None) -> bool:
    """Whether the form makes sense now (the table allows the action; this looks at the requests and units)."""
    checks = {
        "sign_for": lambda: mine.state == Assignment.State.AWAITING_SIGN_FOR,
        "contact": lambda: mine.state == Assignment.State.HANDLING,
        "reply": lambda: mine.state == Assignment.State.HANDLING,
        "request_return": lambda: mine.state in (Assignment.State.AWAITING_SIGN_FOR, Assignment.State.HANDLING),
        "request_extension": lambda: mine.role == Assignment.Role.LEAD,
        "pause": lambda: mine.role == Assignment.Role.LEAD and not _open_pause(appeal),
        "resume": lambda: mine.role == Assignment.Role.LEAD and _open_pause(appeal),
        "review_return": lambda: appeal.assignments.filter(state=Assignment.State.RETURN_PENDING).exists(),
        "review_extension": lambda: ExtensionRequest.objects.filter(
            assignment__appeal=appeal, decision=Decision.PENDING
        ).exists(),
        "expiry_follow_up": lambda: appeal.expiry_follow_up_pending,
        "follow_up_merged": lambda: not appeal.solved and follow_ups.root_master(appeal).state in follow_ups.REPLIED,
        "recheck": lambda: appeal.recheck_listed_at is not None and appeal.rechecked_at is None,
    }
    if SPECS[key].mine and mine is None:
        return False
    return checks.get(key, lambda: True)()


def form_keys(appeal: Appeal, user) -> list[str]:
    """The forms to show: one per allowed action (pairs share one), in the table's order."""
    mine, keys = _mine(appeal, user), []
    for action in transitions.allowed_actions_for(appeal, user):
        key = FORM_FOR.get(action, action)
        if key in SPECS and key not in keys and _applies(key, appeal, mine):
            keys.append(key)
    return keys


def _new_form(key: str, appeal: Appeal, user, data=None):
    """The action's form; ids carry the key, as several forms share one page."""
    form_class, auto_id = SPECS[key].form, f"id_{key}_%s"
    if form_class is forms.MergeForm:
        return form_class(data, auto_id=auto_id, appeals=permissions.visible_appeals(user).exclude(pk=appeal.pk))
    if form_class is forms.AnswerForm:
        return form_class(data, auto_id=auto_id, articles=permissions.visible_articles(user))
    if form_class is forms.ReturnDecisionForm:
        return form_class(data, auto_id=auto_id, appeal=appeal)
    if form_class is forms.DispatchForm and data is None:
        return form_class(auto_id=auto_id, initial=_suggested(appeal))
    return form_class(data, auto_id=auto_id)


def _suggested(appeal: Appeal) -> dict:
    suggestion = suggest_units(appeal)
    if suggestion is None:
        return {}
    return {"lead_unit": suggestion.lead_unit.pk, "co_units": [unit.pk for unit in suggestion.co_units]}


def _duplicates(appeal: Appeal, user) -> list:
    if appeal.state not in (State.REGISTERED, State.AWAITING_DISPATCH):
        return []
    found = duplicates.likely_duplicates(
        category=appeal.category, text=f"{appeal.title}{appeal.content}", now=appeal.created_at,
        enterprise=appeal.enterprise, phone=appeal.phone, exclude_pk=appeal.pk,
    )  # fmt: skip
    pks = [candidate.appeal.pk for candidate in found]
    visible = set(permissions.visible_appeals(user).filter(pk__in=pks).values_list("pk", flat=True))
    return [candidate for candidate in found if candidate.appeal.pk in visible]


def _escalation(appeal: Appeal, now, calendar) -> str:
    try:
        return clocks.escalation_at(appeal, now, calendar)
    except CalendarNotCovered:
        return clocks.Escalation.NONE


def _appeal(request: HttpRequest, pk: int) -> Appeal:
    queryset = permissions.visible_appeals(request.user).select_related(
        "category", "policy", "unit", "area", "enterprise", "merged_into"
    )
    appeal = queryset.filter(pk=pk).first()
    if appeal is None:
        raise Http404
    return appeal


def _detail(request: HttpRequest, appeal: Appeal, bound: tuple[str, object] | None = None) -> HttpResponse:
    keys = form_keys(appeal, request.user)
    action_forms = [(key, SPECS[key].label, _new_form(key, appeal, request.user)) for key in keys]
    if bound is not None:
        action_forms = [(k, label, bound[1] if k == bound[0] else f) for k, label, f in action_forms]
    now, calendar = timezone.now(), WorkdayCalendar.load()
    context = {
        "appeal": appeal,
        "contact": permissions.appellant_contact(request.user, appeal),
        "assignments": appeal.assignments.select_related("unit").order_by("role", "created_at", "pk"),
        "events": appeal.events.select_related("actor", "actor_unit").order_by("at", "pk"),
        "pauses": appeal.pauses.order_by("started_at"),
        "light": clocks.light_or_none(appeal, now, calendar),
        "escalation": _escalation(appeal, now, calendar),
        "action_forms": action_forms,
        "duplicates": _duplicates(appeal, request.user) if "merge" in keys else [],
        "merged": appeal.merged.order_by("created_at"),
        "callbacks": appeal.callbacks.select_related("by").order_by("at", "pk"),
        "master_reply": public_reply(appeal) if appeal.state == State.MERGED else "",
        "ratings": permissions.visible_ratings(request.user).filter(appeal=appeal).order_by("rated_at", "pk"),
        "can_rate": _can_rate(appeal, request.user),
    }
    return render(request, "appeals/appeal_detail.html", context)


def _can_rate(appeal: Appeal, user) -> bool:
    """Whether to offer 登记评价 (一事一评) for a replied ticket not rated yet."""
    replied = appeal.state in (State.AWAITING_FOLLOW_UP, State.RESOLVED)
    return replied and user.has_perm(permissions.RECORD_RATING) and not appeal.ratings.exists()


@login_required
@permission_required(VIEW, raise_exception=True)
def appeal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, _appeal(request, pk))


@login_required
@require_POST
def appeal_act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Perform one action from the ticket page through its transition service."""
    appeal = _appeal(request, pk)
    if action not in SPECS or action not in form_keys(appeal, request.user):
        raise PermissionDenied
    form = _new_form(action, appeal, request.user, request.POST)
    if form.is_valid():
        try:
            SPECS[action].run(appeal, form.cleaned_data, request.user, timezone.now(), _mine(appeal, request.user))
        except BusinessRuleError as error:
            add_rule_error(form, error)
        else:
            messages.success(request, _("已%(action)s。") % {"action": SPECS[action].label})
            return redirect("appeals:detail", pk=appeal.pk)
    appeal.refresh_from_db()
    return _detail(request, appeal, bound=(action, form))
