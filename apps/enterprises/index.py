"""The name index: character bigrams of every name → enterprise, and how many enterprises carry each.

Candidate retrieval ranks enterprises by the summed inverse document frequency of the query's
bigrams they share (Σ log(N / df)), leaving out bigrams so common they would scan a large part of
the table (科技, 有限) unless nothing else is left. It is a B-tree lookup per bigram on both SQLite
and PostgreSQL (research: anchors-entity-resolution §4.5, §8). Services keep it in step with the
names in the same transaction; ``rebuild_name_index`` recomputes it from scratch.

N, the number of enterprises indexed, is kept in the frequency table itself under the empty gram
(no bigram is empty), so the ranking reads it with the frequencies instead of counting the registry.
"""

import math
from collections.abc import Callable, Iterable, Iterator
from itertools import groupby
from operator import itemgetter

from django.db import connection, transaction
from django.db.models import Case, F, FloatField, Sum, Value, When

from apps.enterprises.matching.grams import bigrams, name_grams
from apps.enterprises.matching.normalize import forget_regions, parse_name
from apps.enterprises.matching.pinyin import pinyin_initials
from apps.enterprises.models import Enterprise, EnterpriseName, GramStat, NameGram

#: a bigram carried by more than this share of enterprises is left out of the ranking (bench: 0.005
#: instead of 0.02 cut p95 at 1M by 15% for 0.001 of recall@10)
COMMON_SHARE = 0.005
MIN_COMMON = 2000
#: how many rows a query made only of common bigrams may read
COMMON_ONLY_ROWS = 2000
#: the frequency-table row that holds N
INDEXED = ""
BATCH = 10000


def enterprise_grams(names: Iterable[str]) -> set[str]:
    """The union of the terms of all of an enterprise's names."""
    grams: set[str] = set()
    for name in names:
        grams |= name_grams(name)
    return grams


def fill_name_fields(name: EnterpriseName) -> None:
    """The normalised forms an EnterpriseName row stores for exact and pinyin lookups."""
    parsed = parse_name(name.name)
    name.name_clean = parsed.clean[:200]
    name.pinyin_initials = pinyin_initials(parsed.core or parsed.clean)


def fill_enterprise_fields(enterprise: Enterprise) -> None:
    """The normalised forms an Enterprise row stores."""
    parsed = parse_name(enterprise.name)
    enterprise.name_clean = parsed.clean[:200]
    enterprise.name_core = parsed.core[:200]


def index_enterprise(enterprise: Enterprise) -> None:
    """Make the enterprise's bigrams those of its current names (none once it is merged)."""
    names = enterprise.names.values_list("name", flat=True) if enterprise.status == Enterprise.Status.ACTIVE else []
    wanted = enterprise_grams(names)
    present = set(NameGram.objects.filter(enterprise=enterprise).values_list("gram", flat=True))
    removed, added = present - wanted, wanted - present
    if removed:
        NameGram.objects.filter(enterprise=enterprise, gram__in=removed).delete()
        GramStat.objects.filter(gram__in=removed).update(enterprises=F("enterprises") - 1)
    if added:
        NameGram.objects.bulk_create([NameGram(gram=gram, enterprise=enterprise) for gram in added])
    counted = added | {INDEXED} if wanted and not present else added
    if present and not wanted:
        GramStat.objects.filter(gram=INDEXED).update(enterprises=F("enterprises") - 1)
    if counted:
        GramStat.objects.bulk_create([GramStat(gram=gram, enterprises=0) for gram in counted], ignore_conflicts=True)
        GramStat.objects.filter(gram__in=counted).update(enterprises=F("enterprises") + 1)


