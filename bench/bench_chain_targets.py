"""Benchmark of target recommendations (招商目标推荐): a chain of 60 links over a registry of 1,000,000 enterprises.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/yingshang_bench_chains .venv/bin/python bench/bench_chain_targets.py
    … --scale 0.1            # 100,000 enterprises
    … --rebuild              # generate the registry again even if its size matches

Builds once (a second run with the same size reuses the database) a registry with seeded-random realistic names
(a place, two characters, an industry word, a legal form), GB/T 4754 divisions, registered regions all over the
country (5 % in the city, 9901xx), registered capital, a business scope written from its industry's phrases, tags
for 4 % (世界500强, 专精特新 …), last year's revenue for a fifth, contacts for 0.3 % and the name bigram index — all
with PostgreSQL COPY — then a few leads in the pipeline (register_lead, so claims exist) and a chain of 60 links
(12 themes × 5 links over the three segments, each with its industry division and three keywords), none of them
covered, so every link is a gap to recommend for. Then VACUUM ANALYZE and times ``recommend_for_chain(chain,
per_link=20)``: the first call of the process (cold caches) and the median of several warm calls, with its query
count, and one link's ``recommend`` p50/p95. Prints figures; asserts nothing. Target: under 5 s.
"""

import argparse
import random
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_org import setup_django  # noqa: E402

SEED = 20261207
FULL = 1_000_000
LOCAL_SHARE, TAGGED_SHARE, REVENUE_SHARE, CONTACT_SHARE = 0.05, 0.04, 0.2, 0.003
CHUNK = 50_000
REGIONS = Path(__file__).resolve().parents[1] / "apps" / "enterprises" / "data" / "regions.tsv"
#: theme → (division, words that appear in names and business scopes)
THEMES = {
    "动力电池": ("38", ["锂离子电池", "电芯", "正极材料", "负极材料", "电解液", "隔膜", "电池管理系统"]),
    "新能源整车": ("36", ["新能源汽车", "整车", "底盘", "车身", "汽车零部件", "电驱动"]),
    "光伏": ("38", ["光伏", "多晶硅", "硅片", "电池片", "光伏组件", "逆变器", "支架"]),
    "氢能": ("26", ["氢气", "制氢", "储氢", "燃料电池", "加氢站", "电解槽"]),
    "新材料": ("30", ["碳纤维", "石墨烯", "特种玻璃", "陶瓷材料", "复合材料", "高分子材料"]),
    "煤化工": ("25", ["煤制烯烃", "煤制油", "甲醇", "煤焦油", "合成氨", "乙二醇"]),
    "绿色食品": ("14", ["有机食品", "乳制品", "肉制品", "果蔬加工", "粮油加工", "冷链"]),
    "装备制造": ("34", ["数控机床", "工业机器人", "减速器", "液压件", "轴承", "智能装备"]),
    "电子信息": ("39", ["集成电路", "芯片", "传感器", "显示面板", "电子元器件", "通信设备"]),
    "数字经济": ("65", ["软件开发", "大数据", "云计算", "人工智能", "数据中心", "信息系统集成"]),
    "生物医药": ("27", ["原料药", "中成药", "生物制品", "医疗器械", "疫苗", "制剂"]),
    "现代物流": ("59", ["仓储", "冷库", "物流园", "供应链管理", "货物运输", "配送"]),
}
LINK_KINDS = (("upstream", "原材料"), ("upstream", "核心部件"), ("midstream", "制造"), ("midstream", "配套"),
              ("downstream", "应用与服务"))  # fmt: skip
NAME_CHARS = "华瑞恒通鑫盛泰安嘉宏远德信诚达丰润博创聚源天海金星凯明宇航新奥中科晨光兴业"
GENERIC_WORDS = ["科技", "实业", "贸易", "发展", "控股", "工贸", "技术"]
LEGAL_FORMS = ["有限公司", "有限公司", "有限公司", "股份有限公司", "有限责任公司"]
GENERIC_SCOPE = ["技术开发、技术咨询、技术服务", "货物进出口、技术进出口", "企业管理咨询", "机械设备销售",
                 "普通货物仓储服务", "信息咨询服务"]  # fmt: skip


