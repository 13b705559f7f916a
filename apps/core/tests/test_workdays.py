from datetime import date, datetime, timedelta

import pytest
from auditlog.models import LogEntry

from apps.core import services
from apps.core.errors import BusinessRuleError
from apps.core.models import CalendarDay, CalendarYear
from apps.core.services import DayEntry
from apps.core.workdays import (
    LIBRARY_YEARS,
    CalendarNotCovered,
    WorkdayCalendar,
    add_working_days,
    notable_days,
    working_days_between,
)

UNCOVERED = 2031  # neither chinese-calendar 1.11 nor the database knows it

pytestmark = [pytest.mark.django_db, pytest.mark.shipped_calendar]


def test_the_uncovered_year_of_these_tests_is_really_uncovered():
    assert UNCOVERED not in LIBRARY_YEARS
    assert 2024 in LIBRARY_YEARS


# ---- official 2024 dates (国办发明电〔2023〕7号) -------------------------------------------


@pytest.mark.parametrize("day", [date(2024, 2, 4), date(2024, 10, 12)])
def test_make_up_weekend_days_of_2024_were_workdays(day):
    assert day.weekday() >= 5
    assert WorkdayCalendar.load().is_workday(day)


@pytest.mark.parametrize("day", [date(2024, 10, 1) + timedelta(days=i) for i in range(7)])
def test_national_day_2024_was_a_holiday(day):
    assert not WorkdayCalendar.load().is_workday(day)


def test_third_working_day_after_27_september_2024_is_8_october():
    assert add_working_days(date(2024, 9, 27), 3) == date(2024, 10, 8)


def test_eight_working_days_after_27_september_up_to_14_october_2024():
    # 9/29 (Sun, make-up), 9/30, 10/8, 10/9, 10/10, 10/11, 10/12 (Sat, make-up), 10/14
    assert working_days_between(date(2024, 9, 27), date(2024, 10, 14)) == 8


# ---- conventions ---------------------------------------------------------------------------


def test_zero_working_days_is_the_start_itself_even_on_a_holiday():
    assert add_working_days(date(2024, 10, 3), 0) == date(2024, 10, 3)


def test_between_a_day_and_itself_is_zero():
    assert working_days_between(date(2024, 10, 8), date(2024, 10, 8)) == 0


def test_between_counts_the_end_day_but_not_the_start_day():
    assert working_days_between(date(2024, 10, 8), date(2024, 10, 9)) == 1
    assert working_days_between(date(2024, 10, 7), date(2024, 10, 8)) == 1


def test_negative_n_counts_backwards():
    assert add_working_days(date(2024, 10, 8), -1) == date(2024, 9, 30)
    assert add_working_days(date(2024, 10, 8), -3) == date(2024, 9, 27)


def test_end_before_start_gives_a_negative_count():
    assert working_days_between(date(2024, 10, 14), date(2024, 9, 27)) == -8


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (date(2024, 9, 27), date(2024, 10, 8)),
        (date(2024, 10, 3), date(2024, 10, 12)),
        (date(2024, 1, 1), date(2024, 12, 31)),
    ],
)
def test_adding_the_count_between_lands_on_the_working_day_end(start, end):
    workdays = WorkdayCalendar.load()

    assert workdays.add_working_days(start, workdays.working_days_between(start, end)) == end


def test_a_datetime_is_refused_rather_than_silently_compared():
    with pytest.raises(TypeError):
        add_working_days(datetime(2024, 9, 27, 9, 0), 3)  # noqa: DTZ001


# ---- database overrides --------------------------------------------------------------------


def test_an_override_turns_a_library_workday_into_a_holiday():
    CalendarDay.objects.create(date=date(2024, 10, 8), is_workday=False, note="临时停工")

    assert add_working_days(date(2024, 9, 27), 3) == date(2024, 10, 9)


def test_an_override_turns_a_weekend_into_a_workday():
    CalendarDay.objects.create(date=date(2024, 9, 28), is_workday=True, note="调休上班")

    assert add_working_days(date(2024, 9, 27), 1) == date(2024, 9, 28)
    assert working_days_between(date(2024, 9, 27), date(2024, 10, 14)) == 9


