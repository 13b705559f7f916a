"""Placement suggestions for a whole chain, run by the task worker with its progress (like policy matching).

``start_suggesting`` queues a run (one per chain at a time) and enqueues the task on commit; ``run_suggestions``
is what the task does: the chain's suggestions through placement.suggest_for_chain, the run's progress updated
after each link, a failure recorded on the run for the page.
"""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.chains import permissions
from apps.chains.models import Chain, PlacementRun
from apps.chains.services.placement import suggest_for_chain
from apps.core.errors import BusinessRuleError

STAGES = {"suggest": gettext_lazy("按行业代码和关键词查找本地企业")}


def stage_label(run: PlacementRun) -> str:
    return str(STAGES.get(run.stage, run.stage))


def start_suggesting(*, chain: Chain, by) -> PlacementRun:
    """Queue a suggestion run for the chain; refused while another run of the chain is queued or running."""
    if not permissions.can_place(by):
        raise PermissionDenied
    with transaction.atomic():
        Chain.objects.select_for_update().get(pk=chain.pk)
        if PlacementRun.objects.filter(
            chain=chain, status__in=[PlacementRun.Status.QUEUED, PlacementRun.Status.RUNNING]
        ):
            raise BusinessRuleError(_("本产业链已有一批企业定位正在进行，请等它完成后再发起。"))
        run = PlacementRun.objects.create(chain=chain, started_by=by, total=chain.links.count())
    from apps.chains.tasks import suggest_placements

    transaction.on_commit(lambda: suggest_placements.enqueue(run.pk))
    return run


def run_suggestions(run: PlacementRun) -> PlacementRun:
    """Refresh the chain's suggestions, keeping the run's progress; a failure is recorded, then raised."""
    _update(run, status=PlacementRun.Status.RUNNING, stage="suggest", processed=0, error="")

    def progress(done: int, total: int) -> None:
        _update(run, processed=done, total=total)

    try:
        created = suggest_for_chain(run.chain, progress=progress)
    except Exception as error:
        _update(run, status=PlacementRun.Status.FAILED, error=str(error)[:2000], finished_at=timezone.now())
        raise
    _update(run, status=PlacementRun.Status.FINISHED, stage="", created=created, finished_at=timezone.now())
    return run


def _update(run: PlacementRun, **fields) -> None:
    for name, value in fields.items():
        setattr(run, name, value)
    PlacementRun.objects.filter(pk=run.pk).update(**fields)