def candidate_ids(text: str, *, limit: int = 300) -> list[tuple[int, float]]:
    """(enterprise id, weight) of the enterprises sharing most rare bigrams with ``text``, best first."""
    parsed = parse_name(text)
    grams = bigrams(parsed.indexed_text or parsed.clean)
    if not grams:
        return []
    frequencies = dict(
        GramStat.objects.filter(gram__in=[*grams, INDEXED], enterprises__gt=0).values_list("gram", "enterprises")
    )
    total = max(frequencies.pop(INDEXED, 0), 1)
    if not frequencies:
        return []
    cap = max(MIN_COMMON, total * COMMON_SHARE)
    rare = {gram: math.log(1 + total / df) for gram, df in frequencies.items() if df <= cap}
    if not rare:
        rarest = min(frequencies, key=frequencies.get)
        rows = NameGram.objects.filter(gram=rarest).values_list("enterprise_id", flat=True)[:COMMON_ONLY_ROWS]
        return [(pk, 0.0) for pk in rows][:limit]
    weight = Case(*(When(gram=gram, then=Value(w)) for gram, w in rare.items()), output_field=FloatField())
    ranked = (
        NameGram.objects.filter(gram__in=rare)
        .values("enterprise_id")
        .annotate(weight=Sum(weight))
        .order_by("-weight", "enterprise_id")[:limit]
    )
    return [(row["enterprise_id"], row["weight"]) for row in ranked]


def rebuild_name_index(*, progress: Callable[[int, int], None] | None = None) -> int:
    """Recompute every bigram and frequency from the names; returns the number of enterprises indexed."""
    forget_regions()
    total = Enterprise.objects.active().count()
    frequencies: dict[str, int] = {}
    done = 0
    with transaction.atomic():
        NameGram.objects.all().delete()
        GramStat.objects.all().delete()
        batch: list[tuple[str, int]] = []
        for pk, names in _names_by_enterprise():
            for gram in enterprise_grams(names):
                batch.append((gram, pk))
                frequencies[gram] = frequencies.get(gram, 0) + 1
            done += 1
            if len(batch) >= BATCH:
                _insert_grams(batch)
                batch = []
                if progress:
                    progress(done, total)
        _insert_grams(batch)
        frequencies[INDEXED] = done
        GramStat.objects.bulk_create(
            [GramStat(gram=g, enterprises=n) for g, n in frequencies.items()], batch_size=BATCH
        )
    analyze_index()
    return done


def _insert_grams(rows: list[tuple[str, int]]) -> None:
    """Plain rows rather than model instances: millions of them on a large registry."""
    if not rows:
        return
    table = connection.ops.quote_name(NameGram._meta.db_table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} (gram, enterprise_id) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            cursor.executemany(f"INSERT INTO {table} (gram, enterprise_id) VALUES (%s, %s)", rows)  # noqa: S608


def refresh_normalised_fields() -> int:
    """Recompute the stored normalised forms (after the normaliser's vocabulary changed); returns rows changed."""
    forget_regions()
    changed = 0
    for model, fill, fields in (
        (EnterpriseName, fill_name_fields, ["name_clean", "pinyin_initials"]),
        (Enterprise, fill_enterprise_fields, ["name_clean", "name_core"]),
    ):
        batch = []
        for row in model.objects.order_by("pk").iterator(chunk_size=BATCH):
            before = tuple(getattr(row, f) for f in fields)
            fill(row)
            if tuple(getattr(row, f) for f in fields) != before:
                batch.append(row)
            if len(batch) >= BATCH:
                model.objects.bulk_update(batch, fields)
                changed, batch = changed + len(batch), []
        model.objects.bulk_update(batch, fields)
        changed += len(batch)
    return changed


def _names_by_enterprise() -> Iterator[tuple[int, list[str]]]:
    rows = (
        EnterpriseName.objects.filter(enterprise__status=Enterprise.Status.ACTIVE)
        .order_by("enterprise_id")
        .values_list("enterprise_id", "name")
        .iterator(chunk_size=BATCH)
    )
    for pk, group in groupby(rows, key=itemgetter(0)):
        yield pk, [name for _pk, name in group]


def analyze_index() -> None:
    """Refresh the planner's statistics after a bulk change; on PostgreSQL also the visibility map.

    Without VACUUM, PostgreSQL reads the bigram table's heap page by page for every posting (a
    bitmap heap scan); with it, an index-only scan (bench: p95 106 → 49 ms at 1M). VACUUM cannot
    run inside a transaction, so inside one (a test, a caller's atomic block) only ANALYZE runs.
    """
    tables = (NameGram._meta.db_table, GramStat._meta.db_table, EnterpriseName._meta.db_table)
    vacuum = connection.vendor == "postgresql" and not connection.in_atomic_block
    with connection.cursor() as cursor:
        for table in tables:
            command = "VACUUM (ANALYZE)" if vacuum else "ANALYZE"
            cursor.execute(f"{command} {connection.ops.quote_name(table)}")
