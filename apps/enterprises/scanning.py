"""A registry-wide duplicate scan: read every enterprise, cluster (clustering.py), open suggestions."""

from collections.abc import Iterator
from itertools import groupby
from operator import itemgetter

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from apps.enterprises.clustering import ClusterResult, Record, cluster_records
from apps.enterprises.matching.compare import Verdict
from apps.enterprises.models import DuplicateScan, DuplicateSuggestion, Enterprise, EnterpriseName
from apps.enterprises.tasks import scan_duplicates

SOURCE = "scan"
BATCH = 5000


def start_duplicate_scan(*, by: AbstractBaseUser | None) -> DuplicateScan:
    """Queue a scan for the task worker, unless one is already queued or running."""
    running = DuplicateScan.objects.filter(
        status__in=[DuplicateScan.Status.QUEUED, DuplicateScan.Status.RUNNING]
    ).first()
    if running is not None:
        return running
    scan = DuplicateScan.objects.create(started_by=by, total=Enterprise.objects.active().count())
    transaction.on_commit(lambda: scan_duplicates.enqueue(scan.pk))
    return scan


def run_duplicate_scan(scan: DuplicateScan) -> DuplicateScan:
    """Compare the whole registry and open a suggestion for every new same/group pair."""
    _update(scan, status=DuplicateScan.Status.RUNNING, stage="read", total=Enterprise.objects.active().count())
    try:
        result = cluster_records(
            registry_records(),
            progress=lambda stage, done, total: _update(scan, stage=stage, processed=done, total=total),
        )
        created = _record(result)
    except Exception as error:
        _update(scan, status=DuplicateScan.Status.FAILED, error=str(error)[:2000], finished_at=timezone.now())
        raise
    _update(
        scan,
        status=DuplicateScan.Status.FINISHED,
        stage="",
        processed=scan.total,
        pairs=result.compared,
        clusters=len(result.clusters),
        suggestions=created,
        finished_at=timezone.now(),
    )
    return scan


def registry_records() -> Iterator[Record]:
    """Every active enterprise with all its names, read in batches."""
    codes = dict(Enterprise.objects.active().exclude(uscc=None).values_list("id", "uscc"))
    rows = (
        EnterpriseName.objects.filter(enterprise__status=Enterprise.Status.ACTIVE)
        .order_by("enterprise_id", "id")
        .values_list("enterprise_id", "name")
        .iterator(chunk_size=BATCH)
    )
    for pk, names in groupby(rows, key=itemgetter(0)):
        yield Record(pk, tuple(name for _pk, name in names), codes.get(pk, ""))


def _record(result: ClusterResult) -> int:
    """Open suggestions for new pairs; a group pair already linked through recorded parents is no news."""
    existing = set(DuplicateSuggestion.objects.values_list("first_id", "second_id"))
    group_of = _recorded_groups()
    existing |= {
        (p.first, p.second)
        for p in result.pairs
        if p.comparison.verdict == Verdict.GROUP and group_of(p.first) == group_of(p.second)
    }
    new = [
        DuplicateSuggestion(
            first_id=pair.first,
            second_id=pair.second,
            verdict=pair.comparison.verdict.value,
            score=pair.comparison.score,
            reasons=[{"code": r.code, "detail": r.detail} for r in pair.comparison.reasons],
            source=SOURCE,
        )
        for pair in result.pairs
        if (pair.first, pair.second) not in existing
    ]
    DuplicateSuggestion.objects.bulk_create(new, batch_size=1000)
    return len(new)


def _recorded_groups():
    """id → the top of its recorded parent chain (itself when it has no parent)."""
    parents = dict(Enterprise.objects.active().exclude(parent=None).values_list("id", "parent_id"))

    def top(pk: int) -> int:
        seen = set()
        while pk in parents and pk not in seen:
            seen.add(pk)
            pk = parents[pk]
        return pk

    return top


def _update(scan: DuplicateScan, **fields) -> None:
    for name, value in fields.items():
        setattr(scan, name, value)
    DuplicateScan.objects.filter(pk=scan.pk).update(**fields)
