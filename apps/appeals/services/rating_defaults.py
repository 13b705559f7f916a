"""默认好评: where a local rule says so, a ticket not rated within N working days of its follow-up counts as 满意.

The rule is off unless the RatingRules version in force has ``default_enabled`` (the national text sets no
default, and a default bends the figures). The scan, registered as ``appeals_rating_defaults`` and run once a
working day like the escalation scan, records one defaulted rating (level 4, ``defaulted=True``) per resolved
ticket followed up from the rules' start whose N-th working day since has ended without any rating; the one-rating-per-
ticket constraint and the filter on unrated tickets make a second run record nothing. Defaulted ratings are
kept apart in every figure (services/ratings.py).
"""

from datetime import date, datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.appeals.models import Appeal, RatingRules, ServiceRating
from apps.appeals.models.appeals import State
from apps.appeals.models.ratings import RatingAction, RatingKind
from apps.appeals.services.ratings import day_start, rated_unit_of, record_event
from apps.core.workdays import CalendarNotCovered, WorkdayCalendar


def _unrated_before(rules: RatingRules, cutoff: date):
    """Resolved tickets followed up from the rules' start until before ``cutoff`` without a rating."""
    return (
        Appeal.objects.filter(state=State.RESOLVED, closed_at__gte=day_start(rules.valid_from))
        .filter(closed_at__lt=day_start(cutoff), ratings__isnull=True)
        .order_by("pk")
    )


def record_defaulted_ratings(*, now: datetime | None = None) -> int:
    """默认好评: a ticket followed up N working days ago without a rating gets a defaulted 满意; idempotent."""
    now = now or timezone.now()
    today = timezone.localtime(now).date()
    rules = RatingRules.objects.current(today)
    if rules is None or not rules.default_enabled:
        return 0
    try:  # followed up before this day: the N-th working day after it has ended by today
        cutoff = WorkdayCalendar.load().add_working_days(today, -rules.default_after_days)
    except CalendarNotCovered:
        return 0
    recorded = 0
    for appeal in _unrated_before(rules, cutoff).select_related("unit").iterator(chunk_size=500):
        recorded += _default(appeal, rules, now)
    return recorded


@transaction.atomic
def _default(appeal: Appeal, rules: RatingRules, now: datetime) -> int:
    if appeal.ratings.exists():
        return 0
    rating = ServiceRating.objects.create(
        kind=RatingKind.TICKET, appeal=appeal, office=appeal.unit, unit=rated_unit_of(appeal), level=4,
        defaulted=True, rules=rules, rated_at=now,
    )  # fmt: skip
    note = _("%(days)s个工作日内未评价，按本地规则视为满意（%(rules)s）") % {
        "days": rules.default_after_days,
        "rules": rules.version,
    }
    record_event(rating, RatingAction.DEFAULT, by=None, now=now, before="", note=note)
    return 1


def record_defaulted_ratings_summary() -> str:
    """The scan as the task worker runs it, in one line."""
    return _("默认好评 %(count)s") % {"count": record_defaulted_ratings()}
