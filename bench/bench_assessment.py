"""Benchmark of the assessment (考核通报): a month's snapshot for 100 units over 100,000 projects, and its bulletin.

    .venv/bin/python bench/bench_assessment.py [--units 100] [--projects 100000] [--funds 1000000] [--runs 5]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/yingshang_bench .venv/bin/python bench/bench_assessment.py

Builds the demo city (``--scale``) as bench_pipeline.py does, adds counties under the city with the org
services until ``--units`` areas (counties and zones) exist, each with a county administrator and an
investment bureau whose officer the generated projects are spread over, then bulk-inserts the projects,
their monthly fund records and project problems (bench_pipeline.py's generators, problems here). Then a
scheme for the month's year with the default metrics (seven live, two manual), a target for every item
and unit, monthly plans for some, the manual figures of every month entered with evidence, and a few
deductions. It times ``take_snapshot`` for the month (each run the first for its period, rolled back),
the same with the previous month's snapshot taken first (previous ranks and corrections), and
``gather_inputs``, each live source and ``scoring.score`` alone; then the month's bulletin: the whole of
``bulletins.generate`` (Word and PDF saved with their hashes) and its parts — the facts, the fields and
charts, the Word file, the PDF through the resident LibreOffice (apps/core/office.py), its first conversion in
a process (starting the office) and the one-shot ``soffice --convert-to`` it falls back to. p50 / max and the SQL
queries of one run. Prints; asserts nothing. See bench/README.md.
"""

import argparse
import random
import statistics
import sys
import time
from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_org import setup_django  # noqa: E402
from bench_pipeline import build_city, generate_funds, generate_projects  # noqa: E402

#: (metric code, weight, method): 100 points, one item scored by ranking
ITEMS = (
    ("signed_count", 15, "completion"), ("contracted", 20, "completion"), ("funds_in_place", 20, "completion"),
    ("out_of_province", 10, "completion"), ("started_count", 10, "completion"), ("over_1yi_count", 10, "ranking"),
    ("problems_on_time", 5, "completion"), ("policy_delivery", 5, "completion"), ("major_reserve", 5, "completion"),
)  # fmt: skip
PROBLEM_TITLES = (
    "用地指标未落实",
    "施工用电接入滞后",
    "环评批复待办",
    "融资渠道不畅",
    "用工缺口较大",
    "政策兑现未到位",
)
EVIDENCE = b"%PDF-1.4 bench ledger"


# ---- the data ----------------------------------------------------------------------------


def add_counties(wanted: int) -> int:
    """Counties under the city (org services) until ``wanted`` areas exist; returns how many were added."""
    from django.contrib.auth.hashers import make_password

    from apps.org import roles
    from apps.org.models import Role, Unit, User
    from apps.org.services import create_unit
    from yingshang.demo.org import TOWN_NAMES

    city = Unit.objects.get(depth=1)
    missing = max(0, wanted - Unit.objects.filter(depth=2, kind__in=("county", "zone")).count())
    added = Unit.objects.filter(depth=2, code__gt="990200").count()  # by an earlier run (--reuse)
    people, names = [], len(TOWN_NAMES)
    for n in range(added, added + missing):
        code = f"99{201 + n:04d}"  # 990201, 990202 …: the demo's areas are 9901xx
        name = f"{TOWN_NAMES[n % names]}{'县区'[n // names % 2]}{n // (2 * names) or ''}"  # 柳林县 … 柳林区 …
        county = create_unit(parent=city, by=None, name=name, short_name=name[:-1], kind="county", code=code)
        bureau = create_unit(parent=county, by=None, name=f"{name}投资促进局", short_name=f"{name}投促局",
                             kind="department", code=f"{code}D02")  # fmt: skip
        people += [(county, f"b{code}", "区县管理员", roles.COUNTY_ADMIN),
                   (bureau, f"b{code}zs", "招商专员", roles.INVESTMENT_OFFICER)]  # fmt: skip
    # accounts as the demo makes them (bulk, no password to hash): nobody logs in as them
    made = User.objects.bulk_create(
        User(username=u, name=f"{unit.short_name}{title}", unit=unit, password=make_password(None)) for unit, u, title, _r in people
    )  # fmt: skip
    codes = dict(Role.objects.values_list("code", "pk"))
    User.roles.through.objects.bulk_create(
        User.roles.through(user_id=user.pk, role_id=codes[role]) for user, (*_p, role) in zip(made, people, strict=True)
    )
    return missing


