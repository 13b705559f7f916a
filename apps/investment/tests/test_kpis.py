"""KPIs against a small fixture computed by hand (see docs/metrics.md for the same example in words).

2025, 东城区 (county A) and one project of 西城区 (county B); amounts in 万元:

| project | unit | kind | contracted / before | confirmed stage | signed | started | funds 2025 (省外, 外资) |
|---|---|---|---|---|---|---|---|
| A1 | 东城区 | new | 50000 | producing (11-01) | 03-10 | 05-09 | 03: 10000 (6000, 0); 06: 5000 (5000, 1000) |
| A2 | 东风街道 | expansion | 30000 / 18000 → 12000 | signed | 06-01 | — | 07: 3000 |
| A3 | 东城区 | new | 150000 | started | 09-15 | 10-15 | 10: 20000 (20000, 5000) |
| A4 | 东城区 | new, excluded | 80000 | signed | 04-01 | — | 05: 7000 |
| A5 | 东城区 | new, unconfirmed | 40000 | negotiation (claims signed) | 08-01 | — | 08: 1000 |
| A6 | 东城区 | new | 9000 | started | 2024-11-20 | 02-01 | 02: 4000 (3000); 2024-12: 2000 (2000) |
| A7 | 东城区 | expansion, no increment | 10000 / 10000 → 0 | signed | 07-01 | — | 08: 500 |
| B1 | 西城区 | new | 20000 | signed | 05-05 | — | 05: 8000 (8000) |
"""

import importlib
import itertools
import threading
from datetime import date, timedelta
from decimal import Decimal
from io import BytesIO, StringIO
from types import SimpleNamespace

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from apps.core.models import LedgerImport
from apps.enterprises.matching.normalize import forget_regions
from apps.enterprises.tests.factories import make_enterprise
from apps.investment import importing, permissions
from apps.investment.forms.kpis import KpiFilterForm
from apps.investment.models import (
    Channel,
    FundMonthTotal,
    FundRecord,
    Project,
    ProjectParticipant,
    ScreeningRule,
    Stage,
)
from apps.investment.selectors.kpis import (
    DRILLS,
    Figures,
    compute_kpis,
    counted_investment,
    custom_period,
    default_base,
    drill_totals,
    drilled_projects,
    kpi_projects,
    kpi_scope,
    kpis_from,
    month_period,
    monthly,
    quarter_period,
    scan,
    total,
    unit_breakdown,
    year_period,
)
from apps.investment.services.kpi_rollup import ATTRIBUTES, rebuild_all, refresh_units, totals_of
from apps.investment.services.projects import record_funds, update_project
from apps.investment.services.workflow import advance_project, confirm_stage, return_stage
from apps.investment.tests.factories import advance_to, lead, ready_to_sign
from apps.org import roles
from apps.org.models import Unit
from apps.org.tests.factories import UserFactory, make_unit

pytestmark = pytest.mark.django_db
Y2025 = year_period(2025)
DASHBOARD = reverse("investment:kpi_dashboard")
_serial = itertools.count(1)


def drill_url(key: str) -> str:
    return reverse("investment:kpi_drilldown", kwargs={"key": key})


def make_project(unit, by, name, *, counted=Stage.SIGNED, stage=None, kind=Project.Kind.NEW, **fields) -> Project:
    serial = next(_serial)
    return Project.objects.create(
        code=f"KPI-{serial:04d}",
        name=name,
        unit=unit,
        enterprise=make_enterprise(f"示范市指标测试第{serial}号科技有限公司"),
        channel=Channel.PROFESSIONAL,
        kind=kind,
        stage=stage or counted,
        counted_stage=counted,
        created_by=by,
        **fields,
    )


def add_funds(project, by, month: date, amount: int, out_of_province: int = 0, foreign: int = 0) -> FundRecord:
    return FundRecord.objects.create(
        project=project,
        month=month,
        amount=Decimal(amount),
        out_of_province=Decimal(out_of_province),
        foreign=Decimal(foreign),
        fixed_asset=Decimal(amount) / 2,
        entered_by=by,
    )


@pytest.fixture
def town_a(county_a):
    return Unit.objects.get(code="990101001")


