"""Benchmark of enterprise-name matching: quality, online matching latency, batch duplicate clustering.

    .venv/bin/python bench/bench_matching.py --quality-only                 # seconds: labelled pairs, SZSE list
    .venv/bin/python bench/bench_matching.py --size 100000 [--skip-splink]  # + a synthetic registry of 100k
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/yingshang_bench \\
        .venv/bin/python bench/bench_matching.py --size 1000000 --skip-batch

Without DATABASE_URL the registry goes into a SQLite file of its own per size
(/tmp/yingshang-bench-matching-<size>.sqlite3), rebuilt unless --reuse finds it complete. With
DATABASE_URL the enterprise tables of that database are emptied and refilled (--reuse keeps them
when they already hold the same registry). Prints figures; asserts nothing. See bench/README.md.
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BATCH = 20000
WARM_UP = 20


def setup_django(size: int, *, reuse: bool) -> None:
    """Project settings in debug mode on the benchmark database; a fresh SQLite file unless reusing."""
    sys.path.insert(0, str(ROOT))
    os.environ["DJANGO_SETTINGS_MODULE"] = "yingshang.settings"
    os.environ["DEBUG"] = "1"
    if not os.environ.get("DATABASE_URL"):
        database = Path(tempfile.gettempdir()) / f"yingshang-bench-matching-{size}.sqlite3"
        if not reuse:
            database.unlink(missing_ok=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{database}"
    import django

    django.setup()


def source_fingerprint() -> str:
    """SHA-1 (12 digits) of the matcher's source files and data, to tie figures to a version of the code."""
    import hashlib

    digest = hashlib.sha1(usedforsecurity=False)
    app = ROOT / "apps" / "enterprises"
    for path in sorted([*app.rglob("*.py"), *(app / "data").glob("*.tsv")]):
        if "tests" not in path.parts and "migrations" not in path.parts:
            digest.update(path.read_bytes())
    return digest.hexdigest()[:12] + _git_state()


def _git_state() -> str:
    """The commit (and whether apps/enterprises has changes not committed), when run from a git checkout."""
    try:
        head = _git("rev-parse", "--short", "HEAD")
        dirty = _git("status", "--porcelain", "apps/enterprises")
    except (OSError, subprocess.CalledProcessError):
        return ""
    return f"，提交 {head}" + ("（apps/enterprises 有未提交的修改）" if dirty else "")


def _git(*args: str) -> str:
    command = ["git", "-C", str(ROOT), *args]
    return subprocess.run(command, capture_output=True, text=True, check=True).stdout.strip()  # noqa: S603, S607


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))] if ordered else 0.0


def print_table(title: str, headers: tuple[str, ...], rows: list[tuple[str, ...]]) -> None:
    from yingshang.demo.table import format_table

    print(f"\n{title}")
    print(format_table(headers, rows) if rows else "（无）")
    sys.stdout.flush()


# ---- quality ------------------------------------------------------------------------------


def quality(companies: list[dict[str, str]]) -> None:
    import matching_quality as q

    tables = q.labelled_set_tables()
    print_table(
        f"标注名称对（bench/data/name_pairs.tsv，{tables['count'][0][0]} 对）：各判断的精确率与召回率"
        f"（基线：fuzz.ratio ≥ {q.BASELINE_SAME} 同一企业，≥ {q.BASELINE_GROUP} 同一集团，否则不同）",
        ("方法", "判断", "标注数", "判为该类", "精确率", "召回率", "总准确率", "微秒/对"),
        tables["verdicts"],
    )
    print_table("混淆矩阵（行：标注；列：判断）", ("方法", "标注", "same", "group", "different"), tables["confusion"])
    print_table("按类别的准确率", ("标注", "类别", "对数", "ours", "baseline"), tables["kinds"])
    print_table("ours 判错的名称对（前 25）", ("标注", "类别", "判断", "名称甲", "名称乙"), q.mistakes())
    if not companies:
        print("\n（未找到深交所 A 股列表 ../shared/data/szse-a-share-list.xlsx，跳过真实数据检查。）")
        return
    print_table(
        f"深交所 A 股列表（{len(companies)} 家）：判为同一企业 / 同一集团的比例",
        ("名称对", "方法", "对数", "同一企业", "同一集团"),
        q.szse_tables(companies),
    )
    print_table("ours 未判为同一企业的简称（前 20）", ("简称", "全称", "判断", "得分"), q.szse_misses(companies))


