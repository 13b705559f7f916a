"""The indicator tree in Excel: export a version, import into a draft version.

One row per indicator in tree order, one column per field (the method's parameters in their own
columns, choices by their Chinese labels, units by name). The import matches rows to indicators by
code: a known code updates that indicator, a new one adds it under the indicator whose code it extends
("01.02" goes under "01", which must be in the version or the workbook); indicators the workbook does
not name are kept. A column left out of the header keeps what an indicator has. Every row goes
through the same checks as a manual edit (services/methodologies.py); one error and nothing is
written, and the report names each error's row and column.
"""

from collections.abc import Callable

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.db.models import Count
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from apps.bizenv.methods import ALL_KEYS, LABELS, PARAMETERS, number
from apps.bizenv.models import Indicator, Methodology
from apps.bizenv.services.methodologies import check_indicator, require_draft, require_keeper
from apps.core.audit import records_actor
from apps.core.errors import BusinessRuleError
from apps.core.exports import xlsx_bytes
from apps.core.imports import ImportReport, Rollback, RowError, read_sheet
from apps.org.models import Unit

MAX_ROWS = 2000
CODE = gettext_noop("代码")
LEVEL = gettext_noop("层级")
NAME = gettext_noop("指标名称")
#: (header, Indicator field) in the workbook's order; parameters sit between the method and the weight
COLUMNS = (
    (CODE, "code"),
    (LEVEL, "level"),
    (NAME, "name"),
    (gettext_noop("计量单位"), "unit_of_measure"),
    (gettext_noop("指标方向"), "direction"),
    (gettext_noop("指标类型"), "kind"),
    (gettext_noop("计分方法"), "method"),
    *((gettext_noop(str(LABELS[key])), f"parameters.{key}") for key in ALL_KEYS),
    (gettext_noop("权重"), "weight"),
    (gettext_noop("牵头单位"), "lead_unit"),
    (gettext_noop("配合单位"), "co_units"),
    (gettext_noop("数据来源"), "data_source"),
    (gettext_noop("预警阈值"), "alert_threshold"),
    (gettext_noop("优秀阈值"), "excellence_threshold"),
    (gettext_noop("B-READY支柱"), "pillar"),
    (gettext_noop("国家指标"), "is_national"),
    (gettext_noop("草案"), "is_draft"),
    (gettext_noop("排序"), "order"),
    (gettext_noop("指标说明"), "description"),
)
CHOICES = {
    "direction": Indicator.Direction,
    "kind": Indicator.Kind,
    "method": Indicator.Method,
    "data_source": Indicator.Source,
    "pillar": Indicator.Pillar,
}
YES, NO = gettext_noop("是"), gettext_noop("否")
UNIT_SEPARATORS = ("、", "，", ",", ";", "；", "\n")


# ---- export ---------------------------------------------------------------------------------


def tree_order(indicators: list[Indicator]) -> list[Indicator]:
    """Depth first: each indicator followed by its sub-indicators, siblings by (order, code)."""
    children: dict[int | None, list[Indicator]] = {}
    for indicator in indicators:
        children.setdefault(indicator.parent_id, []).append(indicator)
    ordered: list[Indicator] = []

    def visit(parent_id: int | None) -> None:
        for child in sorted(children.get(parent_id, []), key=lambda i: (i.order, i.code)):
            ordered.append(child)
            visit(child.pk)

    visit(None)
    return ordered


def export_rows(methodology: Methodology) -> tuple[list[str], list[list[object]]]:
    """The header and one row per indicator, as the import reads them back."""
    indicators = list(methodology.indicators.select_related("lead_unit").prefetch_related("co_units"))
    shared = set(Unit.objects.values("name").annotate(n=Count("pk")).filter(n__gt=1).values_list("name", flat=True))
    rows = [[_cell(indicator, name, shared) for _header, name in COLUMNS] for indicator in tree_order(indicators)]
    return [_(header) for header, _name in COLUMNS], rows


def export_workbook(methodology: Methodology) -> bytes:
    headers, rows = export_rows(methodology)
    return xlsx_bytes(_("评价指标"), headers, rows)


def _unit_name(unit: Unit, shared: set[str]) -> str:
    """The unit's name, or its code where another unit has the same name (so the import finds it again)."""
    return unit.code if unit.name in shared else unit.name


