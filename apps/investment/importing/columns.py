"""The ledger's columns: titles, the template, and how a row's cells read into a project's values."""

import unicodedata
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from io import BytesIO

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from apps.core.exports import safe_cell
from apps.enterprises.matching.normalize import clean_name
from apps.enterprises.uscc import normalize_uscc, uscc_problem
from apps.investment.models import Channel, Project, Stage

KIND = "investment.projects"

#: the template's column titles: file data that must read back, so never translated
NAME, ENTERPRISE, USCC, UNIT, INDUSTRY, CHANNEL, TYPE = (
    "项目名称", "投资企业", "统一社会信用代码", "责任单位", "所属行业（代码）", "线索来源", "项目类型",
)  # fmt: skip
PLANNED, CONTRACTED, BEFORE, FIXED, OUT_OF_PROVINCE, FOREIGN, STAGE = (
    "计划投资（万元）", "协议投资（万元）", "此前已统计投资（万元）", "固定资产投资（万元）", "省外投资（是/否）",
    "外资（是/否）", "阶段",
)  # fmt: skip
SIGNED_ON, STARTED_ON, COMPLETED_ON, PRODUCING_ON, AT_CAPACITY_ON = (
    "签约日期", "开工日期", "竣工日期", "投产日期", "达产日期",
)  # fmt: skip
TAX, JOBS, ENERGY, LAND, CONTENT, REMARKS = (
    "预计年税收（万元）", "预计就业（人）", "年综合能耗（吨标准煤）", "用地（亩）", "项目内容", "备注",
)  # fmt: skip
HEADERS = (
    NAME, ENTERPRISE, USCC, UNIT, INDUSTRY, CHANNEL, TYPE, PLANNED, CONTRACTED, BEFORE, FIXED, OUT_OF_PROVINCE,
    FOREIGN, STAGE, SIGNED_ON, STARTED_ON, COMPLETED_ON, PRODUCING_ON, AT_CAPACITY_ON, TAX, JOBS, ENERGY, LAND,
    CONTENT, REMARKS,
)  # fmt: skip
REQUIRED = (NAME, ENTERPRISE, STAGE)
AMOUNTS = {
    PLANNED: "planned_investment", CONTRACTED: "contracted_investment", BEFORE: "counted_before",
    FIXED: "fixed_asset_investment", TAX: "expected_tax", ENERGY: "energy_use", LAND: "land_area",
}  # fmt: skip
DATE_COLUMNS = {
    Stage.SIGNED: SIGNED_ON, Stage.STARTED: STARTED_ON, Stage.COMPLETED: COMPLETED_ON,
    Stage.PRODUCING: PRODUCING_ON, Stage.AT_CAPACITY: AT_CAPACITY_ON,
}  # fmt: skip
#: the column holding each project field a stage gate may ask for
COLUMN_OF = {
    **{field: column for column, field in AMOUNTS.items()},
    "industry": INDUSTRY, "expected_jobs": JOBS, "description": CONTENT, "channel": CHANNEL, "kind": TYPE,
}  # fmt: skip
#: the values of the choice columns: file data, so fixed Chinese words whatever the interface language
CHANNELS = {
    "专业招商": Channel.PROFESSIONAL, "节会招商": Channel.EXPO, "以商招商": Channel.BUSINESS,
    "全民招商": Channel.PUBLIC, "中介招商": Channel.AGENCY, "小分队": Channel.TEAM, "小分队招商": Channel.TEAM,
    "上级推送": Channel.SUPERIOR, "其他": Channel.OTHER,
}  # fmt: skip
STAGES = {
    "线索": Stage.LEAD, "意向": Stage.INTENTION, "洽谈": Stage.NEGOTIATION, "签约": Stage.SIGNED,
    "开工": Stage.STARTED, "竣工": Stage.COMPLETED, "投产": Stage.PRODUCING, "达产": Stage.AT_CAPACITY,
}  # fmt: skip
KINDS = {"新建": Project.Kind.NEW, "增资扩建": Project.Kind.EXPANSION, "升格": Project.Kind.UPGRADE}
YES, NO = "是", "否"
MAX_ROWS = 5000
PROGRESS_EVERY = 20
DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日", "%Y%m%d")
CENT = Decimal("0.01")

ACTION_LINK, ACTION_CREATE = "link", "create"