# ---- the synthetic registry in the database ---------------------------------------------------


def registry_models():
    from apps.enterprises.models import (
        Contact,
        DuplicateScan,
        DuplicateSuggestion,
        Enterprise,
        EnterpriseName,
        GramStat,
        Merge,
        NameGram,
        RegistryImport,
    )

    # children first: the order to empty them in
    return (
        DuplicateSuggestion,
        Merge,
        DuplicateScan,
        RegistryImport,
        Contact,
        NameGram,
        GramStat,
        EnterpriseName,
        Enterprise,
    )


def empty_registry() -> None:
    """Delete every enterprise row (TRUNCATE on PostgreSQL: a million rows one by one would take long)."""
    from django.db import connection

    tables = [model._meta.db_table for model in registry_models()]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("TRUNCATE " + ", ".join(map(connection.ops.quote_name, tables)) + " CASCADE")
        else:
            for table in tables:
                cursor.execute(f"DELETE FROM {connection.ops.quote_name(table)}")  # noqa: S608 - our own table names


def build_registry(records) -> list[tuple[str, str]]:
    """Insert the records (Enterprise + its full name, normalised fields filled) in batches, then index them."""
    from django.db import transaction

    from apps.enterprises.index import fill_enterprise_fields, fill_name_fields, rebuild_name_index
    from apps.enterprises.models import Enterprise, EnterpriseName

    fill_seconds = insert_seconds = name_fill_seconds = name_insert_seconds = 0.0
    for start in range(0, len(records), BATCH):
        chunk = records[start : start + BATCH]
        started = time.perf_counter()
        enterprises = [
            Enterprise(name=r.name, uscc=r.uscc or None, region_code=r.region_code, legal_form=r.form) for r in chunk
        ]
        for enterprise in enterprises:
            fill_enterprise_fields(enterprise)
        filled = time.perf_counter()
        with transaction.atomic():
            Enterprise.objects.bulk_create(enterprises, batch_size=5000)
        inserted = time.perf_counter()
        names = [EnterpriseName(enterprise_id=e.pk, name=e.name, kind=EnterpriseName.Kind.FULL) for e in enterprises]
        for name in names:
            fill_name_fields(name)
        names_filled = time.perf_counter()
        with transaction.atomic():
            EnterpriseName.objects.bulk_create(names, batch_size=5000)
        fill_seconds += filled - started
        insert_seconds += inserted - filled
        name_fill_seconds += names_filled - inserted
        name_insert_seconds += time.perf_counter() - names_filled
        print(f"  … {start + len(chunk):,} / {len(records):,}", file=sys.stderr, flush=True)
    started = time.perf_counter()
    indexed = rebuild_name_index()
    index_seconds = time.perf_counter() - started
    return [
        ("Enterprise：fill_enterprise_fields", f"{fill_seconds:.1f} 秒"),
        ("Enterprise：bulk_create", f"{insert_seconds:.1f} 秒"),
        ("EnterpriseName：fill_name_fields（含拼音首字母）", f"{name_fill_seconds:.1f} 秒"),
        ("EnterpriseName：bulk_create", f"{name_insert_seconds:.1f} 秒"),
        (f"rebuild_name_index（{indexed:,} 家）", f"{index_seconds:.1f} 秒"),
        ("合计", f"{fill_seconds + insert_seconds + name_fill_seconds + name_insert_seconds + index_seconds:.1f} 秒"),
    ]


def database_size() -> list[tuple[str, str]]:
    """The database (file) size and, on PostgreSQL, each registry table's with its indexes."""
    from django.db import connection

    from apps.enterprises.models import Enterprise, EnterpriseName, GramStat, NameGram

    rows = []
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_database_size(current_database())")
            rows.append(("数据库", _megabytes(cursor.fetchone()[0])))
            for model in (Enterprise, EnterpriseName, NameGram, GramStat):
                cursor.execute("SELECT pg_total_relation_size(%s)", [model._meta.db_table])
                rows.append((model._meta.db_table + "（含索引）", _megabytes(cursor.fetchone()[0])))
        else:
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            rows.append(("SQLite 文件", _megabytes(Path(connection.settings_dict["NAME"]).stat().st_size)))
    for model in (Enterprise, EnterpriseName, NameGram, GramStat):
        rows.append((f"{model._meta.db_table} 行数", f"{model.objects.count():,}"))
    return rows