@pytest.fixture
def pipeline(officer_a, officer_b, county_a, county_b, town_a):
    """The projects of the table above, by name."""
    a, b = officer_a, officer_b
    d = date
    p = {
        "A1": make_project(
            county_a, a, "A1", counted=Stage.PRODUCING, contracted_investment=Decimal(50000),
            signed_on=d(2025, 3, 10), started_on=d(2025, 5, 9), completed_on=d(2025, 9, 1), producing_on=d(2025, 11, 1),
        ),
        "A2": make_project(
            town_a, a, "A2", kind=Project.Kind.EXPANSION, contracted_investment=Decimal(30000),
            counted_before=Decimal(18000), signed_on=d(2025, 6, 1),
        ),
        "A3": make_project(
            county_a, a, "A3", counted=Stage.STARTED, contracted_investment=Decimal(150000),
            signed_on=d(2025, 9, 15), started_on=d(2025, 10, 15),
        ),
        "A4": make_project(
            county_a, a, "A4", contracted_investment=Decimal(80000), signed_on=d(2025, 4, 1),
            excluded_from_statistics=True,
        ),
        "A5": make_project(
            county_a, a, "A5", counted=Stage.NEGOTIATION, stage=Stage.SIGNED, contracted_investment=Decimal(40000),
            signed_on=d(2025, 8, 1),
        ),
        "A6": make_project(
            county_a, a, "A6", counted=Stage.STARTED, contracted_investment=Decimal(9000),
            signed_on=d(2024, 11, 20), started_on=d(2025, 2, 1),
        ),
        "A7": make_project(
            county_a, a, "A7", kind=Project.Kind.EXPANSION, contracted_investment=Decimal(10000),
            counted_before=Decimal(10000), signed_on=d(2025, 7, 1),
        ),
        "B1": make_project(county_b, b, "B1", contracted_investment=Decimal(20000), signed_on=d(2025, 5, 5)),
    }  # fmt: skip
    add_funds(p["A1"], a, d(2025, 3, 1), 10000, 6000)
    add_funds(p["A1"], a, d(2025, 6, 1), 5000, 5000, 1000)
    add_funds(p["A2"], a, d(2025, 7, 1), 3000)
    add_funds(p["A3"], a, d(2025, 10, 1), 20000, 20000, 5000)
    add_funds(p["A4"], a, d(2025, 5, 1), 7000, 7000)
    add_funds(p["A5"], a, d(2025, 8, 1), 1000, 1000)
    add_funds(p["A6"], a, d(2025, 2, 1), 4000, 3000)
    add_funds(p["A6"], a, d(2024, 12, 1), 2000, 2000)
    add_funds(p["A7"], a, d(2025, 8, 1), 500)
    add_funds(p["B1"], b, d(2025, 5, 1), 8000, 8000)
    return p


def county_a_kpis(officer_a, period=Y2025):
    return compute_kpis(Project.objects.visible_to(officer_a), period)


# ---- the formulas -------------------------------------------------------------------------


def test_signed_projects_count_once_confirmed_counted_and_only_for_their_increment(pipeline, officer_a):
    kpis = county_a_kpis(officer_a)

    # A1, A2, A3: not A4 (excluded), A5 (unconfirmed), A6 (signed 2024), A7 (no increment)
    assert kpis["signed_count"].value == 3
    assert kpis["contracted"].value == Decimal(50000 + 12000 + 150000)


def test_stage_rates_take_the_signed_projects_and_the_stage_reached_by_the_end(pipeline, officer_a):
    kpis = county_a_kpis(officer_a)

    assert (kpis["start_rate"].numerator, kpis["start_rate"].denominator) == (2, 3)
    assert kpis["start_rate"].value == Decimal(2) / Decimal(3)
    assert kpis["producing_rate"].value == Decimal(1) / Decimal(3)
    assert kpis["capacity_rate"].value == 0
    assert kpis["share_1yi"].value == 1
    assert kpis["share_10yi"].value == Decimal(1) / Decimal(3)


def test_a_stage_reached_after_the_period_does_not_count_for_it(pipeline, officer_a):
    kpis = county_a_kpis(officer_a, quarter_period(2025, 3))

    # only A3 signed in Q3; it started on 10-15, after the quarter
    assert (kpis["signed_count"].value, kpis["start_rate"].numerator, kpis["start_rate"].value) == (1, 0, 0)


def test_funds_in_place_and_the_funds_rate(pipeline, officer_a):
    kpis = county_a_kpis(officer_a)

    # A1 15000 + A2 3000 + A3 20000 + A6 4000 (signed earlier) + A7 500 (no new signing, still funds)
    assert kpis["funds_in_place"].value == Decimal(42500)
    # funds of the projects signed in the period ÷ their contracted investment
    assert (kpis["funds_rate"].numerator, kpis["funds_rate"].denominator) == (Decimal(38000), Decimal(212000))
    assert kpis["funds_rate"].value == Decimal(38000) / Decimal(212000)


def test_out_of_province_and_foreign_funds_with_growth_on_last_year(pipeline, officer_a):
    kpis = county_a_kpis(officer_a)

    assert kpis["out_of_province"].value == Decimal(11000 + 20000 + 3000)
    assert kpis["out_of_province_share"].value == Decimal("0.8")
    assert kpis["out_of_province_growth"].denominator == Decimal(2000)
    assert kpis["out_of_province_growth"].value == Decimal(16)
    assert kpis["out_of_province_growth"].value_text == "+1600.0%"
    assert kpis["foreign"].value == Decimal(6000)
    assert kpis["foreign_share"].value == Decimal(6000) / Decimal(42500)


def test_growth_without_a_base_last_year_is_not_a_number(pipeline, officer_a):
    kpi = county_a_kpis(officer_a, year_period(2024))["out_of_province_growth"]

    assert (kpi.numerator, kpi.denominator, kpi.value, kpi.value_text) == (Decimal(2000), Decimal(0), None, "—")


def test_average_days_from_signing_to_start_of_projects_started_in_the_period(pipeline, officer_a):
    kpi = county_a_kpis(officer_a)["days_to_start"]

    # A1 60 days, A3 30 days, A6 73 days (signed in 2024, started in 2025)
    assert (kpi.numerator, kpi.denominator) == (163, 3)
    assert kpi.value == Decimal(163) / Decimal(3)
    assert kpi.value_text == "54.3 天"


