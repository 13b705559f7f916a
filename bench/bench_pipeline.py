"""Benchmark of the investment pipeline's pages at city size: 100,000 projects, 1,000,000 monthly funds.

    .venv/bin/python bench/bench_pipeline.py [--projects 100000] [--funds 1000000] [--runs 30] [--scale 5]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/yingshang_bench .venv/bin/python bench/bench_pipeline.py

Builds the demo city (org and enterprise registry at ``--scale``, the demo's own projects), then adds
generated projects with bulk inserts: spread over every investment unit, stage, channel and team,
each with the coordinating bureau as participant (as registration makes it), and monthly fund
records for the signed ones until ``--funds`` rows exist, and rebuilds the KPI page's monthly fund
totals from them (services/kpi_rollup.py, as after any bulk load). Then it requests the board, the
project list (unfiltered and filtered) and the KPI page through Django's test client — view, queries
and template, as a browser gets them — for a county officer, the bureau and a city leader, and prints
p50 / p95 in milliseconds with the number of SQL queries. Prints; asserts nothing. See bench/README.md.
"""

import argparse
import random
import statistics
import sys
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_org import setup_django  # noqa: E402

#: share of the generated projects at each stage (a real pipeline narrows as it goes)
#: (a city's ledger of several years holds more signed projects than live leads)
STAGE_SHARES = {
    "lead": 0.15, "intention": 0.12, "negotiation": 0.13, "signed": 0.16, "started": 0.16,
    "completed": 0.10, "producing": 0.11, "at_capacity": 0.07,
}  # fmt: skip
STAGE_DATES = ("signed_on", "started_on", "completed_on", "producing_on", "at_capacity_on")
FIRST_DAY = date(2024, 1, 1)
MONTHS = 35  # 2024-01 … 2026-11


def build_city(seed: int, scale: int) -> float:
    from django.db import connection

    from yingshang.demo import runner

    started = time.perf_counter()
    if runner.demo_exists():
        runner.clear_demo()
    runner.build_demo(seed=seed, scale=scale)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return time.perf_counter() - started


def _amount(rng: random.Random) -> Decimal:
    """万元, with the long tail of real ledgers: most 3,000–50,000, some ≥ 1亿, a few ≥ 10亿."""
    roll = rng.random()
    if roll < 0.80:
        return Decimal(rng.randrange(3000, 50000, 100))
    if roll < 0.97:
        return Decimal(rng.randrange(50000, 100000, 500))
    return Decimal(rng.randrange(100000, 800000, 5000))


