"""挂图作战: the project chart (steps and milestones) and the county chart (one row per project), as drawn in the SVG."""

import re
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from apps.investment.models import Project, Stage
from apps.investment.services.workflow import advance_project, drop_project
from apps.landing.models import Checklist, ChecklistStep, Milestone, StepStatus
from apps.landing.selectors.gantt import Scale, county_chart, project_chart
from apps.landing.services.milestones import plan_milestones

pytestmark = pytest.mark.django_db
YEAR_2026 = Scale(date(2026, 1, 1), date(2027, 1, 1), left=300, width=790)  # the county chart's axis


def _marks(chart) -> dict[str, list[tuple[str, str]]]:
    """Each row's diamonds as (css, title), by row label."""
    return {row.label: [(m.css, m.title) for m in row.marks] for row in chart.rows}


def _svg_rows(html: str) -> list[str]:
    svg = html.split('data-testid="gantt"')[1].split("</svg>")[0]
    return svg.split('data-testid="gantt-row"')[1:]


def _row_of(html: str, name: str) -> str:
    [row] = [row for row in _svg_rows(html) if f">{name}<" in row]
    return row


def _titles(row_html: str, testid: str) -> list[str]:
    return re.findall(rf'data-testid="{testid}"[^>]*><title>([^<]*)</title>', row_html)


@pytest.fixture
def signed(progress_make, officer_a):
    return progress_make(officer_a, Stage.SIGNED, name="东城光伏组件项目")


# ---- one project's chart ---------------------------------------------------------------------


def test_the_project_chart_draws_planned_and_actual_milestones(progress_project, officer_a):
    plan_milestones(
        project=progress_project,
        planned={"started": date(2026, 6, 1), "completed": date(2027, 3, 31)},
        by=officer_a,
    )

    chart = project_chart(progress_project)

    assert [row.label for row in chart.rows] == ["开工", "竣工"]
    assert _marks(chart) == {
        "开工": [("mark-planned", "开工 计划 2026-06-01"), ("mark-actual", "开工 实际 2026-06-02")],
        "竣工": [("mark-planned", "竣工 计划 2027-03-31")],
    }
    planned, actual = chart.rows[0].marks
    assert actual.x > planned.x
    assert (chart.scale.start, chart.scale.end) == (date(2026, 6, 1), date(2027, 4, 1))
    assert chart.today_x == chart.scale.x(date(2026, 11, 18))


def test_a_late_milestone_is_red_and_a_claimed_one_waits(signed, officer_a):
    plan_milestones(
        project=signed, planned={"started": date(2026, 6, 20), "completed": date(2026, 11, 1)}, by=officer_a
    )
    advance_project(project=signed, happened_on=date(2026, 7, 1), by=officer_a)  # waits for the level above

    assert _marks(project_chart(signed)) == {
        "开工": [
            ("mark-planned", "开工 计划 2026-06-20"),
            ("mark-actual mark-pending", "开工 实际 2026-07-01（待确认）"),
        ],
        "竣工": [("mark-planned mark-overdue", "竣工 计划 2026-11-01（已逾期未完成）")],
    }


def test_the_project_chart_draws_steps_done_late_and_forecast(progress_project, progress_handler):
    checklist = Checklist.objects.create(
        project=progress_project, template_name="新建项目", template_revision=1, started_on=date(2026, 6, 1),
        created_by=progress_project.created_by,
    )  # fmt: skip

    def step(order, name, status, **dates):
        return ChecklistStep.objects.create(
            checklist=checklist, order=order, code=f"s{order}", name=name, department=progress_handler.unit,
            time_limit_days=10, status=status, **dates,
        )  # fmt: skip

    step(1, "立项备案", StepStatus.DONE, started_on=date(2026, 6, 3), done_on=date(2026, 6, 10))
    late = step(2, "环评批复", StepStatus.IN_PROGRESS, started_on=date(2026, 10, 12), due_on=date(2026, 11, 10))
    step(3, "施工许可证", StepStatus.WAITING).prerequisites.add(late)
    step(4, "节能审查", StepStatus.NOT_NEEDED)

    chart = project_chart(progress_project)

    bars = {row.label: [(bar.css, bar.title) for bar in row.bars] for row in chart.rows if row.bars}
    assert bars == {
        "立项备案": [("bar-done", "立项备案：2026-06-03 — 2026-06-10 已办结")],
        "环评批复": [("bar-overdue", "环评批复：2026-10-12 受理，应于 2026-11-10 前办结，已逾期")],
        # waits for 环评批复, already late: counted from today, 10 working days
        "施工许可证": [("bar-forecast", "施工许可证：预计 2026-11-18 — 2026-12-02")],
    }
    assert [row.label for row in chart.rows] == ["立项备案", "环评批复", "施工许可证", "开工"]


