"""The escalation scan (催办 → 督办 → 提级): one Event per ticket, level and reply due date.

The scan looks at tickets being handled whose reply is due soon or overdue, asks ``clocks.escalation_at``
which level the policy's thresholds give, and records that level once: the Event's note names the due date,
so a second run the same day (or the next) adds nothing, while an extension (a new due date) starts again.
The assigned lead unit's handlers get an in-app notice, at most once per ticket, level and due date.
"""

from datetime import datetime, timedelta
from itertools import islice

from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.appeals.models import Appeal, Assignment, Event, TimeLimitPolicy
from apps.appeals.models.appeals import State
from apps.appeals.models.process import Action
from apps.appeals.services import clocks
from apps.core.notices import NoticeItem, notify_many
from apps.core.workdays import CalendarNotCovered, WorkdayCalendar, chinese_date
from apps.org.models import User

LEVEL_ACTIONS = {
    clocks.Escalation.URGE: Action.URGE,
    clocks.Escalation.SUPERVISE: Action.SUPERVISE,
    clocks.Escalation.ESCALATE: Action.ESCALATE,
}
RUNNING = (State.HANDLING, State.RETURN_PENDING)
CHUNK = 1000


def _note(appeal: Appeal, action: str) -> str:
    due = chinese_date(timezone.localtime(appeal.reply_due).date())
    return _("%(level)s：答复期限 %(due)s") % {"level": Action(action).label, "due": due}


def _candidates(now: datetime, calendar: WorkdayCalendar):
    """Running tickets whose reply is due within the largest 催办 lead time of any policy, or overdue."""
    ahead = TimeLimitPolicy.objects.aggregate(days=Max("urge_days_before"))["days"] or 0
    today = timezone.localtime(now).date()
    try:
        horizon = calendar.add_working_days(today, ahead) + timedelta(days=1)
    except CalendarNotCovered:  # the turn of a year not yet in the calendar: a generous horizon
        horizon = today + timedelta(days=2 * ahead + 10)
    limit = timezone.make_aware(datetime.combine(horizon, datetime.min.time()))
    return Appeal.objects.filter(state__in=RUNNING, reply_due__lt=limit).select_related("policy").order_by("pk")


def handlers_of(unit) -> list[User]:
    """Active people of the unit whose roles let them handle tickets."""
    people = User.objects.filter(unit=unit, is_active=True, roles__permissions__codename="handle_appeal")
    return list(people.filter(roles__permissions__content_type__app_label="appeals").distinct())


def _due_levels(chunk: list[Appeal], now: datetime, calendar: WorkdayCalendar) -> list[tuple[Appeal, str, str]]:
    """The chunk's tickets that reached a level not yet recorded for their due date, with the level and note."""
    due = []
    for appeal in chunk:
        try:
            action = LEVEL_ACTIONS.get(clocks.escalation_at(appeal, now, calendar))
        except CalendarNotCovered:  # due in a year not yet in the calendar: far from any threshold
            continue
        if action is not None:
            due.append((appeal, action, _note(appeal, action)))
    recorded = set(
        Event.objects.filter(
            appeal__in=[appeal for appeal, _action, _note in due], action__in=LEVEL_ACTIONS.values()
        ).values_list("appeal_id", "action", "note")
    )
    return [(appeal, action, note) for appeal, action, note in due if (appeal.pk, action, note) not in recorded]


def _notices(levels: list[tuple[Appeal, str, str]], handlers: dict) -> list[NoticeItem]:
    """One notice per ticket and level to the handlers of its lead unit (looked up once per unit)."""
    leads = Assignment.objects.filter(
        appeal__in=[appeal for appeal, _action, _note in levels], role=Assignment.Role.LEAD
    )
    lead_units = dict(leads.exclude(state=Assignment.State.RETURNED).values_list("appeal_id", "unit_id"))
    items = []
    for appeal, action, note in levels:
        unit_id = lead_units.get(appeal.pk)
        if unit_id is None:
            continue
        if unit_id not in handlers:
            handlers[unit_id] = handlers_of(unit_id)
        items.append(
            NoticeItem(
                recipients=handlers[unit_id],
                key=f"appeals.appeal.{appeal.pk}.{action}.{timezone.localtime(appeal.reply_due):%Y%m%d}",
                title=_("%(number)s %(note)s") % {"number": appeal.number, "note": note},
                url=reverse("appeals:detail", kwargs={"pk": appeal.pk}),
            )
        )
    return items


def scan_escalations(*, now: datetime | None = None) -> dict[str, int]:
    """Record today's 催办/督办/提级; returns how many of each were recorded.

    Tickets are taken a chunk at a time: a few queries per chunk (pauses, the events already recorded, the lead
    units) and one bulk insert of its events and notices, so the scan keeps pace with millions of tickets."""
    now = now or timezone.now()
    calendar = WorkdayCalendar.load()
    recorded = dict.fromkeys(LEVEL_ACTIONS.values(), 0)
    handlers: dict[int, list[User]] = {}
    candidates = _candidates(now, calendar).prefetch_related("pauses")
    rows = candidates.iterator(chunk_size=CHUNK)
    while chunk := list(islice(rows, CHUNK)):
        levels = _due_levels(chunk, now, calendar)
        if not levels:
            continue
        with transaction.atomic():
            Event.objects.bulk_create(
                Event(appeal=appeal, action=action, from_state=appeal.state, to_state=appeal.state, note=note, at=now)
                for appeal, action, note in levels
            )
            notify_many(_notices(levels, handlers))
        for _appeal, action, _note in levels:
            recorded[action] += 1
    return recorded


def scan_escalations_summary() -> str:
    """The scan as the task worker runs it, in one line."""
    recorded = scan_escalations()
    return "；".join(f"{Action(action).label} {count}" for action, count in recorded.items())
