"""Benchmark of the appeals at a province's volume: 5,000,000 tickets over two years on PostgreSQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/yingshang_bench_appeals .venv/bin/python bench/bench_appeals.py
    … --tickets 1000000 --runs 20

Builds (once; a second run with the same ``--tickets`` reuses the data) a city with a hotline centre, 40 city
departments and 10 counties with two departments each, then inserts the tickets with one INSERT … SELECT over
generate_series: two years of intake at an even rate, every channel, type and category, the older ones resolved
(a few refused) with follow-ups, the last weeks' at every stage with due dates a day (sign-for), two days
(contact) and 3/15 days (reply) after dispatch, so some are amber and some overdue; one lead assignment each
(a tenth with a co-unit, 2 % returned once by another unit first) and two events each. Then ANALYZE, and times:

- 工单列表 for a department's handler and for the hotline agent (city-wide): first page, with filters, amber/red;
- 考核统计 for last month, counted live, then the snapshot and the page read from it; 热点分析 over 12 months;
- the escalation scan (催办/督办/提级) over the running tickets, then again (idempotent: it writes nothing).

Prints p50 / p95 milliseconds and SQL queries; asserts nothing. See bench/README.md and docs/performance.md.
"""

import argparse
import statistics as stats
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_org import setup_django  # noqa: E402
from bench_pipeline import page_timer  # noqa: E402

CITY, HOTLINE = "880100", "880100D00"
DAYS = 730


def build_units():
    """The city, its hotline centre with an agent, 40 departments and 10 counties with 2 departments each."""
    from apps.org import roles
    from apps.org.models import Role, Unit, User
    from apps.org.services import create_unit

    def unit(parent, name, kind, code):
        found = Unit.objects.filter(code=code).first()
        if found is None:
            parent = Unit.objects.get(pk=parent.pk) if parent else None
            found = create_unit(parent=parent, by=None, name=name, short_name=name, kind=kind, code=code)
        return found

    city = unit(None, "基准市", "city", CITY)
    counties = [unit(city, f"基准{n + 1:02d}区", "county", f"88{n + 101:04d}") for n in range(10)]
    hotline = unit(city, "基准市12345热线中心", "department", HOTLINE)
    departments = [unit(city, f"基准市第{n + 1:02d}局", "department", f"880100D{n + 1:02d}") for n in range(40)]
    for county in counties:
        departments += [
            unit(county, f"{county.name}第{k + 1}局", "department", f"{county.code}D{k + 1:02d}") for k in range(2)
        ]
    people = {}
    for username, where, role in (("bench_agent", hotline, roles.HOTLINE_AGENT),
                                  ("bench_handler", departments[0], roles.DEPARTMENT_HANDLER)):  # fmt: skip
        person = User.objects.filter(username=username).first()
        if person is None:
            person = User.objects.create_user(
                username, "Bench-Pass-2026!", name=username, unit=where, must_change_password=False
            )
            person.roles.add(Role.objects.get(code=role))
        people[username] = person
    return hotline, counties, departments, people


