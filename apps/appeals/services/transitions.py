"""The ticket's state machine (research/anchors-appeals.md §5.3): one table, one function per move.

``TRANSITIONS`` says, for every action, the states it may start from and whether the hotline office (the
owning unit, holding the permission) or an assigned unit's handler performs it. Each service checks the
move and the actor, changes the state with a conditional UPDATE (0 rows: someone else moved the ticket
first) and writes exactly one Event in the same transaction.

Lead and co-units (主办/协办): each signs for and replies on its own assignment; the ticket's state follows
the lead. The lead's reply closes the handling only when every active co-unit has replied (首接负责: the
lead answers for the whole, so it waits for its co-units' parts); until then it is refused.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.appeals import permissions
from apps.appeals.models import Appeal, Assignment, Event, ExtensionRequest, Pause, ReturnRequest
from apps.appeals.models.appeals import Satisfaction, Solved, State, Triage
from apps.appeals.models.policies import LimitUnit
from apps.appeals.models.process import Action, Decision
from apps.appeals.services import clocks, knowledge
from apps.core.audit import records_actor
from apps.core.errors import BusinessRuleError
from apps.core.workdays import CalendarNotCovered, WorkdayCalendar

#: SYSTEM moves are made by the scheduled scans (services/follow_ups.py), never offered as buttons
OFFICE, ASSIGNED, SYSTEM = "office", "assigned", "system"
#: co-assignments that no longer hold up the lead's reply
_DONE = (Assignment.State.REPLIED, Assignment.State.RETURNED)


@dataclass(frozen=True)
class Move:
    sources: tuple[str, ...]
    actor: str  # OFFICE, ASSIGNED or SYSTEM
    permission: str


_DISPATCHABLE = (State.REGISTERED, State.AWAITING_DISPATCH)
_HANDLED = (State.AWAITING_SIGN_FOR, State.HANDLING, State.RETURN_PENDING)
TRANSITIONS: dict[str, Move] = {
    Action.ACCEPT: Move((State.REGISTERED,), OFFICE, permissions.RECORD_APPEAL),
    Action.REFUSE: Move((State.REGISTERED,), OFFICE, permissions.RECORD_APPEAL),
    Action.DISPATCH: Move((State.AWAITING_DISPATCH,), OFFICE, permissions.MANAGE_DISPATCH),
    Action.ANSWER_DIRECTLY: Move((State.AWAITING_DISPATCH,), OFFICE, permissions.RECORD_APPEAL),
    Action.MERGE: Move(_DISPATCHABLE, OFFICE, permissions.MANAGE_DISPATCH),
    Action.SIGN_FOR: Move(_HANDLED, ASSIGNED, permissions.HANDLE_APPEAL),
    Action.CONTACT: Move((State.HANDLING,), ASSIGNED, permissions.HANDLE_APPEAL),
    Action.REPLY: Move((State.HANDLING,), ASSIGNED, permissions.HANDLE_APPEAL),
    Action.REQUEST_RETURN: Move((State.AWAITING_SIGN_FOR, State.HANDLING), ASSIGNED, permissions.HANDLE_APPEAL),
    Action.APPROVE_RETURN: Move(_HANDLED, OFFICE, permissions.MANAGE_DISPATCH),
    Action.REJECT_RETURN: Move(_HANDLED, OFFICE, permissions.MANAGE_DISPATCH),
    Action.REQUEST_EXTENSION: Move((State.HANDLING,), ASSIGNED, permissions.HANDLE_APPEAL),
    Action.APPROVE_EXTENSION: Move((State.HANDLING,), OFFICE, permissions.MANAGE_DISPATCH),
    Action.REJECT_EXTENSION: Move((State.HANDLING,), OFFICE, permissions.MANAGE_DISPATCH),
    Action.PAUSE: Move((State.HANDLING,), ASSIGNED, permissions.HANDLE_APPEAL),
    Action.RESUME: Move((State.HANDLING,), ASSIGNED, permissions.HANDLE_APPEAL),
    Action.FOLLOW_UP: Move((State.AWAITING_FOLLOW_UP,), OFFICE, permissions.FOLLOW_UP_APPEAL),
    Action.REDO: Move((State.AWAITING_FOLLOW_UP,), OFFICE, permissions.FOLLOW_UP_APPEAL),
    # follow-up beyond the reply (services/follow_ups.py): the limit expired without a reply, merged
    # tickets' own appellants, and the later "is it still solved?" check
    Action.EXPIRED: Move(_HANDLED, SYSTEM, ""),
    Action.EXPIRY_FOLLOW_UP: Move(_HANDLED, OFFICE, permissions.FOLLOW_UP_APPEAL),
    Action.MASTER_REPLIED: Move((State.MERGED,), SYSTEM, ""),
    Action.FOLLOW_UP_MERGED: Move((State.MERGED,), OFFICE, permissions.FOLLOW_UP_APPEAL),
    Action.RECHECK_DUE: Move((State.RESOLVED,), SYSTEM, ""),
    Action.RECHECK: Move((State.RESOLVED,), OFFICE, permissions.FOLLOW_UP_APPEAL),
    Action.REOPEN: Move((State.RESOLVED,), OFFICE, permissions.FOLLOW_UP_APPEAL),
}


def allowed_actions_for(appeal: Appeal, user) -> list[str]:
    """Actions the table lets ``user`` start on ``appeal`` now (for buttons; services check the details)."""
    assigned = [a for a in appeal.assignments.all() if a.is_active]
    allowed = []
    for action, move in TRANSITIONS.items():
        if appeal.state not in move.sources or move.actor == SYSTEM:
            continue
        if move.actor == OFFICE:
            may = permissions.acts_for_owner(user, appeal, move.permission)
        else:
            may = any(permissions.acts_for_assignment(user, a) for a in assigned)
        if may:
            allowed.append(action)
    return allowed


def _check(appeal: Appeal, action: str, by, assignment: Assignment | None = None) -> None:
    move = TRANSITIONS[action]
    label = Action(action).label
    if appeal.state not in move.sources:
        raise BusinessRuleError(
            _("工单当前状态为“%(state)s”，不能%(action)s。") % {"state": appeal.get_state_display(), "action": label}
        )
    if move.actor == OFFICE and not permissions.acts_for_owner(by, appeal, move.permission):
        raise BusinessRuleError(_("您无权对该工单执行“%(action)s”。") % {"action": label})
    if move.actor == ASSIGNED and (assignment is None or not permissions.acts_for_assignment(by, assignment)):
        raise BusinessRuleError(_("只有承办单位的经办人可以%(action)s。") % {"action": label})


#: the fields a running clock depends on: a change of one of them (or of the state) moves the amber moment
CLOCK_FIELDS = frozenset({"dispatched_at", "sign_for_due", "reply_due"})


def _move(appeal: Appeal, action: str, *, by, now: datetime, to: str | None = None, note: str = "", **changes) -> Event:
    """Conditional UPDATE from the state the caller saw, then the event; refreshes ``appeal``.

    ``by`` is None for the scans' SYSTEM moves."""
    before = appeal.state
    target = to or before
    if not Appeal.objects.filter(pk=appeal.pk, state=before).update(state=target, **changes):
        raise BusinessRuleError(_("工单已被他人处理，请刷新后重试。"))
    appeal.refresh_from_db()
    if target != before or CLOCK_FIELDS & changes.keys():
        warn_at = clocks.warn_moment(appeal, WorkdayCalendar.load())
        if warn_at != appeal.warn_at:
            Appeal.objects.filter(pk=appeal.pk).update(warn_at=warn_at)
            appeal.warn_at = warn_at
    return Event.objects.create(
        appeal=appeal,
        actor=by,
        actor_unit=by.unit if by is not None else None,
        action=action,
        from_state=before,
        to_state=target,
        note=note,
        at=now,
    )


