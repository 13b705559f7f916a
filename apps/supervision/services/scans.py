"""The daily supervision scan: 提醒 before the due date, 催办 once overdue, 督办 when long overdue.

For each problem still with its unit (待整改, 整改中) the scan works out today's level:
- 提醒 (remind) when the light is amber (due within AMBER_WORKING_DAYS working days, see deadlines.py);
- 催办 (urge) when overdue by up to SUPERVISE_AFTER_WORKING_DAYS working days;
- 督办 (supervise) when overdue by more than that; the supervising office is told too.
A level is sent once per problem and due date (a Reminder row, unique on the three): running the scan twice
sends nothing new, and a new due date starts afresh. A level the problem skipped (found already long overdue)
is not sent after the fact.

The scan then marks commitments to investors past due and not fulfilled 逾期未兑现, raising one rectification
problem for each (services/commitments.py; a commitment raises once, so the step is idempotent too), and
reminds supervision tasks near or past their due date and those with missing progress reports
(services/tasks.scan_tasks, once per task, level and day).
"""

from datetime import date

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy

from apps.core.notices import notify
from apps.core.workdays import WorkdayCalendar, chinese_date
from apps.supervision.models import Problem, ProblemEvent, Reminder
from apps.supervision.services import deadlines
from apps.supervision.services.commitments import raise_overdue_commitments
from apps.supervision.services.problems import office_people, problem_url, record, unit_people
from apps.supervision.services.tasks import SCAN_LABELS as TASK_SCAN_LABELS
from apps.supervision.services.tasks import scan_tasks

Level = Reminder.Level
OVERDUE_COMMITMENTS = "overdue_commitments"
TITLES = {
    Level.REMIND: gettext_lazy("提醒：整改时限临近：%(title)s（%(day)s到期）"),
    Level.URGE: gettext_lazy("催办：整改问题已逾期 %(days)s 个工作日：%(title)s"),
    Level.SUPERVISE: gettext_lazy("督办：整改问题已逾期 %(days)s 个工作日：%(title)s"),
}


def level_for(problem: Problem, thresholds: deadlines.Thresholds, workdays: WorkdayCalendar) -> str | None:
    """Today's level for the problem, or None while it is green (or no longer with its unit)."""
    light = thresholds.light(problem)
    if light == deadlines.AMBER:
        return Level.REMIND
    if light != deadlines.RED:
        return None
    overdue = deadlines.overdue_working_days(problem.due_on, thresholds.today, workdays)
    return Level.SUPERVISE if overdue > deadlines.SUPERVISE_AFTER_WORKING_DAYS else Level.URGE


def scan_supervision(*, today: date | None = None) -> dict[str, int]:
    """Send today's reminders, raise problems for overdue commitments, remind tasks; returns how many of each."""
    today = today or timezone.localdate()
    workdays = WorkdayCalendar.load()
    thresholds = deadlines.Thresholds.on(today, workdays)
    sent = dict.fromkeys(Level.values, 0)
    due = Problem.objects.open().filter(due_on__lt=thresholds.green_from).select_related("unit", "supervising_unit")
    for problem in due:
        level = level_for(problem, thresholds, workdays)
        if level is not None and _send(problem, level, today, workdays):
            sent[level] += 1
    sent[OVERDUE_COMMITMENTS] = raise_overdue_commitments(today=today)
    sent |= scan_tasks(today=today, thresholds=thresholds, workdays=workdays)
    return sent


def _send(problem: Problem, level: str, today: date, workdays: WorkdayCalendar) -> bool:
    """Record and send the level once; False when it was sent before."""
    try:
        with transaction.atomic():
            Reminder.objects.create(problem=problem, level=level, due_on=problem.due_on)
            values = {
                "title": problem.title,
                "day": chinese_date(problem.due_on),
                "days": deadlines.overdue_working_days(problem.due_on, today, workdays),
            }
            title = str(TITLES[level]) % values
            record(problem, ProblemEvent.Action(level), None, title)
            recipients = list(unit_people(problem))
            if level == Level.SUPERVISE:
                recipients += list(office_people(problem))
            key = f"supervision.problem.{problem.pk}.{level}.{problem.due_on:%Y%m%d}"
            notify(recipients=recipients, key=key, title=title, url=problem_url(problem))
    except IntegrityError:  # sent before, by this scan yesterday or another one just now
        return False
    return True


def scan_supervision_summary() -> str:
    """The scan as the task worker runs it, in one line."""
    sent = scan_supervision()
    labels = {**dict(Level.choices), OVERDUE_COMMITMENTS: gettext_lazy("承诺逾期转整改"), **TASK_SCAN_LABELS}
    return "；".join(f"{labels[key]} {count}" for key, count in sent.items())