def build_units():
    from apps.org.models import Unit, User
    from apps.org.services import create_unit

    city = Unit.objects.filter(kind=Unit.Kind.CITY).first() or create_unit(
        parent=None, by=None, name="示范市", short_name="示范市", kind="city", code="990100"
    )
    county = Unit.objects.filter(code="990101").first() or create_unit(
        parent=Unit.objects.get(pk=city.pk), by=None, name="东城区", short_name="东城区", kind="county", code="990101"
    )
    person = User.objects.filter(username="bench_chains").first() or User.objects.create_user(
        username="bench_chains", password=None, name="基准招商专员", unit=county
    )
    return city, county, person


def _regions() -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    lines = REGIONS.read_text(encoding="utf-8").splitlines()[1:]
    counties = [tuple(line.split("\t")[:2]) for line in lines if line[4:6] != "00"]
    outside = [(code, name) for code, name in counties if not code.startswith("9901")]
    local = [(f"9901{n:02d}", f"示范市{n}区") for n in range(1, 11)]
    return outside, local


def _enterprise_rows(n: int, rng: random.Random, industries: dict[str, int]):
    """(row for COPY, name core for the gram index) of each generated enterprise."""
    outside, local = _regions()
    divisions = list(industries)
    theme_words = dict(THEMES.values())
    now = "2026-12-01 00:00:00+00"
    for number in range(n):
        code, region = rng.choice(local) if rng.random() < LOCAL_SHARE else rng.choice(outside)
        division = rng.choice(list(theme_words)) if rng.random() < 0.5 else rng.choice(divisions)
        words = theme_words.get(division)
        word = rng.choice(words) if words and rng.random() < 0.6 else rng.choice(GENERIC_WORDS)
        core = "".join(rng.sample(NAME_CHARS, 2)) + word
        place = region.removesuffix("区").removesuffix("县").removesuffix("市")[:3]
        name = f"{place}{core}{rng.choice(LEGAL_FORMS)}"
        phrases = [f"{w}的研发、生产和销售" for w in rng.sample(words, rng.randint(1, 3))] if words else []
        scope = "；".join(phrases + rng.sample(GENERIC_SCOPE, 2))
        capital = round(rng.lognormvariate(6.5, 1.8), 2)
        founded = date(2026, 1, 1) - timedelta(days=rng.randint(100, 30 * 365))
        row = (
            name, f"91{number:015d}X"[:18], "", code, region, "", min(capital, 9e11), founded, scope,
            industries[division] if rng.random() > 0.03 else None, "independent", "active", name, core, now, now,
        )  # fmt: skip
        yield row, place + core


ENTERPRISE_COLUMNS = (
    "name, uscc, legal_form, region_code, region_name, address, registered_capital, founded_on, business_scope, "
    "industry_id, group_role, status, name_clean, name_core, created_at, updated_at"
)


def build_registry(n: int, city) -> None:
    """The registry and its tags, figures, contacts and name index, with COPY."""
    from django.db import connection

    from apps.enterprises.matching.grams import bigrams
    from apps.enterprises.models import Industry, Tag

    rng = random.Random(SEED)
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE enterprises_enterprise RESTART IDENTITY CASCADE")
    industries = dict(Industry.objects.filter(level=Industry.Level.DIVISION).values_list("code", "pk"))
    tags = list(Tag.objects.values_list("pk", flat=True))
    started = time.perf_counter()
    grams: list[tuple[str, int]] = []
    with connection.cursor() as cursor:
        with cursor.copy(f"COPY enterprises_enterprise ({ENTERPRISE_COLUMNS}) FROM STDIN") as copy:
            for number, (row, core) in enumerate(_enterprise_rows(n, rng, industries), 1):
                copy.write_row(row)
                grams.extend((gram, number) for gram in bigrams(core))
        print(f"  企业 {n:,} 家 {time.perf_counter() - started:.0f} 秒", flush=True)
        started = time.perf_counter()
        with cursor.copy("COPY enterprises_namegram (gram, enterprise_id) FROM STDIN") as copy:
            for row in grams:
                copy.write_row(row)
        print(f"  名称索引 {len(grams):,} 条 {time.perf_counter() - started:.0f} 秒", flush=True)
        del grams
        started = time.perf_counter()
        with cursor.copy("COPY enterprises_enterprise_tags (enterprise_id, tag_id) FROM STDIN") as copy:
            for pk in range(1, n + 1):
                if rng.random() < TAGGED_SHARE:
                    for tag in rng.sample(tags, rng.choice([1, 1, 2])):
                        copy.write_row((pk, tag))
        with cursor.copy(
            "COPY enterprises_annualfigures (enterprise_id, year, scale, revenue, source, updated_at) FROM STDIN"
        ) as copy:
            for pk in range(1, n + 1):
                if rng.random() < REVENUE_SHARE:
                    copy.write_row((pk, 2025, "", round(rng.lognormvariate(8, 2), 2), "基准", "2026-12-01"))
        with cursor.copy(
            "COPY enterprises_contact (enterprise_id, unit_id, name, title, phone, email, note) FROM STDIN"
        ) as copy:
            for pk in range(1, n + 1):
                if rng.random() < CONTACT_SHARE:
                    copy.write_row((pk, city.pk, "联系人", "", "", "", ""))
        print(f"  标签、年度数据、联系人 {time.perf_counter() - started:.0f} 秒", flush=True)


