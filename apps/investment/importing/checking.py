"""Checking an uploaded ledger: the file, each row against the units, gates, registry and claims, the rows together."""

import logging
import unicodedata
from decimal import Decimal
from io import BytesIO

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from apps.core.models import LedgerImport
from apps.enterprises.importing import SURE_MATCH
from apps.enterprises.matching.compare import Verdict
from apps.enterprises.matching.normalize import clean_name, parse_name
from apps.enterprises.models import Enterprise, Industry
from apps.enterprises.selectors import find_matches
from apps.investment.importing.columns import (
    ACTION_CREATE,
    ACTION_LINK,
    AMOUNTS,
    COLUMN_OF,
    ENTERPRISE,
    HEADERS,
    INDUSTRY,
    MAX_ROWS,
    NAME,
    PROGRESS_EVERY,
    REQUIRED,
    STAGE,
    UNIT,
    USCC,
    add_error,
    display,
    parse_values,
    reached,
)
from apps.investment.models import Claim, Project, ProjectDocument, Stage, StageGate
from apps.investment.services.screening import refusals, screen
from apps.investment.services.workflow import needs_confirmation
from apps.org.models import Unit

logger = logging.getLogger(__name__)


# ---- reading and checking ---------------------------------------------------------------------


def check_import(ledger_import: LedgerImport) -> LedgerImport:
    """Read the uploaded workbook and check every row; the result is kept on the import."""
    save_import(ledger_import, status=LedgerImport.Status.CHECKING, processed_rows=0)
    try:
        return _check(ledger_import)
    except Exception:  # a bug must not leave the import "checking" for ever
        logger.exception("Checking ledger import %s failed", ledger_import.pk)
        return save_import(
            ledger_import, status=LedgerImport.Status.FAILED, errors=[_("检查时发生意外错误，请联系管理员。")]
        )


def _check(ledger_import: LedgerImport) -> LedgerImport:
    lines, errors = _read(bytes(ledger_import.content))
    if errors:
        return save_import(ledger_import, status=LedgerImport.Status.CHECKED, errors=errors, rows=[], total_rows=0)
    save_import(ledger_import, total_rows=len(lines))
    checker = Checker(ledger_import.unit)
    rows = []
    for done, (number, values) in enumerate(lines, start=1):
        rows.append(checker.check_row(number, values))
        if done % PROGRESS_EVERY == 0:
            save_import(ledger_import, processed_rows=done)
    cross_check(rows)
    return save_import(
        ledger_import, status=LedgerImport.Status.CHECKED, rows=rows, errors=[], processed_rows=len(rows)
    )


def title_key(cell: object) -> str:
    """A column title as compared: full-width brackets and spaces do not matter (（万元） = (万元))."""
    return "".join(unicodedata.normalize("NFKC", str(cell or "")).split())


def _read(content: bytes) -> tuple[list[tuple[int, dict]], list[str]]:
    try:
        sheet = load_workbook(BytesIO(content), read_only=True, data_only=True).worksheets[0]
        sheet.reset_dimensions()
        lines = list(sheet.iter_rows(values_only=True, max_row=MAX_ROWS + 2))
    except Exception:  # openpyxl raises many kinds (zip, xml, key) for a file that is not a workbook
        return [], [_("无法读取该文件，请上传 .xlsx 格式的 Excel 文件（可先下载模板）。")]
    if not lines:
        return [], [_("文件是空的。")]
    known = {title_key(header): header for header in HEADERS}
    columns: dict[str, int] = {}
    for index, cell in enumerate(lines[0]):
        if title_key(cell) in known:
            columns.setdefault(known[title_key(cell)], index)
    missing = [title for title in REQUIRED if title not in columns]
    if missing:
        return [], [_("第 1 行缺少表头“%(name)s”，请使用导入模板。") % {"name": "、".join(missing)}]
    if len(lines) > MAX_ROWS + 1:
        return [], [_("一次最多导入 %(max)s 行，请分批导入。") % {"max": MAX_ROWS}]
    rows = []
    for number, line in enumerate(lines[1:], start=2):
        values = {title: display(line[i] if i < len(line) else None) for title, i in columns.items()}
        if any(values.values()):
            rows.append((number, values))
    if not rows:
        return [], [_("文件中没有数据行。")]
    return rows, []