def _active(appeal: Appeal, assignment: Assignment) -> Assignment:
    assignment.refresh_from_db()  # the caller's copy may predate the last move
    if assignment.appeal_id != appeal.pk or not assignment.is_active:
        raise BusinessRuleError(_("该承办记录不属于本工单或已退回。"))
    return assignment


# ---- intake and dispatch ----------------------------------------------------------------------------------


@records_actor
@transaction.atomic
def accept_appeal(*, appeal: Appeal, by, now: datetime, note: str = "") -> Event:
    """受理: the triage outcome is "handle"; the ticket waits for dispatch."""
    _check(appeal, Action.ACCEPT, by)
    return _move(
        appeal,
        Action.ACCEPT,
        by=by,
        now=now,
        to=State.AWAITING_DISPATCH,
        note=note,
        triage=Triage.HANDLE,
        triage_note=note,
    )


@records_actor
@transaction.atomic
def refuse_appeal(*, appeal: Appeal, triage: str, note: str, by, now: datetime) -> Event:
    """不予受理: transferred to 110/119/120/122, pointed to the legal route, or explained and refused."""
    _check(appeal, Action.REFUSE, by)
    if triage == Triage.HANDLE or triage not in Triage.values:
        raise BusinessRuleError(_("请选择不予受理的分流结果。"), field="triage")
    if not note.strip():
        raise BusinessRuleError(_("请说明不予受理的理由或告知的途径。"), field="triage_note")
    return _move(
        appeal,
        Action.REFUSE,
        by=by,
        now=now,
        to=State.REFUSED,
        note=note,
        triage=triage,
        triage_note=note,
        closed_at=now,
    )


