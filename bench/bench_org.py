"""Benchmark of the org app on a generated city: build time, scoped people list, unit subtree.

    .venv/bin/python bench/bench_org.py --scale 20 [--runs 7] [--seed 20261122]

Uses DATABASE_URL when it is set (the demo city there is deleted and rebuilt), otherwise a fresh
SQLite file /tmp/yingshang-bench.sqlite3. Prints figures; asserts nothing. See bench/README.md.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE = Path(tempfile.gettempdir()) / "yingshang-bench.sqlite3"


def setup_django() -> None:
    """Project settings in debug mode on the benchmark database; a fresh file when none is given."""
    sys.path.insert(0, str(ROOT))
    os.environ["DJANGO_SETTINGS_MODULE"] = "yingshang.settings"
    os.environ["DEBUG"] = "1"
    # the demo writes its projects' evidence files; keep them out of the working tree's var/media
    os.environ.setdefault("MEDIA_ROOT", str(Path(tempfile.gettempdir()) / "yingshang-bench-media"))
    if not os.environ.get("DATABASE_URL"):
        DEFAULT_DATABASE.unlink(missing_ok=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{DEFAULT_DATABASE}"
    import django

    django.setup()


def measure(call: Callable[[], object], runs: int) -> tuple[float, int, object]:
    """Median milliseconds over ``runs`` calls after one warm-up, the queries of one call, its result."""
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    reset_queries()  # the build's queries may have filled DEBUG's log (9,000), which would make the count 0
    with CaptureQueriesContext(connection) as queries:
        result = call()
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        call()
        timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings), len(queries.captured_queries), result


def people_page(user, *, q: str = "", unit=None, role=None, status: str = "") -> str:
    """What the people page does: scoped people with its filters, first page of 20 read as the template does."""
    from django.core.paginator import Paginator
    from django.db.models import Prefetch

    from apps.org.models import Role
    from apps.org.permissions import visible_people

    people = visible_people(user).prefetch_related(Prefetch("roles", queryset=Role.objects.order_by("id"))).search(q)
    if unit is not None:
        people = people.filter(unit__path__startswith=unit.path)
    if role is not None:
        people = people.filter(roles=role)
    if status:
        people = people.filter(is_active=status == "active")
    page = Paginator(people, 20).get_page(1)
    shown = [(p.name, p.unit.name if p.unit else "", [r.name for r in p.roles.all()]) for p in page.object_list]
    return f"{len(shown)}/{page.paginator.count}"


def unit_subtree(user) -> str:
    """Every unit in the user's scope, in tree order (the unit page before pagination, the pickers)."""
    from apps.org.permissions import visible_units

    return str(len(list(visible_units(user))))


def build(seed: int, scale: int) -> list[tuple[str, str]]:
    from django.db import connection

    from yingshang.demo import runner

    if runner.foreign_root() is not None:
        sys.exit(f"数据库中已有非示范市的根单位「{runner.foreign_root()}」，基准测试不会改动它。")
    started = time.perf_counter()
    runner.clear_demo()
    cleared = time.perf_counter()
    built = runner.build_demo(seed=seed, scale=scale)
    finished = time.perf_counter()
    if connection.vendor == "postgresql":  # autovacuum would do it in production; plans need the statistics
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return [
        ("清除旧数据", f"{cleared - started:.2f} 秒"),
        ("生成示范市", f"{finished - cleared:.2f} 秒"),
        ("单位", f"{built.units} 个"),
        ("人员", f"{built.people} 人"),
    ]


def scenarios():
    """(label, call) pairs for a county user (东城区 administrator) and a city user (市领导)."""
    from apps.org.models import Role, Unit, User

    county_user = User.objects.select_related("unit").get(username="dongcheng")
    city_user = User.objects.select_related("unit").get(username="leader")
    handler = Role.objects.get(code="department_handler")
    town = Unit.objects.filter(path__startswith=county_user.unit.path, kind=Unit.Kind.TOWN).first()
    for label, user, unit in (
        ("区县用户（东城区）", county_user, town),
        ("市级用户（市领导）", city_user, county_user.unit),
    ):
        yield f"{label} 人员列表：无筛选", lambda user=user: people_page(user)
        yield (
            f"{label} 人员列表：含“科”+部门经办人+启用",
            lambda user=user: people_page(user, q="科", role=handler, status="active"),
        )
        yield f"{label} 人员列表：单位 {unit.name}（含下级）", lambda user=user, unit=unit: people_page(user, unit=unit)
        yield f"{label} 单位子树", lambda user=user: unit_subtree(user)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=20)
    parser.add_argument("--seed", type=int, default=20261122)
    parser.add_argument("--runs", type=int, default=7, help="timed runs per query (the median is printed)")
    args = parser.parse_args()
    setup_django()

    from django.core.management import call_command
    from django.db import connection

    from yingshang.demo.table import format_table

    call_command("migrate", verbosity=0)
    print(f"数据库：{connection.vendor} {connection.settings_dict['NAME']}；规模 {args.scale}，种子 {args.seed}")
    print(format_table(("项目", "数值"), build(args.seed, args.scale)))
    rows = []
    for label, call in scenarios():
        median, queries, result = measure(call, args.runs)
        rows.append((label, f"{median:.1f}", str(queries), str(result)))
    print(f"\n查询耗时（{args.runs} 次的中位数，预热 1 次）：")
    print(format_table(("场景", "毫秒", "查询数", "本页/总数"), rows))


if __name__ == "__main__":
    main()