class Checker:
    """Checks rows against the registry, the units and the gates, with what every row needs loaded once."""

    def __init__(self, scope: Unit) -> None:
        self.scope = scope
        self.units: dict[str, list[Unit]] = {}
        for unit in Unit.objects.all():
            for key in {unit.name, unit.short_name, unit.code} - {""}:
                self.units.setdefault(key, []).append(unit)
        self.industries = dict(Industry.objects.filter(level=Industry.Level.DIVISION).values_list("code", "pk"))
        self.gates = {gate.stage: gate for gate in StageGate.objects.all()}
        self._confirmation: dict[tuple[int, str], bool] = {}

    def check_row(self, number: int, values: dict[str, str]) -> dict:
        """One row's errors by column, what it links or creates, and how its stage will count."""
        row = {"number": number, "values": values, "errors": [], "notes": [], "data": None, "enterprise": None}
        data = parse_values(values, row)
        unit = self.unit(values.get(UNIT, ""), row)
        data["industry"] = self.industry(values.get(INDUSTRY, ""), row)
        if row["errors"]:
            return row
        data["unit"] = unit.pk
        row["data"] = data
        row["unit"] = {"id": unit.pk, "name": unit.name}
        self.check_gates(row)
        row["enterprise"] = match_enterprise(data["enterprise_name"], data["uscc"])
        if row["enterprise"]["action"] == ACTION_LINK:
            check_enterprise_projects(row, unit)
        else:
            note_possible_holders(row, unit)
        check_screening(row)
        row["counted_stage"] = self.counted_stage(unit, Stage(data["stage"]))
        return row

    def unit(self, text: str, row: dict) -> Unit | None:
        """The responsible unit a row names (the importing unit when blank), if it lies in scope."""
        text = " ".join(text.split())
        if not text:
            return self.scope
        found = self.units.get(text, [])
        if not found:
            add_error(row, UNIT, _("没有名为“%(unit)s”的单位，请填写单位全称、简称或代码。") % {"unit": text})
            return None
        if len(found) > 1:
            add_error(row, UNIT, _("“%(unit)s”对应多个单位，请填写单位全称或代码。") % {"unit": text})
            return None
        unit = found[0]
        if not unit.path.startswith(self.scope.path):
            add_error(
                row,
                UNIT,
                _("“%(unit)s”不在本单位（%(scope)s）的管辖范围内，不能导入到该单位。")
                % {"unit": unit.name, "scope": self.scope.name},
            )
            return None
        if not unit.is_active:
            add_error(row, UNIT, _("“%(unit)s”已停用。") % {"unit": unit.name})
            return None
        return unit

    def industry(self, text: str, row: dict) -> int | None:
        """The GB/T 4754 division of a code (a group or class code counts under its division)."""
        if not text:
            return None
        code = text.strip()
        pk = self.industries.get(code[:2]) if code.isdigit() and 2 <= len(code) <= 4 else None
        if pk is None:
            add_error(
                row,
                INDUSTRY,
                _("“%(code)s”不是国民经济行业分类（GB/T 4754-2017）的大类代码（2 位数字，如 39）。") % {"code": code},
            )
        return pk

    def gate(self, stage: Stage) -> StageGate:
        return self.gates.get(stage) or StageGate(stage=stage)

    def check_gates(self, row: dict) -> None:
        """What the gates of the stages reached ask for: fields are errors, documents a note."""
        data, documents = row["data"], []
        for stage in reached(Stage(row["data"]["stage"])):
            gate = self.gate(stage)
            for name in gate.required_fields:
                if data.get(name) in (None, ""):
                    label = str(Project._meta.get_field(name).verbose_name)
                    add_error(
                        row,
                        COLUMN_OF.get(name, STAGE),
                        _("阶段为“%(stage)s”，须填写%(field)s。") % {"stage": stage.label, "field": label},
                    )
            documents += [str(ProjectDocument.Kind(kind).label) for kind in gate.required_documents]
        if documents:
            row["notes"].append(_("导入后请上传阶段材料：%(kinds)s。") % {"kinds": "、".join(documents)})

    def counted_stage(self, unit: Unit, stage: Stage) -> str:
        """How far the imported stage counts at once for the unit: up to the first gate asking for confirmation."""
        project = Project(unit=unit)
        counted = Stage.LEAD
        for step in reached(stage):
            key = (unit.pk, step.value)
            if key not in self._confirmation:
                self._confirmation[key] = needs_confirmation(project, step)
            if self._confirmation[key]:
                break
            counted = step
        return counted.value


# ---- a row against the registry, the claims and the rules -------------------------------------


def match_enterprise(name: str, uscc: str) -> dict:
    """The registered enterprise a row names (same USCC, or surely the same name), else a new one to register."""
    if uscc:
        registered = surviving(Enterprise.objects.filter(uscc=uscc).first())
        if registered is not None:
            return _linked(registered, [_("统一社会信用代码相同")])
    matches = find_matches(name, uscc=uscc, limit=3)
    best = matches[0] if matches else None
    if best is not None and best.verdict == Verdict.SAME and best.score >= SURE_MATCH and parse_name(name).is_full:
        return _linked(best.enterprise, best.reasons)
    possible = [
        {
            "id": m.enterprise.pk,
            "name": m.enterprise.name,
            "verdict": m.verdict.value,
            "score": m.score,
            "reasons": m.reasons,
            "codes": [{"code": r.code, "detail": r.detail} for r in m.comparison.reasons],
        }
        for m in matches
    ]
    return {"action": ACTION_CREATE, "id": None, "name": name, "reasons": [], "possible": possible}


def _linked(enterprise: Enterprise, reasons: list[str]) -> dict:
    return {"action": ACTION_LINK, "id": enterprise.pk, "name": enterprise.name, "reasons": reasons, "possible": []}


