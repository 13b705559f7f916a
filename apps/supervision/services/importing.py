"""Batch import of problems from Excel (e.g. the 72 problems of a self-check round): preview, then commit.

``import_problems(content=…, commit=False)`` is the preview: every row goes through ``create_problem`` (the
same rules as a problem entered by hand) inside a transaction that is always rolled back, so the preview shows
exactly what would be created — codes included — and every error by row. ``commit=True`` does the same and
keeps the rows only when there is no error at all (all or nothing).
"""

import re
from dataclasses import dataclass, field
from datetime import date, datetime

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.core.errors import BusinessRuleError
from apps.core.imports import ImportReport, Rollback, RowError, read_sheet
from apps.org.models import Unit, User
from apps.supervision import permissions
from apps.supervision.models import Problem
from apps.supervision.services.problems import create_problem

MAX_ROWS = 1000
TITLE, DESCRIPTION, SOURCE, KIND, REFERENCE, UNIT, CO_UNITS, MEASURES, DUE = (
    gettext_lazy("问题"), gettext_lazy("具体表现"), gettext_lazy("问题来源"), gettext_lazy("自查类别"),
    gettext_lazy("来源说明"), gettext_lazy("责任单位"), gettext_lazy("配合单位"), gettext_lazy("整改措施"),
    gettext_lazy("整改时限"),
)  # fmt: skip
HEADERS = (TITLE, DESCRIPTION, SOURCE, KIND, REFERENCE, UNIT, CO_UNITS, MEASURES, DUE)
REQUIRED = (TITLE, SOURCE, UNIT, DUE)
#: which column a service's refusal belongs to, by the field it names
FIELD_COLUMNS = {"title": TITLE, "source": SOURCE, "kind": KIND, "unit": UNIT, "co_units": CO_UNITS, "due_on": DUE}
SEPARATORS = re.compile(r"[、，,；;\n]+")
DATE_PATTERN = re.compile(r"^\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?\s*$")


@dataclass(frozen=True)
class PreviewRow:
    row: int
    code: str
    title: str
    unit: str
    source: str
    due_on: date


@dataclass
class ProblemImport(ImportReport):
    preview: list[PreviewRow] = field(default_factory=list)


def template_headers() -> list[str]:
    return [str(header) for header in HEADERS]


def import_problems(*, content: bytes, commit: bool, by: User) -> ProblemImport:
    """Check (and with ``commit`` keep) every row; a sheet with any error writes nothing."""
    if not permissions.can_manage(by):
        raise BusinessRuleError(_("只有督办单位可以导入整改问题。"))
    _header, rows = read_sheet(content, required=[str(name) for name in REQUIRED], max_rows=MAX_ROWS)
    report = ProblemImport(rows=len(rows))
    units = _unit_lookup(by)
    try:
        with transaction.atomic():
            for number, values in rows:
                _import_row(report, number, values, units, by)
            if report.errors or not commit:
                raise Rollback
    except Rollback:
        if report.errors:
            report.created = 0
    return report


def _import_row(report: ProblemImport, number: int, values: dict, units: dict[str, Unit], by: User) -> None:
    errors_before = len(report.errors)
    cell = {name: _text(values.get(str(name))) for name in HEADERS if name != DUE}
    source = _choice(report, number, SOURCE, cell[SOURCE], Problem.Source)
    kind = _choice(report, number, KIND, cell[KIND], Problem.Kind) if cell[KIND] else ""
    unit = _unit(report, number, UNIT, cell[UNIT], units)
    co_units = [_unit(report, number, CO_UNITS, name, units) for name in SEPARATORS.split(cell[CO_UNITS]) if name]
    due_on = _date(report, number, values.get(str(DUE)))
    if len(report.errors) > errors_before:
        return
    fields = {
        "title": cell[TITLE], "description": cell[DESCRIPTION], "source": source, "kind": kind,
        "source_reference": cell[REFERENCE], "unit": unit, "co_units": co_units, "measures": cell[MEASURES],
        "due_on": due_on,
    }  # fmt: skip
    try:
        problem = create_problem(**fields, by=by)
    except BusinessRuleError as error:
        report.errors.append(RowError(number, str(FIELD_COLUMNS.get(error.field, "")), error.message))
        return
    report.created += 1
    report.preview.append(
        PreviewRow(number, problem.code, problem.title, unit.name, problem.get_source_display(), due_on)
    )


def _text(value) -> str:
    return "" if value is None else str(value).strip()


def _choice(report: ProblemImport, number: int, column, text: str, choices) -> str:
    by_label = {str(label): value for value, label in choices.choices}
    if text in by_label:
        return by_label[text]
    allowed = "、".join(by_label)
    message = _("“%(text)s”不是可选的值，请填写：%(allowed)s。") % {"text": text, "allowed": allowed}
    report.errors.append(RowError(number, str(column), message if text else _("请填写%(c)s。") % {"c": column}))
    return ""


def _unit_lookup(by: User) -> dict[str, Unit]:
    """The units the importer may give problems to, by full name, short name and code."""
    lookup: dict[str, Unit] = {}
    for unit in permissions.responsible_units(by):
        for key in (unit.code, unit.short_name, unit.name):
            if key:
                lookup.setdefault(key, unit)
    return lookup


def _unit(report: ProblemImport, number: int, column, text: str, units: dict[str, Unit]) -> Unit | None:
    unit = units.get(text)
    if unit is None:
        message = _("找不到单位“%(name)s”（请填写全称、简称或单位代码，且在你的管辖范围内）。") % {"name": text}
        report.errors.append(RowError(number, str(column), message if text else _("请填写责任单位。")))
    return unit


def _date(report: ProblemImport, number: int, value) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    match = DATE_PATTERN.match(_text(value))
    if match:
        try:
            return date(*map(int, match.groups()))
        except ValueError:
            pass
    message = _("整改时限“%(value)s”不是日期，请写成 2026-06-30 或 2026年6月30日。") % {"value": _text(value)}
    report.errors.append(RowError(number, str(DUE), message if _text(value) else _("请填写整改时限。")))
    return None