def generate_problems(count: int, rng: random.Random) -> int:
    """Bulk-insert ``count`` problems on the generated signed projects: due 15 days after being raised,
    most answered on time, some late, some still open. Returns the number of problems."""
    from django.utils import timezone

    from apps.investment.models import Project
    from apps.landing.models import ProjectProblem
    from apps.org.models import Unit

    today = timezone.localdate()
    departments = list(Unit.objects.filter(kind="department").values_list("pk", flat=True))
    projects = list(
        Project.objects.filter(code__startswith="XMB-", signed_on__isnull=False).values_list("pk", "signed_on", "created_by_id")
    )  # fmt: skip
    first = ProjectProblem.objects.filter(code__startswith="WTB-").count() + 1
    batch = []
    for n in range(first, first + count):
        pk, signed_on, raiser = rng.choice(projects)
        raised = min(signed_on + timedelta(days=rng.randrange(10, 500)), today - timedelta(days=1))
        due, roll = raised + timedelta(days=15), rng.random()
        answered = (
            raised + timedelta(days=rng.randrange(1, 15)) if roll < 0.72 else due + timedelta(days=rng.randrange(1, 40))
        )
        answered = answered if roll < 0.9 and answered < today else None
        batch.append(ProjectProblem(
            code=f"WTB-{n:07d}", project_id=pk, title=rng.choice(PROBLEM_TITLES), raised_by_id=raiser, raised_on=raised,
            department_id=rng.choice(departments), due_on=due, answered_on=answered,
            status=ProjectProblem.Status.ANSWERED if answered else ProjectProblem.Status.OPEN,
        ))  # fmt: skip
    ProjectProblem.objects.bulk_create(batch, batch_size=2000)
    return ProjectProblem.objects.count()


# ---- the scheme --------------------------------------------------------------------------


def build_scheme(year: int, units: int, ends_on: date, rng: random.Random):
    """This year's county scheme with every default metric, targets, plans, manual figures and deductions."""
    from apps.assessment.models import Metric, Scheme
    from apps.assessment.services.schemes import add_item, create_scheme
    from apps.org.models import Unit, User
    from yingshang.demo import assessment as demo_assessment
    from yingshang.demo.org import INVESTMENT_BUREAU

    if Scheme.objects.filter(year=year, group=Scheme.Group.COUNTY).exists():
        demo_assessment.clear()  # the demo's scheme of that year, or ours of a run before (--reuse)
    keeper = User.objects.get(username="kaohe")
    scheme = create_scheme(
        year=year, group=Scheme.Group.COUNTY, name=f"{year}年度县（市、区）招商引资目标责任考核（基准）",
        unit=Unit.objects.get(code=INVESTMENT_BUREAU), by=keeper, praise_top=5, admonish_bottom=5, bulletin_prefix="基考",
    )  # fmt: skip
    metrics = {m.code: m for m in Metric.objects.all()}
    items = [
        add_item(scheme=scheme, metric=metrics[code], weight=Decimal(weight), method=method, by=keeper)
        for code, weight, method in ITEMS
    ]
    areas = list(Unit.objects.filter(depth=2, kind__in=("county", "zone")).order_by("path")[:units])
    set_targets(items, areas, ends_on, keeper, rng)
    enter_manual_figures(items, areas, ends_on, rng)
    record_deductions(scheme, areas, ends_on, keeper, rng)
    return scheme, keeper


