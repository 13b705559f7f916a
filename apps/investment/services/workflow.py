"""Moving a project through its stages: one table of moves, one function per move, every move on the timeline.

Moves: advance to the next stage; pause, resume or drop (with a reason); the level above
confirms or returns a claimed stage. A move is allowed when the table says so for the project's
state and the user's rights (``allowed_moves``); the function re-checks the same table, then
updates the project with a conditional UPDATE, so that two people moving one project at once
cannot both succeed.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.core.audit import records_actor
from apps.core.errors import BusinessRuleError
from apps.investment import permissions
from apps.investment.models import Project, ProjectDocument, Stage, StageChange, StageGate
from apps.investment.services.claims import renew_claim
from apps.investment.services.kpi_rollup import refresh_for
from apps.investment.services.screening import record_outcomes, refusals, screen
from apps.org.selectors import area_of

#: the project field holding the confirmed date of a stage
STAGE_DATES = {
    Stage.SIGNED: "signed_on",
    Stage.STARTED: "started_on",
    Stage.COMPLETED: "completed_on",
    Stage.PRODUCING: "producing_on",
    Stage.AT_CAPACITY: "at_capacity_on",
}
#: where the rules are run again (选商 at signing)
SCREENED_AT = {Stage.SIGNED}


#: what other apps do when a project reaches a stage (landing's checklist at signing); see on_stage_reached
StageListener = Callable[..., None]
_stage_listeners: list[StageListener] = []


def on_stage_reached(listener: StageListener) -> None:
    """Have ``listener(project=, stage=, happened_on=, by=)`` called, in the same transaction, whenever a
    project is moved to a new stage; registered in the other app's AppConfig.ready()."""
    if listener not in _stage_listeners:
        _stage_listeners.append(listener)


@dataclass(frozen=True)
class Move:
    kind: str
    label: str


ADVANCE = Move(StageChange.Kind.ADVANCE, gettext_lazy("推进到下一阶段"))
PAUSE = Move(StageChange.Kind.PAUSE, gettext_lazy("暂停"))
RESUME = Move(StageChange.Kind.RESUME, gettext_lazy("恢复推进"))
DROP = Move(StageChange.Kind.DROP, gettext_lazy("终止"))
CONFIRM = Move("confirm", gettext_lazy("确认阶段"))
RETURN = Move("return", gettext_lazy("退回"))


def pending_change(project: Project) -> StageChange | None:
    return project.changes.filter(approval=StageChange.Approval.PENDING).first()


def allowed_moves(project: Project, user) -> list[Move]:
    """The moves this user may make on the project now: the buttons, and what the services check."""
    moves = []
    pending = pending_change(project)
    if pending is not None and permissions.can_confirm(user, project):
        moves += [CONFIRM, RETURN]
    if not (user.has_perm(permissions.CHANGE) and permissions.owns(user, project)):
        return moves
    open_stage = project.stage != Stage.AT_CAPACITY
    if project.status == Project.Status.ACTIVE:
        if open_stage and pending is None:
            moves.append(ADVANCE)
        if open_stage:
            moves.append(PAUSE)
    if project.status == Project.Status.PAUSED:
        moves.append(RESUME)
    if project.status != Project.Status.DROPPED and open_stage:
        moves.append(DROP)
    return moves


def _require(move: Move, project: Project, user) -> None:
    if move not in allowed_moves(project, user):
        raise BusinessRuleError(_("当前不能对该项目执行“%(move)s”。") % {"move": move.label})


def gate_for(stage: Stage) -> StageGate:
    return StageGate.objects.filter(stage=stage).first() or StageGate(stage=stage)


def missing_for(project: Project, stage: Stage) -> list[str]:
    """What the project still lacks to reach ``stage`` under the locality's gate, in words."""
    gate = gate_for(stage)
    missing = []
    for name in gate.required_fields:
        if getattr(project, name, None) in (None, ""):
            missing.append(str(Project._meta.get_field(name).verbose_name))
    have = set(project.documents.values_list("kind", flat=True))
    for kind in gate.required_documents:
        if kind not in have:
            missing.append(str(ProjectDocument.Kind(kind).label))
    return missing


def needs_confirmation(project: Project, stage: Stage) -> bool:
    """A gate that asks for confirmation, on a project whose unit has a level above it.

    The city's own units (its departments, the coordinating bureau) have none: their stages count at once.
    """
    if not gate_for(stage).needs_approval:
        return False
    area = area_of(project.unit)
    return area is not None and area.depth > 1


def _check_date(project: Project, happened_on: date) -> None:
    if happened_on > timezone.localdate():
        raise BusinessRuleError(_("日期不能晚于今天。"), field="happened_on")
    # a lead may be registered after the fact, so its registration day does not bound what follows
    earlier = project.changes.exclude(approval=StageChange.Approval.RETURNED).exclude(kind=StageChange.Kind.REGISTER)
    latest = earlier.order_by("-happened_on").first()
    if latest is not None and happened_on < latest.happened_on:
        raise BusinessRuleError(
            _("日期不能早于上一次变动（%(date)s）：签约、开工、竣工、投产、达产须依次发生。")
            % {"date": f"{latest.happened_on:%Y-%m-%d}"},
            field="happened_on",
        )


def _conditional_update(project: Project, expected: dict, **values) -> None:
    updated = Project.objects.filter(pk=project.pk, **expected).update(**values, updated_at=timezone.now())
    if not updated:
        raise BusinessRuleError(_("该项目刚被其他人更新，请刷新页面后重试。"))
    for name, value in values.items():
        setattr(project, name, value)


