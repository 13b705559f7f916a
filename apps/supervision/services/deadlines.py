"""Red/amber/green (红黄绿灯) by the due date, in working days.

A problem the responsible unit still works on (待整改, 整改中) is
- red (红灯) when today is after its due date;
- amber (黄灯) when its due date is today or comes within ``AMBER_WORKING_DAYS`` working days after today
  (counted as apps/core/workdays.py counts: the working days after today up to and including the due date);
- green (绿灯) otherwise.
A problem reported complete or signed off has no light: the unit's part is done.

The rule is one date threshold per day (``Thresholds``), so the ledger filters by light in SQL and shows the
light of each row with the same answer.
"""

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.core.workdays import WorkdayCalendar
from apps.supervision.models import Problem

#: a problem turns amber this many working days before its due date (setting SUPERVISION_AMBER_WORKING_DAYS)
AMBER_WORKING_DAYS: int = getattr(settings, "SUPERVISION_AMBER_WORKING_DAYS", 3)
#: 督办 instead of 催办 once a problem is overdue by more than this (setting SUPERVISION_SUPERVISE_AFTER_WORKING_DAYS)
SUPERVISE_AFTER_WORKING_DAYS: int = getattr(settings, "SUPERVISION_SUPERVISE_AFTER_WORKING_DAYS", 5)

RED, AMBER, GREEN = "red", "amber", "green"
LABELS = {RED: _("红灯（逾期）"), AMBER: _("黄灯（临期）"), GREEN: _("绿灯（正常）")}


@dataclass(frozen=True)
class Thresholds:
    today: date
    #: the first due date that is green: due dates from today up to the day before are amber
    green_from: date

    @classmethod
    def on(cls, today: date, workdays: WorkdayCalendar | None = None) -> "Thresholds":
        """Today's thresholds (one load of the calendar unless given one)."""
        calendar = workdays or WorkdayCalendar.load()
        return cls(today, calendar.add_working_days(today, AMBER_WORKING_DAYS + 1))

    def light(self, problem: Problem) -> str:
        """red, amber, green, or "" for a problem no longer with its unit."""
        if problem.status not in Problem.OPEN_STATUSES:
            return ""
        if problem.due_on < self.today:
            return RED
        return AMBER if problem.due_on < self.green_from else GREEN

    def condition(self, light: str) -> Q:
        """The problems of that light, as a filter."""
        open_ = Q(status__in=Problem.OPEN_STATUSES)
        if light == RED:
            return open_ & Q(due_on__lt=self.today)
        if light == AMBER:
            return open_ & Q(due_on__gte=self.today, due_on__lt=self.green_from)
        return open_ & Q(due_on__gte=self.green_from)


def light_of(problem: Problem, today: date) -> str:
    """The problem's light today."""
    return Thresholds.on(today).light(problem)


def overdue_working_days(due_on: date, today: date, workdays: WorkdayCalendar) -> int:
    """Working days past the due date (0 when not overdue)."""
    return max(workdays.working_days_between(due_on, today), 0) if today > due_on else 0