def _megabytes(size: int) -> str:
    return f"{size / 2**20:,.0f} MB"


def prepare_database(records, *, reuse: bool) -> tuple[dict[str, int], list[tuple[str, str]]]:
    """Name → primary key of every record in the database, building the registry unless it is there already."""
    from django.core.management import call_command
    from django.db import connection

    from apps.enterprises.models import Enterprise
    from yingshang.demo import runner

    call_command("migrate", verbosity=0)
    if runner.foreign_root() is not None:
        sys.exit(f"数据库中已有非示范市的根单位「{runner.foreign_root()}」，基准测试不会改动它。")
    build_rows = []
    if not (reuse and Enterprise.objects.count() == len(records)):
        empty_registry()
        build_rows = build_registry(records)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")  # autovacuum would, later; the planner needs the statistics now
    pks = dict(Enterprise.objects.values_list("name", "id"))
    return pks, build_rows


def vacuum() -> float:
    """VACUUM (ANALYZE) the registry tables: sets the visibility map, so the bigram index is read index-only."""
    from django.db import connection

    started = time.perf_counter()
    with connection.cursor() as cursor:
        for model in registry_models()[-4:]:
            cursor.execute(f"VACUUM (ANALYZE) {connection.ops.quote_name(model._meta.db_table)}")
    return time.perf_counter() - started


# ---- online matching ----------------------------------------------------------------------


def online(records, queries, pks: dict[str, int]) -> None:
    """find_matches for every query: latency and whether the true record is first / in the top 10."""
    from apps.enterprises.index import candidate_ids
    from apps.enterprises.selectors import find_matches

    by_id = {r.id: pks[r.name] for r in records}
    for query in queries[:WARM_UP]:
        find_matches(query.text)
    results: dict[str, list[tuple[float, bool, bool, bool]]] = {}
    for query in queries:
        truth = {by_id[i] for i in query.truth}
        started = time.perf_counter()
        matches = find_matches(query.text)
        elapsed = (time.perf_counter() - started) * 1000
        found = [m.enterprise.pk for m in matches]
        retrieved = bool(truth & {pk for pk, _weight in candidate_ids(query.text)})
        results.setdefault(query.kind, []).append(
            (elapsed, bool(found) and found[0] in truth, bool(truth & set(found)), retrieved)
        )
    rows = []
    everything = [entry for entries in results.values() for entry in entries]
    for kind, entries in [*results.items(), ("合计", everything)]:
        rows.append(_latency_row(kind, entries))
    print_table(
        "在线匹配 find_matches(name)：耗时（毫秒）与召回（真值在第 1 名 / 前 10 名 / 候选 300 内）",
        ("查询类别", "查询数", "p50", "p95", "p99", "最大", "recall@1", "recall@10", "候选召回"),
        rows,
    )


def _latency_row(kind: str, entries) -> tuple[str, ...]:
    timings = [e[0] for e in entries]
    count = len(entries)
    at_one = sum(e[1] for e in entries) / count
    return (
        kind,
        str(count),
        f"{statistics.median(timings):.1f}",
        f"{percentile(timings, 0.95):.1f}",
        f"{percentile(timings, 0.99):.1f}",
        f"{max(timings):.1f}",
        f"{at_one:.3f}",
        f"{sum(e[2] for e in entries) / count:.3f}",
        f"{sum(e[3] for e in entries) / count:.3f}",
    )


