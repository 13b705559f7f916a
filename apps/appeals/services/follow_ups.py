"""Follow-up beyond the closing call (回访): when a limit expires without a reply, for merged tickets, and later.

- **超期回访** (Beijing 条例): a ticket whose reply due date passed without the lead unit's reply goes on the
  follow-up worklist; the scan marks it once per due date (``expired_for``), and the hotline's call records
  what the appellant says (a ``Callback``) while the unit keeps handling.
- **并单回访**: a merged ticket's appellant gets the master's reply (an event on the merged ticket when the
  master is replied; the public query shows the master's reply) and their own call, with their own solved
  and satisfaction on the merged ticket.
- **复查回访** (FixMyStreet's questionnaire): the policy's ``recheck_days`` working days after a solved
  follow-up, the scan lists the ticket once; "still solved" is recorded, "it came back" reopens it as a redo.

Every move is in ``transitions.TRANSITIONS``; the scans are SYSTEM moves and are safe to run twice.
"""

from datetime import datetime

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.appeals.models import Appeal, Callback, Event, Pause
from apps.appeals.models.appeals import Satisfaction, Solved, State
from apps.appeals.models.process import Action
from apps.appeals.services import transitions
from apps.appeals.services.transitions import _check, _move
from apps.core.audit import records_actor
from apps.core.errors import BusinessRuleError
from apps.core.workdays import chinese_date

#: states in which the reply clock runs
RUNNING = (State.AWAITING_SIGN_FOR, State.HANDLING, State.RETURN_PENDING)
#: a master in these states has been replied to
REPLIED = (State.AWAITING_FOLLOW_UP, State.RESOLVED)


def root_master(appeal: Appeal) -> Appeal:
    """The ticket a merged ticket was finally merged into (itself when not merged)."""
    seen = {appeal.pk}
    while appeal.merged_into_id is not None and appeal.merged_into_id not in seen:
        appeal = appeal.merged_into
        seen.add(appeal.pk)
    return appeal


# ---- the worklists ----------------------------------------------------------------------------------------


def awaiting_expiry_follow_up(appeals):
    """Tickets whose reply limit expired without a reply, not yet called."""
    return appeals.filter(state__in=RUNNING, expiry_follow_up_pending=True)


def awaiting_merged_follow_up(appeals):
    """Merged tickets whose master has been replied to and whose own appellant has not been called yet."""
    return appeals.filter(state=State.MERGED, merged_into__state__in=REPLIED, solved="")


def awaiting_recheck(appeals):
    """Resolved tickets listed by the scan for the "is it still solved?" call, not yet called."""
    return appeals.filter(state=State.RESOLVED, recheck_listed_at__isnull=False, rechecked_at__isnull=True)


# ---- the scans --------------------------------------------------------------------------------------------


def _expired(now: datetime):
    """Running tickets past their reply due date, not marked for this due date, with no open pause."""
    not_marked = Q(expired_for__isnull=True) | ~Q(expired_for=F("reply_due"))
    return (
        Appeal.objects.filter(not_marked, state__in=RUNNING, reply_due__lt=now)
        .exclude(pk__in=Pause.objects.filter(ended_at__isnull=True).values("appeal"))
        .order_by("pk")
    )


@transaction.atomic
def _mark_expired(appeal: Appeal, now: datetime) -> bool:
    due = appeal.reply_due
    note = _("答复期限 %(due)s 已到，尚未答复，列入回访。") % {"due": chinese_date(timezone.localtime(due).date())}
    try:
        _move(appeal, Action.EXPIRED, by=None, now=now, note=note, expired_for=due, expiry_follow_up_pending=True)
    except BusinessRuleError:  # moved by someone in the meantime: the next run looks again
        return False
    return True


def scan_expired(*, now: datetime | None = None) -> int:
    """Put every ticket whose reply limit expired without a reply on the follow-up worklist; returns how many."""
    now = now or timezone.now()
    return sum(_mark_expired(appeal, now) for appeal in _expired(now).iterator(chunk_size=500))


