"""Import of credit-list entries from Excel (e.g. a month's 法院失信被执行人 or the year's A级纳税人): preview,
then commit, all or nothing.

Every row goes through ``create_entry`` (the same rules as an entry made by hand) inside a transaction that
is rolled back for the preview and whenever any row has an error. Enterprises are found by their USCC: the
GB 32100 check first (a mistyped code is named as such), then the registry (an unknown code is a row error:
register the enterprise first). The same entry twice in the sheet is an error on the second row.
"""

import re
from dataclasses import dataclass, field
from datetime import date, datetime

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.core.errors import BusinessRuleError
from apps.core.imports import ImportReport, Rollback, RowError, read_sheet
from apps.enterprises.uscc import normalize_uscc
from apps.org.models import User
from apps.supervision import permissions
from apps.supervision.models import CreditEntry, CreditKind
from apps.supervision.services.credit import create_entry

MAX_ROWS = 2000
USCC, NAME, KIND, SOURCE, REASON, BASIS, NUMBER, DECIDED, EFFECTIVE, EXPIRES = (
    gettext_lazy("统一社会信用代码"), gettext_lazy("企业名称"), gettext_lazy("名单类别"), gettext_lazy("来源"),
    gettext_lazy("列入原因"), gettext_lazy("认定依据"), gettext_lazy("认定文书号"), gettext_lazy("认定日期"),
    gettext_lazy("生效日期"), gettext_lazy("有效期至"),
)  # fmt: skip
HEADERS = (USCC, NAME, KIND, SOURCE, REASON, BASIS, NUMBER, DECIDED, EFFECTIVE, EXPIRES)
REQUIRED = (USCC, KIND, SOURCE, REASON, BASIS, NUMBER, DECIDED)
FIELD_COLUMNS = {
    "uscc": USCC, "kind": KIND, "source": SOURCE, "reason": REASON, "legal_basis": BASIS, "document_number": NUMBER,
    "decided_on": DECIDED, "effective_from": EFFECTIVE, "expires_on": EXPIRES,
}  # fmt: skip
#: what people write in the 名单类别 column
KIND_WORDS = {
    "红名单": CreditKind.RED, "守信激励": CreditKind.RED, "红名单（守信激励）": CreditKind.RED,
    "黑名单": CreditKind.BLACK, "失信惩戒": CreditKind.BLACK, "黑名单（失信惩戒）": CreditKind.BLACK,
}  # fmt: skip
DATE_PATTERN = re.compile(r"^\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?\s*$")


@dataclass(frozen=True)
class PreviewRow:
    row: int
    enterprise: str
    uscc: str
    kind: str
    source: str
    document_number: str
    effective_from: date
    expires_on: date | None


@dataclass
class CreditImport(ImportReport):
    preview: list[PreviewRow] = field(default_factory=list)


def template_headers() -> list[str]:
    return [str(header) for header in HEADERS]


def import_entries(*, content: bytes, commit: bool, by: User) -> CreditImport:
    """Check (and with ``commit`` keep) every row; a sheet with any error writes nothing."""
    if not permissions.can_manage_credit(by):
        raise BusinessRuleError(_("只有督办单位可以导入信用名单。"))
    _header, rows = read_sheet(content, required=[str(name) for name in REQUIRED], max_rows=MAX_ROWS)
    report = CreditImport(rows=len(rows))
    seen: dict[tuple, int] = {}
    try:
        with transaction.atomic():
            for number, values in rows:
                _import_row(report, number, values, seen, by)
            if report.errors or not commit:
                raise Rollback
    except Rollback:
        if report.errors:
            report.created = 0
    return report


def _import_row(report: CreditImport, number: int, values: dict, seen: dict, by: User) -> None:
    errors_before = len(report.errors)
    cell = {name: _text(values.get(str(name))) for name in (USCC, KIND, SOURCE, REASON, BASIS, NUMBER)}
    kind = _kind(report, number, cell[KIND])
    source = _source(report, number, cell[SOURCE])
    decided_on = _date(report, number, DECIDED, values.get(str(DECIDED)), required=True)
    effective_from = _date(report, number, EFFECTIVE, values.get(str(EFFECTIVE)))
    expires_on = _date(report, number, EXPIRES, values.get(str(EXPIRES)))
    if len(report.errors) > errors_before:
        return
    key = (normalize_uscc(cell[USCC]), kind, source, cell[NUMBER])
    if key in seen:
        message = _("与第 %(row)s 行是同一条目（企业、名单、来源和文书号都相同）。") % {"row": seen[key]}
        report.errors.append(RowError(number, str(NUMBER), message))
        return
    seen[key] = number
    fields = {
        "uscc": cell[USCC], "kind": kind, "source": source, "reason": cell[REASON], "legal_basis": cell[BASIS],
        "document_number": cell[NUMBER], "decided_on": decided_on, "effective_from": effective_from,
        "expires_on": expires_on,
    }  # fmt: skip
    try:
        entry = create_entry(**fields, imported=True, by=by)
    except BusinessRuleError as error:
        report.errors.append(RowError(number, str(FIELD_COLUMNS.get(error.field, "")), error.message))
        return
    report.created += 1
    report.preview.append(
        PreviewRow(
            number,
            entry.enterprise.name,
            entry.enterprise.uscc or "",
            entry.get_kind_display(),
            entry.get_source_display(),
            entry.document_number,
            entry.effective_from,
            entry.expires_on,
        )  # fmt: skip
    )


def _text(value) -> str:
    return "" if value is None else str(value).strip()


def _kind(report: CreditImport, number: int, text: str) -> str:
    if text in KIND_WORDS:
        return KIND_WORDS[text]
    message = _("“%(text)s”不是名单类别，请填写：红名单 或 黑名单。") % {"text": text}
    report.errors.append(RowError(number, str(KIND), message if text else _("请填写名单类别。")))
    return ""


def _source(report: CreditImport, number: int, text: str) -> str:
    by_label = {str(label): value for value, label in CreditEntry.Source.choices}
    if text in by_label:
        return by_label[text]
    allowed = "、".join(by_label)
    message = _("“%(text)s”不是可选的来源，请填写：%(allowed)s。") % {"text": text, "allowed": allowed}
    report.errors.append(RowError(number, str(SOURCE), message if text else _("请填写来源。")))
    return ""


def _date(report: CreditImport, number: int, column, value, *, required: bool = False) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = _text(value)
    if not text and not required:
        return None
    match = DATE_PATTERN.match(text)
    if match:
        try:
            return date(*map(int, match.groups()))
        except ValueError:
            pass
    message = _("%(column)s“%(value)s”不是日期，请写成 2026-06-30 或 2026年6月30日。") % {
        "column": column, "value": text,
    }  # fmt: skip
    report.errors.append(RowError(number, str(column), message if text else _("请填写%(c)s。") % {"c": column}))
    return None
