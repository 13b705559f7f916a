"""Cases in Excel: the ledger export, and the all-or-nothing import of one commitment's cases.

The import reads one row per case: number, area (by name or code), applicant, credit code, received and
completed dates, the clock stops in one cell ("补正材料 2024-09-03至2024-09-05；现场踏勘 …") and, for each
step of the commitment's chain, its start and end dates in columns named after it ("设立登记开始",
"设立登记完成"). A known number updates that case, a new one records a case. Every row goes through the
same rules as the form (services/cases.py); one error and nothing is written, and the report names each
error's row and column.
"""

import re
from collections.abc import Iterable
from datetime import date, datetime

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from apps.bizenv import permissions
from apps.bizenv.models import Case, ClockStop, Commitment
from apps.bizenv.services.cases import StepInput, StopInput, record_case, update_case
from apps.bizenv.services.commitments import WorkdayCounter
from apps.core.audit import records_actor
from apps.core.errors import BusinessRuleError
from apps.core.imports import ImportReport, Rollback, RowError, read_sheet
from apps.org.models import Unit

MAX_ROWS = 5000
NUMBER, AREA, APPLICANT = gettext_noop("办件编号"), gettext_noop("办理地区"), gettext_noop("申请人")
USCC, RECEIVED, COMPLETED = gettext_noop("统一社会信用代码"), gettext_noop("受理日期"), gettext_noop("办结日期")
STOPS = gettext_noop("暂停计时")
REQUIRED = (NUMBER, AREA, APPLICANT, RECEIVED)
BASE_COLUMNS = (NUMBER, AREA, APPLICANT, USCC, RECEIVED, COMPLETED, STOPS)
STEP_START, STEP_END = gettext_noop("%(step)s开始"), gettext_noop("%(step)s完成")
STOP_PATTERN = re.compile(r"^\s*(.+?)\s*([0-9]{4}[-/.年][0-9]{1,2}[-/.月][0-9]{1,2}日?)\s*(?:至|到|to|~|～|—|-{1,2})\s*([0-9]{4}[-/.年][0-9]{1,2}[-/.月][0-9]{1,2}日?)\s*$")  # fmt: skip
DATE_PATTERN = re.compile(r"^([0-9]{4})[-/.年]([0-9]{1,2})[-/.月]([0-9]{1,2})日?$")
SEPARATORS = ("；", ";", "\n")


# ---- export -------------------------------------------------------------------------------------------


LEDGER_HEADERS = (
    gettext_noop("承诺事项"), NUMBER, AREA, APPLICANT, USCC, RECEIVED, COMPLETED, gettext_noop("承诺时限（工作日）"),
    gettext_noop("用时（工作日）"), gettext_noop("暂停计时（工作日）"), gettext_noop("是否超时"),
    gettext_noop("超时情况说明"), gettext_noop("来源"),
)  # fmt: skip


def ledger_rows(cases) -> tuple[list[str], Iterable[list[object]]]:
    """The case ledger as the list shows it (one row per case, dates as date cells)."""
    rows = (
        [
            case.commitment.name,
            case.number,
            case.unit.name,
            case.applicant_name,
            case.applicant_uscc,
            case.received_on,
            case.completed_on,
            case.limit_days,
            case.working_days,
            case.stopped_days,
            (_("是") if case.is_late else _("否")) if case.completed_on else _("在办"),
            case.explanation,
            case.get_source_display(),
        ]  # fmt: skip
        for case in cases.select_related("commitment", "unit").iterator(chunk_size=2000)
    )
    return [_(header) for header in LEDGER_HEADERS], rows


def import_headers(commitment: Commitment) -> list[str]:
    """The import's header for the commitment: the case's fields, then each step's start and end."""
    steps = list(commitment.steps.values_list("name", flat=True))
    stepped = [_(label) % {"step": name} for name in steps for label in (STEP_START, STEP_END)]
    return [_(name) for name in BASE_COLUMNS] + stepped


