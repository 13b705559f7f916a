"""Background work of the registry, run by the task worker (./dev worker): thin, by id, idempotent."""

from django_tasks import task


@task()
def scan_duplicates(scan_id: int) -> None:
    """Run a queued duplicate scan."""
    from apps.enterprises.models import DuplicateScan
    from apps.enterprises.scanning import run_duplicate_scan

    scan = DuplicateScan.objects.filter(pk=scan_id, status=DuplicateScan.Status.QUEUED).first()
    if scan is not None:
        run_duplicate_scan(scan)


@task()
def check_registry_import(import_id: int) -> None:
    """Read and check an uploaded registry extract."""
    from apps.enterprises.importing import check_import
    from apps.enterprises.models import RegistryImport

    registry_import = RegistryImport.objects.filter(pk=import_id, status=RegistryImport.Status.QUEUED).first()
    if registry_import is not None:
        check_import(registry_import)


@task()
def commit_registry_import(import_id: int) -> None:
    """Write a checked registry extract, all rows or none."""
    from apps.enterprises.importing import commit_import
    from apps.enterprises.models import RegistryImport

    registry_import = RegistryImport.objects.filter(pk=import_id, status=RegistryImport.Status.COMMITTING).first()
    if registry_import is not None:
        commit_import(registry_import)