def test_each_kpi_carries_its_formula_and_parts(pipeline, officer_a):
    kpi = county_a_kpis(officer_a)["start_rate"]

    assert "÷ 当期签约项目数" in kpi.formula
    assert (kpi.numerator_text, kpi.denominator_text, kpi.value_text) == ("2 个", "3 个", "66.7%")
    assert (kpi.drill, kpi.denominator_drill) == ("started", "signed")


def test_no_projects_give_zeros_and_no_rates(officer_a):
    kpis = county_a_kpis(officer_a)

    assert kpis["signed_count"].value == 0
    assert kpis["contracted"].value_text == "0 万元"
    assert kpis["start_rate"].value is None
    assert kpis["days_to_start"].value_text == "—"


def test_the_city_sees_every_county_and_participants_do_not_count_twice(pipeline, city_leader, city, county_b, bureau):
    for unit in (bureau, county_b):
        ProjectParticipant.objects.create(project=pipeline["A1"], unit=unit)
    visible = Project.objects.visible_to(city_leader)

    kpis = compute_kpis(visible, Y2025)
    by_county, _cells = unit_breakdown(visible, Y2025, city)

    assert kpis["signed_count"].value == 4
    assert kpis["contracted"].value == Decimal(232000)
    assert kpis["funds_in_place"].value == Decimal(50500)
    assert kpis["out_of_province"].value == Decimal(42000)
    assert by_county[-1].kpis == kpis
    assert by_county[0].kpis["funds_in_place"].value == Decimal(42500)


def test_a_unit_filter_narrows_to_its_subtree(pipeline, city_leader, town_a):
    kpis = compute_kpis(Project.objects.visible_to(city_leader), Y2025, unit=town_a)

    assert (kpis["signed_count"].value, kpis["contracted"].value, kpis["funds_in_place"].value) == (
        1,
        Decimal(12000),
        Decimal(3000),
    )


@pytest.mark.parametrize(
    ("contracted", "before", "expected"),
    [
        (None, 0, None),
        (Decimal(500), 0, Decimal(500)),
        (Decimal(500), Decimal(200), Decimal(300)),
        (Decimal(5), Decimal(9), 0),
    ],
)
def test_the_sql_counted_investment_agrees_with_the_property(officer_a, contracted, before, expected):
    project = make_project(officer_a.unit, officer_a, "P", contracted_investment=contracted, counted_before=before)

    in_sql = Project.objects.annotate(counted=counted_investment()).get(pk=project.pk).counted

    assert project.counted_investment == expected
    assert in_sql == (expected or 0)


@pytest.mark.parametrize(
    ("period", "start", "end"),
    [
        (quarter_period(2025, 4), date(2025, 10, 1), date(2025, 12, 31)),
        (month_period(2024, 2), date(2024, 2, 1), date(2024, 2, 29)),
        (month_period(2024, 2).year_before(), date(2023, 2, 1), date(2023, 2, 28)),
        (custom_period(date(2025, 3, 15), date(2025, 4, 2)), date(2025, 3, 15), date(2025, 4, 2)),
    ],
)
def test_periods(period, start, end):
    assert (period.start, period.end) == (start, end)


def test_a_custom_range_counts_the_months_that_start_inside_it(pipeline, officer_a):
    kpis = county_a_kpis(officer_a, custom_period(date(2025, 2, 15), date(2025, 3, 9)))

    # the records of February (A6) and March (A1) count; nothing was signed in the range
    assert kpis["funds_in_place"].value == Decimal(14000)
    assert kpis["signed_count"].value == 0


# ---- per unit and by month ----------------------------------------------------------------


def test_the_county_table_has_its_towns_its_own_projects_and_a_total(pipeline, officer_a, county_a):
    rows, _cells = unit_breakdown(Project.objects.visible_to(officer_a), Y2025, county_a)

    assert [(r.label, r.role) for r in rows] == [("东城区东风街道", "child"), ("东城区本级", "own"), ("合计", "total")]
    assert [r.kpis["signed_count"].value for r in rows] == [1, 2, 3]
    assert [r.kpis["funds_in_place"].value for r in rows] == [Decimal(3000), Decimal(39500), Decimal(42500)]
    assert rows[-1].kpis == county_a_kpis(officer_a)


def test_the_coordinating_bureau_gets_the_city_by_county(pipeline, coordinator, city):
    for project in Project.objects.all():
        ProjectParticipant.objects.create(project=project, unit=coordinator.unit)

    base = default_base(coordinator)
    rows, _cells = unit_breakdown(Project.objects.visible_to(coordinator), Y2025, base)

    assert base == city
    assert [(r.label, r.kpis["signed_count"].value) for r in rows] == [("东城区", 3), ("西城区", 1), ("合计", 4)]


def test_projects_taken_part_in_elsewhere_have_their_own_row(pipeline, officer_a, county_a):
    ProjectParticipant.objects.create(project=pipeline["B1"], unit=county_a)

    rows, _cells = unit_breakdown(Project.objects.visible_to(officer_a), Y2025, county_a)

    assert [(r.role, r.kpis["signed_count"].value) for r in rows] == [
        ("child", 1),
        ("own", 2),
        ("other", 1),
        ("total", 4),
    ]


def test_months_show_signings_and_funds_up_to_today(pipeline, officer_a):
    cells = scan(Project.objects.visible_to(officer_a), Y2025)
    months = monthly(cells, Y2025, today=date(2025, 10, 20))

    assert [m.month.month for m in months] == list(range(1, 11))
    march, june = months[2], months[5]
    assert (march.signed, march.contracted, march.funds, march.out_of_province) == (1, 50000, 10000, 6000)
    assert (june.signed, june.contracted, june.funds, june.foreign) == (1, 12000, 5000, 1000)
    assert sum(m.funds for m in months) == Decimal(42500)
    assert sum(m.contracted for m in months) == Decimal(212000)


