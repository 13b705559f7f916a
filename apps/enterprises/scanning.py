"""A registry-wide duplicate scan: read every enterprise, cluster (clustering.py), open suggestions."""

from collections.abc import Iterator
from itertools import groupby
from operator import itemgetter

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.db.models import Case, Value, When
from django.utils import timezone

from apps.enterprises.clustering import ClusterResult, Pair, Record, cluster_records
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
    """Every active enterprise with all its names (its full name first), read in batches."""
    codes = dict(Enterprise.objects.active().exclude(uscc=None).values_list("id", "uscc"))
    full_first = Case(When(kind=EnterpriseName.Kind.FULL, then=Value(0)), default=Value(1))
    rows = (
        EnterpriseName.objects.filter(enterprise__status=Enterprise.Status.ACTIVE)
        .order_by("enterprise_id", full_first, "id")
        .values_list("enterprise_id", "name")
        .iterator(chunk_size=BATCH)
    )
    for pk, names in groupby(rows, key=itemgetter(0)):
        yield Record(pk, tuple(name for _pk, name in names), codes.get(pk, ""))


def _record(result: ClusterResult) -> int:
    """Open suggestions for new pairs, leaving out what the recorded group structure already says."""
    existing = set(DuplicateSuggestion.objects.values_list("first_id", "second_id"))
    structure = _RecordedGroups()
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
        if (pair.first, pair.second) not in existing and not structure.explains(pair)
    ]
    DuplicateSuggestion.objects.bulk_create(new, batch_size=1000)
    return len(new)


class _RecordedGroups:
    """The parent links people recorded: a group pair inside one group, or a parent and its own
    subsidiary called the same, is no news to them."""

    def __init__(self) -> None:
        self.parents = dict(Enterprise.objects.active().exclude(parent=None).values_list("id", "parent_id"))

    def ancestors(self, pk: int) -> list[int]:
        chain: list[int] = []
        while pk in self.parents and self.parents[pk] not in chain:
            pk = self.parents[pk]
            chain.append(pk)
        return chain

    def explains(self, pair: Pair) -> bool:
        first, second = self.ancestors(pair.first), self.ancestors(pair.second)
        if pair.comparison.verdict == Verdict.GROUP:
            return (first[-1:] or [pair.first]) == (second[-1:] or [pair.second])
        return pair.first in second or pair.second in first


def _update(scan: DuplicateScan, **fields) -> None:
    for name, value in fields.items():
        setattr(scan, name, value)
    DuplicateScan.objects.filter(pk=scan.pk).update(**fields)
