"""Working days from the command line: ``workdays add 2024-09-27 3`` and ``workdays between 2024-09-27 2024-10-14``."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.core.errors import BusinessRuleError
from apps.core.workdays import WorkdayCalendar

USAGE = gettext_lazy(
    "workdays add 起算日期 工作日数 —— 起算日期后第 N 个工作日（N 为负数时向前推算）；"
    "workdays between 起算日期 截止日期 —— 起算日期之后至截止日期（含）的工作日数。日期写成 2024-09-27。"
)


class Command(BaseCommand):
    help = (
        "按工作日历（法定节假日、调休和数据库中的调整）计算。"
        "workdays add 2024-09-27 3 输出起算日期后第 3 个工作日；"
        "workdays between 2024-09-27 2024-10-14 输出起算日期之后至截止日期（含）的工作日数。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", nargs="?", help="add 或 between")
        parser.add_argument("values", nargs="*", help="add：起算日期 工作日数；between：起算日期 截止日期")

    def handle(self, *args, action: str | None, values: list[str], **options) -> None:
        if action not in {"add", "between"} or len(values) != 2:
            raise CommandError(_("用法：%(usage)s") % {"usage": USAGE})
        start = _parse_date(values[0])
        workdays = WorkdayCalendar.load()
        try:
            if action == "add":
                result = workdays.add_working_days(start, _parse_int(values[1]))
            else:
                result = workdays.working_days_between(start, _parse_date(values[1]))
        except BusinessRuleError as error:
            raise CommandError(error.message) from error
        self.stdout.write(str(result))


def _parse_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CommandError(_("日期“%(value)s”无法识别，请写成 2024-09-27 这样的格式。") % {"value": text}) from None


def _parse_int(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise CommandError(_("工作日数“%(value)s”不是整数。") % {"value": text}) from None
