"""Background work of the policies app, run by the task worker (./dev worker): thin, by id, idempotent."""

from django_tasks import task


@task()
def match_policies(run_id: int) -> None:
    """Run a queued batch of policy matching."""
    from apps.policies.models import MatchRun
    from apps.policies.services.matching import run_matching

    run = MatchRun.objects.filter(pk=run_id, status=MatchRun.Status.QUEUED).first()
    if run is not None:
        run_matching(run)
