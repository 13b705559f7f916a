"""Ticket clocks: deadlines from the time-limit policy, pauses, extensions, warnings and elapsed time.

Conventions (the same as apps/core/workdays and the 承诺时限 cases, 《民法典》 art. 201):

- **Working days**: the day the clock starts does not count; a limit of n working days ends at the end of
  the n-th working day after it (23:59:59 local time). 0 working days = the end of the same day.
- **Working hours**: counted inside ``WORKING_PERIODS`` (9:00–12:00 and 13:30–17:30, 7 hours a day) on
  working days only; a ticket dispatched at 17:00 with 2 working hours is due at 10:30 the next working day.
- **Calendar days** end at the end of the n-th day after the start; **hours** are plain elapsed hours.
- The clock starts at dispatch (派单): time before it, and time waiting for the office's review of a
  return (退单待审), count against the hotline office, so a re-dispatch starts a fresh clock.
- A **pause** (暂停计时) from S to R moves every running due date by the working time between them, in the
  due date's own unit: for working days the working days after S's date up to and including R's date
  (a pause within one day moves nothing); for working hours the working seconds between S and R.
- An approved **extension** moves the reply due date by its working days.

Scans over many tickets pass one ``WorkdayCalendar`` to every call.
"""

import math
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.appeals.models import Appeal, TimeLimitPolicy
from apps.appeals.models.appeals import State
from apps.appeals.models.policies import LimitUnit
from apps.core.errors import BusinessRuleError
from apps.core.workdays import CalendarNotCovered, WorkdayCalendar

#: office hours on a working day, for limits in working hours
WORKING_PERIODS = ((time(9, 0), time(12, 0)), (time(13, 30), time(17, 30)))
END_OF_DAY = time(23, 59, 59)
WORKING_UNITS = (LimitUnit.WORKING_DAYS, LimitUnit.WORKING_HOURS)


class Light(StrEnum):
    NONE = "none"
    GREEN = "green"
    AMBER = "amber"
    RED = "red"


class Escalation(StrEnum):
    NONE = "none"
    URGE = "urge"  # 催办
    SUPERVISE = "supervise"  # 督办
    ESCALATE = "escalate"  # 提级


@dataclass(frozen=True)
class Deadlines:
    sign_for: datetime
    contact: datetime
    reply: datetime


def _local(moment: datetime) -> datetime:
    return timezone.localtime(moment)


def _at(day: date, moment: time) -> datetime:
    return timezone.make_aware(datetime.combine(day, moment))


# ---- working time ---------------------------------------------------------------------------------------


def _periods(day: date, calendar: WorkdayCalendar) -> list[tuple[datetime, datetime]]:
    if not calendar.is_workday(day):
        return []
    return [(_at(day, start), _at(day, end)) for start, end in WORKING_PERIODS]


def working_seconds(start: datetime, end: datetime, calendar: WorkdayCalendar) -> int:
    """Seconds of office hours on working days between two moments (0 when end ≤ start)."""
    if end <= start:
        return 0
    total, day = 0, _local(start).date()
    while day <= _local(end).date():
        for period_start, period_end in _periods(day, calendar):
            overlap = min(end, period_end) - max(start, period_start)
            total += max(0, int(overlap.total_seconds()))
        day += timedelta(days=1)
    return total


def add_working_seconds(start: datetime, seconds: int, calendar: WorkdayCalendar) -> datetime:
    """The moment ``seconds`` of office hours after ``start``."""
    remaining, day = seconds, _local(start).date()
    if remaining <= 0:
        return start
    while True:
        for period_start, period_end in _periods(day, calendar):
            begin = max(start, period_start)
            available = int((period_end - begin).total_seconds())
            if available <= 0:
                continue
            if remaining <= available:
                return begin + timedelta(seconds=remaining)
            remaining -= available
        day += timedelta(days=1)


