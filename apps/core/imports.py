"""What every all-or-nothing Excel import shares: reading the sheet, the per-row error report, the rollback.

An import reads the whole sheet first (``read_sheet``: the header and every non-empty row with its number as
Excel shows it), checks and writes every row inside one transaction, collects each problem as a
``RowError`` (row, column, message in Chinese), and raises ``Rollback`` at the end when there was any, so
that a sheet with one error writes nothing. templates/core/_import_errors.html shows the report.
"""

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from io import BytesIO
from zipfile import BadZipFile

from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from apps.core.errors import BusinessRuleError


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    message: str


@dataclass
class ImportReport:
    rows: int = 0
    created: int = 0
    updated: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


class Rollback(Exception):  # noqa: N818 - a signal to the transaction, not an error to report
    """Raised inside an import's transaction so that a sheet with errors writes nothing."""


def sheet_rows(content: bytes) -> Iterator[tuple]:
    """The first sheet's rows as values, or a refusal in Chinese when the file is not a workbook."""
    try:
        workbook = load_workbook(BytesIO(content), read_only=True, data_only=True)
    except (InvalidFileException, BadZipFile, OSError, KeyError, ValueError) as error:
        raise BusinessRuleError(_("无法读取该文件，请上传 .xlsx 格式的 Excel 文件。")) from error
    return workbook.active.iter_rows(values_only=True)


def read_sheet(content: bytes, *, required: Sequence[str], max_rows: int) -> tuple[list[str], list[tuple[int, dict]]]:
    """The header and the non-empty rows by number (2 for the first under the header), each as {header: value}.

    ``required`` are the header's translated names that must be there.
    """
    sheet = sheet_rows(content)
    header = [str(cell or "").strip() for cell in next(sheet, ())]
    missing = [name for name in required if name not in header]
    if missing:
        raise BusinessRuleError(_("表头缺少“%(columns)s”列，请使用导出的表格。") % {"columns": "、".join(missing)})
    rows = [
        (number, dict(zip(header, values, strict=False)))
        for number, values in enumerate(sheet, start=2)
        if any(value not in (None, "") for value in values)
    ]
    if not rows:
        raise BusinessRuleError(_("表格中没有数据行。"))
    if len(rows) > max_rows:
        raise BusinessRuleError(_("一次最多导入 %(n)s 行。") % {"n": max_rows})
    return header, rows
