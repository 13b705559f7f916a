"""Importing the standard project ledger (项目台账) from Excel: checked in the background, previewed, then
committed all at once or not at all.

The task worker (apps/investment/tasks.py) checks the workbook row by row and keeps every error
with its row and column; nothing is written until a person commits a file without errors. The
commit runs in one transaction that re-checks what may have changed since (a USCC registered, a
claim taken, a unit moved), so it writes every row or none. The file and its rows live on
apps.core.models.LedgerImport, of kind ``investment.projects``.

Decisions:

- **Enterprises.** A row's enterprise is the registered one with the same USCC, or the one the name
  matcher calls the same with high confidence (a full name, SURE_MATCH, as the registry's own import);
  otherwise the commit registers it through the registry's service, and likely duplicates open a
  suggestion for the registry keepers. Rows naming one new enterprise share it.
- **首报首谈.** A row whose enterprise another unit holds (an active or joint claim in its protection
  period) is an error, not a silent waiting claim: a ledger does not open a 多头招商 coordination
  behind the coordinator's back. Rows of one enterprise must name one responsible unit.
- **Scope.** The responsible unit must lie in the importing unit's subtree: a county imports its own
  projects, the city any county's. A blank 责任单位 is the importing unit.
- **Stages.** Each project is registered as a lead (screened, claimed, on the timeline) and placed at
  the ledger's stage. Stages whose gate needs no confirmation by the level above count at once with
  the ledger's dates; from the first stage that does, the imported stage waits for confirmation like
  a manual advance: one pending 台账导入 entry from the last counted stage to the ledger's stage. The
  ledger's dates are kept on the project as reported, so that the confirmation (which dates the
  confirmed stage itself) leaves the earlier dates of a historical project in place. The gates'
  required fields are required like for a manual advance; their documents cannot come in a workbook,
  so missing ones are a note: the unit uploads them and the confirmer sees them.
- **Repeats.** Two rows with one enterprise and one project name, or a row whose enterprise already
  has a project of that name, are errors: importing a ledger twice adds nothing.
"""

from apps.investment.importing.checking import check_import
from apps.investment.importing.columns import HEADERS, KIND, template_rows, template_workbook
from apps.investment.importing.committing import commit_import, start_commit, upload_ledger
from apps.investment.importing.preview import (
    ROW_FILTERS,
    get_import_for_user,
    report_rows,
    row_counts,
    row_filter_labels,
    rows_shown,
    visible_imports,
)

__all__ = [
    "HEADERS",
    "KIND",
    "ROW_FILTERS",
    "check_import",
    "commit_import",
    "get_import_for_user",
    "report_rows",
    "row_counts",
    "row_filter_labels",
    "rows_shown",
    "start_commit",
    "template_rows",
    "template_workbook",
    "upload_ledger",
    "visible_imports",
]
