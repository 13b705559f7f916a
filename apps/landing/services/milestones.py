"""The work plan's milestones (项目节点): planned dates, and reaching them through the pipeline.

开工, 竣工, 投产 and 达产 are pipeline stages: reaching one is ``advance_project`` with the pipeline's
gates, date rules and confirmation by the level above, so nothing is entered twice. 主体完工 is no
stage; its actual date is kept on the milestone.
"""

from dataclasses import dataclass
from datetime import date

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.audit import records_actor
from apps.core.errors import BusinessRuleError
from apps.investment.models import Project, Stage, StageChange
from apps.investment.services.workflow import advance_project
from apps.landing.models import Milestone, MilestoneKind
from apps.landing.selectors.milestones import MILESTONE_ORDER, MILESTONE_STAGES, signing_day, started_day
from apps.landing.services.progress import can_report


@dataclass(frozen=True)
class Reached:
    kind: MilestoneKind
    happened_on: date
    #: the pipeline's move, for a milestone that is a stage
    change: StageChange | None = None

    @property
    def pending(self) -> bool:
        return self.change is not None and self.change.approval == StageChange.Approval.PENDING


def _require_owner(project: Project, by) -> None:
    if not can_report(by, project):
        raise BusinessRuleError(_("只有项目责任单位可以维护项目节点。"))


def _check_plan_order(planned: dict[str, date | None], signed: date | None) -> None:
    previous: tuple[str, date] | None = None
    for kind in MILESTONE_ORDER:
        day = planned.get(kind)
        if day is None:
            continue
        if signed is not None and day < signed:
            raise BusinessRuleError(
                _("“%(kind)s”的计划日期不能早于签约日期（%(date)s）。")
                % {"kind": kind.label, "date": f"{signed:%Y-%m-%d}"},
                field=kind.value,
            )
        if previous is not None and day < previous[1]:
            raise BusinessRuleError(
                _("“%(kind)s”的计划日期不能早于“%(before)s”。")
                % {"kind": kind.label, "before": MilestoneKind(previous[0]).label},
                field=kind.value,
            )
        previous = (kind, day)


@records_actor
@transaction.atomic
def plan_milestones(*, project: Project, planned: dict[str, date | None], by: AbstractBaseUser) -> list[Milestone]:
    """Set the planned date of each milestone (None takes an unreached one off the plan)."""
    _require_owner(project, by)
    if Stage(project.stage).rank < Stage.SIGNED.rank:
        raise BusinessRuleError(_("项目签约后才能制定节点计划。"))
    if project.status == Project.Status.DROPPED:
        raise BusinessRuleError(_("项目已终止，不再制定节点计划。"))
    unknown = set(planned) - set(MilestoneKind.values)
    if unknown:
        raise TypeError(sorted(unknown))
    existing = {m.kind: m for m in project.milestones.all()}
    # a partial plan keeps the other dates, so the order is checked on the plan as it will stand
    _check_plan_order({**{k: m.planned_on for k, m in existing.items()}, **planned}, signing_day(project))
    for kind, day in planned.items():
        milestone = existing.get(kind)
        if day is None:
            if milestone is not None and _is_reached(project, milestone):
                raise BusinessRuleError(
                    _("“%(kind)s”已完成，不能从计划中删除。") % {"kind": milestone.get_kind_display()}
                )
            if milestone is not None:
                milestone.delete()
        elif milestone is None:
            Milestone.objects.create(project=project, kind=kind, planned_on=day)
        elif milestone.planned_on != day:
            milestone.planned_on = day
            milestone.save(update_fields=["planned_on"])
    return list(project.milestones.order_by("planned_on", "id"))


def _is_reached(project: Project, milestone: Milestone) -> bool:
    """主体完工 by its own date; a stage milestone once the pipeline has reached the stage."""
    stage = MILESTONE_STAGES.get(MilestoneKind(milestone.kind))
    if stage is None:
        return milestone.achieved_on is not None
    return Stage(project.stage).rank >= stage.rank


@records_actor
@transaction.atomic
def reach_milestone(*, project: Project, kind: str, happened_on: date, by: AbstractBaseUser) -> Reached:
    """Record that a milestone was reached: a stage through the pipeline, 主体完工 on the milestone."""
    _require_owner(project, by)
    kind = MilestoneKind(kind)
    stage = MILESTONE_STAGES.get(kind)
    if stage is None:
        return _reach_main_structure(project, happened_on)
    current = Stage(project.stage)
    if current.rank >= stage.rank:
        raise BusinessRuleError(_("项目已登记“%(stage)s”。") % {"stage": stage.label}, field="kind")
    before = Stage.ordered()[stage.rank - 1]
    if current != before:
        raise BusinessRuleError(_("须先登记%(stage)s。") % {"stage": before.label}, field="kind")
    change = advance_project(
        project=project, happened_on=happened_on, reason=_("项目节点：%(kind)s") % {"kind": kind.label}, by=by
    )
    return Reached(kind, happened_on, change)


def _reach_main_structure(project: Project, happened_on: date) -> Reached:
    if Stage(project.stage).rank < Stage.STARTED.rank:
        raise BusinessRuleError(_("须先登记开工。"), field="kind")
    if happened_on > timezone.localdate():
        raise BusinessRuleError(_("日期不能晚于今天。"), field="happened_on")
    started = started_day(project)
    if started is not None and happened_on < started:
        raise BusinessRuleError(
            _("主体完工日期不能早于开工日期（%(date)s）。") % {"date": f"{started:%Y-%m-%d}"}, field="happened_on"
        )
    milestone = project.milestones.filter(kind=MilestoneKind.MAIN_STRUCTURE).first()
    if milestone is None:
        raise BusinessRuleError(_("请先在节点计划中列出“主体完工”的计划日期。"), field="kind")
    milestone.achieved_on = happened_on
    milestone.save(update_fields=["achieved_on"])
    return Reached(MilestoneKind.MAIN_STRUCTURE, happened_on)