TICKETS_SQL = """
WITH params AS (
    SELECT %(now)s::timestamptz AS now, %(n)s::bigint AS n, %(categories)s::bigint[] AS categories,
           %(policies)s::bigint[] AS policies, %(counties)s::bigint[] AS counties, %(hotline)s::bigint AS hotline
), raw AS (
    SELECT g AS i, p.*, p.now - (p.n - g) * (make_interval(days => %(days)s) / p.n) AS created,
           (g * 2654435761) %% 1000 AS h
    FROM params p, generate_series(1, (SELECT n FROM params)) AS g
), staged AS (
    SELECT raw.*, (now - created) AS age,
           CASE WHEN h < 200 THEN 'consultation' WHEN h < 450 THEN 'help' WHEN h < 800 THEN 'complaint'
                WHEN h < 880 THEN 'report' ELSE 'suggestion' END AS kind,
           CASE WHEN now - created < interval '1 day' THEN (CASE WHEN h %% 2 = 0 THEN 'awaiting_sign_for' ELSE 'handling' END)
                WHEN now - created < interval '20 days' THEN
                    (CASE WHEN h < 600 THEN 'handling' WHEN h < 700 THEN 'awaiting_follow_up' ELSE 'resolved' END)
                WHEN h %% 50 = 7 THEN 'refused' ELSE 'resolved' END AS state
    FROM raw
)
INSERT INTO appeals_appeal (
    number, query_code, channel, appeal_type, category_id, urgency, title, content, citizen_name, phone, id_number,
    confidential, triage, triage_note, state, unit_id, area_id, policy_id, dispatched_at, sign_for_due, contact_due,
    reply_due, warn_at, redo_count, solved, satisfaction, created_at, closed_at
)
SELECT 'SQ' || lpad(i::text, 10, '0'), 'ABC234',
       (ARRAY['hotline','hotline','hotline','hotline','hotline','hotline','hotline','online','window','enterprise_officer'])[1 + h %% 10],
       kind, categories[1 + (i * 7919) %% array_length(categories, 1)], CASE WHEN h %% 97 = 0 THEN 'urgent' ELSE 'normal' END,
       '诉求 ' || i, '基准诉求内容 ' || i, '市民' || (i %% 977), '138' || lpad((i %% 100000000)::text, 8, '0'), '',
       h %% 211 = 0, CASE WHEN state = 'refused' THEN 'legal_route' ELSE 'handle' END, '', state, hotline,
       counties[1 + (i * 31) %% array_length(counties, 1)], policies[1], created + interval '10 minutes',
       created + interval '1 day', created + interval '2 days',
       created + CASE WHEN kind = 'consultation' THEN interval '3 days' ELSE interval '15 days' END,
       created + CASE WHEN kind = 'consultation' THEN interval '2.4 days' ELSE interval '12 days' END,
       CASE WHEN h %% 40 = 3 THEN 1 ELSE 0 END,
       CASE WHEN state = 'resolved' THEN (CASE WHEN h %% 9 = 0 THEN 'partly' WHEN h %% 17 = 0 THEN 'unsolved' ELSE 'solved' END) ELSE '' END,
       CASE WHEN state = 'resolved' THEN 5 - (h %% 100) / 40 - (h %% 37 = 0)::int ELSE NULL END,
       created, CASE WHEN state IN ('resolved', 'refused') THEN created + interval '9 days' ELSE NULL END
FROM staged
"""

ASSIGNMENTS_SQL = """
INSERT INTO appeals_assignment (appeal_id, unit_id, role, state, created_at, signed_at, contacted_at, replied_at,
                                reply, legal_basis, approved_by)
SELECT a.id, (%(departments)s::bigint[])[1 + (a.id * 13) %% %(d)s], 'lead',
       CASE a.state WHEN 'awaiting_sign_for' THEN 'awaiting_sign_for' WHEN 'handling' THEN 'handling' ELSE 'replied' END,
       a.dispatched_at,
       CASE WHEN a.state = 'awaiting_sign_for' THEN NULL
            ELSE a.dispatched_at + CASE WHEN a.id %% 11 = 0 THEN interval '30 hours' ELSE interval '2 hours' END END,
       CASE WHEN a.state = 'awaiting_sign_for' OR (a.state = 'handling' AND a.id %% 3 = 0) THEN NULL
            ELSE a.dispatched_at + interval '5 hours' END,
       CASE WHEN a.state IN ('awaiting_follow_up', 'resolved')
            THEN a.dispatched_at + CASE WHEN a.id %% 13 = 0 THEN interval '16 days' ELSE interval '6 days' END END,
       CASE WHEN a.state IN ('awaiting_follow_up', 'resolved') THEN '已答复' ELSE '' END, '', ''
FROM appeals_appeal a WHERE a.state <> 'refused'
UNION ALL
SELECT a.id, (%(departments)s::bigint[])[1 + (a.id * 17 + 5) %% %(d)s], 'co',
       CASE WHEN a.state IN ('awaiting_follow_up', 'resolved') THEN 'replied' ELSE 'handling' END,
       a.dispatched_at, a.dispatched_at + interval '3 hours', NULL, NULL, '', '', ''
FROM appeals_appeal a WHERE a.state NOT IN ('refused', 'awaiting_sign_for') AND a.id %% 10 = 1
UNION ALL
SELECT a.id, (%(departments)s::bigint[])[1 + (a.id * 19 + 7) %% %(d)s], 'lead', 'returned',
       a.dispatched_at - interval '1 day', a.dispatched_at - interval '20 hours', NULL, NULL, '', '', ''
FROM appeals_appeal a WHERE a.state <> 'refused' AND a.id %% 50 = 2
  AND (%(departments)s::bigint[])[1 + (a.id * 19 + 7) %% %(d)s] <> (%(departments)s::bigint[])[1 + (a.id * 13) %% %(d)s]
"""