def test_an_uncovered_year_raises_a_clear_error():
    with pytest.raises(CalendarNotCovered) as raised:
        add_working_days(date(UNCOVERED, 3, 2), 1)

    assert raised.value.year == UNCOVERED
    assert raised.value.message == "2031 年的节假日安排尚未录入，请系统管理员在“工作日历”中录入。"


def test_crossing_into_an_uncovered_year_raises():
    with pytest.raises(CalendarNotCovered):
        working_days_between(date(2030, 12, 1), date(UNCOVERED, 1, 10))


def test_overrides_alone_do_not_cover_a_year():
    CalendarDay.objects.create(date=date(UNCOVERED, 1, 1), is_workday=False, note="元旦")

    with pytest.raises(CalendarNotCovered):
        add_working_days(date(UNCOVERED, 1, 1), 1)


def test_a_declared_year_uses_weekends_and_its_overrides():
    CalendarYear.objects.create(year=UNCOVERED, source="国务院办公厅关于2031年部分节假日安排的通知")
    CalendarDay.objects.create(date=date(UNCOVERED, 1, 1), is_workday=False, note="元旦")  # Wednesday
    CalendarDay.objects.create(date=date(UNCOVERED, 1, 4), is_workday=True, note="调休上班")  # Saturday
    workdays = WorkdayCalendar.load()

    assert not workdays.is_workday(date(UNCOVERED, 1, 1))
    assert workdays.is_workday(date(UNCOVERED, 1, 4))
    assert not workdays.is_workday(date(UNCOVERED, 1, 5))  # Sunday
    assert workdays.add_working_days(date(UNCOVERED - 1, 12, 31), 3) == date(UNCOVERED, 1, 4)
    assert workdays.working_days_between(date(UNCOVERED, 1, 1), date(UNCOVERED, 1, 10)) == 8


def test_one_calendar_answers_many_questions_in_two_queries(django_assert_num_queries):
    CalendarDay.objects.create(date=date(2024, 10, 8), is_workday=False)

    with django_assert_num_queries(2):
        workdays = WorkdayCalendar.load()
        due = [workdays.add_working_days(date(2024, 1, 1) + timedelta(days=i % 700), 15) for i in range(3000)]
        counts = [workdays.working_days_between(date(2024, 1, 1), day) for day in due[:200]]

    assert len(due) == 3000
    assert counts[0] == 15


def test_notable_days_name_library_holidays_and_mark_overrides():
    CalendarDay.objects.create(date=date(2024, 10, 8), is_workday=False, note="临时停工")

    days = {info.day: info for info in notable_days(WorkdayCalendar.load(), 2024)}

    assert days[date(2024, 10, 1)].note == "国庆节"
    assert not days[date(2024, 10, 1)].from_database
    assert days[date(2024, 10, 12)].note == "国庆节调休上班"
    assert days[date(2024, 10, 12)].kind == "makeup"
    assert days[date(2024, 10, 8)].from_database
    assert days[date(2024, 10, 8)].kind == "holiday"
    assert date(2024, 10, 9) not in days


# ---- services ------------------------------------------------------------------------------


def test_create_calendar_day_is_audited(system_admin):
    day = services.create_calendar_day(date=date(2024, 10, 8), is_workday=False, note=" 临时停工 ", by=system_admin)

    assert day.note == "临时停工"
    assert LogEntry.objects.get_for_object(day).filter(action=LogEntry.Action.CREATE).count() == 1


def test_create_refuses_a_second_override_of_the_same_date(system_admin):
    services.create_calendar_day(date=date(2024, 10, 8), is_workday=False, by=system_admin)

    with pytest.raises(BusinessRuleError, match="2024年10月8日 已有日历调整") as raised:
        services.create_calendar_day(date=date(2024, 10, 8), is_workday=True, by=system_admin)

    assert raised.value.field == "date"


def test_update_refuses_a_date_taken_by_another_override(system_admin):
    services.create_calendar_day(date=date(2024, 10, 8), is_workday=False, by=system_admin)
    other = services.create_calendar_day(date=date(2024, 10, 9), is_workday=False, by=system_admin)

    with pytest.raises(BusinessRuleError):
        services.update_calendar_day(calendar_day=other, date=date(2024, 10, 8), is_workday=False, by=system_admin)


