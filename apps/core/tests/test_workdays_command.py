from datetime import date
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from apps.core.models import CalendarDay, CalendarYear

pytestmark = [pytest.mark.django_db, pytest.mark.shipped_calendar]


def run(*args: str) -> str:
    out = StringIO()
    call_command("workdays", *args, stdout=out)
    return out.getvalue().strip()


def test_add_prints_the_nth_working_day():
    assert run("add", "2024-09-27", "3") == "2024-10-08"


def test_add_counts_backwards_with_a_negative_number():
    assert run("add", "2024-10-08", "-3") == "2024-09-27"


def test_between_prints_the_count():
    assert run("between", "2024-09-27", "2024-10-14") == "8"


def test_between_is_negative_when_the_end_is_earlier():
    assert run("between", "2024-10-14", "2024-09-27") == "-8"


def test_database_overrides_are_used():
    CalendarDay.objects.create(date=date(2024, 10, 8), is_workday=False)

    assert run("add", "2024-09-27", "3") == "2024-10-09"


def test_a_declared_year_is_computed():
    CalendarYear.objects.create(year=2031, source="通知")
    CalendarDay.objects.create(date=date(2031, 1, 1), is_workday=False, note="元旦")

    assert run("add", "2030-12-31", "1") == "2031-01-02"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("add", "2024-13-01", "3"), "日期“2024-13-01”无法识别"),
        (("add", "2024-09-27", "三"), "工作日数“三”不是整数"),
        (("between", "2024-09-27", "昨天"), "日期“昨天”无法识别"),
        (("add", "2024-09-27"), "用法"),
        (("count", "2024-09-27", "3"), "用法"),
        ((), "用法"),
        (("add", "2031-03-03", "1"), "2031 年的节假日安排尚未录入，请系统管理员在“工作日历”中录入。"),
    ],
)
def test_bad_input_is_a_command_error_in_chinese(args, message):
    with pytest.raises(CommandError, match=message):
        run(*args)