def test_a_project_with_nothing_to_draw_has_no_chart(client_for, signed, officer_a):
    assert project_chart(signed) is None

    response = client_for(officer_a).get(reverse("landing:project_milestones", args=[signed.pk]))

    assert response.status_code == 200
    assert 'data-testid="gantt"' not in response.content.decode()


def test_the_project_pages_draw_the_chart(client_for, progress_project, officer_a):
    plan_milestones(project=progress_project, planned={"completed": date(2027, 3, 31)}, by=officer_a)
    client = client_for(officer_a)

    for url in (
        reverse("landing:project_milestones", args=[progress_project.pk]),
        reverse("landing:project_landing", args=[progress_project.pk]),
    ):
        page = client.get(url).content.decode()
        assert _titles(_row_of(page, "竣工"), "gantt-mark") == ["竣工 计划 2027-03-31"]
        assert _titles(_row_of(page, "开工"), "gantt-mark") == ["开工 实际 2026-06-02"]


# ---- the county's chart ----------------------------------------------------------------------


def test_the_county_chart_has_a_row_per_project_with_its_bar_and_milestones(progress_make, officer_a, officer_b):
    bearing = progress_make(officer_a, name="东城轴承项目")
    plan_milestones(
        project=bearing,
        planned={"started": date(2026, 6, 1), "completed": date(2026, 10, 31), "at_capacity": date(2027, 6, 30)},
        by=officer_a,
    )
    progress_make(officer_a, Stage.SIGNED, name="东城电池项目", signed=date(2026, 3, 10))
    progress_make(officer_b, name="西城纺织项目")

    chart = county_chart(Project.objects.filter(unit=officer_a.unit).prefetch_related("milestones"), 2026)

    rows = {row.label: row for row in chart.rows}
    assert set(rows) == {"东城轴承项目", "东城电池项目"}
    late = rows["东城轴承项目"]
    assert late.css == "row-late"
    [bar] = late.bars
    assert (bar.css, bar.title) == ("bar-late", "东城轴承项目：2026-06-01 签约，计划 2027-06-30 达产")
    assert (bar.x, bar.x + bar.width) == (YEAR_2026.x(date(2026, 6, 1)), YEAR_2026.x(date(2027, 1, 1)))
    assert [m.css for m in late.marks] == ["mark-planned", "mark-actual", "mark-planned mark-overdue"]
    unplanned = rows["东城电池项目"]
    assert (unplanned.css, [b.css for b in unplanned.bars], unplanned.marks) == ("", ["bar-unplanned"], [])
    assert unplanned.bars[0].x == YEAR_2026.x(date(2026, 3, 10))


def test_a_county_sees_only_its_projects_on_the_chart(client_for, progress_make, officer_a, officer_b):
    progress_make(officer_a, name="东城轴承项目")
    progress_make(officer_a, Stage.SIGNED, name="东城电池项目")
    progress_make(officer_b, name="西城纺织项目")
    progress_make(officer_a, Stage.NEGOTIATION, name="东城洽谈项目")
    dropped = progress_make(officer_a, Stage.SIGNED, name="东城终止项目")
    drop_project(project=dropped, happened_on=date(2026, 11, 1), reason="企业放弃", by=officer_a)

    page = client_for(officer_a).get(reverse("landing:gantt")).content.decode()

    labels = [
        re.search(r'class="row-label"[^>]*>(?:<title>[^<]*</title>)?([^<]*)<', row).group(1) for row in _svg_rows(page)
    ]
    assert sorted(labels) == ["东城电池项目", "东城轴承项目"]
    assert _titles(_row_of(page, "东城轴承项目"), "gantt-bar") == ["东城轴承项目：2026-06-01 签约，计划 — 达产"]
    assert "西城纺织项目" not in page


