"""A round's raw values in Excel: the lead unit's sheet to fill in, and its all-or-nothing import.

One row per (indicator, county): 指标代码, 指标名称, 区县, 原始值, 数据说明. The export lists every row the
user may fill, with the values entered so far, so the filled-in sheet is the import. The import checks
every row as a manual entry would (services/rounds.save_entry: the lead unit, the window, the value's
form); one error and nothing is written, and the report names each error's row and column.
"""

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from apps.bizenv import permissions
from apps.bizenv.models import Entry, Indicator, Round
from apps.bizenv.services.rounds import indicators_of, leaves, save_entry
from apps.core.audit import records_actor
from apps.core.errors import BusinessRuleError
from apps.core.imports import ImportReport, Rollback, RowError, read_sheet

MAX_ROWS = 20000
CODE, NAME, COUNTY = gettext_noop("指标代码"), gettext_noop("指标名称"), gettext_noop("区县")
VALUE, NOTE = gettext_noop("原始值"), gettext_noop("数据说明")
HEADERS = (CODE, NAME, COUNTY, VALUE, NOTE)


def fillable(round_: Round, user) -> list[Indicator]:
    """The leaf indicators of the round the user may fill in (all of them for the organiser's overview)."""
    indicators = leaves(indicators_of(round_.methodology))
    if permissions.can_manage_rounds(user) and not user.has_perm(permissions.ENTER_VALUE):
        return indicators
    return [indicator for indicator in indicators if permissions.leads(user, indicator)]


def export_rows(round_: Round, user) -> tuple[list[str], list[list[object]]]:
    units = list(round_.units.order_by("path"))
    indicators = fillable(round_, user)
    entries = {
        (entry.indicator_id, entry.unit_id): entry
        for entry in Entry.objects.filter(round=round_, indicator__in=indicators)
    }
    rows = []
    for indicator in indicators:
        for unit in units:
            entry = entries.get((indicator.pk, unit.pk))
            rows.append(
                [indicator.code, indicator.name, unit.name, entry.value if entry else "", entry.note if entry else ""]
            )
    return [_(header) for header in HEADERS], rows


@records_actor
def import_entries(*, round_: Round, content: bytes, by: AbstractBaseUser) -> ImportReport:
    """Check the whole sheet, then save every filled row or none."""
    _header, rows = read_sheet(content, required=[_(CODE), _(COUNTY), _(VALUE)], max_rows=MAX_ROWS)
    report = ImportReport(rows=len(rows))
    indicators = {indicator.code: indicator for indicator in leaves(indicators_of(round_.methodology))}
    units = {}
    for unit in round_.units.all():
        units[unit.name] = units[unit.code] = unit
    seen: dict[tuple[str, str], int] = {}
    try:
        with transaction.atomic():
            for number, cells in rows:
                _write_row(round_, number, cells, indicators, units, seen, report, by)
            if report.errors:
                raise Rollback
    except Rollback:
        report.created = report.updated = 0
    return report


def _write_row(round_, number, cells, indicators, units, seen, report, by) -> None:
    code, county = _text(cells, CODE), _text(cells, COUNTY)
    value, note = _text(cells, VALUE), _text(cells, NOTE)
    indicator, unit = indicators.get(code), units.get(county)
    if indicator is None:
        report.errors.append(RowError(number, _(CODE), _("“%(code)s”不是本轮次可填报的指标代码。") % {"code": code}))
        return
    if unit is None:
        report.errors.append(RowError(number, _(COUNTY), _("“%(unit)s”不是本轮次的参评区县。") % {"unit": county}))
        return
    if (code, county) in seen:
        message = _("与第 %(row)s 行重复。") % {"row": seen[(code, county)]}
        report.errors.append(RowError(number, _(COUNTY), message))
        return
    seen[(code, county)] = number
    if not value:
        return  # a row left empty keeps what was entered
    existed = Entry.objects.filter(round=round_, unit=unit, indicator=indicator).exists()
    try:
        save_entry(
            round_=round_, unit=unit, indicator=indicator, value=value, note=note, by=by, source=Entry.Source.IMPORT
        )
    except BusinessRuleError as error:
        report.errors.append(RowError(number, _(VALUE), error.message))
        return
    if existed:
        report.updated += 1
    else:
        report.created += 1


def _text(cells: dict, header: str) -> str:
    value = cells.get(_(header))
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()