# ---- drill-down ---------------------------------------------------------------------------

#: KPI → what adds up to its numerator over the drill-down: a count of projects, or a column
NUMERATOR_COLUMNS = {
    "signed_count": None,
    "contracted": "counted",
    "start_rate": None,
    "producing_rate": None,
    "capacity_rate": None,
    "funds_in_place": "period_funds",
    "funds_rate": "period_funds",
    "share_1yi": None,
    "share_10yi": None,
    "out_of_province": "period_out_of_province",
    "out_of_province_share": "period_out_of_province",
    "out_of_province_growth": "period_out_of_province",
    "foreign": "period_foreign",
    "foreign_share": "period_foreign",
    "days_to_start": "days",
}


def _drilled(projects, column):
    if column is None:
        return len(projects)
    if column == "days":
        return sum(p.days_to_start.days for p in projects)
    return sum(getattr(p, column) for p in projects)


@pytest.mark.parametrize("key", NUMERATOR_COLUMNS)
def test_the_drill_down_adds_up_to_the_numerator(pipeline, officer_a, key):
    kpi = county_a_kpis(officer_a)[key]

    projects = list(kpi_projects(Project.objects.visible_to(officer_a), Y2025, kpi.drill))

    assert _drilled(projects, NUMERATOR_COLUMNS[key]) == kpi.numerator


def test_the_drill_down_of_a_denominator_adds_up_to_it(pipeline, officer_a):
    kpis = county_a_kpis(officer_a)
    visible = Project.objects.visible_to(officer_a)

    last_year = kpi_projects(visible, Y2025, kpis["out_of_province_growth"].denominator_drill)
    signed = kpi_projects(visible, Y2025, kpis["funds_rate"].denominator_drill)

    assert [p.name for p in last_year] == ["A6"]
    assert sum(p.period_out_of_province for p in last_year) == kpis["out_of_province_growth"].denominator
    assert sum(p.counted for p in signed) == kpis["funds_rate"].denominator
    assert sorted(p.name for p in signed) == ["A1", "A2", "A3"]


@pytest.mark.parametrize(
    ("key", "total"),
    [("signed_count", "count"), ("contracted", "counted"), ("funds_in_place", "in_place"), ("foreign", "foreign")],
)
def test_the_drill_down_totals_agree_with_the_numerator(pipeline, officer_a, key, total):
    kpi = county_a_kpis(officer_a)[key]

    drilled = drilled_projects(Project.objects.visible_to(officer_a), Y2025, kpi.drill)

    assert drill_totals(drilled, Y2025, kpi.drill)[total] == kpi.numerator


def test_every_drill_key_is_used_by_a_kpi():
    from apps.investment.selectors.kpis import SPECS

    used = {s.drill for s in SPECS} | {s.denominator_drill for s in SPECS if s.denominator_drill}

    assert used == set(DRILLS)


# ---- the filter ---------------------------------------------------------------------------


def test_the_filter_defaults_to_the_current_year_and_checks_a_custom_range(officer_a):
    units = Unit.objects.all()
    today = date(2026, 5, 20)

    assert KpiFilterForm(None, units=units, today=today).chosen_period() == year_period(2026)
    quarter = KpiFilterForm({"period": "quarter"}, units=units, today=today)
    assert quarter.chosen_period() == quarter_period(2026, 2)
    custom = KpiFilterForm({"period": "custom", "start": "2026-03-01", "end": "2026-02-01"}, units=units, today=today)
    assert not custom.is_valid()
    assert custom.errors["end"] == ["结束日期不能早于开始日期。"]
    missing = KpiFilterForm({"period": "custom", "start": "2026-03-01"}, units=units, today=today)
    assert missing.errors["__all__"] == ["自定义统计周期须填写开始日期和结束日期。"]


# ---- the pages ----------------------------------------------------------------------------

YEAR_2025 = {"period": "year", "year": "2025"}


@pytest.fixture
def year_2025(monkeypatch):
    """2025 must be among the years the filter offers."""
    import apps.investment.forms.kpis as forms

    monkeypatch.setattr(forms, "YEARS_BACK", timezone.localdate().year - 2025 + 1)


def test_a_county_sees_its_own_figures_and_projects(pipeline, client_for, officer_a, year_2025):
    client = client_for(officer_a)

    page = client.get(DASHBOARD, YEAR_2025)
    drill = client.get(drill_url("signed"), YEAR_2025)

    assert page.status_code == 200
    cards = {kpi.key: kpi for kpi in page.context["kpis"]}
    assert (cards["signed_count"].value, cards["contracted"].value) == (3, Decimal(212000))
    assert "当期签约项目中截至期末已开工的项目数 ÷ 当期签约项目数 × 100%" in page.text
    assert [p.name for p in drill.context["page"].object_list] == ["A3", "A2", "A1"]
    assert ">B1<" not in drill.text  # as a cell's text: a CSRF token may contain "B1"