def due_after(start: datetime, amount: int, unit: str, calendar: WorkdayCalendar) -> datetime:
    """The end of a limit of ``amount`` ``unit`` starting at ``start``."""
    if unit == LimitUnit.WORKING_DAYS:
        return _at(calendar.add_working_days(_local(start).date(), amount), END_OF_DAY)
    if unit == LimitUnit.WORKING_HOURS:
        return add_working_seconds(start, amount * 3600, calendar)
    if unit == LimitUnit.CALENDAR_DAYS:
        return _at(_local(start).date() + timedelta(days=amount), END_OF_DAY)
    return start + timedelta(hours=amount)


def deadlines(policy: TimeLimitPolicy, start: datetime, calendar: WorkdayCalendar) -> Deadlines:
    """Sign-for, first-contact and reply due dates of a clock started at ``start``."""
    return Deadlines(
        sign_for=due_after(start, policy.sign_for_amount, policy.sign_for_unit, calendar),
        contact=due_after(start, policy.first_contact_amount, policy.first_contact_unit, calendar),
        reply=due_after(start, policy.reply_amount, policy.reply_unit, calendar),
    )


def shifted_by_pause(
    due: datetime, unit: str, started: datetime, ended: datetime, calendar: WorkdayCalendar
) -> datetime:
    """``due`` moved by the time paused from ``started`` to ``ended``, measured in the due date's unit."""
    if unit == LimitUnit.WORKING_DAYS:
        days = calendar.working_days_between(_local(started).date(), _local(ended).date())
        local_due = _local(due)
        return _at(calendar.add_working_days(local_due.date(), days), local_due.time())
    if unit == LimitUnit.WORKING_HOURS:
        return add_working_seconds(due, working_seconds(started, ended, calendar), calendar)
    if unit == LimitUnit.CALENDAR_DAYS:
        return due + timedelta(days=(_local(ended).date() - _local(started).date()).days)
    return due + (ended - started)


def extended(due: datetime, days: int, calendar: WorkdayCalendar) -> datetime:
    """``due`` moved by an approved extension of ``days`` working days (the time of day kept)."""
    local_due = _local(due)
    return _at(calendar.add_working_days(local_due.date(), days), local_due.time())


# ---- the policy a ticket gets ---------------------------------------------------------------------------


def policy_for(*, unit, appeal_type: str, urgency: str, on: date) -> TimeLimitPolicy:
    """The valid policy of the nearest jurisdiction above ``unit`` (the city's default when none has one)."""
    step = type(unit).steplen
    ancestors = [unit.path[:end] for end in range(step, len(unit.path) + 1, step)]
    candidates = TimeLimitPolicy.objects.valid_on(on).filter(
        Q(jurisdiction__isnull=True) | Q(jurisdiction__path__in=ancestors), appeal_type=appeal_type, urgency=urgency
    )
    ranked = sorted(
        candidates.select_related("jurisdiction"),
        key=lambda policy: (len(policy.jurisdiction.path) if policy.jurisdiction else 0, policy.valid_from),
    )
    if not ranked:
        raise BusinessRuleError(_("没有适用于该诉求类型和紧急程度的办理时限规则，请先维护办理时限规则。"))
    return ranked[-1]


# ---- status at a moment ---------------------------------------------------------------------------------


def _running_stage(appeal: Appeal) -> tuple[datetime | None, str] | None:
    policy = appeal.policy
    if appeal.state == State.AWAITING_SIGN_FOR:
        return appeal.sign_for_due, policy.sign_for_unit
    if appeal.state in (State.HANDLING, State.RETURN_PENDING):
        return appeal.reply_due, policy.reply_unit
    return None


def _clock_now(appeal: Appeal, now: datetime) -> datetime:
    """``now``, or the start of an open pause: a paused clock stands still."""
    if "pauses" in getattr(appeal, "_prefetched_objects_cache", {}):  # lists prefetch them: no query per row
        pause = next((p for p in appeal.pauses.all() if p.ended_at is None), None)
    else:
        pause = appeal.pauses.filter(ended_at__isnull=True).first()
    return min(now, pause.started_at) if pause else now


def _measure(start: datetime, end: datetime, unit: str, calendar: WorkdayCalendar) -> float:
    if unit in WORKING_UNITS:
        return working_seconds(start, end, calendar)
    return max(0.0, (end - start).total_seconds())