def _cell(indicator: Indicator, name: str, shared: set[str]) -> object:
    if name.startswith("parameters."):
        key = name.split(".", 1)[1]
        return indicator.parameters.get(key) if key in PARAMETERS[indicator.method] else None
    value = getattr(indicator, name) if name != "co_units" else None
    if name == "level":
        return indicator.get_level_display()
    if name in CHOICES:
        return str(CHOICES[name](value).label) if value else ""
    if name == "lead_unit":
        return _unit_name(value, shared) if value else ""
    if name == "co_units":
        units = sorted(indicator.co_units.all(), key=lambda u: u.path)
        return "、".join(_unit_name(unit, shared) for unit in units)
    if isinstance(value, bool):
        return _(YES) if value else _(NO)
    return value


# ---- import ---------------------------------------------------------------------------------


@records_actor
def import_tree(
    *, methodology: Methodology, content: bytes, by: AbstractBaseUser, dry_run: bool = False
) -> ImportReport:
    """Check the whole workbook against a draft version, then write every row or none."""
    require_keeper(by)
    require_draft(methodology)
    header, rows = _read(content)
    report = ImportReport(rows=len(rows))
    reader = _RowReader(methodology, header, rows)
    try:
        with transaction.atomic():
            reader.write(report)
            if report.errors or dry_run:
                raise Rollback
    except Rollback:
        pass
    report.errors.sort(key=lambda error: error.row)
    if report.errors:
        report.created = report.updated = 0
    return report


def _read(content: bytes) -> tuple[list[str], list[tuple[int, dict]]]:
    header, rows = read_sheet(content, required=[_(CODE), _(NAME)], max_rows=MAX_ROWS)
    known = {_(name) for name, _field in COLUMNS}
    unknown = [name for name in header if name and name not in known]
    if unknown:
        raise BusinessRuleError(_("表头中的“%(columns)s”不是指标表的列。") % {"columns": "、".join(unknown)})
    return header, rows