@records_actor
@transaction.atomic
def advance_project(*, project: Project, happened_on: date, reason: str = "", by: AbstractBaseUser) -> StageChange:
    """Move the project to its next stage, if the gate is met; it counts once the level above confirms."""
    _require(ADVANCE, project, by)
    target = Stage(project.stage).next()
    missing = missing_for(project, target)
    if missing:
        raise BusinessRuleError(
            _("进入“%(stage)s”阶段前须补齐：%(missing)s。") % {"stage": target.label, "missing": "、".join(missing)}
        )
    _check_date(project, happened_on)
    if target in SCREENED_AT:
        outcomes = screen(project)
        refused = refusals(outcomes)
        if refused:
            raise BusinessRuleError(" ".join(o.message for o in refused))
    pending = needs_confirmation(project, target)
    change = StageChange.objects.create(
        project=project,
        kind=StageChange.Kind.ADVANCE,
        from_stage=project.stage,
        to_stage=target,
        happened_on=happened_on,
        reason=reason.strip(),
        by=by,
        approval=StageChange.Approval.PENDING if pending else StageChange.Approval.NOT_REQUIRED,
    )
    values = {"stage": target} if pending else {"stage": target, **_counting(target, happened_on)}
    if project.stage == Stage.LEAD and project.assessed_at is None:
        values["assessed_at"] = timezone.now()
    _conditional_update(project, {"stage": project.stage, "status": Project.Status.ACTIVE}, **values)
    if target in SCREENED_AT:
        record_outcomes(project, outcomes)
    renew_claim(project)
    # a stage that counts at once, a signing date, or 不纳入招商统计 from the screening at signing
    refresh_for(project)
    for listener in _stage_listeners:
        listener(project=project, stage=target, happened_on=happened_on, by=by)
    return change


def _counting(stage: Stage, happened_on: date) -> dict:
    values = {"counted_stage": stage}
    if stage in STAGE_DATES:
        values[STAGE_DATES[stage]] = happened_on
    return values


@records_actor
@transaction.atomic
def confirm_stage(*, change: StageChange, opinion: str = "", by: AbstractBaseUser) -> StageChange:
    """The level above confirms a claimed stage: from now on it counts, dated by the event."""
    project = change.project
    _require(CONFIRM, project, by)
    _decide(change, StageChange.Approval.APPROVED, opinion, by)
    _conditional_update(project, {"stage": change.to_stage}, **_counting(Stage(change.to_stage), change.happened_on))
    refresh_for(project)
    return change


@records_actor
@transaction.atomic
def return_stage(*, change: StageChange, opinion: str, by: AbstractBaseUser) -> StageChange:
    """The level above sends a claimed stage back: the project returns to where it was."""
    project = change.project
    _require(RETURN, project, by)
    if not opinion.strip():
        raise BusinessRuleError(_("退回须写明理由。"), field="opinion")
    _decide(change, StageChange.Approval.RETURNED, opinion, by)
    _conditional_update(project, {"stage": change.to_stage}, stage=change.from_stage)
    refresh_for(project)
    return change


def _decide(change: StageChange, approval: str, opinion: str, by) -> None:
    updated = StageChange.objects.filter(pk=change.pk, approval=StageChange.Approval.PENDING).update(
        approval=approval, approved_by=by, approved_at=timezone.now(), opinion=opinion.strip()
    )
    if not updated:
        raise BusinessRuleError(_("该阶段已被确认或退回。"))
    change.refresh_from_db()


@records_actor
@transaction.atomic
def pause_project(*, project: Project, happened_on: date, reason: str, by: AbstractBaseUser) -> StageChange:
    """Put an open project on hold, with the reason."""
    return _set_status(PAUSE, project, Project.Status.PAUSED, happened_on, reason, by)


@records_actor
@transaction.atomic
def resume_project(*, project: Project, happened_on: date, reason: str = "", by: AbstractBaseUser) -> StageChange:
    """Take a paused project up again."""
    return _set_status(RESUME, project, Project.Status.ACTIVE, happened_on, reason, by)


@records_actor
@transaction.atomic
def drop_project(*, project: Project, happened_on: date, reason: str, by: AbstractBaseUser) -> StageChange:
    """End a project that will not land, with the reason (e.g. lost to another city)."""
    return _set_status(DROP, project, Project.Status.DROPPED, happened_on, reason, by)


def _set_status(move: Move, project: Project, status: str, happened_on: date, reason: str, by) -> StageChange:
    _require(move, project, by)
    if move != RESUME and not reason.strip():
        raise BusinessRuleError(_("请写明%(move)s的原因。") % {"move": move.label}, field="reason")
    _check_date(project, happened_on)
    pending = pending_change(project)
    if pending is not None and status == Project.Status.DROPPED:
        _decide(pending, StageChange.Approval.RETURNED, _("项目终止，待确认的阶段作废。"), by)
        _conditional_update(project, {"stage": pending.to_stage}, stage=pending.from_stage)
    change = StageChange.objects.create(
        project=project,
        kind=move.kind,
        from_stage=project.stage,
        to_stage=project.stage,
        happened_on=happened_on,
        reason=reason.strip(),
        by=by,
    )
    values = {"status": status, "status_reason": reason.strip()[:200] if status != Project.Status.ACTIVE else ""}
    if project.stage == Stage.LEAD and project.assessed_at is None and status == Project.Status.DROPPED:
        values["assessed_at"] = timezone.now()
    _conditional_update(project, {"status": project.status}, **values)
    return change