def _check_dispatch_units(appeal: Appeal, lead_unit, co_units) -> None:
    units = [lead_unit, *co_units]
    if lead_unit in co_units or len({unit.pk for unit in units}) != len(units):
        raise BusinessRuleError(_("主办单位和协办单位不得重复。"), field="co_units")
    if appeal.category.is_functional and any(unit.kind == "town" for unit in units):
        raise BusinessRuleError(_("职能部门职责事项不得派往乡镇街道。"), field="lead_unit")
    returned = appeal.assignments.filter(state=Assignment.State.RETURNED, unit__in=units).first()
    if returned is not None:
        raise BusinessRuleError(
            _("%(unit)s 的退单已获同意，不能再派给该单位。") % {"unit": returned.unit}, field="lead_unit"
        )


@records_actor
@transaction.atomic
def dispatch_appeal(*, appeal: Appeal, lead_unit, co_units=(), by, now: datetime, note: str = "") -> Event:
    """派单 (also 改派 after an approved return): assignments for lead and co-units, and a fresh clock."""
    _check(appeal, Action.DISPATCH, by)
    co_units = list(co_units)
    _check_dispatch_units(appeal, lead_unit, co_units)
    existing = {a.unit_id for a in appeal.assignments.all() if a.is_active}
    Assignment.objects.create(appeal=appeal, unit=lead_unit, role=Assignment.Role.LEAD, created_at=now)
    for unit in co_units:
        if unit.pk not in existing:
            Assignment.objects.create(appeal=appeal, unit=unit, role=Assignment.Role.CO, created_at=now)
    due = clocks.deadlines(appeal.policy, now, WorkdayCalendar.load())
    return _move(
        appeal, Action.DISPATCH, by=by, now=now, to=State.AWAITING_SIGN_FOR, note=note, dispatched_at=now,
        sign_for_due=due.sign_for, contact_due=due.contact, reply_due=due.reply,
    )  # fmt: skip


@records_actor
@transaction.atomic
def answer_directly(*, appeal: Appeal, answer: str, by, now: datetime, article=None) -> Event:
    """直接答复: a consultation answered by the hotline from the knowledge base; it goes to follow-up.

    With ``article`` (a published 知识条目) the answer defaults to its text and the use is recorded."""
    _check(appeal, Action.ANSWER_DIRECTLY, by)
    if appeal.appeal_type != "consultation":
        raise BusinessRuleError(_("只有咨询类诉求可以直接答复。"))
    answer = answer.strip() or (article.answer if article is not None else "")
    if not answer:
        raise BusinessRuleError(_("请填写答复内容。"), field="answer")
    event = _move(appeal, Action.ANSWER_DIRECTLY, by=by, now=now, to=State.AWAITING_FOLLOW_UP, note=answer)
    if article is not None:
        knowledge.record_use(article=article, appeal=appeal, event=event, by=by, now=now)
    return event


