"""Background work of the chains app, run by the task worker (./dev worker): thin, by id, idempotent."""

from django_tasks import task


@task()
def suggest_placements(run_id: int) -> None:
    """Run a queued placement suggestion run of a chain."""
    from apps.chains.models import PlacementRun
    from apps.chains.services.placement_runs import run_suggestions

    run = PlacementRun.objects.filter(pk=run_id, status=PlacementRun.Status.QUEUED).select_related("chain").first()
    if run is not None:
        run_suggestions(run)