def set_targets(items, areas, ends_on: date, keeper, rng: random.Random) -> None:
    """Targets from each unit's pace by ``ends_on`` (about 70–130 % of the time-progress); a quarter of the
    amounts get a monthly plan, entered by the unit's administrator."""
    from apps.assessment.models import Metric, Target
    from apps.assessment.services.periods import periods_of_year
    from apps.assessment.services.schemes import set_plan, set_target
    from apps.assessment.services.snapshots import read_actuals

    share = Decimal((ends_on - date(ends_on.year, 1, 1)).days + 1) / 365
    live = [i for i in items if i.metric.source == Metric.Source.LIVE and i.metric.kind != Metric.Kind.RATE]
    actuals = read_actuals(live, areas, ends_on)
    months = [p.ends_on for p in periods_of_year("month", ends_on.year)]
    for item in items:
        kind = item.metric.kind
        for unit in areas:
            if kind == Metric.Kind.RATE:
                value = Decimal(rng.choice((90, 95, 98, 100)))
            elif item.pk in actuals:
                floor, step = (Decimal(3), Decimal(1)) if kind == Metric.Kind.COUNT else (Decimal(5000), Decimal(100))
                value = max(actuals[item.pk][unit.pk] / share * Decimal(rng.uniform(0.75, 1.4)), floor).quantize(step)
            else:
                value = Decimal(rng.randint(3, 8))
            target = set_target(item=item, unit=unit, value=value, by=keeper)
            if kind == Metric.Kind.AMOUNT and rng.random() < 0.25:  # a slow first half, as many plans are
                points = [
                    (day, (value * Decimal((m + 1) / 12) ** Decimal("1.3")).quantize(step))
                    for m, day in enumerate(months)
                ]
                set_plan(target=target, plan=Target.Plan.MONTH, points=points, by=area_admin(unit))


def area_admin(unit):
    """The county administrator who enters the unit's figures and plans."""
    from apps.org.models import User

    return User.objects.filter(unit=unit, roles__code="county_admin").order_by("pk").first()


def enter_manual_figures(items, areas, ends_on: date, rng: random.Random) -> None:
    """Every unit enters its manual figures at each month's end up to ``ends_on``, with a ledger."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from apps.assessment.models import Metric, Target
    from apps.assessment.services.periods import periods_of_year
    from apps.assessment.services.schemes import enter_manual_value

    manual = [i for i in items if i.metric.source == Metric.Source.MANUAL]
    targets = {(t.item_id, t.unit_id): t for t in Target.objects.filter(item__in=manual).select_related("item__metric", "item__scheme", "unit")}  # fmt: skip
    months = [p.ends_on for p in periods_of_year("month", ends_on.year) if p.ends_on <= ends_on]
    for unit in areas:
        person = area_admin(unit)
        for item in manual:
            target, value = targets[(item.pk, unit.pk)], Decimal(0)
            for day in months:
                if item.metric.kind == Metric.Kind.RATE:
                    value = min(
                        Decimal(100), (target.value * Decimal(rng.uniform(0.85, 1.03))).quantize(Decimal("0.1"))
                    )
                else:
                    value += Decimal(rng.random() < float(target.value) / 12)
                evidence = SimpleUploadedFile("台账.pdf", EVIDENCE, content_type="application/pdf")
                enter_manual_value(target=target, as_of=day, value=value, evidence=evidence, by=person)


def record_deductions(scheme, areas, ends_on: date, keeper, rng: random.Random) -> None:
    """签约超期未开工 and 报送不及时 for a few units."""
    from apps.assessment.models import Deduction
    from apps.assessment.services.schemes import record_deduction
    from apps.investment.models import Project, Stage

    for unit in rng.sample(areas, min(6, len(areas))):
        late = Project.objects.filter(unit__path__startswith=unit.path, stage=Stage.SIGNED, signed_on__lt=ends_on - timedelta(days=365)).first()  # fmt: skip
        kind, points, reason = (
            (Deduction.Kind.LATE_START, Decimal(2), "协议约定开工期限已过仍未开工")
            if late
            else (Deduction.Kind.LATE_REPORT, Decimal(1), "月度到位资金未按时报送")
        )
        record_deduction(
            scheme=scheme, unit=unit, kind=kind, points=points, project=late, by=keeper, reason=reason,
            happened_on=ends_on - timedelta(days=rng.randrange(0, 200)),
        )  # fmt: skip


# ---- the timings ---------------------------------------------------------------------------


def spread(timings: list[float]) -> str:
    return f"{statistics.median(timings):.2f} / {max(timings):.2f}"


def repeat(call: Callable[[], object], runs: int) -> tuple[list[float], int]:
    """Seconds of ``runs`` calls, and the SQL queries of the first."""
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    timings, queries = [], 0
    for n in range(runs):
        reset_queries()
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            call()
            timings.append(time.perf_counter() - started)
        queries = queries if n else len(captured.captured_queries)
    return timings, queries


def snapshot_runs(scheme, period, keeper, runs: int, *, before=None) -> tuple[list[float], int, str]:
    """take_snapshot of ``period``, each run in a transaction rolled back; with ``before``, that
    period's snapshot is taken first and three units re-enter a figure of it (corrections)."""
    from django.db import transaction

    from apps.assessment.services.snapshots import take_snapshot

    made = []

    def one() -> None:
        snapshot = take_snapshot(scheme=scheme, period=period, by=keeper)
        made.append(
            f"{snapshot.rows.count()} 行，{snapshot.corrections.count()} 项更正，{snapshot.admonitions.count()} 个约谈"
        )

    timings, queries = [], 0
    for _n in range(runs):
        with transaction.atomic():
            if before is not None:
                take_snapshot(scheme=scheme, period=before, by=keeper)
                re_enter(scheme, before.ends_on)
            seconds, count = repeat(one, 1)
            timings += seconds
            queries = queries or count
            transaction.set_rollback(True)
    return timings, queries, made[-1]