@records_actor
@transaction.atomic
def merge_appeal(*, appeal: Appeal, master: Appeal, by, now: datetime) -> Event:
    """并单: the repeated ticket closes pointing to its master; the master's reply and follow-up serve both."""
    _check(appeal, Action.MERGE, by)
    if master.pk == appeal.pk or master.state in (State.MERGED, State.REFUSED):
        raise BusinessRuleError(_("只能并入另一件未合并、已受理的工单。"), field="master")
    if master.unit_id != appeal.unit_id and not master.unit.path.startswith(by.unit.path):
        raise BusinessRuleError(_("主工单不在您的管理范围内。"), field="master")
    note = _("并入 %(number)s") % {"number": master.number}
    return _move(appeal, Action.MERGE, by=by, now=now, to=State.MERGED, note=note, merged_into=master, closed_at=now)


# ---- handling by the assigned units -----------------------------------------------------------------------


@records_actor
@transaction.atomic
def sign_for(*, appeal: Appeal, assignment: Assignment, by, now: datetime) -> Event:
    """签收: the unit takes the ticket on; the lead's sign-for starts the handling."""
    _check(appeal, Action.SIGN_FOR, by, _active(appeal, assignment))
    # conditional: a colleague of the same unit may sign for it at the same moment
    waiting = Assignment.objects.filter(pk=assignment.pk, state=Assignment.State.AWAITING_SIGN_FOR)
    if not waiting.update(state=Assignment.State.HANDLING, signed_at=now):
        raise BusinessRuleError(_("本单位已签收该工单。"))
    lead_starts = assignment.role == Assignment.Role.LEAD and appeal.state == State.AWAITING_SIGN_FOR
    return _move(appeal, Action.SIGN_FOR, by=by, now=now, to=State.HANDLING if lead_starts else None)


@records_actor
@transaction.atomic
def contact_appellant(*, appeal: Appeal, assignment: Assignment, note: str, by, now: datetime) -> Event:
    """联系诉求人: the first contact stops the first-contact clock."""
    _check(appeal, Action.CONTACT, by, _active(appeal, assignment))
    if assignment.state != Assignment.State.HANDLING:
        raise BusinessRuleError(_("请先签收工单。"))
    Assignment.objects.filter(pk=assignment.pk, contacted_at__isnull=True).update(contacted_at=now)
    return _move(appeal, Action.CONTACT, by=by, now=now, note=note)


@records_actor
@transaction.atomic
def reply_appeal(
    *, appeal: Appeal, assignment: Assignment, reply: str, legal_basis: str, approved_by: str, by, now: datetime
) -> Event:
    """答复 with the legal basis and the approving official; the lead's reply (after all co-units') ends handling."""
    _check(appeal, Action.REPLY, by, _active(appeal, assignment))
    if assignment.state != Assignment.State.HANDLING:
        raise BusinessRuleError(_("请先签收工单。"))
    if not (reply.strip() and legal_basis.strip() and approved_by.strip()):
        raise BusinessRuleError(_("答复须填写答复内容、依据和审核人。"), field="reply")
    is_lead = assignment.role == Assignment.Role.LEAD
    if is_lead and appeal.assignments.filter(role=Assignment.Role.CO).exclude(state__in=_DONE).exists():
        raise BusinessRuleError(_("协办单位尚未全部答复，主办单位暂不能答复办结。"))
    if is_lead and appeal.pauses.filter(ended_at__isnull=True).exists():
        raise BusinessRuleError(_("工单正在暂停计时，请先恢复计时。"))
    Assignment.objects.filter(pk=assignment.pk).update(
        state=Assignment.State.REPLIED, replied_at=now, reply=reply, legal_basis=legal_basis, approved_by=approved_by
    )
    if not is_lead:
        return _move(appeal, Action.REPLY, by=by, now=now, note=reply)
    event = _move(
        appeal, Action.REPLY, by=by, now=now, to=State.AWAITING_FOLLOW_UP, note=reply, expiry_follow_up_pending=False
    )
    _tell_merged(appeal, now)
    return event


