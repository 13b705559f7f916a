"""Reads behind the introducer and reward pages: who sees which record, the lists' filters, the timeline.

An introducer belongs to the unit that registered it (备案单位) and a reward claim to its project's
unit; the coordinating bureau, which confirms every county's rewards, sees them all.
"""

from collections.abc import Iterator
from datetime import date

from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.core.pending import PendingItem
from apps.investment import permissions
from apps.investment.models import Introducer, Project, RewardClaim, RewardRule, Stage
from apps.org.models import Unit
from apps.org.selectors import AREA_KINDS

VIEW_INTRODUCERS = "investment.view_introducer"
ADD_INTRODUCER = "investment.add_introducer"
CHANGE_INTRODUCER = "investment.change_introducer"
VIEW_REWARDS = "investment.view_rewardclaim"
FILE_REWARD = "investment.add_rewardclaim"
CONFIRM_REWARD = "investment.confirm_reward"
REVEAL_PERSONAL_DATA = "org.view_personal_data"
Status = RewardClaim.Status
OPEN_STATUSES = (Status.SUBMITTED, Status.BUREAU_CONFIRMED)


# ---- introducers --------------------------------------------------------------------------


def visible_introducers(user) -> QuerySet:
    """Introducers registered by the user's unit subtree; the coordinating bureau sees every one."""
    if getattr(user, "unit", None) is not None and permissions.is_coordinator(user):
        return Introducer.objects.all()
    return Introducer.objects.visible_to(user)


def get_introducer_for_user(user, pk: int, *, action: str = VIEW_INTRODUCERS) -> Introducer:
    """An introducer in the user's scope (404) that the user may act on (403); only its own unit edits it."""
    introducer = visible_introducers(user).select_related("unit", "enterprise").filter(pk=pk).first()
    if introducer is None:
        raise Http404
    if not user.has_perm(action):
        raise PermissionDenied
    if action == CHANGE_INTRODUCER and not introducer.unit.path.startswith(user.unit.path):
        raise PermissionDenied
    return introducer


def list_introducers(user) -> QuerySet:
    """The user's introducers with their registering unit and how many projects and rewards they have."""
    return (
        visible_introducers(user)
        .select_related("unit")
        .annotate(project_count=Count("project", distinct=True), reward_count=Count("rewards", distinct=True))
        .order_by("-registered_on", "-id")
    )


def filter_introducers(introducers: QuerySet, data: dict) -> QuerySet:
    """Apply the introducer list's filters (the keys of IntroducerFilterForm)."""
    text = (data.get("q") or "").strip()
    if text:
        exact = Q(phone=text) | Q(id_number=text.upper())
        introducers = introducers.filter(Q(name__icontains=text) | Q(note__icontains=text) | exact)
    if data.get("kind"):
        introducers = introducers.filter(kind=data["kind"])
    if data.get("unit"):
        introducers = introducers.filter(unit__path__startswith=data["unit"].path)
    return introducers


def introducer_projects(user, introducer: Introducer) -> QuerySet:
    """The projects the introducer brought that the user may see."""
    return permissions.visible_projects(user).filter(introducer=introducer).select_related("unit", "enterprise")


# ---- reward claims ------------------------------------------------------------------------


def visible_reward_claims(user) -> QuerySet:
    """Claims of the user's projects; the coordinating bureau, one of the two confirming sides, sees all."""
    if getattr(user, "unit", None) is not None and permissions.is_coordinator(user):
        return RewardClaim.objects.all()
    return RewardClaim.objects.visible_to(user)


def list_reward_claims(user) -> QuerySet:
    """The user's claims with what the list shows."""
    return visible_reward_claims(user).select_related(
        "project__unit", "introducer", "rule", "bureau_confirmed_by", "county_confirmed_by", "created_by"
    )


def get_reward_claim_for_user(user, pk: int) -> RewardClaim:
    """A claim in the user's scope (404 otherwise) for a user who may see rewards (403)."""
    claim = (
        list_reward_claims(user)
        .select_related("project__enterprise", "introducer__unit", "paid_by")
        .filter(pk=pk)
        .first()
    )
    if claim is None:
        raise Http404
    if not user.has_perm(VIEW_REWARDS):
        raise PermissionDenied
    return claim


def filter_reward_claims(claims: QuerySet, data: dict, *, user=None) -> QuerySet:
    """Apply the claim list's filters (the keys of RewardClaimFilterForm)."""
    text = (data.get("q") or "").strip()
    if text:
        claims = claims.filter(
            Q(project__name__icontains=text) | Q(project__code__icontains=text) | Q(introducer__name__icontains=text)
        )
    if data.get("status"):
        claims = claims.filter(status=data["status"])
    if data.get("unit"):
        claims = claims.filter(project__unit__path__startswith=data["unit"].path)
    if data.get("year"):
        claims = claims.filter(created_at__year=int(data["year"]))
    if data.get("waiting") and user is not None:
        claims = waiting_for(user, claims)
    return claims


def waiting_for(user, claims: QuerySet) -> QuerySet:
    """Claims waiting for the user's confirmation, on the side (bureau or county) the user speaks for."""
    if getattr(user, "unit", None) is None or not user.has_perm(CONFIRM_REWARD):
        return claims.none()
    bureau, county = _sides(user)
    condition = (bureau & Q(bureau_confirmed_by=None)) | (county & Q(county_confirmed_by=None))
    mine = Q(bureau_confirmed_by=user) | Q(county_confirmed_by=user) | Q(created_by=user)
    return claims.filter(condition, status__in=OPEN_STATUSES).exclude(mine)