def test_the_city_sees_every_county(pipeline, client_for, city_leader, year_2025):
    client = client_for(city_leader)

    page = client.get(DASHBOARD, YEAR_2025)
    drill = client.get(drill_url("signed"), YEAR_2025)

    assert [line["row"].label for line in page.context["table"]] == ["东城区", "西城区", "合计"]
    assert {p.name for p in drill.context["page"].object_list} == {"A1", "A2", "A3", "B1"}


def test_another_countys_unit_cannot_be_chosen(pipeline, client_for, officer_a, county_b, year_2025):
    response = client_for(officer_a).get(drill_url("signed"), {**YEAR_2025, "unit": county_b.pk})

    assert "unit" in response.context["form"].errors
    assert ">B1<" not in response.text


def test_the_drill_down_searches_and_totals(pipeline, client_for, city_leader, year_2025):
    response = client_for(city_leader).get(drill_url("funds"), {**YEAR_2025, "q": "A"})

    assert response.context["totals"]["in_place"] == Decimal(42500)
    assert response.context["totals"]["count"] == 5


def test_an_unknown_kpi_is_not_found(client_for, officer_a):
    assert client_for(officer_a).get(drill_url("nonsense")).status_code == 404


@pytest.mark.parametrize("url", [DASHBOARD, drill_url("signed")])
def test_kpis_need_their_permission(client, client_for, department_handler, url):
    assert client.get(url).status_code == 302
    assert client_for(department_handler).get(url).status_code == 403


def _sheet(response) -> list[tuple]:
    workbook = load_workbook(BytesIO(response.content), read_only=True)
    return list(workbook.active.iter_rows(values_only=True))


def test_the_unit_table_exports_to_excel(pipeline, client_for, officer_a, year_2025):
    response = client_for(officer_a).get(DASHBOARD, {**YEAR_2025, "export": "xlsx"})

    rows = _sheet(response)
    assert rows[0][:3] == ("单位", "签约项目数（个）", "协议投资额（万元）")
    assert [r[0] for r in rows[1:]] == ["东城区东风街道", "东城区本级", "合计"]
    assert rows[-1][1:4] == (3, 212000, 66.7)


def test_the_drill_down_exports_what_it_shows(pipeline, client_for, officer_a, year_2025):
    response = client_for(officer_a).get(drill_url("started_in_period"), {**YEAR_2025, "export": "xlsx"})

    rows = _sheet(response)
    assert [(r[1], r[-1]) for r in rows[1:]] == [("A3", 30), ("A1", 60), ("A6", 73)]


def _grow(officer, unit, n: int, start: int) -> None:
    for i in range(n):
        project = make_project(
            unit, officer, f"批量{start + i}", counted=Stage.STARTED, contracted_investment=Decimal(20000),
            signed_on=date(2025, 3, 1), started_on=date(2025, 4, 1),
        )  # fmt: skip
        add_funds(project, officer, date(2025, 4, 1), 1000, 500, 100)


@pytest.mark.parametrize("url", [DASHBOARD, drill_url("funds")])
def test_the_kpi_pages_take_the_same_queries_whatever_the_numbers(
    client_for, city_leader, officer_a, county_a, city, count_queries, year_2025, url
):
    client = client_for(city_leader)
    _grow(officer_a, county_a, 2, 0)
    few = count_queries(lambda: client.get(url, YEAR_2025))

    for n in range(3):
        county = make_unit(parent=city, name=f"新区{n}", kind=Unit.Kind.COUNTY, code=f"99019{n}")
        _grow(officer_a, county, 4, 10 * n + 10)
    _grow(officer_a, county_a, 30, 100)

    assert count_queries(lambda: client.get(url, YEAR_2025)) == few


def test_figures_add_up_across_units():
    one = Figures(signed=1, contracted=Decimal(5), days_to_start=3)
    other = Figures(signed=2, contracted=Decimal(7), days_to_start=4)

    assert (one + other).signed == 3
    assert (one + other).contracted == Decimal(12)
    assert (one + other).days_to_start == 7


def test_grouped_and_whole_figures_agree(pipeline, city_leader, city):
    visible = Project.objects.visible_to(city_leader)
    whole = scan(visible, Y2025)
    grouped = scan(visible, Y2025, path_length=Unit.steplen * (city.depth + 1))

    assert {cell.key for cell in whole} == {""}
    assert len({cell.key for cell in grouped}) == 2
    assert total(grouped) == total(whole)
    assert total(whole).days_to_start == (timedelta(days=163)).days


# ---- the monthly fund totals (FundMonthTotal) -------------------------------------------------


def stored_totals() -> set[tuple]:
    return set(FundMonthTotal.objects.values_list(*ATTRIBUTES))


def fresh_totals() -> set[tuple]:
    """What the totals must hold: grouped afresh from every fund record."""
    return {tuple(row) for row in totals_of(FundRecord.objects.all())}


def kpis_read_from_totals(user, period, unit=None) -> dict:
    scope = kpi_scope(user, unit)
    assert scope.owned is not None
    return kpis_from(total(scan(scope, period)))


def kpis_read_from_records(user, period, unit=None) -> dict:
    return compute_kpis(permissions.visible_projects(user), period, unit=unit)