def _tell_merged(master: Appeal, now: datetime) -> None:
    """The master's reply serves its merged tickets: each gets an event, and goes on the follow-up worklist."""
    note = _("主工单 %(number)s 已答复，答复同样适用于本工单。") % {"number": master.number}
    for merged in master.merged.filter(state=State.MERGED).order_by("pk"):
        _move(merged, Action.MASTER_REPLIED, by=None, now=now, note=note)


# ---- returns (退单) ---------------------------------------------------------------------------------------


@records_actor
@transaction.atomic
def request_return(
    *, appeal: Appeal, assignment: Assignment, reason: str, legal_basis: str, by, now: datetime
) -> Event:
    """退单申请 with reason and legal basis; a lead's request stops the unit's clock until the office decides."""
    _check(appeal, Action.REQUEST_RETURN, by, _active(appeal, assignment))
    if assignment.state not in (Assignment.State.AWAITING_SIGN_FOR, Assignment.State.HANDLING):
        raise BusinessRuleError(_("该承办记录当前不能申请退单。"))
    if not (reason.strip() and legal_basis.strip()):
        raise BusinessRuleError(_("退单须说明理由和职责依据。"), field="reason")
    ReturnRequest.objects.create(
        assignment=assignment, reason=reason, legal_basis=legal_basis, requested_by=by, requested_at=now
    )
    Assignment.objects.filter(pk=assignment.pk).update(state=Assignment.State.RETURN_PENDING)
    is_lead = assignment.role == Assignment.Role.LEAD
    return _move(
        appeal, Action.REQUEST_RETURN, by=by, now=now, to=State.RETURN_PENDING if is_lead else None, note=reason
    )


def _pending_return(assignment: Assignment) -> ReturnRequest:
    request = assignment.return_requests.filter(decision=Decision.PENDING).first()
    if request is None:
        raise BusinessRuleError(_("该承办记录没有待审核的退单申请。"))
    return request


@records_actor
@transaction.atomic
def approve_return(*, appeal: Appeal, assignment: Assignment, note: str, by, now: datetime) -> Event:
    """同意退单: the unit leaves the ticket; a lead's return sends the ticket back for re-dispatch (改派)."""
    _check(appeal, Action.APPROVE_RETURN, by)
    request = _pending_return(_active(appeal, assignment))
    ReturnRequest.objects.filter(pk=request.pk).update(
        decision=Decision.APPROVED, decided_by=by, decided_at=now, decision_note=note
    )
    Assignment.objects.filter(pk=assignment.pk).update(state=Assignment.State.RETURNED)
    is_lead = assignment.role == Assignment.Role.LEAD
    return _move(
        appeal, Action.APPROVE_RETURN, by=by, now=now, to=State.AWAITING_DISPATCH if is_lead else None, note=note
    )


@records_actor
@transaction.atomic
def reject_return(*, appeal: Appeal, assignment: Assignment, note: str, by, now: datetime) -> Event:
    """驳回退单: the unit keeps the ticket, back where it was (to sign for, or handling)."""
    _check(appeal, Action.REJECT_RETURN, by)
    request = _pending_return(_active(appeal, assignment))
    if not note.strip():
        raise BusinessRuleError(_("驳回退单须说明理由。"), field="note")
    ReturnRequest.objects.filter(pk=request.pk).update(
        decision=Decision.REJECTED, decided_by=by, decided_at=now, decision_note=note
    )
    signed = assignment.signed_at is not None
    back = Assignment.State.HANDLING if signed else Assignment.State.AWAITING_SIGN_FOR
    Assignment.objects.filter(pk=assignment.pk).update(state=back)
    to = None
    if assignment.role == Assignment.Role.LEAD:
        to = State.HANDLING if signed else State.AWAITING_SIGN_FOR
    return _move(appeal, Action.REJECT_RETURN, by=by, now=now, to=to, note=note)