def re_enter(scheme, day: date) -> None:
    """Three units re-enter their 重大项目储备 of ``day`` after its snapshot: one more project each."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from apps.assessment.models import ManualValue, Target
    from apps.assessment.services.schemes import enter_manual_value

    for target in Target.objects.filter(item__scheme=scheme, item__metric__code="major_reserve").select_related("unit", "item__metric", "item__scheme")[:3]:  # fmt: skip
        latest = ManualValue.objects.filter(target=target, as_of__lte=day).order_by("-as_of", "-pk").first()
        person = area_admin(target.unit)
        evidence = SimpleUploadedFile("台账（补报）.pdf", EVIDENCE, content_type="application/pdf")
        value = (latest.value if latest else Decimal(0)) + 1
        enter_manual_value(target=target, as_of=day, value=value, evidence=evidence, by=person, note="补报")


def report(scheme, keeper, period, before, runs: int) -> None:
    from apps.assessment import sources
    from apps.assessment.models import Metric
    from apps.assessment.services import scoring
    from apps.assessment.services.snapshots import assessed_units, gather_inputs, read_actuals
    from yingshang.demo.table import format_table

    rows = []
    seconds, queries, made = snapshot_runs(scheme, period, keeper, runs)
    rows.append((f"take_snapshot {period.label}（本期首个快照）", spread(seconds), str(queries), made))
    seconds, queries, made = snapshot_runs(scheme, period, keeper, runs, before=before)
    rows.append((f"take_snapshot {period.label}（已有{before.label}快照）", spread(seconds), str(queries), made))
    inputs = gather_inputs(scheme, period.ends_on)
    seconds, queries = repeat(lambda: gather_inputs(scheme, period.ends_on), runs)
    rows.append(("  gather_inputs", spread(seconds), str(queries), f"{len(inputs['units'])} 个单位 × {len(inputs['items'])} 项"))  # fmt: skip
    items, units = list(scheme.items.select_related("metric").order_by("order")), assessed_units(scheme)
    seconds, queries = repeat(lambda: read_actuals(items, units, before.ends_on), runs)
    rows.append(
        (f"  read_actuals {before.label}（更正用）", spread(seconds), str(queries), "上期数据按现在的源数据重读")
    )
    ytd = sources.year_to_date(period.ends_on)
    for item in items:
        if item.metric.source == Metric.Source.LIVE:
            source = sources.SOURCES[item.metric.source_key]
            seconds, queries = repeat(lambda source=source: source.read(units, ytd), runs)
            rows.append((f"    {source.key}（单独读取）", spread(seconds), str(queries), str(item.metric.name)))
    seconds, queries = repeat(lambda: scoring.score(inputs), runs)
    rows.append(("  scoring.score", spread(seconds), str(queries), "无数据库访问"))
    print(f"\n考核快照（{runs} 次；秒，p50 / max；查询数为一次的）：")
    print(format_table(("操作", "p50 / max 秒", "查询", "结果"), rows))
    print("（六个 investment.* 指标单独读取时各做一次 scan；在 gather_inputs、read_actuals 中共用一次。）")


def bulletin_report(scheme, keeper, period, runs: int) -> None:
    """The month's bulletin made from its snapshot: the facts, the charts and fields, Word, PDF, and the whole
    of ``generate`` (files saved with their hashes), in a transaction rolled back, files in a temporary folder."""
    import io
    import tempfile

    from django.db import transaction
    from django.test import override_settings
    from pypdf import PdfReader

    from apps.assessment.models import Bulletin
    from apps.assessment.services import bulletin_content, bulletins
    from apps.assessment.services.snapshots import take_snapshot
    from apps.core import documents
    from yingshang.demo.table import format_table

    rows = []
    with tempfile.TemporaryDirectory() as media, override_settings(MEDIA_ROOT=media), transaction.atomic():
        snapshot = take_snapshot(scheme=scheme, period=period, by=keeper)
        draft = bulletins.draft(snapshot, today=period.ends_on + timedelta(days=5))
        bulletin = bulletins.request_bulletin(
            snapshot=snapshot, title=draft.title, recipients=draft.recipients, summary=draft.summary,
            issued_on=draft.issued_on, by=keeper,
        )  # fmt: skip
        material = bulletin_content.gather(snapshot)
        wording = bulletins.wording(bulletin)
        context, images = bulletin_content.document_fields(material, wording)
        template, _revision = bulletins.template_for(bulletin.kind)
        docx = documents.render_docx(template, context, images)
        pdf = documents.docx_to_pdf(docx)
        seconds, queries = repeat(lambda: bulletin_content.gather(snapshot), runs)
        rows.append(("  gather（快照数据）", spread(seconds), str(queries), f"{len(material.lines)} 个单位"))
        seconds, queries = repeat(lambda: bulletin_content.document_fields(material, wording), runs)
        charts = len(images["completion_charts"]) + 1
        rows.append(("  document_fields（字段和图表）", spread(seconds), str(queries), f"{charts} 张图"))
        seconds, queries = repeat(lambda: documents.render_docx(template, context, images), runs)
        rows.append(("  render_docx（Word）", spread(seconds), str(queries), f"{len(docx) // 1024} KB"))
        seconds, queries = repeat(lambda: documents.docx_to_pdf(docx), runs)
        pages = len(PdfReader(io.BytesIO(pdf)).pages)
        rows.append(
            ("  docx_to_pdf（常驻 LibreOffice）", spread(seconds), str(queries), f"{pages} 页，{len(pdf) // 1024} KB")
        )
        rows.append(("    进程的第一次（启动常驻 LibreOffice）", spread(first_conversions(docx, runs)), "0", ""))
        rows.append(
            ("    后备：一次性 soffice --convert-to", spread(one_shot_conversions(docx, runs)), "0", "原来的方式")
        )

        def generate() -> None:
            Bulletin.objects.filter(pk=bulletin.pk).update(status=Bulletin.Status.GENERATING)
            bulletin.refresh_from_db()
            bulletins.generate(bulletin)

        seconds, queries = repeat(generate, runs)
        rows.insert(0, (f"generate {bulletin.number}（全过程）", spread(seconds), str(queries), bulletin.get_status_display()))  # fmt: skip
        transaction.set_rollback(True)
    print(f"\n考核通报（{runs} 次；秒，p50 / max；查询数为一次的）：")
    print(format_table(("操作", "p50 / max 秒", "查询", "结果"), rows))


def first_conversions(docx: bytes, runs: int) -> list[float]:
    """Seconds of ``docx_to_pdf`` with no resident office yet (a worker's first bulletin): it starts one."""
    from apps.core import documents, office

    timings = []
    for _n in range(runs):
        office.keeper.stop()
        started = time.perf_counter()
        documents.docx_to_pdf(docx)
        timings.append(time.perf_counter() - started)
    return timings


def one_shot_conversions(docx: bytes, runs: int) -> list[float]:
    """Seconds of ``docx_to_pdf`` where no resident office can be had: one ``soffice --convert-to`` each."""
    from apps.core import documents, office

    resident, office.keeper = office.keeper, office.Keeper(python="")
    try:
        return repeat(lambda: documents.docx_to_pdf(docx), runs)[0]
    finally:
        office.keeper = resident


def build_data(args, rng: random.Random) -> list[tuple[str, str, str]]:
    """The city, the added counties, projects, funds, problems: (step, seconds, rows) of each."""
    from django.db import connection

    from apps.investment.models import Project
    from apps.investment.services.kpi_rollup import rebuild_all
    from apps.landing.models import ProjectProblem
    from yingshang.demo.runner import demo_exists

    steps = []

    def step(label: str, call: Callable[[], object]) -> None:
        started = time.perf_counter()
        rows = call()  # a row count, or the build's own seconds (not shown)
        steps.append((label, f"{time.perf_counter() - started:.1f}", f"{rows:,}" if isinstance(rows, int) else ""))

    def projects() -> int:
        generate_projects(max(0, args.projects - Project.objects.count()), rng)
        return Project.objects.count()

    if not (args.reuse and demo_exists()):
        step(f"生成示范市（规模 {args.scale}）", lambda: build_city(args.seed, args.scale))
    step("新增区县（含投促局、管理员和招商专员）", lambda: add_counties(args.units))
    step("生成项目", projects)
    signed = list(Project.objects.filter(code__startswith="XMB-", signed_on__isnull=False).values_list("pk", flat=True))
    step("生成到位资金月报", lambda: generate_funds(args.funds, signed, rng))
    step("重算到位资金月度汇总", rebuild_all)
    step("生成项目问题", lambda: generate_problems(max(0, args.problems - ProjectProblem.objects.count()), rng))
    if connection.vendor == "postgresql":  # autovacuum would do it in production; plans need the statistics
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return steps


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--units", type=int, default=100, help="assessed units (the demo's 7 areas plus new counties)")
    parser.add_argument("--projects", type=int, default=100_000)
    parser.add_argument("--funds", type=int, default=1_000_000, help="monthly fund records (bench_pipeline.py's)")
    parser.add_argument("--problems", type=int, default=20_000, help="project problems (the on-time answer metric)")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--scale", type=int, default=5, help="demo city scale (enterprises: 3,080 × scale)")
    parser.add_argument("--seed", type=int, default=20261203)
    parser.add_argument("--month", default="2025-10", help="the snapshot's month, YYYY-MM (generated projects sign in 2024–2025)")  # fmt: skip
    parser.add_argument("--reuse", action="store_true", help="keep the city already in DATABASE_URL, top up the data")
    parser.add_argument("--bulletin-only", action="store_true", help="time the bulletin only, not the snapshots")
    args = parser.parse_args()
    setup_django()
    from django.core.management import call_command
    from django.db import connection

    from apps.assessment.services.periods import period_of
    from apps.investment.models import FundRecord, Project
    from apps.landing.models import ProjectProblem
    from yingshang.demo.table import format_table

    call_command("migrate", verbosity=0)
    rng = random.Random(args.seed)
    period = period_of("month", date.fromisoformat(f"{args.month}-01"))
    before = period_of("month", period.starts_on - timedelta(days=1))
    print(f"数据库：{connection.vendor} {connection.settings_dict['NAME']}")
    steps = build_data(args, rng)
    started = time.perf_counter()
    scheme, keeper = build_scheme(period.ends_on.year, args.units, period.ends_on, rng)
    steps.append(
        (f"考核方案（{period.ends_on.year}年：目标、计划、手工填报、扣分）", f"{time.perf_counter() - started:.1f}", "")
    )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    print(format_table(("准备数据", "秒", "行数"), steps))
    print(f"（{Project.objects.count():,} 个项目，{FundRecord.objects.count():,} 条到位资金，{ProjectProblem.objects.count():,} 个项目问题）")  # fmt: skip
    if not args.bulletin_only:
        report(scheme, keeper, period, before, args.runs)
    bulletin_report(scheme, keeper, period, args.runs)


if __name__ == "__main__":
    main()