def test_the_totals_hold_the_counted_projects_funds_by_unit_month_and_signing(pipeline, county_a, town_a):
    rows = rebuild_all()

    assert stored_totals() == fresh_totals()
    assert rows == FundMonthTotal.objects.count() == 10 - 2  # A4 (excluded) and A5 (unconfirmed) hold none
    a1_march = FundMonthTotal.objects.get(unit=county_a, month=date(2025, 3, 1))
    assert (a1_march.signed_month, a1_march.new_signing, a1_march.amount, a1_march.projects) == (
        date(2025, 3, 1),
        True,
        Decimal(10000),
        1,
    )
    a7 = FundMonthTotal.objects.get(unit=county_a, month=date(2025, 8, 1))
    assert (a7.signed_month, a7.new_signing, a7.amount) == (date(2025, 7, 1), False, Decimal(500))
    assert FundMonthTotal.objects.get(unit=town_a).amount == Decimal(3000)


PERIODS = [
    Y2025,
    year_period(2024),
    quarter_period(2025, 1),
    quarter_period(2025, 3),
    month_period(2025, 3),
    month_period(2024, 12),
    custom_period(date(2024, 11, 1), date(2025, 6, 30)),
]


@pytest.mark.parametrize("period", PERIODS, ids=lambda p: p.label)
def test_the_figures_from_the_totals_are_those_from_the_records(
    pipeline, officer_a, city_leader, county_a, town_a, period
):
    ProjectParticipant.objects.create(project=pipeline["B1"], unit=town_a)
    rebuild_all()

    assert period.whole_months
    for user, unit in ((officer_a, None), (officer_a, town_a), (city_leader, None), (city_leader, county_a)):
        assert kpis_read_from_totals(user, period, unit) == kpis_read_from_records(user, period, unit)


def test_the_tables_by_unit_and_month_from_the_totals_are_those_from_the_records(pipeline, city_leader, city):
    rebuild_all()

    rows, cells = unit_breakdown(kpi_scope(city_leader), Y2025, city)
    raw_rows, raw_cells = unit_breakdown(permissions.visible_projects(city_leader), Y2025, city)

    assert [(r.label, r.kpis) for r in rows] == [(r.label, r.kpis) for r in raw_rows]
    today = date(2025, 12, 31)
    assert monthly(cells, Y2025, today=today) == monthly(raw_cells, Y2025, today=today)


def test_the_coordinating_bureau_reads_every_unit_from_the_totals(pipeline, coordinator, city):
    for project in Project.objects.all():
        ProjectParticipant.objects.create(project=project, unit=coordinator.unit)
    rebuild_all()

    scope = kpi_scope(coordinator)
    rows, _cells = unit_breakdown(scope, Y2025, city)

    assert (scope.owned, scope.others) == ("", None)
    assert [(r.label, r.kpis["funds_in_place"].value) for r in rows] == [
        ("东城区", Decimal(42500)),
        ("西城区", Decimal(8000)),
        ("合计", Decimal(50500)),
    ]


def test_a_project_taken_part_in_counts_its_funds_for_the_participant(pipeline, officer_a, county_a):
    ProjectParticipant.objects.create(project=pipeline["B1"], unit=county_a)
    rebuild_all()

    scope = kpi_scope(officer_a)
    kpis = kpis_read_from_totals(officer_a, Y2025)
    rows, _cells = unit_breakdown(scope, Y2025, county_a)

    assert [p.name for p in scope.others] == ["B1"]
    # 42500 of 东城区's own projects, read from the totals, and B1's 8000 from its records
    assert (kpis["funds_in_place"].value, kpis["out_of_province"].value) == (Decimal(50500), Decimal(42000))
    assert kpis["funds_rate"].numerator == Decimal(38000 + 8000)
    assert [(r.role, r.kpis["funds_in_place"].value) for r in rows][-2:] == [
        ("other", Decimal(8000)),
        ("total", Decimal(50500)),
    ]


def test_a_custom_range_not_of_whole_months_reads_the_records(pipeline, officer_a):
    rebuild_all()
    FundMonthTotal.objects.all().delete()  # so that a figure read from the totals would show it
    period = custom_period(date(2025, 2, 15), date(2025, 3, 9))

    kpis = kpis_from(total(scan(kpi_scope(officer_a), period)))

    assert not period.whole_months
    # the February (A6) and March (A1) records; A1 was signed on 03-10, outside the range
    assert (kpis["funds_in_place"].value, kpis["out_of_province"].value) == (Decimal(14000), Decimal(9000))
    assert (kpis["signed_count"].value, kpis["funds_rate"].numerator) == (0, 0)
    # last year: A6's December 2024 record is outside 2024-02-15 … 2024-03-09
    assert kpis["out_of_province_growth"].denominator == 0


def test_a_custom_range_of_whole_months_reads_the_totals(pipeline, officer_a):
    rebuild_all()
    period = custom_period(date(2025, 3, 1), date(2025, 6, 30))

    kpis = kpis_read_from_totals(officer_a, period)
    FundMonthTotal.objects.all().delete()

    assert period.whole_months
    # A1 10000 + 5000, A2 signed 06-01 (its funds come in July), A4 excluded; signed in the range: A1, A2
    assert (kpis["funds_in_place"].value, kpis["funds_rate"].numerator) == (Decimal(15000), Decimal(15000))
    assert kpis_read_from_totals(officer_a, period)["funds_in_place"].value == 0
    assert kpis_read_from_records(officer_a, period)["funds_in_place"].value == Decimal(15000)