# ---- extensions (延期) and pauses (暂停计时) -----------------------------------------------------------------


@records_actor
@transaction.atomic
def request_extension(*, appeal: Appeal, assignment: Assignment, days: int, reason: str, by, now: datetime) -> Event:
    """延期申请 by the lead unit, before the reply is due, within the policy's maximum."""
    _check(appeal, Action.REQUEST_EXTENSION, by, _active(appeal, assignment))
    if assignment.role != Assignment.Role.LEAD:
        raise BusinessRuleError(_("只有主办单位可以申请延期。"))
    if appeal.reply_due is not None and now > appeal.reply_due:
        raise BusinessRuleError(_("已超过答复期限，不能再申请延期。"))
    granted = sum(appeal_extension.days for appeal_extension in _approved_extensions(appeal))
    if days < 1 or granted + days > appeal.policy.max_extension_days:
        limit = {"max": appeal.policy.max_extension_days, "granted": granted}
        raise BusinessRuleError(_("延期累计不得超过 %(max)s 个工作日（已批准 %(granted)s 个）。") % limit, field="days")
    if not reason.strip():
        raise BusinessRuleError(_("请说明延期理由。"), field="reason")
    if assignment.extension_requests.filter(decision=Decision.PENDING).exists():
        raise BusinessRuleError(_("已有待审批的延期申请。"))
    ExtensionRequest.objects.create(assignment=assignment, days=days, reason=reason, requested_by=by, requested_at=now)
    return _move(appeal, Action.REQUEST_EXTENSION, by=by, now=now, note=reason)


def _approved_extensions(appeal: Appeal):
    return ExtensionRequest.objects.filter(assignment__appeal=appeal, decision=Decision.APPROVED)


def _pending_extension(appeal: Appeal) -> ExtensionRequest:
    request = ExtensionRequest.objects.filter(assignment__appeal=appeal, decision=Decision.PENDING).first()
    if request is None:
        raise BusinessRuleError(_("该工单没有待审批的延期申请。"))
    return request


@records_actor
@transaction.atomic
def decide_extension(*, appeal: Appeal, approve: bool, by, now: datetime, note: str = "") -> Event:
    """批准 (moves the reply due date by the requested working days) or 驳回 the pending extension."""
    action = Action.APPROVE_EXTENSION if approve else Action.REJECT_EXTENSION
    _check(appeal, action, by)
    request = _pending_extension(appeal)
    decision = Decision.APPROVED if approve else Decision.REJECTED
    ExtensionRequest.objects.filter(pk=request.pk).update(decision=decision, decided_by=by, decided_at=now)
    changes = {}
    if approve:
        changes["reply_due"] = clocks.extended(appeal.reply_due, request.days, WorkdayCalendar.load())
    return _move(appeal, action, by=by, now=now, note=note, **changes)


@records_actor
@transaction.atomic
def pause_clock(*, appeal: Appeal, assignment: Assignment, reason: str, by, now: datetime) -> Event:
    """暂停计时 while the appellant supplies material (lead unit only)."""
    _check(appeal, Action.PAUSE, by, _active(appeal, assignment))
    if assignment.role != Assignment.Role.LEAD:
        raise BusinessRuleError(_("只有主办单位可以暂停计时。"))
    if appeal.pauses.filter(ended_at__isnull=True).exists():
        raise BusinessRuleError(_("工单已在暂停计时中。"))
    if not reason.strip():
        raise BusinessRuleError(_("请说明暂停计时的理由。"), field="reason")
    Pause.objects.create(appeal=appeal, reason=reason, started_at=now)
    return _move(appeal, Action.PAUSE, by=by, now=now, note=reason)