EVENTS_SQL = """
INSERT INTO appeals_event (appeal_id, actor_id, actor_unit_id, action, from_state, to_state, note, at)
SELECT a.id, %(agent)s, %(hotline)s, 'record', '', 'registered', '', a.created_at FROM appeals_appeal a
UNION ALL
SELECT a.id, %(agent)s, %(hotline)s, 'dispatch', 'awaiting_dispatch', 'awaiting_sign_for', '', a.dispatched_at
FROM appeals_appeal a WHERE a.state <> 'refused'
"""


def build_tickets(n: int, hotline, counties, departments, agent) -> None:
    from django.db import connection
    from django.utils import timezone

    from apps.appeals.models import Appeal, Category, TimeLimitPolicy

    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE appeals_event, appeals_assignment, appeals_pause, appeals_returnrequest, "
                       "appeals_extensionrequest, appeals_monthlyfigure, appeals_monthlysnapshot, appeals_appeal "
                       "RESTART IDENTITY CASCADE")  # fmt: skip
        leaves = list(Category.objects.filter(children__isnull=True).values_list("pk", flat=True))
        policy = TimeLimitPolicy.objects.filter(appeal_type="complaint", urgency="normal", jurisdiction=None).first()
        params = {
            "now": timezone.now(), "n": n, "categories": leaves, "policies": [policy.pk],
            "counties": [c.pk for c in counties], "hotline": hotline.pk, "days": DAYS,
        }  # fmt: skip
        for label, sql, values in (
            ("工单", TICKETS_SQL, params),
            ("承办记录", ASSIGNMENTS_SQL, {"departments": [d.pk for d in departments], "d": len(departments)}),
            ("流水", EVENTS_SQL, {"agent": agent.pk, "hotline": hotline.pk}),
        ):
            started = time.perf_counter()
            cursor.execute(sql, values)
            print(f"  写入{label} {cursor.rowcount:,} 行，{time.perf_counter() - started:.0f} 秒", flush=True)
    vacuum()
    if Appeal.objects.count() != n:
        sys.exit(f"写入的工单数与 --tickets {n:,} 不符")