class _RowReader:
    """Turns rows into indicators, parents first, checking each as a manual edit would."""

    def __init__(self, methodology: Methodology, header: list[str], rows: list[tuple[int, dict]]) -> None:
        self.methodology = methodology
        self.present = {name for label, name in COLUMNS if _(label) in header}
        self.labels = {name: _(label) for label, name in COLUMNS}
        self.rows = rows
        self.existing = {i.code: i for i in methodology.indicators.prefetch_related("co_units")}
        self.units = list(Unit.objects.all())

    def write(self, report: ImportReport) -> None:
        seen: dict[str, int] = {}
        parsed = []
        for row, cells in self.rows:
            code = str(cells.get(_(CODE)) or "").strip()
            if not code:
                report.errors.append(RowError(row, _(CODE), _("缺少指标代码。")))
                continue
            if code in seen:
                report.errors.append(RowError(row, _(CODE), _("与第 %(row)s 行代码重复。") % {"row": seen[code]}))
                continue
            seen[code] = row
            parsed.append((code.count("."), row, code, cells))
        for _depth, row, code, cells in sorted(parsed, key=lambda item: item[:2]):
            self._write_row(row, code, cells, report)

    def _write_row(self, row: int, code: str, cells: dict, report: ImportReport) -> bool:
        errors: list[RowError] = []
        indicator = self.existing.get(code)
        is_new = indicator is None
        if is_new:
            indicator = self._new(row, code, errors)
            if indicator is None:
                report.errors += errors
                return False
        co_units = list(indicator.co_units.all()) if not is_new else []
        co_units = self._fill(indicator, cells, row, errors, co_units)
        if errors:
            report.errors += errors
            return False
        try:
            check_indicator(indicator, co_units)
        except BusinessRuleError as error:
            report.errors.append(RowError(row, self._column(error.field), error.message))
            return False
        indicator.save()
        indicator.co_units.set(co_units)
        self.existing[code] = indicator
        if is_new:
            report.created += 1
        else:
            report.updated += 1
        return True

    def _new(self, row: int, code: str, errors: list[RowError]) -> Indicator | None:
        parent = None
        if "." in code:
            parent_code = code.rsplit(".", 1)[0]
            parent = self.existing.get(parent_code)
            if parent is None:
                errors.append(RowError(row, _(CODE), _("找不到上级指标“%(code)s”（本版本和表格中都没有，或该行有错误）。") % {
                    "code": parent_code}))  # fmt: skip
                return None
        level = parent.level + 1 if parent else 1
        return Indicator(methodology=self.methodology, parent=parent, level=level, code=code)

    def _fill(self, indicator: Indicator, cells: dict, row: int, errors: list, co_units: list) -> list:
        readers: dict[str, Callable] = {
            "level": self._level, "name": self._text, "unit_of_measure": self._text, "description": self._text,
            "weight": self._decimal, "alert_threshold": self._decimal, "excellence_threshold": self._decimal,
            "order": self._order, "is_national": self._flag, "is_draft": self._flag, "lead_unit": self._unit,
        }  # fmt: skip
        for name in (*CHOICES, *readers, "co_units"):
            if name not in self.present:
                continue
            value = cells.get(self.labels[name])
            try:
                if name == "co_units":
                    co_units = self._units(value)
                elif name in CHOICES:
                    setattr(indicator, name, self._choice(name, value))
                elif name == "level":
                    self._level(indicator, value)
                else:
                    setattr(indicator, name, readers[name](value))
            except BusinessRuleError as error:
                errors.append(RowError(row, self.labels[name], error.message))
        if indicator.name is None:
            indicator.name = ""
        self._parameters(indicator, cells, row, errors)
        return co_units

    def _parameters(self, indicator: Indicator, cells: dict, row: int, errors: list) -> None:
        present = [key for key in ALL_KEYS if f"parameters.{key}" in self.present]
        if not present:
            return
        kept = {key: value for key, value in (indicator.parameters or {}).items() if key not in ALL_KEYS}
        wanted = PARAMETERS.get(indicator.method, ())
        for key in present:
            value = cells.get(self.labels[f"parameters.{key}"])
            if value in (None, ""):
                continue
            if key not in wanted:
                errors.append(RowError(row, self.labels[f"parameters.{key}"], _("“%(method)s”不使用该参数。") % {
                    "method": indicator.get_method_display()}))  # fmt: skip
                continue
            kept[key] = value
        for key in wanted:  # a parameter whose column is left out keeps its value
            if key not in present and key in (indicator.parameters or {}):
                kept[key] = indicator.parameters[key]
        indicator.parameters = kept

    def _column(self, name: str | None) -> str:
        if name == "parameters":
            return _("计分参数")
        if name == "parent":
            return _(CODE)
        return self.labels.get(name or "", _(CODE))

    # -- cell readers: each returns the field's value or refuses in Chinese --

    @staticmethod
    def _text(value) -> str:
        return str(value).strip() if value is not None else ""

    @staticmethod
    def _decimal(value):
        if value in (None, ""):
            return None
        parsed = number(value)
        if parsed is None:
            raise BusinessRuleError(_("不是数字。"))
        return parsed

    @staticmethod
    def _order(value) -> int:
        parsed = number(value) if value not in (None, "") else 0
        if parsed is None or parsed < 0 or parsed != int(parsed):
            raise BusinessRuleError(_("须为不小于0的整数。"))
        return int(parsed)

    @staticmethod
    def _flag(value) -> bool:
        text = str(value).strip() if value is not None else ""
        if text in ("", _(NO), NO, "0", "False", "FALSE"):
            return False
        if text in (_(YES), YES, "1", "True", "TRUE"):
            return True
        raise BusinessRuleError(_("请填“是”或“否”。"))

    @staticmethod
    def _level(indicator: Indicator, value) -> None:
        text = str(value).strip() if value is not None else ""
        if not text:
            return
        labels = {str(label): level for level, label in Indicator.Level.choices}
        level = labels.get(text) or (int(text) if text.isdigit() else None)
        if level != indicator.level:
            raise BusinessRuleError(
                _("代码表明这是%(level)s，与所填层级不符。") % {"level": indicator.get_level_display()}
            )

    @staticmethod
    def _choice(name: str, value) -> str:
        text = str(value).strip() if value is not None else ""
        choices = CHOICES[name]
        if not text:
            if name == "pillar":
                return ""
            raise BusinessRuleError(_("请填写。"))
        for choice in choices:
            if text in (choice.value, str(choice.label)):
                return choice.value
        raise BusinessRuleError(
            _("应为：%(labels)s。") % {"labels": "、".join(str(choice.label) for choice in choices)}
        )

    def _unit(self, value) -> Unit | None:
        text = str(value).strip() if value is not None else ""
        return self._find_unit(text) if text else None

    def _units(self, value) -> list[Unit]:
        text = str(value or "")
        for separator in UNIT_SEPARATORS[1:]:
            text = text.replace(separator, UNIT_SEPARATORS[0])
        return [self._find_unit(name.strip()) for name in text.split(UNIT_SEPARATORS[0]) if name.strip()]

    def _find_unit(self, text: str) -> Unit:
        matches = [u for u in self.units if u.code == text] or [u for u in self.units if text in (u.name, u.short_name)]
        if not matches:
            raise BusinessRuleError(_("找不到单位“%(name)s”。") % {"name": text})
        if len(matches) > 1:
            raise BusinessRuleError(_("有多个单位名为“%(name)s”，请改填单位代码。") % {"name": text})
        return matches[0]