@records_actor
@transaction.atomic
def resume_clock(*, appeal: Appeal, assignment: Assignment, by, now: datetime) -> Event:
    """恢复计时: the running due dates move by the paused time, each in its own unit."""
    _check(appeal, Action.RESUME, by, _active(appeal, assignment))
    pause = appeal.pauses.filter(ended_at__isnull=True).first()
    if pause is None:
        raise BusinessRuleError(_("工单未在暂停计时中。"))
    Pause.objects.filter(pk=pause.pk).update(ended_at=now)
    return _move(appeal, Action.RESUME, by=by, now=now, **_paused_dues(appeal, assignment, pause.started_at, now))


def _paused_dues(appeal: Appeal, lead: Assignment, started: datetime, ended: datetime) -> dict:
    calendar, policy = WorkdayCalendar.load(), appeal.policy
    running = {"reply_due": policy.reply_unit}
    if lead.contacted_at is None:
        running["contact_due"] = policy.first_contact_unit
    return {
        field: clocks.shifted_by_pause(getattr(appeal, field), unit, started, ended, calendar)
        for field, unit in running.items()
        if getattr(appeal, field) is not None
    }


# ---- follow-up (回访) and redo (重办) ----------------------------------------------------------------------


@records_actor
@transaction.atomic
def follow_up_appeal(
    *, appeal: Appeal, solved: str, satisfaction: int, unit_at_fault: bool, note: str, by, now: datetime
) -> Event:
    """回访: solved and satisfaction recorded apart; unsolved or unsatisfied by the unit's fault → 重办."""
    if solved not in Solved.values or satisfaction not in Satisfaction.values:
        raise BusinessRuleError(_("请选择解决情况和满意度。"), field="solved")
    unhappy = solved == Solved.UNSOLVED or satisfaction <= Satisfaction.DISSATISFIED
    if unhappy and unit_at_fault:
        return _redo(appeal, solved=solved, satisfaction=satisfaction, note=note, by=by, now=now)
    _check(appeal, Action.FOLLOW_UP, by)
    return _move(
        appeal, Action.FOLLOW_UP, by=by, now=now, to=State.RESOLVED, note=note, solved=solved,
        satisfaction=satisfaction, closed_at=now, recheck_due=recheck_due(appeal, solved, now),
        recheck_listed_at=None, rechecked_at=None,
    )  # fmt: skip


def recheck_due(appeal: Appeal, solved: str, now: datetime) -> datetime | None:
    """When a solved ticket comes up for the "is it still solved?" check (the policy's working days; 0 = never)."""
    days = appeal.policy.recheck_days
    if solved != Solved.SOLVED or not days:
        return None
    try:
        return clocks.due_after(now, days, LimitUnit.WORKING_DAYS, WorkdayCalendar.load())
    except CalendarNotCovered:  # next year's holidays not yet published: count Monday to Friday
        day = timezone.localtime(now).date()
        while days:
            day += timedelta(days=1)
            days -= day.weekday() < 5
        return timezone.make_aware(datetime.combine(day, clocks.END_OF_DAY))


def _redo(appeal: Appeal, *, solved: str, satisfaction: int, note: str, by, now: datetime) -> Event:
    """重办: the replied units handle again with a fresh reply clock; redo_count + 1."""
    _check(appeal, Action.REDO, by)
    return handle_again(appeal, Action.REDO, by=by, now=now, note=note, solved=solved, satisfaction=satisfaction)


def handle_again(appeal: Appeal, action: str, *, by, now: datetime, note: str, **changes) -> Event:
    """Back to the units that replied, with a fresh reply clock and redo_count + 1 (重办; the caller checks)."""
    appeal.assignments.filter(state=Assignment.State.REPLIED).update(state=Assignment.State.HANDLING, replied_at=None)
    due = clocks.deadlines(appeal.policy, now, WorkdayCalendar.load())
    return _move(
        appeal, action, by=by, now=now, to=State.HANDLING, note=note, redo_count=appeal.redo_count + 1,
        dispatched_at=now, reply_due=due.reply, closed_at=None, **changes,
    )  # fmt: skip
