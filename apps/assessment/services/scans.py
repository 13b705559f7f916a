"""The daily assessment scan: every period that ended is frozen into its snapshot, once."""

from datetime import date

from django.utils import timezone

from apps.assessment.models import Scheme, Snapshot
from apps.assessment.services.periods import ended_periods
from apps.assessment.services.snapshots import take_snapshot


def take_due_snapshots(*, today: date | None = None) -> int:
    """Snapshots of the periods of this year's (and last year's) schemes that are over and not yet taken."""
    today = today or timezone.localdate()
    taken = 0
    for scheme in Scheme.objects.filter(year__in=(today.year - 1, today.year)).order_by("year", "pk"):
        done = set(Snapshot.objects.filter(scheme=scheme).values_list("kind", "ends_on"))
        for kind in scheme.snapshot_kinds:
            for period in ended_periods(kind, scheme.year, today):
                if (period.kind, period.ends_on) not in done:
                    take_snapshot(scheme=scheme, period=period)
                    taken += 1
    return taken


def scan_assessment_summary() -> str:
    """The scan as the task worker runs it, in one line."""
    return f"考核快照 {take_due_snapshots()}"
