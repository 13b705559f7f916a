"""Red / amber / green status of landing projects: each reason, the levels' order, the list's filter."""

from datetime import date
from decimal import Decimal

import pytest

from apps.investment.models import Project, Stage
from apps.investment.tests.factories import lead
from apps.landing.models import (
    Checklist,
    ChecklistStep,
    Milestone,
    MilestoneKind,
    ProgressReport,
    ProjectProblem,
    StepStatus,
)
from apps.landing.selectors.status import AMBER, GREEN, RED, filter_by_level, landing_status

pytestmark = pytest.mark.django_db
TODAY = date(2026, 3, 2)  # a Monday; 3 working days ahead is Thursday 5 March


def _project(by, stage=Stage.SIGNED, **fields) -> Project:
    project = lead(by)
    Project.objects.filter(pk=project.pk).update(stage=stage, counted_stage=stage, **fields)
    project.refresh_from_db()
    return project


def _step(project, department, *, due_on, status=StepStatus.IN_PROGRESS, name="环评批复") -> ChecklistStep:
    checklist, _created = Checklist.objects.get_or_create(
        project=project,
        defaults={
            "template_name": "新建项目",
            "template_revision": 1,
            "started_on": date(2026, 1, 5),
            "created_by": project.created_by,
        },
    )
    return ChecklistStep.objects.create(
        checklist=checklist,
        order=checklist.steps.count() + 1,
        code=f"step{checklist.steps.count() + 1}",
        name=name,
        department=department,
        time_limit_days=20,
        status=status,
        due_on=due_on,
    )


def _problem(project, department, *, due_on, status=ProjectProblem.Status.OPEN, title="用地指标未落实"):
    return ProjectProblem.objects.create(
        code=f"WT2026-{ProjectProblem.objects.count() + 1:04d}",
        project=project,
        title=title,
        raised_by=project.created_by,
        raised_on=date(2026, 2, 1),
        department=department,
        due_on=due_on,
        status=status,
    )


def _status(project):
    return landing_status([project], today=TODAY)[project.pk]


@pytest.fixture
def department(taskforce_departments):
    return taskforce_departments["land"]


def test_a_project_with_nothing_late_or_due_is_green(officer_a):
    status = _status(_project(officer_a))

    assert (status.level, status.reasons, status.label) == (GREEN, [], "绿灯")


def test_a_step_past_its_due_date_is_red_and_one_due_within_three_working_days_amber(officer_a, department):
    late, soon, later = _project(officer_a), _project(officer_a), _project(officer_a)
    _step(late, department, due_on=date(2026, 2, 27))
    _step(soon, department, due_on=date(2026, 3, 5), name="施工许可证")
    _step(later, department, due_on=date(2026, 3, 6))
    _step(later, department, due_on=date(2026, 2, 1), status=StepStatus.DONE)

    statuses = landing_status([late, soon, later], today=TODAY)

    assert (statuses[late.pk].level, statuses[late.pk].reasons) == (
        RED,
        ["手续“环评批复”逾期未办结（应于2026年2月27日办结）"],
    )
    assert (statuses[soon.pk].level, statuses[soon.pk].reasons) == (AMBER, ["手续“施工许可证”将于2026年3月5日到期"])
    assert statuses[later.pk].level == GREEN


def test_a_problem_waiting_past_its_deadline_is_red_but_not_once_answered(officer_a, department):
    late, answered, soon = _project(officer_a), _project(officer_a), _project(officer_a)
    _problem(late, department, due_on=date(2026, 3, 1))
    _problem(answered, department, due_on=date(2026, 2, 1), status=ProjectProblem.Status.ANSWERED)
    _problem(soon, department, due_on=TODAY, title="供电线路迁改")

    statuses = landing_status([late, answered, soon], today=TODAY)

    assert (statuses[late.pk].level, statuses[late.pk].reasons) == (
        RED,
        ["问题“用地指标未落实”逾期未答复（时限2026年3月1日）"],
    )
    assert statuses[answered.pk].level == GREEN
    assert (statuses[soon.pk].level, statuses[soon.pk].reasons) == (AMBER, ["问题“供电线路迁改”将于2026年3月2日到期"])


