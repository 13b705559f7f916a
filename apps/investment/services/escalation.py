"""The daily pipeline scan: leads past their time limits are escalated, expired claims are released."""

from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils import timezone

from apps.investment.models import Project
from apps.investment.selectors.projects import overdue_leads
from apps.investment.services.claims import expire_claims


@dataclass(frozen=True)
class ScanResult:
    escalated: int
    expired_claims: int


def escalate_overdue_leads(*, today: date | None = None) -> int:
    """Mark leads past a time limit as escalated (once): they go to the coordinating unit's queue."""
    waiting = overdue_leads(Project.objects.filter(escalated_at=None), today=today)
    return Project.objects.filter(pk__in=waiting.values("pk")).update(escalated_at=timezone.now())


@transaction.atomic
def scan_pipeline(*, today: date | None = None) -> ScanResult:
    """What the worker's scheduler or cron runs every working day; running it twice changes nothing more."""
    return ScanResult(escalated=escalate_overdue_leads(today=today), expired_claims=expire_claims(today=today))
