"""Benchmark of the business-environment evaluation: scoring a round of 18 first-level / 87 second-level
indicators for 200 counties.

    .venv/bin/python bench/bench_bizenv.py [--units 200] [--first 18] [--second 87] [--missing 0.02] [--runs 5]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/yingshang_bench_bizenv .venv/bin/python bench/bench_bizenv.py

Builds (with the org services and bulk inserts) a city with ``--units`` counties and a city-level bureau, a
published methodology version of ``--first`` first-level indicators with ``--second`` second-level ones spread
over them (frontier, efficacy, standard-value and yes/no methods, random weights and parameters), a round over
every county and every value entered and approved (``--missing`` of them left out, so the missing-data
threshold does its work). Then times the scoring engine alone over the whole round (``scoring.score_units``),
``results.compute`` (read the values, score, store every result and indicator score), the robustness check
(three aggregations) and ``results.publish_round``; p50 / max and the SQL queries of one run. Prints; asserts
nothing. See bench/README.md.
"""

import argparse
import random
import statistics
import sys
import time
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_org import setup_django  # noqa: E402

YEAR = 2025


def build_city(units: int):
    """The city, its bureau with a keeper, and ``units`` counties (made once; a second run reuses them)."""
    from apps.org import roles
    from apps.org.models import Role, Unit, User
    from apps.org.services import create_unit

    city = Unit.objects.filter(depth=1).first()
    if city is None:
        city = create_unit(parent=None, by=None, name="基准市", short_name="基准市", kind="city", code="880100")
    bureau = Unit.objects.filter(code="880100D01").first()
    if bureau is None:
        bureau = create_unit(
            parent=city, by=None, name="基准市营商环境建设局", short_name="营商局", kind="department", code="880100D01"
        )
    for n in range(Unit.objects.filter(kind="county").count(), units):
        name = f"基准{n + 1:03d}县"
        create_unit(parent=Unit.objects.get(pk=city.pk), by=None, name=name, short_name=name, kind="county",
                    code=f"88{n + 101:04d}")  # fmt: skip
    keeper = User.objects.filter(username="bench_bizenv").first()
    if keeper is None:
        keeper = User.objects.create_user("bench_bizenv", "Bench-Pass-2026!", name="评价专员", unit=bureau)
        keeper.roles.add(Role.objects.get(code=roles.BIZENV_ADMIN))
    return Unit.objects.filter(kind="county").order_by("path")[:units], User.objects.get(pk=keeper.pk)


def _method(rng: random.Random) -> tuple[str, str, dict]:
    roll = rng.random()
    if roll < 0.6:
        return "frontier", "lower_better", {"best": 1, "worst": 30}
    if roll < 0.8:
        return "efficacy", "higher_better", {"satisfactory": 95, "unacceptable": 60}
    if roll < 0.9:
        return "standard", "lower_better", {"standard": 5, "step": 4}
    return "yes_no", "higher_better", {}


def _raw(method: str, rng: random.Random) -> str:
    if method == "frontier":
        return f"{rng.uniform(1, 25):.1f}"
    if method == "efficacy":
        return f"{rng.uniform(55, 99):.1f}"
    if method == "standard":
        return f"{rng.uniform(3, 15):.1f}"
    return rng.choice(("是", "是", "是", "否"))


def build_methodology(first: int, second: int, keeper, rng: random.Random):
    from django.utils import timezone

    from apps.bizenv.models import Indicator, Methodology, Round

    code = f"B{first}.{second}"
    Round.objects.filter(methodology__code=code).delete()  # an earlier run's (its values protect the indicators)
    Methodology.objects.filter(code=code).delete()
    methodology = Methodology.objects.create(code=code, name=f"基准版本（{first}/{second}）", created_by=keeper)
    parents = Indicator.objects.bulk_create(
        Indicator(methodology=methodology, level=1, code=f"{n + 1:02d}", name=f"一级指标{n + 1}", weight=1)
        for n in range(first)
    )
    children = []
    for n in range(second):
        parent = parents[n % first]
        method, direction, params = _method(rng)
        children.append(
            Indicator(
                methodology=methodology,
                parent=parent,
                level=2,
                code=f"{parent.code}.{n // first + 1:02d}",
                name=f"二级指标{n + 1}",
                method=method,
                direction=direction,
                parameters=params,
                weight=Decimal(rng.choice((1, 1, 2, 3))),
            )  # fmt: skip
        )
    Indicator.objects.bulk_create(children)
    methodology.status, methodology.published_at = Methodology.Status.PUBLISHED, timezone.now()
    methodology.save()
    return methodology, children


