"""Reads of the work plan's milestones (项目节点): planned dates, and actual dates from the pipeline.

For 开工, 竣工, 投产 and 达产 the actual date is the pipeline's: the confirmed date on the project,
or, while the level above has not confirmed it, the reported StageChange's date marked 待确认.
Only 主体完工, which is no stage, keeps its own actual date on the milestone.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.utils import timezone

from apps.investment.models import Project, Stage, StageChange
from apps.investment.services.workflow import STAGE_DATES
from apps.landing.models import Milestone, MilestoneKind

#: the pipeline stage each milestone is (主体完工 is none)
MILESTONE_STAGES = {
    MilestoneKind.STARTED: Stage.STARTED,
    MilestoneKind.COMPLETED: Stage.COMPLETED,
    MilestoneKind.PRODUCING: Stage.PRODUCING,
    MilestoneKind.AT_CAPACITY: Stage.AT_CAPACITY,
}
MILESTONE_ORDER = list(MilestoneKind)


@dataclass(frozen=True)
class MilestoneState:
    kind: MilestoneKind
    planned_on: date | None
    actual_on: date | None
    #: reached in the pipeline, waiting for the level above to confirm (待确认)
    pending: bool
    reached: bool
    overdue: bool
    note: str = ""

    @property
    def label(self) -> str:
        return self.kind.label


def signing_day(project: Project) -> date | None:
    """The day the project signed: the confirmed date, or the reported one still waiting for confirmation."""
    return project.signed_on or _reported_day(project, Stage.SIGNED)


def started_day(project: Project) -> date | None:
    """The day construction started, confirmed or reported."""
    return project.started_on or _reported_day(project, Stage.STARTED)


def _reported_day(project: Project, stage: Stage) -> date | None:
    change = (
        project.changes.filter(kind=StageChange.Kind.ADVANCE, to_stage=stage)
        .exclude(approval=StageChange.Approval.RETURNED)
        .order_by("-at")
        .first()
    )
    return change.happened_on if change is not None else None


def pending_changes(projects: Iterable[Project]) -> dict[int, StageChange]:
    """The claimed stage waiting for confirmation of each project (at most one each), in one query."""
    changes = StageChange.objects.filter(project__in=[p.pk for p in projects], approval=StageChange.Approval.PENDING)
    return {change.project_id: change for change in changes}


def milestone_states(
    project: Project,
    milestones: Iterable[Milestone],
    pending: StageChange | None,
    *,
    today: date | None = None,
    only_planned: bool = False,
) -> list[MilestoneState]:
    """Every milestone of the project in plan order, from data already loaded (no query)."""
    today = today or timezone.localdate()
    planned = {m.kind: m for m in milestones}
    states = []
    for kind in MILESTONE_ORDER:
        milestone = planned.get(kind)
        state = _state(project, kind, milestone, pending, today)
        if only_planned and state.planned_on is None and state.actual_on is None:
            continue
        states.append(state)
    return states


def _state(project: Project, kind, milestone: Milestone | None, pending: StageChange | None, today: date):
    planned_on = milestone.planned_on if milestone else None
    stage = MILESTONE_STAGES.get(kind)
    waiting = False
    if stage is None:
        actual = milestone.achieved_on if milestone else None
        reached = actual is not None
    else:
        actual = getattr(project, STAGE_DATES[stage])
        if actual is None and pending is not None and pending.to_stage == stage:
            actual, waiting = pending.happened_on, True
        reached = Stage(project.stage).rank >= stage.rank
    overdue = planned_on is not None and planned_on < today and not reached
    note = milestone.note if milestone else ""
    return MilestoneState(kind, planned_on, actual, waiting, reached, overdue, note)


def project_milestones(project: Project, *, only_planned: bool = False) -> list[MilestoneState]:
    """The milestones of one project (two queries)."""
    pending = pending_changes([project]).get(project.pk)
    return milestone_states(project, project.milestones.all(), pending, only_planned=only_planned)