def import_rows(commitment: Commitment, cases) -> tuple[list[str], list[list[object]]]:
    """The commitment's cases in the import's layout, to correct and upload again."""
    headers = import_headers(commitment)
    rows = []
    for case in cases.filter(commitment=commitment).select_related("unit").prefetch_related("steps", "stops"):
        stops = "；".join(f"{s.get_reason_display()} {s.starts_on}至{s.ends_on}" for s in case.stops.all())
        dates = {step.name: (step.started_on, step.ended_on) for step in case.steps.all()}
        row = [case.number, case.unit.code, case.applicant_name, case.applicant_uscc, case.received_on,
               case.completed_on, stops]  # fmt: skip
        for name in commitment.steps.values_list("name", flat=True):
            row += list(dates.get(name, (None, None)))
        rows.append(row)
    return headers, rows


# ---- import -------------------------------------------------------------------------------------------


@records_actor
def import_cases(*, commitment: Commitment, content: bytes, by: AbstractBaseUser) -> ImportReport:
    """Check every row of the workbook, then record or update all of them, or none."""
    permissions.require(permissions.case_units(by).exists())
    header, rows = _read(content, commitment)
    report = ImportReport(rows=len(rows))
    reader = _RowReader(commitment, header, by)
    try:
        with transaction.atomic():
            for number, cells in rows:
                reader.write(number, cells, report)
            if report.errors:
                raise Rollback
    except Rollback:
        report.created = report.updated = 0
    return report


def _read(content: bytes, commitment: Commitment) -> tuple[list[str], list[tuple[int, dict]]]:
    header, rows = read_sheet(content, required=[_(name) for name in REQUIRED], max_rows=MAX_ROWS)
    unknown = [name for name in header if name and name not in import_headers(commitment)]
    if unknown:
        raise BusinessRuleError(
            _("表头中的“%(columns)s”不是“%(name)s”办件表的列。")
            % {"columns": "、".join(unknown), "name": commitment.name}
        )
    return header, rows


