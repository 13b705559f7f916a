"""Reads behind the event pages: who sees which event, what was signed there and how much of it landed.

Scope and rights are the teams' (see apps/investment/selectors/teams.py): events follow their
host unit's scope, viewing needs permissions.VIEW, editing permissions.CHANGE.

Definitions, for an event E and a reference day ``as_of`` (today unless given):

- signed at E: the projects linked to E (Project.event) whose signing is confirmed (counted_stage at
  least 签约, signed_on set), not excluded from statistics (不纳入招商统计), and visible to the reader;
- contracted: the sum of their counted investment (不重复统计, Project.counted_investment);
- landing rate within N months (N = 6 or 12): among the projects signed at E whose signing is at least
  N months old — signed_on + N months ≤ as_of — the share whose confirmed construction start
  (counted_stage at least 开工, started_on set) falls on or before signed_on + N months. "+ N months"
  is the same day N months later, or that month's last day when it is shorter (signed 8月31日 →
  2月28日/29日). A project signed less than N months ago is left out of both counts: it has not had
  its N months yet, even if it has already started. Dropped projects stay in: not landing is what
  the rate measures. With no project old enough the rate is "n/a", never 0%.
"""

import calendar
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from apps.investment import permissions
from apps.investment.models import Event, Project, Stage

LANDING_WINDOWS = (6, 12)
NOT_APPLICABLE = "n/a"
ZERO = Decimal(0)
SIGNED_OR_LATER = [s.value for s in Stage if s.rank >= Stage.SIGNED.rank]
STARTED_OR_LATER = [s.value for s in Stage if s.rank >= Stage.STARTED.rank]


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later, clamped to the month's last day (8月31日 + 6 → 2月28日)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


# ---- scope ---------------------------------------------------------------------------------


def visible_events(user) -> QuerySet:
    """Events hosted by the user's unit subtree."""
    return Event.objects.visible_to(user).select_related("unit")


def linkable_events(user) -> QuerySet:
    """Events a project of the user's unit may be linked to: its own and those hosted above it (the city's expo)."""
    unit = getattr(user, "unit", None)
    if unit is None:
        return Event.objects.none()
    above = [unit.path[:length] for length in range(len(unit.path) - unit.steplen, 0, -unit.steplen)]
    return Event.objects.filter(Q(pk__in=Event.objects.visible_to(user).values("pk")) | Q(unit__path__in=above))


def get_event_for_user(user, pk: int, *, action: str = permissions.VIEW) -> Event:
    """An event in the user's scope (404 otherwise) that the user may act on (403)."""
    event = visible_events(user).filter(pk=pk).first()
    if event is None:
        raise Http404
    if not user.has_perm(action):
        raise PermissionDenied
    return event


def filter_events(events: QuerySet, data: dict) -> QuerySet:
    """Apply the event list's filters (the keys of EventFilterForm)."""
    if data.get("q"):
        text = data["q"].strip()
        events = events.filter(Q(name__icontains=text) | Q(place__icontains=text))
    if data.get("kind"):
        events = events.filter(kind=data["kind"])
    if data.get("unit"):
        events = events.filter(unit__path__startswith=data["unit"].path)
    if data.get("year"):
        events = events.filter(starts_on__year=data["year"])
    return events


def event_projects(user, event: Event) -> QuerySet:
    """Every project the reader may see that is linked to the event, signed or not yet confirmed."""
    return (
        permissions.visible_projects(user)
        .filter(event=event)
        .select_related("unit", "enterprise")
        .order_by("signed_on", "pk")
    )


# ---- figures and landing rates -------------------------------------------------------------


@dataclass(frozen=True)
class Rate:
    """landed out of due; ``percent`` is None (shown "n/a") when nothing is due yet."""

    landed: int
    due: int

    @property
    def percent(self) -> Decimal | None:
        if not self.due:
            return None
        return (Decimal(100) * self.landed / self.due).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)

    def __str__(self) -> str:
        return NOT_APPLICABLE if self.percent is None else f"{self.percent}%"


