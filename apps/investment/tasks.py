"""Background work of the pipeline, run by the task worker (./dev worker): thin, by id, idempotent."""

from django_tasks import task

# ---- ledger import ----


@task()
def check_ledger_import(import_id: int) -> None:
    """Read and check an uploaded project ledger."""
    from apps.core.models import LedgerImport
    from apps.investment.importing import KIND, check_import

    ledger_import = LedgerImport.objects.filter(pk=import_id, kind=KIND, status=LedgerImport.Status.QUEUED).first()
    if ledger_import is not None:
        check_import(ledger_import)


@task()
def commit_ledger_import(import_id: int) -> None:
    """Write a checked project ledger, all rows or none."""
    from apps.core.models import LedgerImport
    from apps.investment.importing import KIND, commit_import

    ledger_import = LedgerImport.objects.filter(pk=import_id, kind=KIND, status=LedgerImport.Status.COMMITTING).first()
    if ledger_import is not None:
        commit_import(ledger_import)


# ---- end ledger import ----
