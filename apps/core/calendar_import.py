"""Reading a year's arrangement from Excel: columns 日期, 是否工作日 (是/否), 说明; one error list per row.

Each row is checked by the same form as manual entry (CalendarDayForm); nothing is written here.
"""

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import IO

from django.utils.translation import gettext as _
from openpyxl import load_workbook

from apps.core.calendar_forms import CalendarDayForm
from apps.core.services import DayEntry

#: the file format's column titles and values: data that must read back, so never translated
DATE_HEADER, WORKDAY_HEADER, NOTE_HEADER = "日期", "是否工作日", "说明"
HEADERS = (DATE_HEADER, WORKDAY_HEADER, NOTE_HEADER)
YES, NO = "是", "否"
MAX_ROWS = 1000
DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日", "%Y%m%d")
WORKDAY_VALUES = {YES: "1", NO: "0", True: "1", False: "0"}


@dataclass
class ImportRow:
    number: int
    raw: tuple[str, str, str]
    entry: DayEntry | None = None
    errors: list[str] = field(default_factory=list)


@dataclass
class CalendarImport:
    rows: list[ImportRow] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def bad_rows(self) -> list[ImportRow]:
        return [row for row in self.rows if row.errors]

    @property
    def is_valid(self) -> bool:
        return bool(self.rows) and not self.errors and not self.bad_rows

    @property
    def entries(self) -> list[DayEntry]:
        return [row.entry for row in self.rows if row.entry is not None]


def read_calendar_workbook(upload: IO[bytes]) -> CalendarImport:
    """Every row of the first sheet, checked; file-level problems in ``errors``."""
    try:
        sheet = load_workbook(upload, read_only=True, data_only=True).worksheets[0]
        lines = list(sheet.iter_rows(values_only=True, max_row=MAX_ROWS + 2))
    except Exception:  # openpyxl raises many kinds (zip, xml, key) for a file that is not a workbook
        return CalendarImport(errors=[_("无法读取该文件，请上传 .xlsx 格式的 Excel 文件。")])
    if not lines:
        return CalendarImport(errors=[_("文件是空的。")])
    columns, missing = _columns(lines[0])
    if missing:
        return CalendarImport(errors=[_("第 1 行缺少表头“%(name)s”。") % {"name": "、".join(missing)}])
    if len(lines) > MAX_ROWS + 1:
        return CalendarImport(errors=[_("一次最多导入 %(max)s 行。") % {"max": MAX_ROWS}])
    result = CalendarImport()
    for number, line in enumerate(lines[1:], start=2):
        values = tuple(line[i] if i is not None and i < len(line) else None for i in columns)
        if all(value in (None, "") for value in values):
            continue
        result.rows.append(_check_row(number, values))
    _flag_duplicates(result.rows)
    if not result.rows:
        result.errors.append(_("文件中没有数据行。"))
    return result


def _columns(header: tuple) -> tuple[list[int | None], list[str]]:
    titles = [str(cell).strip() if cell is not None else "" for cell in header]
    columns = [titles.index(name) if name in titles else None for name in HEADERS]
    missing = [name for name, column in zip(HEADERS, columns, strict=True) if column is None and name != NOTE_HEADER]
    return columns, missing


def _check_row(number: int, values: tuple) -> ImportRow:
    day_value, workday_value, note_value = values
    row = ImportRow(number, tuple(_display(value) for value in values))
    day = _parse_date(day_value)
    if day is None:
        row.errors.append(_("日期“%(value)s”无法识别，请写成 2024-10-01 这样的格式。") % {"value": row.raw[0]})
    data = {
        "date": day.isoformat() if day else "",
        "is_workday": WORKDAY_VALUES.get(_stripped(workday_value), _display(workday_value)),
        "note": _display(note_value),
    }
    form = CalendarDayForm(data)
    if not form.is_valid():
        row.errors += [
            f"{form.fields[name].label}：{message}"
            for name, messages in form.errors.items()
            if not (name == "date" and day is None)
            for message in messages
        ]
    if not row.errors:
        row.entry = DayEntry(form.cleaned_data["date"], form.cleaned_data["is_workday"], form.cleaned_data["note"])
    return row


def _flag_duplicates(rows: list[ImportRow]) -> None:
    first_row: dict[date, int] = {}
    for row in rows:
        if row.entry is None:
            continue
        if row.entry.date in first_row:
            row.errors.append(_("与第 %(row)s 行的日期重复。") % {"row": first_row[row.entry.date]})
            row.entry = None
        else:
            first_row[row.entry.date] = row.number


def _parse_date(value: object) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = _display(value)
    for pattern in DATE_FORMATS:
        try:
            return datetime.strptime(text, pattern).date()  # noqa: DTZ007 - a calendar date, no time zone
        except ValueError:
            continue
    return None


def _stripped(value: object) -> object:
    return value.strip() if isinstance(value, str) else value


def _display(value: object) -> str:
    return "" if value is None else str(value).strip()