def build_leads(county, person) -> int:
    """A hundred leads on outside enterprises of the themes' industries (claims included)."""
    from apps.enterprises.models import Enterprise
    from apps.investment.models import Project
    from apps.investment.services.projects import register_lead

    Project.objects.all().delete()
    divisions = {division for division, _words in THEMES.values()}
    chosen = Enterprise.objects.filter(industry__code__in=divisions).exclude(region_code__startswith="9901")
    for enterprise in chosen.order_by("pk")[:100]:
        register_lead(enterprise=enterprise, unit=county, by=person, name=f"{enterprise.name}项目", channel="business")
    return 100


def build_chain():
    from apps.chains.models import Chain, Link

    Chain.objects.filter(name="基准产业链").delete()
    chain = Chain.objects.create(name="基准产业链", weak_below=3)
    order = 0
    for theme, (division, words) in THEMES.items():
        for index, (segment, kind) in enumerate(LINK_KINDS):
            order += 1
            keywords = [words[(index + shift) % len(words)] for shift in range(3)]
            Link.objects.create(
                chain=chain, segment=segment, name=f"{theme}{kind}", industry_codes=[division], keywords=keywords,
                order=order,
            )  # fmt: skip
    return chain


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", type=float, default=1.0, help="share of 1,000,000 enterprises")
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    setup_django()
    from django.core.management import call_command
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    from apps.chains.models import Chain
    from apps.chains.services.targets import recommend, recommend_for_chain
    from apps.enterprises.models import Enterprise

    if connection.vendor != "postgresql":
        sys.exit("这项基准测试需要 PostgreSQL：请设置 DATABASE_URL=postgres://…")
    call_command("migrate", verbosity=0)
    n = round(FULL * args.scale)
    city, county, person = build_units()
    if args.rebuild or Enterprise.objects.count() != n:
        started = time.perf_counter()
        build_registry(n, city)
        build_leads(county, person)
        build_chain()
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
        print(f"准备数据 {time.perf_counter() - started:.0f} 秒", flush=True)
    chain = Chain.objects.get(name="基准产业链")
    print(
        f"数据库 {connection.settings_dict['NAME']}：企业 {Enterprise.objects.count():,} 家，环节 {chain.links.count()} 个"
    )

    started = time.perf_counter()
    result = recommend_for_chain(chain, per_link=20, unit=county)
    cold = time.perf_counter() - started
    reset_queries()
    with CaptureQueriesContext(connection) as queries:
        recommend_for_chain(chain, per_link=20, unit=county)
    warm = []
    for _ in range(args.runs):
        started = time.perf_counter()
        recommend_for_chain(chain, per_link=20, unit=county)
        warm.append(time.perf_counter() - started)
    targets = sum(len(row.targets) for row in result)
    print(f"recommend_for_chain（{len(result)} 个缺口环节，每环节 20 家）：首次 {cold:.2f} 秒，"
          f"之后 p50 {statistics.median(warm):.2f} 秒（{args.runs} 次，最慢 {max(warm):.2f} 秒），"
          f"{len(queries.captured_queries)} 次查询，推荐 {targets} 家")  # fmt: skip
    links = list(chain.links.all())
    single = []
    for link in links:
        started = time.perf_counter()
        recommend(link, limit=50, unit=county)
        single.append(time.perf_counter() - started)
    single.sort()
    print(f"单环节 recommend（limit 50）：p50 {statistics.median(single) * 1000:.0f} 毫秒，"
          f"p95 {single[round(0.95 * (len(single) - 1))] * 1000:.0f} 毫秒")  # fmt: skip
    best = result[0].targets[0]
    print(f"示例：{result[0].coverage.link.name} 第一名 {best.enterprise.name} {best.score} 分："
          + "；".join(f"{part.label}{part.points}" for part in best.parts))  # fmt: skip


if __name__ == "__main__":
    main()
