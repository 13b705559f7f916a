"""Benchmark of the time-limit commitment statistics (承诺时限) over 1,000,000 case records.

    .venv/bin/python bench/bench_commitments.py [--cases 1000000] [--counties 100] [--runs 5] [--reuse]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/yingshang_bench_commitments .venv/bin/python bench/bench_commitments.py

Builds a city with ``--counties`` counties (no people: the statistics need none), then bulk-inserts the cases
of the three seeded commitments (开办企业 half of them, 不动产登记 35 %, 工程建设项目审批 15 %) received over
the last two covered years, with working days counted by the services' WorkdayCounter, one in ten late and
one in seven with a clock stop (a ClockStop row); ``--steps`` adds the chain's steps to that share of the
cases. Then it times, for one year: the county statistics of 开办企业 (the commitment page), the statistics
of every commitment (the commitment list), ``indicator_values`` for every county, the first page of the late
list with its count, the step statistics, and the in-progress late scan. Median / max seconds and the SQL
queries of one run. Without DATABASE_URL it uses /tmp/yingshang-bench-commitments.sqlite3 (recreated unless
--reuse). Prints; asserts nothing. See bench/README.md.
"""

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_org import setup_django  # noqa: E402

SQLITE_FILE = Path(tempfile.gettempdir()) / "yingshang-bench-commitments.sqlite3"
SHARES = (("kaiban", 0.50), ("budongchan", 0.35), ("gongcheng", 0.15))
USUAL = {"kaiban": (0, 3), "budongchan": (1, 5), "gongcheng": (35, 110)}
LATE = {"kaiban": (5, 8), "budongchan": (6, 10), "gongcheng": (125, 170)}
BATCH = 10_000


def build_counties(wanted: int) -> list:
    """A city and ``wanted`` counties under it (kept from an earlier run with --reuse)."""
    from apps.org.models import Unit
    from apps.org.services import create_unit

    city = Unit.objects.filter(depth=1, code="990100").first() or create_unit(
        parent=None, by=None, name="示范市", short_name="示范市", kind="city", code="990100"
    )
    have = Unit.objects.filter(depth=2, kind="county").count()
    for n in range(have, wanted):
        city.refresh_from_db()
        create_unit(parent=city, by=None, name=f"基准{n + 1}区", short_name=f"基准{n + 1}", kind="county", code=f"99{201 + n:04d}")  # fmt: skip
    return list(Unit.objects.filter(depth=2, kind="county").order_by("path")[:wanted])


def generate_cases(count: int, counties: list, rng: random.Random, *, with_steps: bool) -> float:
    """Bulk-insert ``count`` cases; returns the seconds spent."""
    from django.db import transaction

    from apps.bizenv.models import Case, CaseStep, ClockStop, Commitment
    from apps.bizenv.services.commitments import WorkdayCounter, net_working_days

    started = time.perf_counter()
    counter = WorkdayCounter()
    calendar = counter.calendar
    covered = date(max(y for y in range(2004, 2100) if calendar.covers(y)), 12, 31)
    first, last_received = covered - timedelta(days=1030), covered - timedelta(days=300)
    days_ = [first + timedelta(d) for d in range((covered - first).days + 1)]
    workdays = [day for day in days_ if calendar.is_workday(day)]
    index = {day: n for n, day in enumerate(workdays)}
    receipts = [day for day in workdays if day <= last_received]
    commitments = {c.code: c for c in Commitment.objects.prefetch_related("steps")}
    codes, weights = zip(*SHARES, strict=True)
    serial = Case.objects.count()
    for offset in range(0, count, BATCH):
        cases, stops, chains = [], [], []
        for _n in range(min(BATCH, count - offset)):
            serial += 1
            commitment = commitments[rng.choices(codes, weights)[0]]
            received = rng.choice(receipts)
            late = rng.random() < 0.1
            days = rng.randint(*(LATE if late else USUAL)[commitment.code])
            stop = None
            if rng.random() < 1 / 7:
                stop_start = workdays[index[received] + 1]
                stop = (stop_start, workdays[index[stop_start] + rng.randint(1, 5)])
            stopped = counter.between(*stop) if stop else 0
            completed = workdays[index[received] + days + stopped]
            stop_list = [stop] if stop else []
            cases.append(Case(
                commitment=commitment, unit=rng.choice(counties), number=f"B{serial:08d}", applicant_name=f"基准企业{serial}",
                received_on=received, completed_on=completed, limit_days=commitment.limit_days, stopped_days=stopped,
                working_days=net_working_days(counter, received, completed, stop_list),
            ))  # fmt: skip
            stops.append(stop)
            chains.append((received, completed, stop_list) if with_steps and stop else None)
        with transaction.atomic():
            made = Case.objects.bulk_create(cases, batch_size=BATCH)
            ClockStop.objects.bulk_create(
                [
                    ClockStop(case=case, reason="correction", starts_on=s[0], ends_on=s[1])
                    for case, s in zip(made, stops, strict=True)
                    if s
                ],  # fmt: skip
                batch_size=BATCH,
            )
            CaseStep.objects.bulk_create(_steps(made, chains, counter), batch_size=BATCH)
    return time.perf_counter() - started