def template_rows() -> list[tuple]:
    """Two example rows for the downloadable template (责任单位 blank: the importing unit)."""
    return [
        (
            "年产 50 万台智能终端生产线", "示范市华兴电子有限公司", "91990101MA5HX0001A", "", "39", "专业招商", "新建",
            80000, 60000, "", 45000, YES, NO, "开工", "2025-03-18", "2025-09-01", "", "", "", 3000, 800, 1200, 150,
            "建设智能终端生产线及研发中心", "市重点项目",
        ),
        (
            "农产品冷链物流园", "示范市绿源农业开发有限公司", "", "", "59", "以商招商", "新建",
            20000, "", "", "", NO, NO, "洽谈", "", "", "", "", "", "", 120, "", 80, "", "",
        ),
    ]  # fmt: skip


def template_workbook() -> bytes:
    """The import template: the ledger sheet with its example rows, and a sheet saying what each column takes."""
    book = Workbook()
    sheet = book.active
    sheet.title = "项目台账"
    sheet.append(list(HEADERS))
    for row in template_rows():
        sheet.append([safe_cell(value) for value in row])
    notes = book.create_sheet("填写说明")
    notes.append(["列", "填写要求"])
    for column, note in _column_notes():
        notes.append([column, note])
    for cell in (*sheet[1], *notes[1]):
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _column_notes() -> list[tuple[str, str]]:
    dated = "、".join(DATE_COLUMNS.values())
    return [
        (NAME, _("必填。")),
        (ENTERPRISE, _("必填，营业执照上的全称；与企业库比对，已登记的企业直接关联，否则登记为新企业。")),
        (USCC, _("18 位，可留空；填写时校验校验位，并优先按代码匹配企业库。")),
        (UNIT, _("单位全称、简称或代码，须在本单位管辖范围内；留空为本单位。")),
        (INDUSTRY, _("国民经济行业分类（GB/T 4754）大类代码，如 39；写到中类、小类时按其大类。")),
        (
            CHANNEL,
            _("必填：%(values)s。") % {"values": "、".join(label for label in CHANNELS if label != "小分队招商")},
        ),
        (TYPE, _("新建、增资扩建、升格，留空为新建。")),
        (_("金额各列"), _("单位万元，不能为负数；此前已统计投资只有增资扩建、升格项目填写。")),
        (f"{OUT_OF_PROVINCE}、{FOREIGN}", _("是或否，留空为否。")),
        (STAGE, _("必填：%(values)s。") % {"values": "、".join(STAGES)}),
        (dated, _("到达的阶段须填日期，未到的阶段不填；须签约≤开工≤竣工≤投产≤达产，且不晚于今天。")),
        (f"{CONTENT}、{REMARKS}", _("写入项目内容与诉求。")),
    ]


# ---- a row's values ---------------------------------------------------------------------------


def parse_values(values: dict[str, str], row: dict) -> dict:
    """The shape of a row: texts, amounts, choices, flags and dates, each error on its column."""
    data = {
        "name": _text(values, NAME, row, max_length=200),
        "enterprise_name": _text(values, ENTERPRISE, row, max_length=200),
        "uscc": _uscc(values.get(USCC, ""), row),
        "channel": _choice(values, CHANNEL, CHANNELS, row),
        "kind": _choice(values, TYPE, KINDS, row, default=Project.Kind.NEW),
        "stage": _choice(values, STAGE, STAGES, row),
        "investor_out_of_province": _flag(values, OUT_OF_PROVINCE, row),
        "investor_foreign": _flag(values, FOREIGN, row),
        "expected_jobs": _count(values, JOBS, row),
        "description": _description(values),
    }
    for column, name in AMOUNTS.items():
        data[name] = _amount(values, column, name, row)
    if data["counted_before"] and data["kind"] == Project.Kind.NEW:
        add_error(row, BEFORE, _("新建项目没有此前已统计的投资；增资扩建或升格项目才填写。"))
    data["dates"] = _dates(values, data["stage"], row)
    return data


def _text(values: dict, column: str, row: dict, *, max_length: int) -> str:
    text = " ".join(values.get(column, "").split())
    if not text:
        add_error(row, column, _("必填。"))
    elif len(text) > max_length:
        add_error(row, column, _("不能超过 %(max)s 个字。") % {"max": max_length})
    if column == ENTERPRISE and text and len(clean_name(text)) < 2:
        add_error(row, column, _("请填写企业全称（至少两个字）。"))
    return text


def _uscc(text: str, row: dict) -> str:
    code = normalize_uscc(text)
    if code:
        problem = uscc_problem(code)
        if problem:
            add_error(row, USCC, problem)
    return code