def vacuum() -> None:
    """VACUUM ANALYZE, as autovacuum does in production after a bulk load: statistics for the planner and the
    visibility map that lets index-only scans skip the table."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


def timed_call(call, runs: int = 1) -> tuple[float, float, int]:
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    reset_queries()
    timings, queries = [], 0
    for _run in range(runs):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            call()
            timings.append((time.perf_counter() - started) * 1000)
        queries = queries or len(captured.captured_queries)
    timings.sort()
    return stats.median(timings), timings[min(len(timings) - 1, round(0.95 * (len(timings) - 1)))], queries


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tickets", type=int, default=5_000_000)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--rebuild", action="store_true", help="insert the tickets again even if their number matches")
    parser.add_argument("--vacuum", action="store_true", help="VACUUM ANALYZE the reused data first")
    args = parser.parse_args()
    setup_django()
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from apps.appeals.models import Appeal, MonthlySnapshot
    from apps.appeals.services import statistics
    from apps.appeals.services.escalation import scan_escalations
    from yingshang.demo.table import format_table

    if connection.vendor != "postgresql":
        sys.exit("这项基准测试需要 PostgreSQL：请设置 DATABASE_URL=postgres://…")
    call_command("migrate", verbosity=0)
    print(f"数据库：{connection.vendor} {connection.settings_dict['NAME']}")
    hotline, counties, departments, people = build_units()
    if args.rebuild or Appeal.objects.count() != args.tickets:
        started = time.perf_counter()
        build_tickets(args.tickets, hotline, counties, departments, people["bench_agent"])
        print(f"准备数据 {time.perf_counter() - started:.0f} 秒", flush=True)
    elif args.vacuum:
        vacuum()
    running = Appeal.objects.open().count()
    print(f"工单 {Appeal.objects.count():,} 件，其中未办结 {running:,} 件；承办单位 {len(departments)} 个")

    rows = []
    month = statistics.previous_month(timezone.localdate())
    pages = [
        ("工单列表（首页）", {}),
        ("工单列表：办理中", {"state": "handling"}),
        (
            "工单列表：投诉+登记日期一个月",
            {
                "appeal_type": "complaint",
                "start": f"{month:%Y-%m-%d}",
                "end": f"{statistics.next_month(month):%Y-%m-%d}",
            },
        ),  # fmt: skip
        ("工单列表：黄灯", {"light": "amber"}),
        ("工单列表：红灯", {"light": "red"}),
        ("工单列表：搜索编号", {"q": "SQ00000123"}),
    ]
    for username, who in (("bench_handler", "部门经办人"), ("bench_agent", "热线坐席（全市）")):
        page = page_timer(people[username], args.runs)
        for label, params in pages:
            p50, p95, queries = page("/appeals/", params)
            rows.append((label, who, f"{p50:,.0f}", f"{p95:,.0f}", str(queries)))
            print(*rows[-1], flush=True)
    agent_page = page_timer(people["bench_agent"], max(3, args.runs // 4))
    MonthlySnapshot.objects.filter(month=month).delete()
    p50, p95, queries = agent_page("/appeals/statistics/", {"month": f"{month:%Y-%m}"})
    rows.append(("考核统计（实时计算上月）", "热线坐席", f"{p50:,.0f}", f"{p95:,.0f}", str(queries)))
    p50, p95, queries = timed_call(lambda: statistics.take_snapshot(month))
    rows.append(("生成上月快照（一次）", "", f"{p50:,.0f}", "", str(queries)))
    p50, p95, queries = agent_page("/appeals/statistics/", {"month": f"{month:%Y-%m}"})
    rows.append(("考核统计（读取快照）", "热线坐席", f"{p50:,.0f}", f"{p95:,.0f}", str(queries)))
    p50, p95, queries = agent_page("/appeals/statistics/", {"month": f"{month:%Y-%m}", "grouping": "area"})
    rows.append(("考核统计（按区县汇总）", "热线坐席", f"{p50:,.0f}", f"{p95:,.0f}", str(queries)))
    p50, p95, queries = agent_page("/appeals/hot-spots/", {})
    rows.append(("热点分析（12个月）", "热线坐席", f"{p50:,.0f}", f"{p95:,.0f}", str(queries)))
    for label in ("超期扫描（首次）", "超期扫描（再次，幂等）"):
        started = time.perf_counter()
        recorded = scan_escalations()
        seconds = time.perf_counter() - started
        rows.append((label, "", f"{seconds * 1000:,.0f}", "", "；".join(f"{k} {v}" for k, v in recorded.items())))
        print(*rows[-1], flush=True)
    print(format_table(("场景", "用户", "p50 毫秒", "p95 毫秒", "SQL / 结果"), rows))


if __name__ == "__main__":
    main()