def _steps(cases, chains, counter) -> list:
    from apps.bizenv.models import CaseStep

    rows = []
    for case, chain in zip(cases, chains, strict=True):
        if chain is None:
            continue
        received, completed, stops = chain
        for n, step in enumerate(case.commitment.steps.all(), start=1):
            end = completed if n == case.commitment.steps.count() else received
            rows.append(CaseStep(case=case, order=n, name=step.name, limit_days=step.limit_days, started_on=received,
                                 ended_on=end, working_days=max(0, _net(counter, received, end, stops))))  # fmt: skip
    return rows


def _net(counter, start, end, stops) -> int:
    from apps.bizenv.services.commitments import net_working_days

    return net_working_days(counter, start, end, stops)


def repeat(call: Callable[[], object], runs: int) -> tuple[list[float], int, object]:
    """Seconds of ``runs`` calls after one warm-up, the SQL queries of the warm-up, and its result."""
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    reset_queries()
    with CaptureQueriesContext(connection) as captured:
        result = call()
    timings = []
    for _n in range(runs):
        started = time.perf_counter()
        call()
        timings.append(time.perf_counter() - started)
    return timings, len(captured.captured_queries), result


def report(counties: list, runs: int) -> None:
    from django.core.paginator import Paginator

    from apps.bizenv.models import Case, Commitment
    from apps.bizenv.services.commitments import indicator_values, late_in_progress, stats_by, step_stats, total
    from yingshang.demo.table import format_table

    kaiban = Commitment.objects.get(code="kaiban")
    year_end = Case.objects.order_by("-received_on").values_list("received_on", flat=True).first()  # a full year
    starts_on, ends_on = year_end - timedelta(days=364), year_end
    year = Case.objects.completed_between(starts_on, ends_on)

    def county_figures():
        by_unit = stats_by(year.filter(commitment=kaiban), "unit_id")
        return len(by_unit), total(by_unit)

    def late_page():
        page = Paginator(year.filter(commitment=kaiban).late().select_related("unit").order_by("-working_days", "-completed_on"), 20).page(1)  # fmt: skip
        return page.paginator.count, len(list(page.object_list))

    checks = [
        (
            "开办企业：各区县统计（承诺事项页）",
            county_figures,
            lambda r: (
                f"{r[0]} 个区县，{r[1].cases:,} 件，按时 {r[1].on_time_share}%，中位数 {r[1].median}，P90 {r[1].p90}"
            ),
        ),  # fmt: skip
        (
            "全部事项统计（承诺事项列表）",
            lambda: stats_by(year, "commitment_id"),
            lambda r: f"{len(r)} 个事项，{sum(s.cases for s in r.values()):,} 件",
        ),  # fmt: skip
        (
            "indicator_values 01.02（全部区县）",
            lambda: indicator_values("01.02", counties, starts_on, ends_on),
            lambda r: f"{len(r)} 个区县有值",
        ),  # fmt: skip
        ("超时办结列表第一页及总数", late_page, lambda r: f"{r[0]:,} 件超时，本页 {r[1]} 件"),
        (
            "开办企业：各环节统计",
            lambda: step_stats(year.filter(commitment=kaiban)),
            lambda r: f"{sum(s.cases for s in r.values()):,} 个环节",
        ),  # fmt: skip
        ("在办超时扫描", lambda: late_in_progress(Case.objects.filter(commitment=kaiban)), lambda r: f"{len(r)} 件"),
    ]
    rows = []
    for label, call, describe in checks:
        timings, queries, result = repeat(call, runs)
        rows.append((label, f"{statistics.median(timings):.3f} / {max(timings):.3f}", str(queries), describe(result)))
    print(f"\n统计期间 {starts_on} 至 {ends_on}（{runs} 次；秒，中位数 / 最大；查询数为一次的）：")
    print(format_table(("操作", "秒", "查询", "结果"), rows))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--counties", type=int, default=100)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--seed", type=int, default=20261203)
    parser.add_argument("--steps", action="store_true", help="add the chain's steps to the cases with a clock stop")
    parser.add_argument("--reuse", action="store_true", help="keep the database of an earlier run and top up the cases")
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL"):
        if not args.reuse:
            SQLITE_FILE.unlink(missing_ok=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{SQLITE_FILE}"
    setup_django()
    from django.core.management import call_command
    from django.db import connection

    from apps.bizenv.models import Case
    from yingshang.demo.table import format_table

    call_command("migrate", verbosity=0)
    print(f"数据库：{connection.vendor} {connection.settings_dict['NAME']}")
    if not args.reuse:
        Case.objects.all().delete()
    rng = random.Random(args.seed)
    started = time.perf_counter()
    counties = build_counties(args.counties)
    steps = [("区县", f"{time.perf_counter() - started:.1f}", f"{len(counties)}")]
    missing = max(0, args.cases - Case.objects.count())
    seconds = generate_cases(missing, counties, rng, with_steps=args.steps)
    steps.append(("办件（bulk_create，含暂停计时）", f"{seconds:.1f}", f"{missing:,}"))
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    print(format_table(("准备数据", "秒", "行数"), steps))
    print(f"（共 {Case.objects.count():,} 件办件）")
    report(counties, args.runs)


if __name__ == "__main__":
    main()