def _choice(values: dict, column: str, options: dict, row: dict, *, default: str = "") -> str:
    text = "".join(values.get(column, "").split())
    if not text:
        if not default:
            add_error(row, column, _("必填，可填：%(values)s。") % {"values": "、".join(options)})
        return default
    if text not in options:
        add_error(
            row, column, _("“%(value)s”不是可选值，可填：%(values)s。") % {"value": text, "values": "、".join(options)}
        )
        return default
    return str(options[text])


def _flag(values: dict, column: str, row: dict) -> bool:
    text = values.get(column, "").strip()
    if text not in (YES, NO, ""):
        add_error(row, column, _("请填“是”或“否”，现为“%(value)s”。") % {"value": text})
    return text == YES


def _number(text: str) -> Decimal | None:
    text = unicodedata.normalize("NFKC", text).replace(",", "").strip().removesuffix("万元").strip()
    try:
        number = Decimal(text)
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def _amount(values: dict, column: str, name: str, row: dict) -> str | None:
    text = values.get(column, "").strip()
    if not text:
        return None
    number = _number(text)
    if number is None:
        add_error(row, column, _("“%(value)s”不是数字。") % {"value": text})
        return None
    if number < 0:
        add_error(row, column, _("不能为负数。"))
        return None
    field = Project._meta.get_field(name)
    number = number.quantize(CENT, rounding=ROUND_HALF_UP)
    if number >= Decimal(10) ** (field.max_digits - field.decimal_places):
        add_error(row, column, _("“%(value)s”超出可记录的范围，请核对单位（万元）。") % {"value": text})
        return None
    return str(number)


def _count(values: dict, column: str, row: dict) -> int | None:
    text = values.get(column, "").strip()
    if not text:
        return None
    number = _number(text)
    if number is None or number < 0 or number != number.to_integral_value() or number > 10**9:
        add_error(row, column, _("“%(value)s”不是人数（非负整数）。") % {"value": text})
        return None
    return int(number)


def _description(values: dict) -> str:
    content, remarks = values.get(CONTENT, "").strip(), values.get(REMARKS, "").strip()
    parts = [content] if content else []
    if remarks:
        parts.append(_("备注：%(remarks)s") % {"remarks": remarks})
    return "\n".join(parts)


def _dates(values: dict, stage: str, row: dict) -> dict[str, str]:
    """The dates of the stages reached: each one given, none for a stage not reached, in order, none ahead."""
    reached = Stage(stage).rank if stage else len(Stage)
    dates: dict[str, str] = {}
    previous: tuple[str, date] | None = None
    for step, column in DATE_COLUMNS.items():
        day = _date(values.get(column, ""), column, row)
        if stage and step.rank <= reached and day is None and column not in _columns_in_error(row):
            add_error(
                row,
                column,
                _("阶段为“%(stage)s”，须填写%(column)s。") % {"stage": Stage(stage).label, "column": column},
            )
        if day is None:
            continue
        if stage and step.rank > reached:
            add_error(
                row, column, _("阶段为“%(stage)s”，尚未%(step)s，不应填写%(column)s。")
                % {"stage": Stage(stage).label, "step": step.label, "column": column},
            )  # fmt: skip
            continue
        if previous is not None and day < previous[1]:
            add_error(
                row, column, _("%(column)s（%(day)s）早于%(previous)s（%(before)s）：须签约≤开工≤竣工≤投产≤达产。")
                % {"column": column, "day": day, "previous": previous[0], "before": previous[1]},
            )  # fmt: skip
        previous = (column, day)
        dates[step.value] = day.isoformat()
    return dates


def _columns_in_error(row: dict) -> set[str]:
    return {error["column"] for error in row["errors"]}


def _date(text: str, column: str, row: dict) -> date | None:
    if not text:
        return None
    day = None
    for pattern in DATE_FORMATS:
        try:
            day = datetime.strptime(text.split(" ")[0], pattern).date()  # noqa: DTZ007 - a calendar date
            break
        except ValueError:
            continue
    if day is None:
        add_error(row, column, _("“%(value)s”无法识别，请写成 2025-03-18 这样的格式。") % {"value": text})
    elif day > timezone.localdate():
        add_error(row, column, _("%(day)s 晚于今天：台账只记已发生的事。") % {"day": day})
        day = None
    return day


def reached(stage: Stage) -> list[Stage]:
    """The stages a project passed through to reach ``stage`` (the lead itself excluded)."""
    return [step for step in Stage if 0 < step.rank <= stage.rank]


def add_error(row: dict, column: str, message: str) -> None:
    row["errors"].append({"column": column, "message": message})


def display(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value).strip()