@pytest.mark.parametrize(
    ("period", "expected"),
    [
        (Y2025, True),
        (quarter_period(2024, 1), True),
        (month_period(2024, 2), True),
        (custom_period(date(2025, 1, 1), date(2025, 2, 28)), True),
        (custom_period(date(2025, 1, 2), date(2025, 2, 28)), False),
        (custom_period(date(2025, 1, 1), date(2025, 2, 27)), False),
    ],
)
def test_whole_months(period, expected):
    assert period.whole_months is expected


def test_the_kpi_scope_is_the_viewers_visible_projects(pipeline, officer_a, county_admin_a, officer_b, town_a):
    ProjectParticipant.objects.create(project=pipeline["B1"], unit=town_a)
    ProjectParticipant.objects.create(project=pipeline["A1"], unit=officer_b.unit)
    town_officer = UserFactory(username="town_officer", unit=town_a, roles=[roles.INVESTMENT_OFFICER])
    inactive = UserFactory(username="inactive", unit=town_a, roles=[roles.INVESTMENT_OFFICER], is_active=False)
    nobody = UserFactory(username="nobody", unit=None, roles=[roles.CITY_LEADER])

    for user in (officer_a, county_admin_a, officer_b, town_officer, inactive, nobody):
        scope = kpi_scope(user)
        visible = set(permissions.visible_projects(user))
        assert set(scope.projects) == visible, user.username
        if scope.owned is not None:
            owned = {p for p in visible if p.unit.path.startswith(scope.owned)}
            assert set(scope.others or []) == visible - owned, user.username
    assert [p.name for p in kpi_scope(town_officer).others] == ["B1"]
    assert [p.name for p in kpi_scope(officer_b).others] == ["A1"]
    assert kpi_scope(nobody).owned is None


def test_the_kpi_scope_of_the_city_and_the_bureau_is_every_project(pipeline, city_leader, coordinator, county_b):
    for user in (city_leader, coordinator):
        scope = kpi_scope(user)
        assert (scope.owned, scope.others) == ("", None)
        assert set(scope.projects) == set(permissions.visible_projects(user)) == set(Project.objects.all())
    narrowed = kpi_scope(coordinator, county_b)
    assert (narrowed.owned, [p.name for p in narrowed.projects]) == (county_b.path, ["B1"])


def test_a_unit_outside_the_viewers_subtree_reads_the_records(pipeline, officer_a, county_b):
    ProjectParticipant.objects.create(project=pipeline["B1"], unit=officer_a.unit)

    scope = kpi_scope(officer_a, county_b)

    assert scope.owned is None
    assert [p.name for p in scope.projects] == ["B1"]


# ---- keeping the totals in step: every write that can change them --------------------------------

TODAY = timezone.localdate()


@pytest.fixture
def signing(officer_a):
    """A 东城区 project whose signing waits for the bureau's confirmation, 30 days ago."""
    project = ready_to_sign(lead(officer_a, name="东城智能装备项目"), officer_a)
    advance_to(project, Stage.NEGOTIATION, by=officer_a, start=TODAY - timedelta(days=30))
    change = advance_project(project=project, happened_on=TODAY - timedelta(days=20), by=officer_a)
    project.refresh_from_db()
    assert (change.approval, project.stage, project.counted_stage) == ("pending", Stage.SIGNED, Stage.NEGOTIATION)
    return project, change


def _funds(project, by, amount: int) -> None:
    record_funds(project=project, month=TODAY, amount=Decimal(amount), out_of_province=Decimal(amount), by=by)


def test_funds_of_a_counted_project_are_in_the_totals_once_entered_and_corrected(signing, officer_a, coordinator):
    project, change = signing
    confirm_stage(change=change, by=coordinator)
    project.refresh_from_db()

    _funds(project, officer_a, 3000)
    assert stored_totals() == fresh_totals() != set()
    _funds(project, officer_a, 1200)  # corrected

    assert stored_totals() == fresh_totals()
    assert FundMonthTotal.objects.get().amount == Decimal(1200)
    this_year = year_period(TODAY.year)
    assert kpis_read_from_totals(officer_a, this_year) == kpis_read_from_records(officer_a, this_year)


def test_funds_count_once_the_signing_is_confirmed(signing, officer_a, coordinator):
    project, change = signing
    _funds(project, officer_a, 3000)
    assert not FundMonthTotal.objects.exists()  # entered while the signing waits: not counted yet

    confirm_stage(change=change, opinion="协议已核实", by=coordinator)

    assert stored_totals() == fresh_totals()
    assert FundMonthTotal.objects.get().amount == Decimal(3000)


def test_a_returned_signing_keeps_its_funds_out(signing, officer_a, coordinator):
    project, change = signing
    _funds(project, officer_a, 3000)

    return_stage(change=change, opinion="协议未盖章", by=coordinator)

    assert stored_totals() == fresh_totals() == set()


def test_a_project_screened_out_at_signing_keeps_its_funds_out(officer_a, coordinator):
    ScreeningRule.objects.create(name="不计统计", kind="excluded", action="exclude", keywords="仓储")
    project = ready_to_sign(lead(officer_a, name="东城仓储项目"), officer_a)
    advance_to(project, Stage.NEGOTIATION, by=officer_a, start=TODAY - timedelta(days=30))
    change = advance_project(project=project, happened_on=TODAY - timedelta(days=20), by=officer_a)
    _funds(project, officer_a, 3000)

    confirm_stage(change=change, by=coordinator)

    project.refresh_from_db()
    assert (project.counted_stage, project.excluded_from_statistics) == (Stage.SIGNED, True)
    assert stored_totals() == fresh_totals() == set()


