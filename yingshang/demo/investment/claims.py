"""首报首谈: every project's claim, and the conflicts of a second area registering a held enterprise."""

from datetime import timedelta
from typing import TYPE_CHECKING

from django.utils import timezone

from apps.investment.models import Channel, Claim, ClaimConflict, Project, StageChange
from yingshang.demo.investment import records
from yingshang.demo.investment.sources import Planned, rounded

if TYPE_CHECKING:
    from yingshang.demo.investment.plan import PipelinePlan


OPEN_CONFLICTS_PER_SCALE = 6
DECIDED_CONFLICTS_PER_SCALE = 2


def plan_claims(pipeline: "PipelinePlan", plans: list[Planned]) -> None:
    """Each project's claim on its enterprise: made at registration, renewed by every advance, lapsed after."""
    period = timedelta(days=pipeline.limits.claim_days)
    for plan in plans:
        moves = [c.at for c in plan.changes if c.kind == StageChange.Kind.ADVANCE]
        started = timezone.localdate(plan.project.created_at)
        expires = timezone.localdate(max(moves, default=plan.project.created_at)) + period
        status = Claim.Status.ACTIVE if expires >= pipeline.clock.today else Claim.Status.EXPIRED
        if plan.challenges is not None:
            status = {"": Claim.Status.WAITING, ClaimConflict.Decision.KEEP: Claim.Status.REFUSED}.get(
                plan.challenges[1], Claim.Status.JOINT
            )
        plan.claim = Claim(
            enterprise_id=plan.investor.pk,
            unit=plan.project.unit,
            project=plan.project,
            status=status,
            starts_on=started,
            expires_on=started + period if plan.challenges else expires,
            created_at=plan.project.created_at,
        )


def plan_conflicts(pipeline: "PipelinePlan") -> None:
    """Another county registers an enterprise a county holds: most wait for the bureau, a few were decided."""
    today = pipeline.clock.today
    holders = [
        p
        for p in pipeline.plans
        if p.area.depth > 1
        and p.claim.status == Claim.Status.ACTIVE
        and p.claim.expires_on >= today + timedelta(days=30)
        and p.project.status == Project.Status.ACTIVE
        and p.claim.starts_on <= today - timedelta(days=60)
    ]
    holders.sort(key=lambda p: (not p.investor.outside, not p.investor.big))
    wanted = (OPEN_CONFLICTS_PER_SCALE + DECIDED_CONFLICTS_PER_SCALE) * pipeline.ctx.scale
    chosen = pipeline.rng.sample(holders[: wanted * 3], min(wanted, len(holders)))
    decisions = [ClaimConflict.Decision.KEEP, ClaimConflict.Decision.JOINT] * pipeline.ctx.scale
    challengers = []
    for n, holder in enumerate(chosen):
        decision = decisions[n] if n < len(decisions) else ""
        challengers.append(_challenger(pipeline, holder, decision))
    plan_claims(pipeline, challengers)
    for challenger in challengers:
        _conflict(pipeline, challenger)
    pipeline.plans += challengers


def _challenger(pipeline: "PipelinePlan", holder: Planned, decision: str) -> Planned:
    """A lead of another area on the holder's enterprise: recent if waiting, dropped if decided."""
    rng, clock = pipeline.rng, pipeline.clock
    areas = [a for a, _w in pipeline.areas() if a.depth > 1 and a != holder.area]
    area = rng.choice(areas)
    owner = pipeline.owner(area)
    officer = rng.choice(pipeline.staff.of(owner.code))
    if decision:
        latest = min(
            holder.claim.starts_on + timedelta(days=pipeline.limits.claim_days), clock.today - timedelta(days=30)
        )
        registered = holder.claim.starts_on + timedelta(
            days=rng.randint(5, max(5, (latest - holder.claim.starts_on).days))
        )
    else:
        registered = clock.today - timedelta(days=rng.randint(1, 20))
    template = rng.choice(holder.sector.templates)
    amount = rounded(pipeline.amount(template))
    project = Project(
        name=pipeline.name(template, amount, holder.investor, expansion=False, prefixed=True),
        unit=owner,
        enterprise_id=holder.investor.pk,
        industry=holder.project.industry,
        channel=rng.choice((Channel.PROFESSIONAL, Channel.TEAM, Channel.BUSINESS)),
        created_by_id=officer.pk,
        status=Project.Status.DROPPED if decision else Project.Status.ACTIVE,
    )
    plan = Planned(project, area, holder.investor, holder.sector, template, officer, [clock.workday(registered)])
    plan.challenges = (holder, decision)
    if decision:
        decided = clock.workday(plan.days[0] + timedelta(days=rng.randint(3, 15)))
        holder_name = holder.project.unit.short_name or holder.project.unit.name
        reason = (
            f"经市投资促进局协调，该企业由{holder_name}继续跟进，本单位线索终止。"
            if decision == ClaimConflict.Decision.KEEP
            else f"经市投资促进局协调，与{holder_name}联合招商，项目并入其项目统一推进。"
        )
        plan.end = (StageChange.Kind.DROP, clock.workday(decided + timedelta(days=rng.randint(1, 3))), reason)
    pipeline.fill_details(plan, amount)
    pipeline.link(plan)
    records.finish(pipeline, plan)
    return plan


def _conflict(pipeline: "PipelinePlan", challenger: Planned) -> None:
    holder, decision = challenger.challenges
    conflict = ClaimConflict(
        enterprise_id=holder.investor.pk,
        holder=holder.claim,
        challenger=challenger.claim,
        created_at=challenger.project.created_at,
    )
    if decision:
        coordinator = pipeline.staff.of(pipeline.bureau.code)[0]
        conflict.status, conflict.decision, conflict.decided_by_id = (
            ClaimConflict.Status.DECIDED,
            decision,
            coordinator.pk,
        )
        dropped = challenger.changes[-1].at  # the challenger's lead ended a few days after the decision
        conflict.decided_at = max(dropped - timedelta(days=pipeline.rng.randint(1, 3)), challenger.changes[0].at)
        if decision == ClaimConflict.Decision.JOINT:
            conflict.holder_share = 60
            holder.claim.status, holder.claim.share = Claim.Status.JOINT, 60
            challenger.claim.share = 40
            conflict.note = "两地均与企业开展了实质性对接，经协调联合招商，按6:4比例计绩。"
        else:
            first = holder.claim.starts_on
            conflict.note = (
                f"经核实，{holder.project.unit.name}已于{first.year}年{first.month}月{first.day}日首报该企业"
                "并开展实质性洽谈，维持首报单位。"
            )
    pipeline.conflicts.append(conflict)