def test_the_chart_filters_by_county_major_projects_and_year(
    client_for, progress_make, officer_a, officer_b, city_leader, county_b
):
    progress_make(officer_a, name="东城轴承项目")
    progress_make(officer_b, name="西城纺织项目")
    progress_make(officer_b, name="西城半导体项目", contracted_investment=Decimal(150000))
    client = client_for(city_leader)

    def rows(**query) -> list[str]:
        page = client.get(reverse("landing:gantt"), query).content.decode()
        if 'data-testid="gantt"' not in page:
            return []
        return sorted(name for name in ("东城轴承项目", "西城纺织项目", "西城半导体项目") if f">{name}<" in page)

    assert rows() == ["东城轴承项目", "西城半导体项目", "西城纺织项目"]
    assert rows(unit=county_b.pk) == ["西城半导体项目", "西城纺织项目"]
    assert rows(unit=county_b.pk, major="on") == ["西城半导体项目"]
    assert rows(year=2025) == []


def test_a_project_at_capacity_before_the_year_leaves_the_chart(progress_make, officer_a, client_for):
    done = progress_make(officer_a, name="东城老项目")
    Project.objects.filter(pk=done.pk).update(stage=Stage.AT_CAPACITY, at_capacity_on=date(2026, 10, 1))
    client = client_for(officer_a)

    this_year = client.get(reverse("landing:gantt")).content.decode()
    next_year = client.get(reverse("landing:gantt"), {"year": 2027}).content.decode()

    assert _titles(_row_of(this_year, "东城老项目"), "gantt-bar") == ["东城老项目：2026-06-01 签约，计划 — 达产"]
    assert 'class="bar-done"' in _row_of(this_year, "东城老项目")
    assert "东城老项目" not in next_year
    assert "没有符合条件的项目" in next_year


def test_the_chart_without_projects_says_so(client_for, officer_b, progress_make, officer_a):
    progress_make(officer_a, name="东城轴承项目")

    response = client_for(officer_b).get(reverse("landing:gantt"))

    page = response.content.decode()
    assert response.status_code == 200
    assert "没有符合条件的项目：签约后的项目会出现在这里。" in page
    assert 'data-testid="gantt"' not in page


def test_the_chart_needs_the_right_to_read_progress(client_for, client, progress_project):
    from apps.org import roles
    from apps.org.tests.factories import UserFactory

    agent = UserFactory(username="pg_agent", unit=progress_project.unit, roles=[roles.HOTLINE_AGENT])

    assert client.get(reverse("landing:gantt")).status_code == 302
    assert client_for(agent).get(reverse("landing:gantt")).status_code == 403


def test_the_chart_takes_the_same_number_of_queries_for_2_and_6_projects(
    client_for, progress_make, officer_a, count_queries
):
    client = client_for(officer_a)

    def grow(n: int) -> None:
        for i in range(n):
            project = progress_make(officer_a, name=f"东城项目{Project.objects.count() + 1}")
            plan_milestones(
                project=project, planned={"completed": date(2026, 10, 1), "at_capacity": date(2027, 6, 1)}, by=officer_a
            )
            if i % 2:
                signed = progress_make(officer_a, Stage.SIGNED, name=f"东城签约项目{Project.objects.count() + 1}")
                advance_project(project=signed, happened_on=date(2026, 7, 1), by=officer_a)  # a claim waiting

    def draw() -> None:
        assert client.get(reverse("landing:gantt")).status_code == 200

    grow(2)
    draw()  # warm caches (settings, calendar) before counting
    two = count_queries(draw)
    grow(4)
    six = count_queries(draw)

    assert Milestone.objects.count() == 12
    assert two == six


def test_a_signing_still_waiting_for_confirmation_dates_the_bar(client_for, progress_make, officer_a):
    """签约 claimed on 1 June 2026 but not yet confirmed: the bar starts there, and the 2025 chart leaves it out."""
    progress_make(officer_a, Stage.SIGNED, name="东城待确认项目", confirm=False)
    client = client_for(officer_a)

    this_year = client.get(reverse("landing:gantt")).content.decode()
    last_year = client.get(reverse("landing:gantt"), {"year": 2025}).content.decode()

    assert _titles(_row_of(this_year, "东城待确认项目"), "gantt-bar") == [
        "东城待确认项目：2026-06-01 签约，计划 — 达产"
    ]
    assert "东城待确认项目" not in last_year