def test_an_expansion_without_increment_keeps_its_funds_but_is_no_new_signing(signing, officer_a, coordinator):
    project, change = signing
    confirm_stage(change=change, by=coordinator)
    project.refresh_from_db()
    _funds(project, officer_a, 3000)
    period = year_period(project.signed_on.year)
    assert FundMonthTotal.objects.get().new_signing is True

    update_project(
        project=project, by=officer_a, kind=Project.Kind.EXPANSION, counted_before=project.contracted_investment
    )

    assert stored_totals() == fresh_totals()
    assert FundMonthTotal.objects.get().new_signing is False
    kpis = kpis_read_from_totals(officer_a, period)
    assert kpis == kpis_read_from_records(officer_a, period)
    assert (kpis["funds_in_place"].value, kpis["funds_rate"].numerator) == (Decimal(3000), 0)


def test_the_ledger_import_refreshes_the_units_it_placed_projects_in(pipeline, officer_a, county_a):
    rebuild_all()
    add_funds(pipeline["A3"], officer_a, date(2025, 11, 1), 900)  # written around the services
    assert stored_totals() != fresh_totals()
    ledger = LedgerImport.objects.create(
        kind=importing.KIND,
        unit=county_a,
        filename="台账.xlsx",
        content=importing.template_workbook(),
        created_by=officer_a,
    )
    forget_regions()  # the matcher's regions are this test's units

    result = importing.commit_import(importing.check_import(ledger))

    forget_regions()
    assert (result.status, result.summary["projects"]) == (LedgerImport.Status.COMMITTED, 2)
    assert stored_totals() == fresh_totals()


def test_a_refresh_of_some_months_recomputes_only_those(pipeline, officer_a, county_a):
    rebuild_all()
    add_funds(pipeline["A3"], officer_a, date(2025, 11, 1), 900)
    add_funds(pipeline["A3"], officer_a, date(2025, 12, 1), 800)

    refresh_units({county_a.pk}, months={date(2025, 11, 1)})

    months = set(FundMonthTotal.objects.filter(unit=county_a).values_list("month", flat=True))
    assert date(2025, 11, 1) in months
    assert date(2025, 12, 1) not in months
    refresh_units({county_a.pk})
    assert stored_totals() == fresh_totals()


def test_the_migration_fills_the_totals_from_the_records(pipeline):
    from django.apps import apps as installed

    migration = importlib.import_module("apps.investment.migrations.0007_fund_month_totals")

    migration.fill(installed, SimpleNamespace(connection=connection))

    assert stored_totals() == fresh_totals() != set()


def test_the_rebuild_command_prints_what_it_did(pipeline):
    out = StringIO()

    call_command("rebuild_kpi_totals", stdout=out)

    assert stored_totals() == fresh_totals()
    assert "已按 10 条到位资金月报重算月度汇总 8 行" in out.getvalue()


def test_the_county_page_reads_the_totals_and_its_queries_do_not_grow(
    pipeline, client_for, officer_a, county_a, town_a, count_queries, year_2025
):
    ProjectParticipant.objects.create(project=pipeline["B1"], unit=town_a)
    rebuild_all()
    client = client_for(officer_a)
    page = client.get(DASHBOARD, YEAR_2025)
    cards = {kpi.key: kpi for kpi in page.context["kpis"]}
    assert (cards["funds_in_place"].value, cards["foreign"].value) == (Decimal(50500), Decimal(6000))
    few = count_queries(lambda: client.get(DASHBOARD, YEAR_2025))

    for n in range(3):
        town = make_unit(parent=county_a, name=f"东城区新镇{n}", kind=Unit.Kind.TOWN, code=f"99010100{n + 2}")
        _grow(officer_a, town, 4, 10 * n + 10)
    _grow(officer_a, county_a, 30, 100)
    rebuild_all()

    assert count_queries(lambda: client.get(DASHBOARD, YEAR_2025)) == few
    cards = {kpi.key: kpi for kpi in client.get(DASHBOARD, YEAR_2025).context["kpis"]}
    assert cards["funds_in_place"].value == Decimal(50500 + 42 * 1000)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_funds_entered_at_once_in_one_unit_leave_the_totals_right(officer_a, county_a):
    """The second refresh of a unit waits for the first one's commit, then sees its records."""
    first, second = (make_project(county_a, officer_a, name, signed_on=TODAY.replace(day=1)) for name in ("P1", "P2"))
    first_refreshed, release = threading.Event(), threading.Event()
    errors = []

    def enter(project, amount, *, hold: bool) -> None:
        try:
            with transaction.atomic():
                _funds(project, officer_a, amount)
                if hold:
                    first_refreshed.set()
                    release.wait(timeout=10)
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    holder = threading.Thread(target=enter, args=(first, 3000), kwargs={"hold": True})
    holder.start()
    first_refreshed.wait(timeout=10)
    waiter = threading.Thread(target=enter, args=(second, 500), kwargs={"hold": False})
    waiter.start()
    waiter.join(timeout=0.5)
    assert waiter.is_alive()  # waiting for the unit's lock
    release.set()
    holder.join()
    waiter.join()

    assert errors == []
    assert stored_totals() == fresh_totals()
    assert FundMonthTotal.objects.get().amount == Decimal(3500)
