import itertools

from apps.core.models import LedgerImport
from apps.core.tests.samples import sample
from apps.investment.importing import KIND
from apps.org.models import Unit, User

_serial = itertools.count(1)


@sample(LedgerImport)
def make_ledger_import_sample(unit: Unit, marker: str) -> LedgerImport:
    """A checked project ledger upload of the unit; the marker is its file name."""
    user = User.objects.create(username=f"ledger_importer{next(_serial)}", unit=unit, name="样本导入人")
    return LedgerImport.objects.create(
        kind=KIND, unit=unit, filename=f"{marker}.xlsx", content=b"", created_by=user,
        status=LedgerImport.Status.CHECKED,
    )  # fmt: skip