@dataclass
class EventFigures:
    event: Event | None
    signed: int = 0
    contracted: Decimal = ZERO
    #: projects signed here whose construction start is confirmed, at any time so far
    started: int = 0
    tallies: dict[int, list[int]] = field(default_factory=lambda: {n: [0, 0] for n in LANDING_WINDOWS})

    @property
    def rates(self) -> dict[int, Rate]:
        return {months: Rate(landed, due) for months, (landed, due) in self.tallies.items()}

    @property
    def rate_6(self) -> Rate:
        return self.rates[6]

    @property
    def rate_12(self) -> Rate:
        return self.rates[12]

    def count(self, project: Project, as_of: date) -> None:
        """Add one project signed at the event."""
        self.signed += 1
        self.contracted += project.counted_investment or ZERO
        started = _started_on(project, as_of)
        if started is not None:
            self.started += 1
        for months, tally in self.tallies.items():
            deadline = add_months(project.signed_on, months)
            if deadline <= as_of:
                tally[1] += 1
                tally[0] += int(started is not None and started <= deadline)


def _started_on(project: Project, as_of: date) -> date | None:
    """The confirmed construction start, if it had happened by ``as_of``."""
    if project.counted_stage in STARTED_OR_LATER and project.started_on and project.started_on <= as_of:
        return project.started_on
    return None


def signed_at(user, events: Iterable[Event]) -> QuerySet:
    """Projects signed at these events that count (confirmed, not excluded, in the reader's scope)."""
    return (
        Project.objects.filter(
            event__in=[e.pk for e in events],
            counted_stage__in=SIGNED_OR_LATER,
            signed_on__isnull=False,
            excluded_from_statistics=False,
            pk__in=permissions.visible_projects(user).values("pk"),
        )
        .only("event_id", "signed_on", "started_on", "counted_stage", "contracted_investment", "counted_before")
        .order_by()
    )


def event_figures(user, events: Iterable[Event], *, as_of: date | None = None) -> dict[int, EventFigures]:
    """{event pk: figures} for the events, from one query on their signed projects."""
    events = list(events)
    as_of = as_of or timezone.localdate()
    figures = {event.pk: EventFigures(event) for event in events}
    for project in signed_at(user, events).filter(signed_on__lte=as_of):
        figures[project.event_id].count(project, as_of)
    return figures


def landing_report(
    user, events: Iterable[Event], *, as_of: date | None = None
) -> tuple[list[EventFigures], EventFigures]:
    """Each event's figures in the events' order, and the total over them (rates pooled, not averaged)."""
    as_of = as_of or timezone.localdate()
    events = list(events)
    figures = event_figures(user, events, as_of=as_of)
    rows = [figures[event.pk] for event in events]
    total = EventFigures(None)
    for row in rows:
        total.signed += row.signed
        total.contracted += row.contracted
        total.started += row.started
        for months, (landed, due) in row.tallies.items():
            total.tallies[months][0] += landed
            total.tallies[months][1] += due
    return rows, total


def landing_of(project: Project, as_of: date | None = None) -> dict[int, str]:
    """For one project on the event page: per window, "landed", "missed" or "open" (not N months old yet).

    Empty for a project that does not count (signing not confirmed, excluded from statistics).
    """
    as_of = as_of or timezone.localdate()
    if project.counted_stage not in SIGNED_OR_LATER or project.signed_on is None or project.excluded_from_statistics:
        return {}
    started = _started_on(project, as_of)
    result = {}
    for months in LANDING_WINDOWS:
        deadline = add_months(project.signed_on, months)
        if started is not None and started <= deadline:
            result[months] = "landed"
        elif deadline <= as_of:
            result[months] = "missed"
        else:
            result[months] = "open"
    return result