def build_round(methodology, leaves, units, keeper, missing: float, rng: random.Random):
    from apps.bizenv.models import Entry, Round
    from apps.bizenv.services import rounds

    Round.objects.filter(year=YEAR, quarter=None).delete()
    fields = rounds.RoundFields(f"{YEAR}年度基准评价", YEAR, None, date(YEAR + 1, 1, 5), date(YEAR + 1, 1, 31))
    round_ = rounds.create_round(methodology=methodology, fields=fields, units=list(units), by=keeper)
    rounds.open_round(round_=round_, by=keeper)
    entries = [
        Entry(round=round_, unit=unit, indicator=leaf, value=_raw(leaf.method, rng), status=Entry.Status.APPROVED)
        for unit in units
        for leaf in leaves
        if rng.random() >= missing
    ]
    Entry.objects.bulk_create(entries, batch_size=2000)
    return round_, len(entries)


def measure(call: Callable[[], object], runs: int) -> tuple[float, float, int]:
    """p50 and max milliseconds over ``runs`` calls after one warm-up, and the queries of the warm-up."""
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    reset_queries()
    with CaptureQueriesContext(connection) as queries:
        call()
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        call()
        timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings), max(timings), len(queries.captured_queries)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--units", type=int, default=200)
    parser.add_argument("--first", type=int, default=18)
    parser.add_argument("--second", type=int, default=87)
    parser.add_argument("--missing", type=float, default=0.02, help="share of values left out")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--seed", type=int, default=20261203)
    args = parser.parse_args()
    setup_django()
    from django.core.management import call_command
    from django.db import connection

    from apps.bizenv import scoring
    from apps.bizenv.services import results, rounds
    from yingshang.demo.table import format_table

    call_command("migrate", verbosity=0)
    rng = random.Random(args.seed)
    print(f"数据库：{connection.vendor} {connection.settings_dict['NAME']}")
    started = time.perf_counter()
    units, keeper = build_city(args.units)
    methodology, leaves = build_methodology(args.first, args.second, keeper, rng)
    round_, entered = build_round(methodology, leaves, units, keeper, args.missing, rng)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    print(f"准备数据 {time.perf_counter() - started:.1f} 秒：{len(units)} 个区县，{args.first}/{args.second} 项指标，{entered:,} 个填报值")  # fmt: skip

    tree = rounds.scoring_tree(rounds.indicators_of(methodology))
    values = results.raw_values(round_)
    rows = []

    def timed(label: str, call: Callable[[], object]) -> None:
        p50, worst, queries = measure(call, args.runs)
        rows.append((label, f"{p50:,.0f}", f"{worst:,.0f}", str(queries)))

    timed("计分引擎（内存中，全部区县）", lambda: scoring.score_units(tree, values))
    timed("读取填报值", lambda: results.raw_values(round_))
    timed("试算并保存结果（results.compute）", lambda: results.compute(round_=round_, by=keeper))
    timed("稳健性检验（三种汇总）", lambda: results.robustness(round_))
    rounds.close_round(round_=round_, by=keeper)
    started = time.perf_counter()
    results.publish_round(round_=round_, by=keeper)
    rows.append(("发布（一次）", f"{(time.perf_counter() - started) * 1000:,.0f}", "", ""))
    print(format_table(("步骤", "p50 毫秒", "最大 毫秒", "SQL"), rows))
    scored = round_.results.filter(score__isnull=False).count()
    print(f"（{round_.results.count()} 个结果，其中 {scored} 个有总分；{round_.scores.count():,} 个指标得分）")


if __name__ == "__main__":
    main()
