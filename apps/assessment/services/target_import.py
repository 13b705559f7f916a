"""Targets from Excel: one row per unit (代码, 名称), one column per item of the scheme, the annual target
in each cell. Every row is checked first; one error and nothing is written, and the report names
each error's row and column. A clean workbook sets every target in one transaction."""

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from apps.assessment.models import Scheme, SchemeItem, Target
from apps.assessment.services.schemes import GROUP_KINDS, _require_runner, check_target_unit, check_target_value
from apps.core.audit import records_actor
from apps.core.errors import BusinessRuleError
from apps.core.exports import xlsx_bytes
from apps.core.imports import RowError, sheet_rows
from apps.org.models import Unit

CODE, NAME = gettext_noop("单位代码"), gettext_noop("单位名称")
MAX_ROWS = 2000


@dataclass
class ImportReport:
    rows: int = 0
    targets: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def eligible_units(scheme: Scheme):
    """The units of the scheme's group under its area, in the tree's order: the template's rows."""
    root = Unit.objects.filter(depth=1, path=scheme.unit.path[: Unit.steplen]).first()
    units = Unit.objects.filter(kind__in=GROUP_KINDS[scheme.group], is_active=True)
    if root is not None:
        units = units.filter(path__startswith=root.path, depth=root.depth + 1)
    return units.order_by("path")


def template_workbook(scheme: Scheme) -> bytes:
    """The scheme's units and items with their current targets, ready to fill in."""
    items = list(scheme.items.select_related("metric").order_by("order", "pk"))
    targets = {(t.item_id, t.unit_id): t.value for t in Target.objects.filter(item__scheme=scheme)}
    rows = (
        [unit.code, unit.name, *[targets.get((item.pk, unit.pk)) for item in items]] for unit in eligible_units(scheme)
    )
    return xlsx_bytes(_("考核目标"), [_(CODE), _(NAME), *[item.metric.name for item in items]], rows)


@records_actor
def import_targets(*, scheme: Scheme, content: bytes, by: AbstractBaseUser) -> ImportReport:
    """Check the whole workbook, then set every target or none."""
    _require_runner(by, scheme)
    report = ImportReport()
    sheet = sheet_rows(content)
    header = [str(cell or "").strip() for cell in next(sheet, ())]
    items = _columns(scheme, header)
    rows = [
        (number, dict(zip(header, values, strict=False)))
        for number, values in enumerate(sheet, start=2)
        if any(value not in (None, "") for value in values)
    ]
    if len(rows) > MAX_ROWS:
        raise BusinessRuleError(_("一次最多导入 %(n)s 行。") % {"n": MAX_ROWS})
    codes = {str(cells.get(_(CODE)) or "").strip() for _n, cells in rows}
    units = {unit.code: unit for unit in Unit.objects.filter(code__in=codes)}
    planned: list[tuple[SchemeItem, Unit, Decimal]] = []
    seen: dict[int, int] = {}
    for number, cells in rows:
        report.rows += 1
        planned += _row(scheme, number, cells, items, units, seen, report.errors)
    if not report.rows:
        raise BusinessRuleError(_("表格中没有数据行。"))
    if report.ok:
        with transaction.atomic():
            for item, unit, value in planned:
                Target.objects.update_or_create(item=item, unit=unit, defaults={"value": value})
        report.targets = len(planned)
    return report


def _columns(scheme: Scheme, header: list[str]) -> dict[str, SchemeItem]:
    missing = [name for name in (_(CODE), _(NAME)) if name not in header]
    if missing:
        raise BusinessRuleError(_("表头缺少“%(columns)s”列，请使用下载的模板。") % {"columns": "、".join(missing)})
    items = {item.metric.name: item for item in scheme.items.select_related("metric")}
    unknown = [name for name in header if name and name not in items and name not in (_(CODE), _(NAME))]
    if unknown:
        raise BusinessRuleError(_("表头中的“%(columns)s”不是本方案的考核指标。") % {"columns": "、".join(unknown)})
    return {name: items[name] for name in header if name in items}


def _row(scheme, number, cells: dict, items: dict, units: dict, seen: dict, errors: list) -> list:
    code = str(cells.get(_(CODE)) or "").strip()
    name = str(cells.get(_(NAME)) or "").strip()
    unit = units.get(code)
    if unit is None:
        errors.append(RowError(number, _(CODE), _("找不到代码为“%(code)s”的单位。") % {"code": code}))
        return []
    if name and name not in (unit.name, unit.short_name):
        errors.append(RowError(number, _(NAME), _("代码 %(code)s 是“%(unit)s”，与“%(name)s”不符。") % {
            "code": code, "unit": unit.name, "name": name}))  # fmt: skip
    if unit.pk in seen:
        errors.append(RowError(number, _(CODE), _("与第 %(row)s 行是同一单位。") % {"row": seen[unit.pk]}))
    seen.setdefault(unit.pk, number)
    try:
        check_target_unit(scheme, unit)
    except BusinessRuleError as error:
        errors.append(RowError(number, _(CODE), error.message))
        return []
    planned = []
    for column, item in items.items():
        value = _number(cells.get(column))
        if value is None:
            errors.append(RowError(number, column, _("缺少目标或不是数字。")))
            continue
        try:
            check_target_value(item, value)
        except BusinessRuleError as error:
            errors.append(RowError(number, column, error.message))
            continue
        planned.append((item, unit, value))
    return planned


def _number(value) -> Decimal | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        number = Decimal(str(value).strip().replace(",", ""))
    except InvalidOperation:
        return None
    return number.quantize(Decimal("0.01")) if number.is_finite() else None