def test_a_milestone_past_its_planned_date_is_red_until_the_stage_or_actual_date_reaches_it(officer_a):
    behind = _project(officer_a)
    started = _project(officer_a, stage=Stage.STARTED, started_on=date(2026, 3, 1))
    structure = _project(officer_a)
    for project in (behind, started):
        Milestone.objects.create(project=project, kind=MilestoneKind.STARTED, planned_on=date(2026, 2, 20))
    Milestone.objects.create(
        project=structure,
        kind=MilestoneKind.MAIN_STRUCTURE,
        planned_on=date(2026, 2, 20),
        achieved_on=date(2026, 2, 18),
    )
    Milestone.objects.create(project=structure, kind=MilestoneKind.COMPLETED, planned_on=date(2026, 3, 4))

    statuses = landing_status([behind, started, structure], today=TODAY)

    assert (statuses[behind.pk].level, statuses[behind.pk].reasons) == (
        RED,
        ["节点“开工”计划2026年2月20日完成，尚未完成"],
    )
    assert statuses[started.pk].level == GREEN
    assert (statuses[structure.pk].level, statuses[structure.pk].reasons) == (AMBER, ["节点“竣工”计划2026年3月4日完成"])


def test_a_project_under_construction_without_last_months_report_is_amber(officer_a):
    missing = _project(officer_a, stage=Stage.STARTED, started_on=date(2026, 1, 10))
    reported = _project(officer_a, stage=Stage.STARTED, started_on=date(2026, 1, 10))
    just_started = _project(officer_a, stage=Stage.STARTED, started_on=date(2026, 3, 1))
    finished = _project(officer_a, stage=Stage.AT_CAPACITY, started_on=date(2025, 1, 10))
    ProgressReport.objects.create(
        project=reported, month=date(2026, 2, 1), invested_in_month=Decimal(100), invested_to_date=Decimal(300),
        description="主体施工", reported_by=officer_a,
    )  # fmt: skip

    statuses = landing_status([missing, reported, just_started, finished], today=TODAY)

    assert (statuses[missing.pk].level, statuses[missing.pk].reasons) == (AMBER, ["未填报2026年2月建设进度"])
    assert [statuses[p.pk].level for p in (reported, just_started, finished)] == [GREEN, GREEN, GREEN]


def test_red_wins_over_amber_and_every_reason_is_listed(officer_a, department):
    project = _project(officer_a, stage=Stage.STARTED, started_on=date(2026, 1, 10))
    _step(project, department, due_on=date(2026, 3, 3), name="施工许可证")
    _problem(project, department, due_on=date(2026, 2, 20))

    status = _status(project)

    assert status.level == RED
    assert status.label == "红灯"
    assert sorted(status.reasons) == sorted(
        [
            "手续“施工许可证”将于2026年3月3日到期",
            "问题“用地指标未落实”逾期未答复（时限2026年2月20日）",
            "未填报2026年2月建设进度",
        ]
    )


def test_the_status_takes_the_same_number_of_queries_for_2_and_6_projects(officer_a, department, count_queries):
    def grow(n: int) -> list[Project]:
        projects = []
        for _i in range(n):
            project = _project(officer_a, stage=Stage.STARTED, started_on=date(2026, 1, 10))
            _step(project, department, due_on=date(2026, 2, 27))
            _problem(project, department, due_on=date(2026, 3, 3))
            Milestone.objects.create(project=project, kind=MilestoneKind.COMPLETED, planned_on=date(2026, 2, 1))
            projects.append(project)
        return projects

    two, six = grow(2), grow(6)

    assert count_queries(lambda: landing_status(two, today=TODAY)) == count_queries(
        lambda: landing_status(six, today=TODAY)
    )


def test_the_lists_level_filter_agrees_with_the_status(officer_a, department):
    red = _project(officer_a)
    _problem(red, department, due_on=date(2026, 2, 1))
    amber = _project(officer_a, stage=Stage.STARTED, started_on=date(2026, 1, 10))
    both = _project(officer_a, stage=Stage.STARTED, started_on=date(2026, 1, 10))
    _step(both, department, due_on=date(2026, 2, 27))
    soon = _project(officer_a)
    Milestone.objects.create(project=soon, kind=MilestoneKind.STARTED, planned_on=date(2026, 3, 5))
    green = _project(officer_a)
    Milestone.objects.create(project=green, kind=MilestoneKind.STARTED, planned_on=date(2026, 2, 1))
    Project.objects.filter(pk=green.pk).update(stage=Stage.COMPLETED, started_on=TODAY)
    everything = Project.objects.filter(pk__in=[p.pk for p in (red, amber, both, soon, green)])

    statuses = landing_status(everything, today=TODAY)

    for level in (RED, AMBER, GREEN):
        expected = {pk for pk, status in statuses.items() if status.level == level}
        assert set(filter_by_level(everything, level, today=TODAY).values_list("pk", flat=True)) == expected
    assert {pk for pk, s in statuses.items() if s.level == RED} == {red.pk, both.pk}
    assert {pk for pk, s in statuses.items() if s.level == AMBER} == {amber.pk, soon.pk}
    assert {pk for pk, s in statuses.items() if s.level == GREEN} == {green.pk}