def type_ahead(records, *, seed: int) -> None:
    """search_enterprises latency for name fragments, pinyin initials and USCC prefixes."""
    import random

    from apps.enterprises.matching.pinyin import pinyin_initials
    from apps.enterprises.selectors import search_enterprises

    rng = random.Random(f"{seed}:type-ahead")
    bases = [r for r in records if r.kind == "base" and r.trade]
    sampled = rng.sample(bases, 300)
    inputs = {
        "名称片段（字号）": [r.trade for r in sampled[:100]],
        "名称片段（字号+行业前两字）": [r.trade + r.industry[:2] for r in sampled[100:200]],
        "拼音首字母（字号+行业）": [pinyin_initials(r.trade + r.industry)[:6] for r in sampled[100:200]],
        "统一社会信用代码前 10 位": [r.uscc[:10] for r in sampled[200:] if r.uscc],
    }
    rows = []
    for label, texts in inputs.items():
        for text in texts[:5]:
            search_enterprises(text)
        timings, hits = [], 0
        for text in texts:
            started = time.perf_counter()
            found = search_enterprises(text)
            timings.append((time.perf_counter() - started) * 1000)
            hits += bool(found)
        rows.append(
            (
                label,
                str(len(texts)),
                f"{statistics.median(timings):.1f}",
                f"{percentile(timings, 0.95):.1f}",
                f"{max(timings):.1f}",
                f"{hits / len(texts):.2f}",
            )
        )
    print_table(
        "输入即搜 search_enterprises(text)：耗时（毫秒）", ("输入", "次数", "p50", "p95", "最大", "有结果"), rows
    )


# ---- batch clustering -----------------------------------------------------------------------


def cluster_pairs(clusters) -> set[tuple[int, int]]:
    """Every pair of members of every cluster."""
    pairs = set()
    for members in clusters:
        ordered = sorted(members)
        pairs.update((a, b) for n, a in enumerate(ordered) for b in ordered[n + 1 :])
    return pairs


def score(predicted: set[tuple[int, int]], truth: set[tuple[int, int]]) -> tuple[float, float]:
    right = len(predicted & truth)
    return (right / len(predicted) if predicted else 0.0), (right / len(truth) if truth else 0.0)


def batch_ours(records, *, label: str, source=None, extra_seconds: float = 0.0):
    """cluster_records over the records (or over ``source``, e.g. registry_records() from the database)."""
    from synthetic import truth_pairs

    from apps.enterprises.clustering import Record, cluster_records

    started = time.perf_counter()
    if source is None:
        source = [Record(r.id, (r.name,), r.uscc) for r in records]
    result = cluster_records(source)
    elapsed = time.perf_counter() - started + extra_seconds
    precision, recall = score(cluster_pairs(result.clusters), truth_pairs(records))
    same = sum(1 for p in result.pairs if p.comparison.verdict == "same")
    row = (
        label,
        f"{elapsed:.1f}",
        f"{result.compared:,}",
        f"{same:,}",
        f"{len(result.pairs) - same:,}",
        f"{len(result.clusters):,}",
        f"{precision:.3f}",
        f"{recall:.3f}",
    )
    return row, result


def batch(records, pks: dict[str, int] | None, *, skip_splink: bool, splink_size: int) -> None:
    from synthetic import TWIN_KINDS, truth_pairs

    row, in_memory = batch_ours(records, label=f"cluster_records（内存，{len(records):,} 条）")
    rows = [row]
    if pks is not None:
        from apps.enterprises.scanning import registry_records

        synthetic_id = {pks[r.name]: r.id for r in records}
        started = time.perf_counter()
        source = [r.__class__(synthetic_id[r.id], r.names, r.uscc) for r in registry_records()]
        read = time.perf_counter() - started
        label = f"registry_records() 读库 {read:.1f} 秒 + cluster_records"
        rows.append(batch_ours(records, label=label, source=source, extra_seconds=read)[0])
    truth = truth_pairs(records)
    print(f"\n真值：{len(truth):,} 对重复（孪生记录），各类 {', '.join(k for k, _w in TWIN_KINDS)}", flush=True)
    if not skip_splink:
        import matching_splink

        sample = records if splink_size >= len(records) else _prefix(records, splink_size)
        rows += matching_splink.run(sample, truth_pairs(sample))
    print_table(
        "批量查重：用时（秒）、比对的名称对、同一企业 / 同一集团对、重复组、按组配对的精确率与召回率",
        ("方法", "秒", "比对对数", "同一企业对", "同一集团对", "重复组", "精确率", "召回率"),
        rows,
    )
    _recall_by_kind(records, in_memory)


def _prefix(records, size: int):
    """The first ``size`` records with twins whose original is among them (ids are in order)."""
    return [r for r in records[:size] if not r.of or r.of <= size]


