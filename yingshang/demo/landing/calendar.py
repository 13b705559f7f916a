"""Working-day arithmetic for the generator, and the next year's calendar the deadlines run into."""

from datetime import date, timedelta

from apps.core.models import CalendarDay, CalendarYear
from apps.core.workdays import WorkdayCalendar

#: marks the calendar entries the demo made, so clear() removes only those
DEMO_SOURCE = "示范数据：{year} 年节假日安排尚未发布，暂按周一至周五为工作日（元旦除外），发布后请系统管理员录入调休。"


def declare_next_year(today: date) -> None:
    """Deadlines of steps started now run into next year, which chinese-calendar may not know yet."""
    calendar = WorkdayCalendar.load()
    year = today.year + 1
    if calendar.covers(year):
        return
    CalendarYear.objects.create(year=year, source=DEMO_SOURCE.format(year=year))
    CalendarDay.objects.get_or_create(date=date(year, 1, 1), defaults={"is_workday": False, "note": "元旦"})


def clear_declared() -> None:
    for entry in CalendarYear.objects.filter(source__startswith="示范数据："):
        CalendarDay.objects.filter(date=date(entry.year, 1, 1), note="元旦").delete()
        entry.delete()


def working_days_before(calendar: WorkdayCalendar, day: date, n: int) -> date:
    """The day n working days before ``day`` (for n ≥ 1, itself a working day)."""
    current = day
    while n > 0:
        current -= timedelta(days=1)
        if calendar.is_workday(current):
            n -= 1
    return current