def status_at(appeal: Appeal, now: datetime, calendar: WorkdayCalendar | None = None) -> Light:
    """红黄灯 of the running stage: red past due, amber once ``warn_fraction`` of the limit is used."""
    stage = _running_stage(appeal)
    if stage is None or stage[0] is None or appeal.dispatched_at is None:
        return Light.NONE
    due, unit = stage
    calendar = calendar or WorkdayCalendar.load()
    moment = _clock_now(appeal, now)
    if moment > due:
        return Light.RED
    total = _measure(appeal.dispatched_at, due, unit, calendar)
    used = _measure(appeal.dispatched_at, moment, unit, calendar)
    if total and used / total >= float(appeal.policy.warn_fraction):
        return Light.AMBER
    return Light.GREEN


def warn_moment(appeal: Appeal, calendar: WorkdayCalendar) -> datetime | None:
    """The moment the running stage turns amber (``status_at``'s share of its limit used), kept on the ticket so
    lists filter amber and red in SQL; None when no clock runs or the calendar does not cover the due date."""
    stage = _running_stage(appeal)
    if stage is None or stage[0] is None or appeal.dispatched_at is None:
        return None
    due, unit = stage
    try:
        share = _measure(appeal.dispatched_at, due, unit, calendar) * float(appeal.policy.warn_fraction)
        if unit in WORKING_UNITS:
            return add_working_seconds(appeal.dispatched_at, math.ceil(share), calendar)
    except CalendarNotCovered:
        return None
    return appeal.dispatched_at + timedelta(seconds=math.ceil(share))


def light_or_none(appeal: Appeal, now: datetime, calendar: WorkdayCalendar) -> Light:
    """``status_at`` for lists, NONE when a due date lies in a year the calendar does not cover yet."""
    try:
        return status_at(appeal, now, calendar)
    except CalendarNotCovered:
        return Light.NONE


def escalation_at(appeal: Appeal, now: datetime, calendar: WorkdayCalendar | None = None) -> Escalation:
    """催办 → 督办 → 提级 due for the reply at ``now`` by the policy's thresholds in working days."""
    if appeal.state not in (State.HANDLING, State.RETURN_PENDING) or appeal.reply_due is None:
        return Escalation.NONE
    calendar, policy = calendar or WorkdayCalendar.load(), appeal.policy
    moment = _clock_now(appeal, now)
    today, due_day = _local(moment).date(), _local(appeal.reply_due).date()
    if moment > appeal.reply_due:
        late = calendar.working_days_between(due_day, today)
        if late >= policy.escalate_days_after:
            return Escalation.ESCALATE
        return Escalation.SUPERVISE if late >= policy.supervise_days_after else Escalation.NONE
    left = calendar.working_days_between(today, due_day)
    return Escalation.URGE if left <= policy.urge_days_before else Escalation.NONE


# ---- elapsed working time -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Elapsed:
    """Working time (office hours) used per stage and end to end, pauses taken out; None if not started."""

    intake: timedelta
    sign_for: timedelta | None
    reply: timedelta | None
    total: timedelta


def elapsed(appeal: Appeal, now: datetime, calendar: WorkdayCalendar | None = None) -> Elapsed:
    """Per-stage and end-to-end working time of the ticket at ``now``."""
    calendar = calendar or WorkdayCalendar.load()
    pauses = [(p.started_at, p.ended_at or now) for p in appeal.pauses.all()]

    def span(start: datetime | None, end: datetime | None) -> timedelta | None:
        if start is None:
            return None
        end = min(end or now, now)
        paused = sum(working_seconds(max(s, start), min(e, end), calendar) for s, e in pauses)
        return timedelta(seconds=working_seconds(start, end, calendar) - paused)

    lead = appeal.lead_assignment()
    return Elapsed(
        intake=span(appeal.created_at, appeal.dispatched_at),
        sign_for=span(appeal.dispatched_at, lead.signed_at if lead else None),
        reply=span(appeal.dispatched_at, lead.replied_at if lead else None),
        total=span(appeal.created_at, appeal.closed_at),
    )
