"""Benchmark of policy matching (惠企政策匹配): 200,000 enterprises against about 50 in-force items, on PostgreSQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/yingshang_bench_policies .venv/bin/python bench/bench_policies.py
    … --enterprises 50000 --rebuild

Builds (once; a second run with the same ``--enterprises`` reuses the data unless ``--rebuild``) a registry of
enterprises with seeded-random industries (GB/T 4754 divisions), counties, registered capital and founding dates,
tags for a sixth of them (高新技术企业, 专精特新 …), two years of annual figures for four fifths (revenue, tax, R&D,
employees, scale), investment projects with fund records for 2 % and credit-list entries (1 % black, 2 % red),
all with bulk inserts; then a "1+N" set of policies with 50 in-force items whose rules read like real ones
(manufacturing above a revenue, 专精特新 with R&D, young tech firms, investment above a size, not black-listed …).
Then VACUUM ANALYZE and times:

- the batch's parts: reading every enterprise's facts (facts_for_many in chunks) into the pyarrow table, loading it
  into DuckDB, matching every item;
- the whole batch, ``run_matching`` (facts, DuckDB, matching, writing PolicyMatch): the first run (every match new,
  inserted) and a second run (every match seen again: touched in bulk) — target under 30 s;
- one enterprise's ``eligible_items`` p50/p95 over 100 enterprises — target under 100 ms.

Prints figures; asserts nothing. See bench/README.md and docs/performance.md.
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

SEED = 20261206
PREFIX = "基准政策企业"
COUNTIES = [f"9901{n:02d}" for n in range(1, 11)]
CHUNK = 5000


def build_units():
    from apps.org.models import Unit, User
    from apps.org.services import create_unit

    def unit(parent, name, kind, code):
        found = Unit.objects.filter(code=code).first()
        if found is None:
            parent = Unit.objects.get(pk=parent.pk) if parent else None
            found = create_unit(parent=parent, by=None, name=name, short_name=name, kind=kind, code=code)
        return found

    city = Unit.objects.filter(depth=1).first() or unit(None, "示范市", "city", "990100")
    office = unit(city, "基准市发展和改革委员会", "department", "990100P01")
    industry = unit(city, "基准市工业和信息化局", "department", "990100P02")
    science = unit(city, "基准市科学技术局", "department", "990100P03")
    person = User.objects.filter(username="bench_policy").first() or User.objects.create_user(
        username="bench_policy", password=None, name="基准政策管理员", unit=office
    )
    return {"office": office, "industry": industry, "science": science, "person": person}


def build_registry(n: int, units: dict, as_of: date) -> None:
    """The enterprises and their tags, figures, projects and credit entries (bulk inserts)."""
    from django.db import connection

    from apps.enterprises.models import AnnualFigures, Enterprise, Industry, Tag
    from apps.investment.models import FundRecord, Project
    from apps.supervision.models import CreditEntry

    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE enterprises_enterprise RESTART IDENTITY CASCADE")
    rng = random.Random(SEED)
    classes = list(Industry.objects.filter(code__regex=r"^\d{2}$").values_list("pk", "code"))
    manufacturing = [pair for pair in classes if "13" <= pair[1][:2] <= "43"]
    tags = list(Tag.objects.values_list("pk", flat=True))
    started = time.perf_counter()
    enterprises = []
    for number in range(n):
        industry = rng.choice(manufacturing if rng.random() < 0.4 else classes)
        enterprises.append(Enterprise(
            name=f"{PREFIX}{number:06d}号有限公司", uscc=f"91990100BP{number:07d}X", region_code=rng.choice(COUNTIES),
            industry_id=None if rng.random() < 0.05 else industry[0],
            registered_capital=None if rng.random() < 0.03 else Decimal(rng.choice([10, 50, 100, 500, 1000, 3000,
                                                                                   5000, 20000])),
            founded_on=as_of - timedelta(days=rng.randint(100, 30 * 365)),
        ))  # fmt: skip
    Enterprise.objects.bulk_create(enterprises, batch_size=CHUNK)
    ids = list(Enterprise.objects.order_by("pk").values_list("pk", flat=True))
    print(f"  企业 {len(ids):,} 家，{time.perf_counter() - started:.0f} 秒", flush=True)

    started = time.perf_counter()
    through = Enterprise.tags.through
    links = [
        through(enterprise_id=pk, tag_id=tag)
        for pk in ids
        if rng.random() < 0.17
        for tag in rng.sample(tags, rng.choice([1, 1, 2]))
    ]
    through.objects.bulk_create(links, batch_size=CHUNK, ignore_conflicts=True)
    figures = []
    for pk in ids:
        if rng.random() < 0.2:
            continue
        revenue = Decimal(round(rng.lognormvariate(7, 1.6), 2))
        employees = max(1, int(rng.lognormvariate(3.5, 1.2)))
        scale = (
            "large" if employees >= 1000 else "medium" if employees >= 300 else "small" if employees >= 20 else "micro"
        )
        for year, factor in ((as_of.year - 1, Decimal(1)), (as_of.year - 2, Decimal("0.9"))):
            figures.append(AnnualFigures(
                enterprise_id=pk, year=year, revenue=(revenue * factor).quantize(Decimal("0.01")),
                tax=(revenue * Decimal("0.06") * factor).quantize(Decimal("0.01")),
                rd_expense=(revenue * Decimal(rng.choice([0, 0, 0.01, 0.03, 0.06]))).quantize(Decimal("0.01")),
                employees=employees, scale=scale if rng.random() < 0.9 else "",
            ))  # fmt: skip
    AnnualFigures.objects.bulk_create(figures, batch_size=CHUNK)
    investors = rng.sample(ids, len(ids) // 50)
    projects = [
        Project(code=f"BP{number:08d}", name=f"基准项目{number}", unit=units["industry"], enterprise_id=pk,
                channel="professional", contracted_investment=Decimal(rng.choice([2000, 5000, 10000, 50000, 100000])),
                created_by=units["person"])
        for number, pk in enumerate(investors)
    ]  # fmt: skip
    Project.objects.bulk_create(projects, batch_size=CHUNK)
    funds = [
        FundRecord(project_id=pk, month=date(as_of.year - 1, month, 1), amount=Decimal(rng.choice([500, 1000, 3000])),
                   entered_by=units["person"])
        for pk in Project.objects.values_list("pk", flat=True)
        if rng.random() < 0.6
        for month in (3, 9)
    ]  # fmt: skip
    FundRecord.objects.bulk_create(funds, batch_size=CHUNK)
    listed = rng.sample(ids, len(ids) * 3 // 100)
    entries = [
        CreditEntry(enterprise_id=pk, kind="black" if number % 3 == 0 else "red", source="credit_china",
                    reason="基准数据", legal_basis="基准", document_number=f"基准信〔2026〕{number}号",
                    decided_on=as_of - timedelta(days=200), effective_from=as_of - timedelta(days=200),
                    recording_unit=units["office"], recorded_by=units["person"])
        for number, pk in enumerate(listed)
    ]  # fmt: skip
    CreditEntry.objects.bulk_create(entries, batch_size=CHUNK)
    print(f"  标签 {len(links):,}、年度数据 {len(figures):,}、项目 {len(projects):,}、到位资金 {len(funds):,}、"
          f"信用记录 {len(entries):,} 条，{time.perf_counter() - started:.0f} 秒", flush=True)  # fmt: skip


def _c(field: str, op: str, value) -> dict:
    return {"field": field, "op": op, "value": value}


def item_rules(tag_names: list[str]) -> list[tuple[str, dict, bool]]:
    """About 50 rules in the manner of real items: (title, rule, 免申即享)."""
    tag = dict(enumerate(tag_names))
    not_black = _c("black_listed", "is", False)
    found = []
    for threshold in ("1000", "2000", "3000", "5000", "10000", "20000", "50000"):
        found.append((f"规上工业企业营收达{threshold}万元奖励", {"all": [
            _c("industry", "in", ["C"]), _c("revenue", "gte", threshold), not_black]}, threshold == "20000"))  # fmt: skip
    for share in ("50", "100", "300", "500", "1000"):
        found.append((f"研发投入{share}万元以上后补助", {"all": [
            _c("rd_expense", "gte", share), _c("tags", "has_any", [tag[0], tag[1]]), not_black]}, False))  # fmt: skip
    for years in ("3", "5"):
        found.append((f"成立{years}年内科技型企业房租补贴", {"all": [
            _c("founded_years", "lte", years), _c("tags", "has_any", [tag[0], tag[2 % len(tag)]]),
            _c("scale", "in", ["small", "micro"]), not_black]}, False))  # fmt: skip
    for county in COUNTIES:
        found.append((f"{county}区域总部落户奖励", {"all": [
            _c("region", "in", [county]), _c("registered_capital", "gte", "5000"), not_black]}, False))  # fmt: skip
        found.append((f"{county}小微企业稳岗补贴", {"all": [
            _c("region", "in", [county]), _c("scale", "in", ["micro", "small"]), _c("employees", "between", ["10", "99"]),
            not_black]}, county in COUNTIES[:2]))  # fmt: skip
    for division, codes in (("信息技术", ["I"]), ("科研服务", ["M"]), ("批发零售", ["F"]), ("农业", ["A"]),
                            ("新材料", ["26", "30", "32"]), ("装备制造", ["34", "35", "38", "39"])):  # fmt: skip
        found.append((f"{division}产业发展专项资金", {"all": [
            _c("industry", "in", codes), {"any": [_c("revenue", "gte", "1000"), _c("tax", "gte", "50")]},
            not_black]}, False))  # fmt: skip
    for amount in ("5000", "10000", "20000", "50000", "100000"):
        found.append((f"招商引资项目协议投资{amount}万元以上奖励", {"all": [
            _c("contracted_investment", "gte", amount), _c("funds_in_place", "gte", "1000"), not_black]}, False))  # fmt: skip
    found.append(("守信激励：红名单企业贷款贴息", {"all": [_c("red_listed", "is", True), not_black]}, True))
    found.append(("专精特新企业一次性奖励", {"all": [_c("tags", "has_all", [tag[1]]), not_black]}, True))
    found.append(("老字号企业传承发展", {"all": [_c("founded_on", "lte", "2000-12-31"),
                                                 _c("industry", "not_in", ["B", "D"]), not_black]}, False))  # fmt: skip
    found.append(("中型企业升规奖励", {"all": [_c("scale", "in", ["medium"]), _c("revenue", "between", ["2000", "20000"]),
                                               not_black]}, False))  # fmt: skip
    found.append(("非高新企业首次认定奖励", {"all": [_c("tags", "has_none", [tag[0]]), _c("rd_expense", "gte", "100"),
                                                     not_black]}, False))  # fmt: skip
    return found


def build_policies(units: dict, as_of: date) -> int:
    from django.utils import timezone

    from apps.enterprises.models import Tag
    from apps.policies import rules
    from apps.policies.models import Policy, PolicyItem

    PolicyItem.objects.all().delete()
    Policy.objects.filter(kind="measure").delete()
    Policy.objects.all().delete()
    main = Policy.objects.create(
        title="基准市促进经济高质量发展的若干政策", document_number="基准政发〔2026〕1号", issuing_unit=units["office"],
        issued_on=as_of - timedelta(days=100), effective_from=as_of - timedelta(days=90), published_at=timezone.now(),
    )  # fmt: skip
    tag_names = list(Tag.objects.order_by("pk").values_list("name", flat=True))
    items = item_rules(tag_names)
    measures = [
        Policy.objects.create(
            title=f"基准市{name}实施细则",
            document_number=f"基准政办〔2026〕{n + 2}号",
            kind="measure",
            parent=main,
            issuing_unit=units["office"],
            issued_on=as_of - timedelta(days=80),
            effective_from=as_of - timedelta(days=80),
            published_at=timezone.now(),
        )  # fmt: skip
        for n, name in enumerate(("工业", "科技", "区域", "产业", "招商"))
    ]
    PolicyItem.objects.bulk_create([
        PolicyItem(policy=measures[n % len(measures)], number=f"第{n + 1}条", title=title, benefit_kind="subsidy",
                   benefit="按规定给予补助。", beneficiaries="本市企业", conditions=title, rule=rules.parse(rule),
                   auto_grant=auto, department=units["science" if n % 2 else "industry"], position=n)
        for n, (title, rule, auto) in enumerate(items)
    ])  # fmt: skip
    return len(items)


def vacuum() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main() -> None:  # noqa: PLR0915 (one script, read top to bottom)
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--enterprises", type=int, default=200_000)
    parser.add_argument("--rebuild", action="store_true", help="insert the registry again even if its size matches")
    args = parser.parse_args()
    setup_django()
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from apps.enterprises.models import Enterprise
    from apps.policies import batch
    from apps.policies.models import MatchRun, PolicyMatch
    from apps.policies.services import matching
    from apps.policies.services.eligibility import eligible_items, items_in_force
    from apps.policies.services.matching import run_matching
    from yingshang.demo.table import format_table

    if connection.vendor != "postgresql":
        sys.exit("这项基准测试需要 PostgreSQL：请设置 DATABASE_URL=postgres://…")
    call_command("migrate", verbosity=0)
    print(f"数据库：{connection.vendor} {connection.settings_dict['NAME']}")
    as_of = timezone.localdate()
    units = build_units()
    if args.rebuild or Enterprise.objects.filter(name__startswith=PREFIX).count() != args.enterprises:
        started = time.perf_counter()
        build_registry(args.enterprises, units, as_of)
        print(f"准备数据 {time.perf_counter() - started:.0f} 秒", flush=True)
    with connection.cursor() as cursor:  # the 免申即享 cases of earlier runs
        cursor.execute("TRUNCATE policies_fulfilmentevent, policies_fulfilmentmaterial, policies_fulfilment")
    PolicyMatch.objects.all().delete()
    MatchRun.objects.all().delete()
    count = build_policies(units, as_of)
    vacuum()
    items = list(items_in_force(as_of).exclude(rule={}))
    print(f"企业 {Enterprise.objects.active().count():,} 家，有效条款 {len(items)} 条（共 {count} 条）", flush=True)

    rows = []
    started = time.perf_counter()
    table = batch.registry_table(as_of)
    read = time.perf_counter() - started
    rows.append(("读取企业数据（registry_rows，每表一次查询）→ pyarrow 表", f"{read:.1f}", f"{table.num_rows:,} 行"))
    started = time.perf_counter()
    matcher = batch.Matcher(table)
    rows.append(("载入 DuckDB（内存）", f"{time.perf_counter() - started:.2f}", f"{table.nbytes / 1e6:.0f} MB"))
    started = time.perf_counter()
    sizes = [len(matcher.matching(item.rule)) for item in items]
    rows.append(("逐条匹配全部条款（DuckDB）", f"{time.perf_counter() - started:.2f}",
                 f"{sum(sizes):,} 对；每条 {min(sizes):,}—{max(sizes):,}"))  # fmt: skip
    matcher.close()
    spent: dict[str, float] = {}

    def timed(name, call):
        def wrapper(*args, **kwargs):
            started = time.perf_counter()
            try:
                return call(*args, **kwargs)
            finally:
                spent[name] = spent.get(name, 0.0) + time.perf_counter() - started

        return wrapper

    matching._write_copy = timed("写入", matching._write_copy)
    matching._notify = timed("通知", matching._notify)
    batch.facts_table = timed("读取", batch.facts_table)
    for label in ("整批 run_matching：首次（全部为新匹配，插入）", "整批 run_matching：再次（全部已有，批量更新）"):
        started = time.perf_counter()
        run = run_matching(MatchRun.objects.create())
        seconds = time.perf_counter() - started
        rows.append(
            (label, f"{seconds:.1f}", f"匹配 {run.matches:,}，新增 {run.new_matches:,}，免申即享 {run.auto_cases:,}")
        )
        print(*rows[-1], flush=True)
        rows.append(("　其中", "", "，".join(f"{name} {value:.1f} 秒" for name, value in spent.items())))
        print(*rows[-1], flush=True)
        spent.clear()

    sample = random.Random(SEED).sample(list(Enterprise.objects.values_list("pk", flat=True)), 100)
    enterprises = Enterprise.objects.in_bulk(sample)
    eligible_items(enterprises[sample[0]])  # warm up
    timings, found = [], []
    for pk in sample:
        started = time.perf_counter()
        found.append(len(eligible_items(enterprises[pk])))
        timings.append((time.perf_counter() - started) * 1000)
    rows.append(("单个企业 eligible_items（100 家）p50 / p95 毫秒",
                 f"{statistics.median(timings):.0f} / {percentile(timings, 0.95):.0f}",
                 f"平均可享受 {statistics.mean(found):.1f} 条"))  # fmt: skip
    print(format_table(("场景", "秒", "结果"), rows))


if __name__ == "__main__":
    main()
