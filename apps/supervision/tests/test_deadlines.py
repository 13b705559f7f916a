"""Red/amber/green and the escalation scan, across the 2024 National Day holiday (10月1日–7日 off; 9月29日
and 10月12日 make-up workdays)."""

from datetime import date

import pytest

from apps.core.models import Notice
from apps.supervision.models import Problem, Reminder
from apps.supervision.services import deadlines
from apps.supervision.services.scans import scan_supervision


def _due(problem, day: date) -> Problem:
    Problem.objects.filter(pk=problem.pk).update(due_on=day)
    problem.refresh_from_db()
    return problem


def test_amber_counts_working_days_across_the_holiday(db):
    thresholds = deadlines.Thresholds.on(date(2024, 9, 30))

    # after 9月30日 the working days are 10月8日, 9日, 10日 (three), then 11日
    assert thresholds.green_from == date(2024, 10, 11)
    light = thresholds.light
    assert light(Problem(status="pending", due_on=date(2024, 10, 10))) == deadlines.AMBER
    assert light(Problem(status="in_progress", due_on=date(2024, 10, 11))) == deadlines.GREEN
    assert light(Problem(status="pending", due_on=date(2024, 9, 29))) == deadlines.RED
    assert light(Problem(status="reported", due_on=date(2024, 9, 29))) == ""


def test_the_light_filter_agrees_with_the_light(make_problem, department):
    problems = [make_problem(department, title=f"问题{n}") for n in range(3)]
    for problem, day in zip(problems, (date(2024, 9, 27), date(2024, 10, 10), date(2024, 10, 11)), strict=True):
        _due(problem, day)
    thresholds = deadlines.Thresholds.on(date(2024, 9, 30))

    for light in (deadlines.RED, deadlines.AMBER, deadlines.GREEN):
        found = Problem.objects.filter(thresholds.condition(light))
        assert [thresholds.light(p) for p in found] == [light]


def test_overdue_working_days_count_the_make_up_day(db):
    from apps.core.workdays import WorkdayCalendar

    # after 9月27日: 9月29日 (a Sunday worked), 30日, 10月8日, 9日
    assert deadlines.overdue_working_days(date(2024, 9, 27), date(2024, 10, 9), WorkdayCalendar.load()) == 4


@pytest.mark.parametrize(
    ("due_on", "today", "level"),
    [
        (date(2024, 10, 10), date(2024, 9, 30), "remind"),
        (date(2024, 9, 27), date(2024, 10, 9), "urge"),
        (date(2024, 9, 27), date(2024, 10, 18), "supervise"),
    ],
)
def test_the_scan_sends_the_level_of_the_day(make_problem, department, handler, supervisor, due_on, today, level):
    problem = _due(make_problem(department), due_on)

    sent = scan_supervision(today=today)

    assert sent[level] == 1
    assert sum(sent.values()) == 1
    assert problem.events.filter(action=level).count() == 1
    assert Notice.objects.filter(recipient=handler, key__contains=f".{level}.").count() == 1
    told_office = Notice.objects.filter(recipient=supervisor, key__contains=f".{level}.").exists()
    assert told_office == (level == "supervise")


def test_the_scan_is_idempotent(make_problem, department):
    problem = _due(make_problem(department), date(2024, 9, 27))

    assert scan_supervision(today=date(2024, 10, 9))["urge"] == 1
    assert scan_supervision(today=date(2024, 10, 9)) == {
        "remind": 0,
        "urge": 0,
        "supervise": 0,
        "overdue_commitments": 0,
        "task_remind": 0,
        "task_urge": 0,
        "missing_reports": 0,
    }
    assert scan_supervision(today=date(2024, 10, 10))["urge"] == 0  # still 催办: sent already for this due date
    assert Reminder.objects.filter(problem=problem).count() == 1
    assert problem.events.filter(action="urge").count() == 1


def test_a_new_due_date_starts_afresh_and_closed_problems_are_left_alone(make_problem, department, handler):
    problem = _due(make_problem(department), date(2024, 9, 27))
    scan_supervision(today=date(2024, 10, 9))
    _due(problem, date(2024, 10, 8))
    done = _due(make_problem(department, title="已报告"), date(2024, 9, 27))
    Problem.objects.filter(pk=done.pk).update(status="reported")

    assert scan_supervision(today=date(2024, 10, 9))["urge"] == 1
    assert Reminder.objects.filter(problem=problem).count() == 2
    assert not Reminder.objects.filter(problem=done).exists()