class _RowReader:
    """Turns rows into cases, checking each as the form would; errors go to the report."""

    def __init__(self, commitment: Commitment, header: list[str], by: AbstractBaseUser) -> None:
        self.commitment, self.header, self.by = commitment, header, by
        self.chain = list(commitment.steps.all())
        self.units = list(permissions.case_units(by))
        self.existing = {case.number: case for case in permissions.visible_cases(by).filter(commitment=commitment)}
        self.others = set(
            Case.objects.filter(commitment=commitment).exclude(pk__in=[c.pk for c in self.existing.values()])
            .values_list("number", flat=True)
        )  # fmt: skip
        self.counter = WorkdayCounter()
        self.seen: dict[str, int] = {}

    def write(self, row: int, cells: dict, report: ImportReport) -> None:
        errors: list[RowError] = []
        number = self._text(cells.get(_(NUMBER)))
        if not self._unique(row, number, errors):
            report.errors += errors
            return
        fields = self._fields(row, cells, errors)
        if errors:
            report.errors += errors
            return
        case = self.existing.get(number)
        try:
            with transaction.atomic():
                if case is None:
                    record_case(commitment=self.commitment, by=self.by, source=Case.Source.IMPORT, counter=self.counter, **fields)  # fmt: skip
                    report.created += 1
                else:
                    update_case(case=case, by=self.by, counter=self.counter, **fields)
                    report.updated += 1
        except BusinessRuleError as error:
            report.errors.append(RowError(row, self._column(error.field), error.message))

    def _unique(self, row: int, number: str, errors: list[RowError]) -> bool:
        if not number:
            errors.append(RowError(row, _(NUMBER), _("缺少办件编号。")))
        elif number in self.seen:
            errors.append(RowError(row, _(NUMBER), _("与第 %(row)s 行编号重复。") % {"row": self.seen[number]}))
        elif number in self.others:
            errors.append(RowError(row, _(NUMBER), _("该编号的办件属于其他地区，您无权修改。")))
        else:
            self.seen[number] = row
            return True
        return False

    def _fields(self, row: int, cells: dict, errors: list[RowError]) -> dict:
        def read(column: str, reader, **kwargs):
            try:
                return reader(cells.get(column), **kwargs)
            except BusinessRuleError as error:
                errors.append(RowError(row, column, error.message))
                return None

        fields = {
            "number": self._text(cells.get(_(NUMBER))),
            "unit": read(_(AREA), self._unit),
            "applicant_name": self._text(cells.get(_(APPLICANT))),
            "applicant_uscc": self._text(cells.get(_(USCC))),
            "received_on": read(_(RECEIVED), self._date, required=True),
            "completed_on": read(_(COMPLETED), self._date),
            "stops": read(_(STOPS), self._stops) or [],
        }
        steps = []
        for step in self.chain:
            start_column, end_column = _(STEP_START) % {"step": step.name}, _(STEP_END) % {"step": step.name}
            steps.append(StepInput(step.name, step.limit_days, step.department,
                                   read(start_column, self._date), read(end_column, self._date)))  # fmt: skip
        fields["steps"] = steps
        return fields

    def _column(self, name: str | None) -> str:
        columns = {"number": NUMBER, "unit": AREA, "applicant_name": APPLICANT, "applicant_uscc": USCC,
                   "received_on": RECEIVED, "completed_on": COMPLETED, "stops": STOPS}  # fmt: skip
        return _(columns[name]) if name in columns else _("环节日期") if name == "steps" else _(NUMBER)

    # -- cell readers: each returns the value or refuses in Chinese --

    @staticmethod
    def _text(value) -> str:
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        return str(value).strip() if value is not None else ""

    @staticmethod
    def _date(value, *, required: bool = False) -> date | None:
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        text = str(value).strip() if value is not None else ""
        if not text:
            if required:
                raise BusinessRuleError(_("请填写日期。"))
            return None
        return parse_date(text)

    def _unit(self, value) -> Unit:
        text = self._text(value)
        if not text:
            raise BusinessRuleError(_("请填写办理地区。"))
        matches = [u for u in self.units if u.code == text] or [u for u in self.units if text in (u.name, u.short_name)]
        if not matches:
            raise BusinessRuleError(_("“%(name)s”不是您可以登记办件的地区。") % {"name": text})
        if len(matches) > 1:
            raise BusinessRuleError(_("有多个地区名为“%(name)s”，请改填单位代码。") % {"name": text})
        return matches[0]

    def _stops(self, value) -> list[StopInput]:
        text = self._text(value)
        for separator in SEPARATORS[1:]:
            text = text.replace(separator, SEPARATORS[0])
        labels = {str(label): value for value, label in ClockStop.Reason.choices}
        stops = []
        for part in (piece.strip() for piece in text.split(SEPARATORS[0])):
            if not part:
                continue
            match = STOP_PATTERN.match(part)
            if match is None:
                raise BusinessRuleError(_("“%(text)s”应写作“补正材料 2024-09-03至2024-09-05”。") % {"text": part})
            reason = labels.get(match.group(1))
            if reason is None:
                raise BusinessRuleError(_("暂停原因应为：%(labels)s。") % {"labels": "、".join(labels)})
            stops.append(StopInput(reason, parse_date(match.group(2)), parse_date(match.group(3))))
        return stops


def parse_date(text: str) -> date:
    """2024-10-08, 2024/10/8, 2024.10.8 or 2024年10月8日; refused in Chinese otherwise."""
    match = DATE_PATTERN.match(text.strip())
    try:
        if match is None:
            raise ValueError(text)
        return date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError as error:
        raise BusinessRuleError(_("“%(text)s”不是日期（如 2024-10-08 或 2024年10月8日）。") % {"text": text}) from error