def generate_projects(count: int, rng: random.Random) -> list[int]:
    """Bulk-insert ``count`` projects with their participant rows; returns the ids of the signed ones."""
    from apps.enterprises.models import Enterprise, Industry
    from apps.investment.models import Channel, PipelineSettings, Project, Stage, Team
    from apps.org import roles
    from apps.org.models import Unit, User

    bureau = PipelineSettings.current().coordinating_unit
    units = list(Unit.objects.filter(people__roles__code__in=[roles.INVESTMENT_OFFICER, roles.COUNTY_ADMIN]).distinct())
    recorders = {u.pk: User.objects.filter(unit=u).first() for u in units}
    enterprises = list(Enterprise.objects.active().values_list("pk", flat=True))
    industries = list(Industry.objects.filter(level=Industry.Level.DIVISION).values_list("pk", flat=True))
    teams = {}
    for team in Team.objects.all():
        teams.setdefault(team.unit_id, []).append(team.pk)
    stages, weights = list(STAGE_SHARES), list(STAGE_SHARES.values())
    first = (Project.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    batch, signed = [], []
    for n in range(count):
        unit = rng.choice(units)
        stage = Stage(rng.choices(stages, weights)[0])
        project = Project(
            code=f"XMB-{first + n:07d}", name=f"基准测试第{first + n}号项目", unit=unit, enterprise_id=rng.choice(enterprises),
            industry_id=rng.choice(industries), channel=rng.choice(Channel.values), stage=stage, counted_stage=stage,
            planned_investment=_amount(rng), created_by=recorders[unit.pk],
            team_id=rng.choice(teams[unit.pk]) if unit.pk in teams and rng.random() < 0.3 else None,
            investor_out_of_province=rng.random() < 0.6, status=rng.choices(["active", "paused", "dropped"], [90, 5, 5])[0],
        )  # fmt: skip
        if stage.rank >= Stage.SIGNED.rank:
            project.contracted_investment = project.planned_investment
            day = FIRST_DAY + timedelta(days=rng.randrange(0, 700))
            for name in STAGE_DATES[: stage.rank - Stage.SIGNED.rank + 1]:
                setattr(project, name, day)
                day += timedelta(days=rng.randrange(20, 120))
        batch.append(project)
        if len(batch) == 5000:
            signed += _save(batch, bureau)
            batch = []
    signed += _save(batch, bureau)
    return signed


def _save(batch, bureau) -> list[int]:
    from apps.investment.models import Project, ProjectParticipant

    saved = Project.objects.bulk_create(batch, batch_size=1000)
    if bureau is not None:
        ProjectParticipant.objects.bulk_create(
            [ProjectParticipant(project=p, unit=bureau, role="统筹") for p in saved if p.unit_id != bureau.pk],
            batch_size=2000,
        )
    return [p.pk for p in saved if p.signed_on is not None]


def generate_funds(target: int, signed: list[int], rng: random.Random) -> int:
    """Monthly fund records for signed projects, one per project and month, until ``target`` rows exist."""
    from apps.investment.models import FundRecord, Project
    from apps.org.models import User

    entered_by = User.objects.filter(username="zhaoshang").first() or User.objects.first()
    months = [date(FIRST_DAY.year + m // 12, m % 12 + 1, 1) for m in range(MONTHS)]
    existing = FundRecord.objects.count()
    signed_on = dict(Project.objects.filter(pk__in=signed).values_list("pk", "signed_on"))
    batch, made = [], 0
    for pk in signed:
        start = signed_on[pk].replace(day=1)
        for month in months:
            if month < start or existing + made + len(batch) >= target:
                continue
            amount = Decimal(rng.randrange(50, 5000))
            batch.append(FundRecord(
                project_id=pk, month=month, amount=amount, out_of_province=amount * Decimal("0.6"),
                fixed_asset=amount * Decimal("0.8"), entered_by=entered_by,
            ))  # fmt: skip
            if len(batch) == 20000:
                FundRecord.objects.bulk_create(batch, batch_size=5000)
                made += len(batch)
                batch = []
    FundRecord.objects.bulk_create(batch, batch_size=5000)
    return existing + made + len(batch)


def page_timer(user, runs: int):
    """A function timing one page for ``user``: p50, p95 (ms) over ``runs`` requests after a warm-up, queries."""
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)

    def timed(url: str, params: dict | None = None) -> tuple[float, float, int]:
        reset_queries()
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url, params or {})
        if response.status_code != 200:
            raise RuntimeError(f"{url} answered {response.status_code}")
        timings = []
        for _ in range(runs):
            started = time.perf_counter()
            client.get(url, params or {})
            timings.append((time.perf_counter() - started) * 1000)
        timings.sort()
        p95 = timings[min(len(timings) - 1, round(0.95 * (len(timings) - 1)))]
        return statistics.median(timings), p95, len(queries.captured_queries)

    return timed


def pages() -> list[tuple[str, str, dict]]:
    from django.urls import NoReverseMatch, reverse

    listed = [
        ("看板", reverse("investment:project_board"), {}),
        ("项目台账（无筛选）", reverse("investment:project_list"), {}),
        ("项目台账（签约 + 1亿—10亿 + 专业招商）", reverse("investment:project_list"),
         {"stage": "signed", "band": "1to10", "channel": "professional"}),
        ("项目台账（搜索“新能源”）", reverse("investment:project_list"), {"q": "新能源"}),
        ("项目台账（超时线索）", reverse("investment:project_list"), {"overdue": "on"}),
    ]  # fmt: skip
    try:
        listed.append(("招商指标（本年）", reverse("investment:kpi_dashboard"), {}))
    except NoReverseMatch:
        print("（招商指标页尚未提供，跳过）")
    return listed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--projects", type=int, default=100_000)
    parser.add_argument("--funds", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--scale", type=int, default=5, help="demo city scale (enterprises: 3,080 × scale)")
    parser.add_argument("--seed", type=int, default=20261201)
    parser.add_argument(
        "--reuse", action="store_true", help="keep the city already in DATABASE_URL and only top up projects and funds"
    )
    args = parser.parse_args()
    setup_django()
    import logging

    logging.getLogger("axes").setLevel(logging.WARNING)  # one login per persona, not worth a line each
    from django.core.management import call_command
    from django.db import connection

    from apps.investment.models import FundRecord, Project
    from apps.org.models import User

    call_command("migrate", verbosity=0)
    rng = random.Random(args.seed)
    print(f"数据库：{connection.vendor}")
    from yingshang.demo.runner import demo_exists

    if not (args.reuse and demo_exists()):
        print(f"生成示范市（规模 {args.scale}）：{build_city(args.seed, args.scale):.1f} 秒")
    started = time.perf_counter()
    signed = generate_projects(max(0, args.projects - Project.objects.count()), rng)
    print(f"生成项目：{Project.objects.count():,} 个，用时 {time.perf_counter() - started:.1f} 秒")
    started = time.perf_counter()
    funds = generate_funds(args.funds, signed, rng)
    print(f"生成到位资金月报：{funds:,} 条，用时 {time.perf_counter() - started:.1f} 秒")
    from apps.investment.services.kpi_rollup import rebuild_all

    started = time.perf_counter()
    totals = rebuild_all()
    print(f"重算到位资金月度汇总：{totals:,} 行，用时 {time.perf_counter() - started:.1f} 秒")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"\n{'页面':<40}{'用户':<14}{'p50 ms':>9}{'p95 ms':>9}{'查询':>6}")
    for username, label in (("dongcheng", "区县管理员"), ("zhaoshang", "市投促局"), ("leader", "市领导")):
        timed = page_timer(User.objects.get(username=username), args.runs)
        for name, url, params in pages():
            p50, p95, queries = timed(url, params)
            print(f"{name:<40}{label:<14}{p50:>9.1f}{p95:>9.1f}{queries:>6}")
    print(f"\n（{Project.objects.count():,} 个项目，{FundRecord.objects.count():,} 条到位资金，每页 {args.runs} 次）")


if __name__ == "__main__":
    main()