def _recall_by_kind(records, result) -> None:
    found = cluster_pairs(result.clusters)
    group = {(p.first, p.second) for p in result.pairs if p.comparison.verdict == "group"}
    rows = []
    kinds = sorted({r.kind for r in records if r.of})
    for kind in kinds:
        pairs = [(min(r.id, r.of), max(r.id, r.of)) for r in records if r.kind == kind]
        same = sum(p in found for p in pairs) / len(pairs)
        as_group = sum(p in group for p in pairs) / len(pairs)
        rows.append((kind, str(len(pairs)), f"{same:.3f}", f"{as_group:.3f}"))
    print_table(
        "cluster_records 按孪生类别（branch 为分支机构与总公司，应为同一集团）",
        ("类别", "对数", "同一企业", "同一集团"),
        rows,
    )


# ---- main -------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=100000, help="records in the synthetic registry")
    parser.add_argument("--seed", type=int, default=20261122)
    parser.add_argument(
        "--queries", type=int, default=1000, help="synthetic online queries (plus the SZSE short names)"
    )
    parser.add_argument(
        "--quality-only", action="store_true", help="only the labelled pairs and the SZSE list (seconds)"
    )
    parser.add_argument("--skip-splink", action="store_true")
    parser.add_argument("--skip-batch", action="store_true", help="no batch clustering (e.g. on the second database)")
    parser.add_argument("--skip-online", action="store_true", help="no database: only generation and batch clustering")
    parser.add_argument("--splink-size", type=int, default=0, help="run Splink on the first N records (default: all)")
    parser.add_argument("--reuse", action="store_true", help="keep a registry already built for this size and seed")
    parser.add_argument(
        "--vacuum", action="store_true", help="PostgreSQL: VACUUM (ANALYZE) the registry before querying"
    )
    args = parser.parse_args()
    setup_django(args.size, reuse=args.reuse)
    sys.path.insert(0, str(Path(__file__).resolve().parent))

    import synthetic
    from django.db import connection

    companies = synthetic.szse_companies()
    print(
        f"Python {sys.version.split()[0]}；{os.cpu_count()} 核；数据库 {connection.vendor} {connection.settings_dict['NAME']}"
    )
    print(f"apps/enterprises 源码指纹 {source_fingerprint()}（两次运行的数字可比，当且仅当指纹相同）")
    started = time.perf_counter()
    quality(companies)
    print(f"\n（质量部分用时 {time.perf_counter() - started:.1f} 秒）")
    if args.quality_only:
        return
    started = time.perf_counter()
    records = synthetic.generate(args.size, seed=args.seed, extra=tuple(c["公司全称"] for c in companies))
    queries = synthetic.online_queries(records, args.queries, seed=args.seed)
    queries += _szse_queries(records, companies)
    kinds = ", ".join(f"{k} {n:,}" for k, n in sorted(_kinds(records).items()))
    print(f"\n合成名录：{len(records):,} 条（{kinds}），生成 {time.perf_counter() - started:.1f} 秒")
    pks = None
    if not args.skip_online:
        pks, build_rows = prepare_database(records, reuse=args.reuse)
        if build_rows:
            print_table(f"建库（{connection.vendor}）", ("阶段", "用时"), build_rows)
        if args.vacuum and connection.vendor == "postgresql":
            print(f"\nVACUUM (ANALYZE)：{vacuum():.1f} 秒（自动清理迟早会做；之后倒排索引可以只读索引）")
        print_table("数据库大小", ("项目", "大小"), database_size())
        online(records, queries, pks)
        type_ahead(records, seed=args.seed)
    if not args.skip_batch:
        batch(records, pks, skip_splink=args.skip_splink, splink_size=args.splink_size or args.size)


def _kinds(records) -> dict[str, int]:
    counts: dict[str, int] = {}
    for record in records:
        counts[record.kind] = counts.get(record.kind, 0) + 1
    return counts


def _szse_queries(records, companies):
    from synthetic import Query

    ids = {r.name: r.id for r in records if r.kind == "szse"}
    return [
        Query(c["A股简称"], frozenset({ids[c["公司全称"]]}), "深交所简称") for c in companies if c["公司全称"] in ids
    ]


if __name__ == "__main__":
    main()