def to_pay(user, claims: QuerySet) -> QuerySet:
    """Jointly confirmed claims on a side the user speaks for, waiting for the payment to be recorded."""
    if getattr(user, "unit", None) is None or not user.has_perm(CONFIRM_REWARD):
        return claims.none()
    bureau, county = _sides(user)
    return claims.filter(bureau | county, status=Status.CONFIRMED)


def _sides(user) -> tuple[Q, Q]:
    """The claims on which the user speaks for the bureau, and for the county (as services.rewards.sides_of)."""
    unit = user.unit
    bureau = Q(pk__isnull=False) if permissions.is_coordinator(user) else Q(pk__in=[])
    county = Q(project__unit__path__startswith=unit.path)
    return bureau, county if unit.depth > 1 else county & Q(project__unit=unit)


def filter_units(user) -> QuerySet:
    """The areas a user can filter rewards by: those in scope (every area for the coordinating bureau)."""
    units = Unit.objects.filter(kind__in=AREA_KINDS, is_active=True)
    if permissions.is_coordinator(user):
        return units
    return units.filter(path__startswith=user.unit.path) if getattr(user, "unit", None) else units.none()


def claim_years(today: date | None = None) -> list[int]:
    """The years the list offers: this one and the nine before."""
    year = (today or timezone.localdate()).year
    return list(range(year, year - 10, -1))


def progress_label(claim: RewardClaim) -> str:
    """Where the claim stands, spelling out the half-confirmed states the status alone does not name."""
    if claim.status == Status.SUBMITTED and claim.county_confirmed_by_id:
        return _("区县已确认，待招商部门确认")
    if claim.status == Status.BUREAU_CONFIRMED:
        return _("招商部门已确认，待区县确认")
    if claim.status == Status.CONFIRMED:
        return _("已联合确认，待兑付")
    return claim.get_status_display()


def return_reason(claim: RewardClaim) -> str:
    """Why the claim was sent back, while it waits for the unit (nobody has confirmed since); "" otherwise."""
    waiting = claim.status == Status.SUBMITTED and not (claim.bureau_confirmed_by_id or claim.county_confirmed_by_id)
    return claim.returned_reason if waiting and claim.returned_at is not None else ""


def claimable_projects(user, *, limit: int = 10) -> list[Project]:
    """Producing projects of the user's own units with an introducer and no reward filed yet."""
    unit = getattr(user, "unit", None)
    if unit is None or not user.has_perm(FILE_REWARD):
        return []
    producing = [s for s in Stage if s.rank >= Stage.PRODUCING.rank]
    projects = (
        Project.objects.in_unit(unit)
        .filter(counted_stage__in=producing, introducer__isnull=False)
        .exclude(status=Project.Status.DROPPED)
        .exclude(rewards__isnull=False)
        .select_related("unit", "introducer")
        .order_by("-producing_on", "-id")
    )
    return list(projects[:limit])


# ---- the timeline ------------------------------------------------------------------------


TRANSITION_LABELS = {
    "file": gettext_lazy("申报"),
    "confirm": gettext_lazy("确认"),
    "return": gettext_lazy("退回"),
    "reject": gettext_lazy("不予奖励"),
    "pay": gettext_lazy("登记兑付"),
}


def claim_timeline(claim: RewardClaim) -> list[dict]:
    """Filing and every transition of the claim, oldest first, from the audit trail (who did what, and why).

    The claim's own fields hold where it stands; this is its history, e.g. every return, not only the last.
    """
    entries = (
        LogEntry.objects.get_for_object(claim)
        .filter(Q(action=LogEntry.Action.CREATE) | Q(additional_data__has_key="transition"))
        .select_related("actor")
    )
    return [_event(entry) for entry in entries.order_by("timestamp", "id")]


def _event(entry: LogEntry) -> dict:
    data = entry.additional_data or {}
    kind = data.get("transition", "file")
    side = {"bureau": _("招商部门"), "county": _("区县")}.get(data.get("side", ""), "")
    return {
        "kind": kind,
        "label": TRANSITION_LABELS.get(kind, kind),
        "side": side,
        "at": entry.timestamp,
        "by": entry.actor,
        "reason": data.get("reason", ""),
        "voucher": data.get("voucher", ""),
    }


# ---- pending items -------------------------------------------------------------------------


def reward_items(user) -> Iterator[PendingItem]:
    """待办 for the home page: rewards waiting for the user's confirmation, and jointly confirmed ones to pay."""
    if not user.has_perm(VIEW_REWARDS) or getattr(user, "unit", None) is None:
        return
    url = reverse("investment:reward_claim_list")
    claims = visible_reward_claims(user)
    waiting = waiting_for(user, claims).count()
    if waiting:
        yield PendingItem(_("待确认的引荐奖励"), f"{url}?waiting=on", waiting, level="warning")
    unpaid = to_pay(user, claims).count()
    if unpaid:
        yield PendingItem(_("已联合确认、待兑付的引荐奖励"), f"{url}?status={Status.CONFIRMED}", unpaid)


def all_rules() -> QuerySet:
    """Reward rules, the one in force last."""
    return RewardRule.objects.annotate(claim_count=Count("rewardclaim")).order_by("-valid_from")