def surviving(enterprise: Enterprise | None) -> Enterprise | None:
    """A merged enterprise's record lives on in the one it was merged into."""
    seen = set()
    while enterprise is not None and enterprise.status == Enterprise.Status.MERGED and enterprise.pk not in seen:
        seen.add(enterprise.pk)
        enterprise = enterprise.merged_into
    return enterprise


def note_possible_holders(row: dict, unit: Unit) -> None:
    """A new enterprise that may be one another unit holds: a note, so that nobody chases it unknowingly."""
    for possible in row["enterprise"]["possible"]:
        problem = claim_problem(possible["id"], unit)
        if problem:
            row["notes"].append(
                _("可能与“%(name)s”为同一企业，请核实：%(problem)s") % {"name": possible["name"], "problem": problem}
            )


def check_enterprise_projects(row: dict, unit: Unit) -> None:
    """A registered enterprise: held by another unit (首报首谈), or already carrying this project?"""
    enterprise_id, name = row["enterprise"]["id"], row["data"]["name"]
    problem = claim_problem(enterprise_id, unit)
    if problem:
        add_error(row, ENTERPRISE, problem)
    code = existing_project(enterprise_id, name)
    if code:
        add_error(row, NAME, _("该企业已有同名项目（%(code)s），请勿重复导入。") % {"code": code})


def claim_problem(enterprise_id: int, unit: Unit) -> str:
    """Why the unit may not import a project of the enterprise: another unit's claim holds it."""
    holding = Claim.objects.holding().filter(enterprise_id=enterprise_id, expires_on__gte=timezone.localdate())
    if holding.filter(unit=unit).exists():
        return ""
    holder = holding.select_related("unit").order_by("starts_on", "id").first()
    if holder is None:
        return ""
    return _(
        "该企业已由%(unit)s于 %(date)s 首报，首报保护期至 %(until)s；台账不导入其他单位首报的企业，如需对接请先由统筹单位协调。"
    ) % {"unit": holder.unit.name, "date": f"{holder.starts_on:%Y-%m-%d}", "until": f"{holder.expires_on:%Y-%m-%d}"}


def existing_project(enterprise_id: int, name: str) -> str:
    """The code of the enterprise's project of that name, if it is already in the pipeline."""
    return Project.objects.filter(enterprise_id=enterprise_id, name=name).values_list("code", flat=True).first() or ""


def check_screening(row: dict) -> None:
    """选商: a rule refusing the project is an error; warnings and exclusions are notes."""
    data = row["data"]
    project = Project(
        name=data["name"],
        description=data["description"],
        industry_id=data["industry"],
        **{name: Decimal(data[name]) if data[name] else None for name in AMOUNTS.values() if name != "counted_before"},
    )
    outcomes = screen(project)
    for outcome in refusals(outcomes):
        add_error(row, NAME, outcome.message)
    row["notes"] += [outcome.message for outcome in outcomes if outcome not in refusals(outcomes)]


def cross_check(rows: list[dict]) -> None:
    """Rows against each other: one enterprise per key, no repeated project, one unit per enterprise."""
    _enterprise_keys(rows)
    seen_projects: dict[tuple[str, str], int] = {}
    units: dict[str, tuple[int, int]] = {}
    for row in rows:
        if row["errors"]:
            continue
        key, number = row["enterprise"]["key"], row["number"]
        project = (key, clean_name(row["data"]["name"], numerals=False))
        if project in seen_projects:
            add_error(row, NAME, _("与第 %(row)s 行重复：同一企业的同名项目。") % {"row": seen_projects[project]})
            continue
        seen_projects[project] = number
        first = units.setdefault(key, (row["data"]["unit"], number))
        if first[0] != row["data"]["unit"]:
            add_error(
                row, UNIT, _("与第 %(row)s 行是同一企业，责任单位却不同：一家企业由一个单位首报，请统一责任单位。")
                % {"row": first[1]},
            )  # fmt: skip


def _enterprise_keys(rows: list[dict]) -> None:
    """Which rows name one enterprise: a registered one by id, a new one by USCC, else by its cleaned name."""
    by_name: dict[str, tuple[str, int]] = {}
    good = [row for row in rows if not row["errors"]]
    for row in good:
        enterprise, code = row["enterprise"], row["data"]["uscc"]
        if enterprise["action"] == ACTION_LINK:
            enterprise["key"] = f"id:{enterprise['id']}"
        elif code:
            enterprise["key"] = f"uscc:{code}"
            name = clean_name(enterprise["name"])
            first = by_name.setdefault(name, (enterprise["key"], row["number"]))
            if first[0] != enterprise["key"]:
                add_error(
                    row, USCC, _("与第 %(row)s 行企业名称相同，统一社会信用代码却不同，请核对。") % {"row": first[1]}
                )
    for row in good:
        enterprise = row["enterprise"]
        if "key" not in enterprise:
            name = clean_name(enterprise["name"])
            enterprise["key"] = by_name.get(name, (f"name:{name}", 0))[0]


def save_import(ledger_import: LedgerImport, **fields) -> LedgerImport:
    for name, value in fields.items():
        setattr(ledger_import, name, value)
    LedgerImport.objects.filter(pk=ledger_import.pk).update(**fields)
    return ledger_import