def test_update_and_delete_calendar_day(system_admin):
    day = services.create_calendar_day(date=date(2024, 10, 8), is_workday=False, by=system_admin)

    services.update_calendar_day(calendar_day=day, date=date(2024, 10, 9), is_workday=True, note="改", by=system_admin)
    day.refresh_from_db()
    assert (day.date, day.is_workday, day.note) == (date(2024, 10, 9), True, "改")

    services.delete_calendar_day(calendar_day=day, by=system_admin)
    assert not CalendarDay.objects.exists()


def test_a_too_long_note_is_refused_in_chinese(system_admin):
    with pytest.raises(BusinessRuleError) as raised:
        services.create_calendar_day(date=date(2024, 10, 8), is_workday=False, note="长" * 101, by=system_admin)

    assert raised.value.field == "note"
    assert "100" in raised.value.message


def test_import_creates_and_updates_in_one_go(system_admin):
    CalendarDay.objects.create(date=date(UNCOVERED, 1, 1), is_workday=True, note="错")
    entries = [DayEntry(date(UNCOVERED, 1, 1), False, "元旦"), DayEntry(date(UNCOVERED, 1, 4), True, "调休上班")]

    created, updated = services.import_calendar_days(entries=entries, by=system_admin)

    assert (created, updated) == (1, 1)
    assert CalendarDay.objects.get(date=date(UNCOVERED, 1, 1)).note == "元旦"


def test_import_writes_nothing_when_one_entry_is_bad(system_admin):
    CalendarDay.objects.create(date=date(UNCOVERED, 1, 1), is_workday=True, note="原值")
    entries = [
        DayEntry(date(UNCOVERED, 1, 1), False, "元旦"),
        DayEntry(date(UNCOVERED, 1, 4), True, "调休上班"),
        DayEntry(date(UNCOVERED, 2, 1), False, "长" * 101),
    ]

    with pytest.raises(BusinessRuleError, match="2031年2月1日"):
        services.import_calendar_days(entries=entries, by=system_admin)

    assert list(CalendarDay.objects.values_list("note", flat=True)) == ["原值"]


def test_declare_year_records_who_and_why(system_admin):
    CalendarDay.objects.create(date=date(UNCOVERED, 1, 1), is_workday=False, note="元旦")

    declared = services.declare_calendar_year(year=UNCOVERED, source="国办发明电〔2030〕1号", by=system_admin)

    assert declared.entered_by == system_admin
    assert WorkdayCalendar.load().covers(UNCOVERED)


def test_declare_refuses_a_year_the_library_covers(system_admin):
    with pytest.raises(BusinessRuleError, match="已内置"):
        services.declare_calendar_year(year=2024, source="通知", by=system_admin)


def test_declare_refuses_a_year_without_any_holiday(system_admin):
    CalendarDay.objects.create(date=date(UNCOVERED, 1, 4), is_workday=True, note="调休上班")

    with pytest.raises(BusinessRuleError, match="还没有录入任何放假日期"):
        services.declare_calendar_year(year=UNCOVERED, source="通知", by=system_admin)


def test_declare_refuses_a_year_twice(system_admin):
    CalendarDay.objects.create(date=date(UNCOVERED, 1, 1), is_workday=False)
    services.declare_calendar_year(year=UNCOVERED, source="通知", by=system_admin)

    with pytest.raises(BusinessRuleError, match="已声明录入"):
        services.declare_calendar_year(year=UNCOVERED, source="通知", by=system_admin)


def test_withdrawing_a_declaration_uncovers_the_year(system_admin):
    CalendarDay.objects.create(date=date(UNCOVERED, 1, 1), is_workday=False)
    declared = services.declare_calendar_year(year=UNCOVERED, source="通知", by=system_admin)

    services.withdraw_calendar_year(calendar_year=declared, by=system_admin)

    assert not WorkdayCalendar.load().covers(UNCOVERED)
    assert CalendarDay.objects.count() == 1