@transaction.atomic
def _list_recheck(appeal: Appeal, now: datetime) -> bool:
    if not Appeal.objects.filter(pk=appeal.pk, recheck_listed_at__isnull=True).update(recheck_listed_at=now):
        return False
    Event.objects.create(
        appeal=appeal, action=Action.RECHECK_DUE, from_state=appeal.state, to_state=appeal.state, at=now,
        note=_("办结后已满复查期限，请回访诉求人问题是否仍已解决。"),
    )  # fmt: skip
    return True


def scan_rechecks(*, now: datetime | None = None) -> int:
    """List the solved tickets whose re-check date has come; returns how many were listed."""
    now = now or timezone.now()
    due = Appeal.objects.filter(state=State.RESOLVED, recheck_due__lte=now, recheck_listed_at__isnull=True)
    return sum(_list_recheck(appeal, now) for appeal in due.order_by("pk").iterator(chunk_size=500))


def scan_expired_summary() -> str:
    return _("超期未答复列入回访 %(count)s 件") % {"count": scan_expired()}


def scan_rechecks_summary() -> str:
    return _("列入复查回访 %(count)s 件") % {"count": scan_rechecks()}


# ---- the calls --------------------------------------------------------------------------------------------


def _check_answers(solved: str, satisfaction: int) -> None:
    if solved not in Solved.values or satisfaction not in Satisfaction.values:
        raise BusinessRuleError(_("请选择解决情况和满意度。"), field="solved")


@records_actor
@transaction.atomic
def follow_up_expired(*, appeal: Appeal, solved: str, satisfaction: int, note: str, by, now: datetime) -> Event:
    """超期回访: the appellant's view of a ticket past its limit; the unit keeps handling it."""
    _check(appeal, Action.EXPIRY_FOLLOW_UP, by)
    if not appeal.expiry_follow_up_pending:
        raise BusinessRuleError(_("该工单不在超期回访名单中。"))
    _check_answers(solved, satisfaction)
    Callback.objects.create(
        appeal=appeal, kind=Callback.Kind.EXPIRY, solved=solved, satisfaction=satisfaction, note=note, by=by, at=now
    )
    return _move(appeal, Action.EXPIRY_FOLLOW_UP, by=by, now=now, note=note, expiry_follow_up_pending=False)


@records_actor
@transaction.atomic
def follow_up_merged(*, appeal: Appeal, solved: str, satisfaction: int, note: str, by, now: datetime) -> Event:
    """并单回访: the merged ticket's own appellant, called about the master's reply."""
    _check(appeal, Action.FOLLOW_UP_MERGED, by)
    master = root_master(appeal)
    if master.state not in REPLIED:
        raise BusinessRuleError(_("主工单 %(number)s 尚未答复，暂不能回访。") % {"number": master.number})
    if appeal.solved:
        raise BusinessRuleError(_("该工单的诉求人已回访。"))
    _check_answers(solved, satisfaction)
    return _move(appeal, Action.FOLLOW_UP_MERGED, by=by, now=now, note=note, solved=solved, satisfaction=satisfaction)


@records_actor
@transaction.atomic
def record_recheck(*, appeal: Appeal, still_solved: bool, note: str, by, now: datetime) -> Event:
    """复查回访: "still solved" is recorded; "it came back" reopens the ticket as a redo (重办)."""
    action = Action.RECHECK if still_solved else Action.REOPEN
    _check(appeal, action, by)
    if appeal.recheck_listed_at is None or appeal.rechecked_at is not None:
        raise BusinessRuleError(_("该工单不在复查回访名单中。"))
    if not still_solved and not note.strip():
        raise BusinessRuleError(_("问题反复的，请记录诉求人反映的情况。"), field="note")
    Callback.objects.create(
        appeal=appeal, kind=Callback.Kind.RECHECK, still_solved=still_solved, note=note, by=by, at=now
    )
    if still_solved:
        return _move(appeal, action, by=by, now=now, note=note, rechecked_at=now)
    return transitions.handle_again(appeal, action, by=by, now=now, note=note, rechecked_at=now)
