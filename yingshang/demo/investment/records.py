"""A project's timeline and the records on it, as the services would have written them."""

from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from django.utils import timezone

from apps.investment.models import (
    FundRecord,
    NegotiationRound,
    Project,
    ProjectDocument,
    ProjectParticipant,
    ScreeningResult,
    ScreeningRule,
    Stage,
    StageChange,
)
from apps.investment.services import screening
from apps.investment.services.workflow import STAGE_DATES
from apps.org.models import Unit
from yingshang.demo import project_names as words
from yingshang.demo.investment.sources import REFORM_DEPARTMENT, STAGES, Planned, money
from yingshang.demo.org import CITY_CODE

if TYPE_CHECKING:
    from yingshang.demo.investment.plan import PipelinePlan


#: the share of the contracted investment in place by the stage a project has reached
FUNDS_IN_PLACE = {
    Stage.SIGNED: (0.0, 0.25), Stage.STARTED: (0.2, 0.6), Stage.COMPLETED: (0.55, 0.9),
    Stage.PRODUCING: (0.75, 1.0), Stage.AT_CAPACITY: (0.9, 1.0),
}  # fmt: skip


def finish(pipeline: "PipelinePlan", plan: Planned) -> None:
    """The project's timeline, then its fields and records as the services would have left them."""
    _timeline(pipeline, plan)
    _set_state(pipeline, plan)
    _talks(pipeline, plan)
    _funds(pipeline, plan)
    _documents(pipeline, plan)
    _screening(pipeline, plan)
    _participants(pipeline, plan)


def _timeline(pipeline: "PipelinePlan", plan: Planned) -> None:
    """StageChange rows in order of the day they happened, each recorded in office hours, none in the future."""
    kinds = StageChange.Kind
    stage_of = [s.value for s in STAGES]
    items = [(plan.days[0], 0, kinds.REGISTER, "", stage_of[0], "")]
    for rank in range(1, plan.rank + 1):
        items.append((plan.days[rank], rank * 10, kinds.ADVANCE, stage_of[rank - 1], stage_of[rank], ""))
    if plan.returned:
        rank, day = plan.returned
        items.append((day, rank * 10 - 5, "returned", stage_of[rank - 1], stage_of[rank], ""))
    if plan.pause:
        paused, resumed, (why, again) = plan.pause
        rank = max(i for i, d in enumerate(plan.days) if d <= paused)
        items.append((paused, rank * 10 + 1, kinds.PAUSE, stage_of[rank], stage_of[rank], why))
        items.append((resumed, rank * 10 + 2, kinds.RESUME, stage_of[rank], stage_of[rank], again))
    if plan.end:
        kind, day, reason = plan.end
        items.append((day, 1000, kind, stage_of[plan.rank], stage_of[plan.rank], reason))
    previous = None
    for day, _order, kind, from_stage, to_stage, reason in sorted(items, key=lambda item: (item[0], item[1])):
        delay = 0 if kind == kinds.REGISTER else pipeline.rng.choice((0, 0, 0, 1, 2))
        at = pipeline.clock.at(min(day + timedelta(days=delay), pipeline.clock.today), after=previous)
        change = StageChange(
            project=plan.project,
            kind=kinds.ADVANCE if kind == "returned" else kind,
            from_stage=from_stage,
            to_stage=to_stage,
            happened_on=day,
            reason=reason,
            by_id=plan.officer.pk,
            at=at,
            approval=StageChange.Approval.RETURNED if kind == "returned" else StageChange.Approval.NOT_REQUIRED,
        )
        plan.changes.append(change)
        previous = at
    _approve(pipeline, plan)


def _approve(pipeline: "PipelinePlan", plan: Planned) -> None:
    """The level above's decision on each stage that needs one, between its claim and the next move."""
    approvers = pipeline.staff.of(pipeline.bureau.code)
    changes = plan.changes
    for i, change in enumerate(changes):
        if change.kind != StageChange.Kind.ADVANCE:
            continue
        rank = Stage(change.to_stage).rank
        if change.approval != StageChange.Approval.RETURNED:
            if not pipeline.needs_confirmation(plan, rank):
                continue
            if plan.pending and i == len(changes) - 1:
                change.approval = StageChange.Approval.PENDING
                continue
            change.approval = StageChange.Approval.APPROVED
        day = timezone.localdate(change.at) + timedelta(days=pipeline.rng.randint(1, 5))
        decided = pipeline.clock.at(pipeline.clock.workday(day), after=change.at)
        if i + 1 < len(changes):
            decided = min(decided, changes[i + 1].at - timedelta(minutes=10))
        change.approved_at = min(max(decided, change.at + timedelta(minutes=1)), pipeline.clock.now)
        change.approved_by_id = pipeline.rng.choice(approvers).pk
        if change.approval == StageChange.Approval.RETURNED:
            change.opinion = words.RETURNS[change.to_stage]
        else:
            change.opinion = pipeline.rng.choice(words.APPROVALS[change.to_stage])


def _set_state(pipeline: "PipelinePlan", plan: Planned) -> None:
    """Stage, confirmed stage and its dates, status, the lead's clock, timestamps."""
    project, clock, limits = plan.project, pipeline.clock, pipeline.limits
    stage = STAGES[plan.rank]
    counted = STAGES[plan.rank - 1] if plan.pending else stage
    project.stage, project.counted_stage = stage, counted
    for reached, name in STAGE_DATES.items():
        if reached.rank <= counted.rank:
            setattr(project, name, plan.days[reached.rank])
    if plan.end:
        project.status_reason = plan.end[2][:200]
    registered = plan.changes[0].at
    project.created_at, project.updated_at = registered, max(c.approved_at or c.at for c in plan.changes)
    if plan.overdue not in ("unresponded", "due_today"):
        project.responded_at = clock.later(registered, 10, 120)
    if plan.rank > 0 or plan.end:  # advancing a lead or dropping it is its assessment (研判)
        kinds = (StageChange.Kind.ADVANCE, StageChange.Kind.DROP)
        project.assessed_at = next(c.at for c in plan.changes if c.kind in kinds)
    elif not plan.overdue:
        assess_by = clock.add_working_days(plan.days[0], limits.assess_days)
        if assess_by < clock.today or pipeline.rng.random() < 0.5:
            day = min(clock.add_working_days(plan.days[0], pipeline.rng.randint(1, limits.assess_days)), clock.today)
            project.assessed_at = clock.at(day, after=project.responded_at)


def _talks(pipeline: "PipelinePlan", plan: Planned) -> None:
    """One to four rounds of talks from the day the project reached 洽谈 to its signing (or today)."""
    negotiation = Stage.NEGOTIATION.rank
    if plan.rank < negotiation:
        return
    first = plan.days[negotiation]
    last = (
        plan.days[negotiation + 1] if plan.rank > negotiation else (plan.end[1] if plan.end else pipeline.clock.today)
    )
    span = (last - first).days
    count = min(pipeline.rng.randint(1, 4), span // 7 + 1)
    days = sorted(first + timedelta(days=offset) for offset in pipeline.rng.sample(range(span + 1), count))
    still_talking = plan.rank == negotiation and plan.project.status == Project.Status.ACTIVE
    titles = pipeline.rng.sample(words.THEIR_TITLES, 3)
    contacts = [f"{title}{pipeline.fake.person_name()}" for title in titles]  # the investor's people, every round
    for n, held_on in enumerate(days):
        if n + 1 < len(days):
            next_on = days[n + 1]
        elif still_talking:
            next_on = held_on + timedelta(days=pipeline.rng.randint(14, 45))
        else:
            next_on = None
        theirs = pipeline.rng.sample(contacts, pipeline.rng.randint(1, 3))
        plan.talks.append(_talk(pipeline, plan, held_on, next_on, theirs))


def _talk(
    pipeline: "PipelinePlan", plan: Planned, held_on: date, next_on: date | None, theirs: list[str]
) -> NegotiationRound:
    rng, project, investor = pipeline.rng, plan.project, plan.investor
    colleagues = [p for p in pipeline.staff.of(project.unit.code) if p != plan.officer]
    ours = [plan.officer, *rng.sample(colleagues, min(len(colleagues), rng.randint(1, 2)))]
    place = rng.choice(words.TALK_PLACES).format(
        unit=project.unit.name, region=investor.region_name or "外地", area=plan.area.name
    )
    return NegotiationRound(
        project=project,
        held_on=held_on,
        place=place[:100],
        our_participants="、".join(p.name for p in ours),
        our_leaders=_leader(pipeline, plan, project.planned_investment or Decimal(0)),
        their_participants=f"{investor.short}：" + "、".join(theirs),
        content=rng.choice(words.TALK_CONTENTS).format(area=plan.area.name, sector=plan.sector.name),
        open_questions=rng.choice(words.OPEN_QUESTIONS),
        next_step=rng.choice(words.NEXT_STEPS),
        next_on=next_on,
        recorded_by_id=plan.officer.pk,
        recorded_at=pipeline.clock.at(min(held_on + timedelta(days=rng.randint(0, 1)), pipeline.clock.today)),
    )


def _leader(pipeline: "PipelinePlan", plan: Planned, amount: Decimal) -> str:
    """The city's leader for a major project, else one of the area's (the same few names every time)."""
    if amount >= 50000:
        leaders = [p for p in pipeline.staff.of(CITY_CODE) if "市长" in p.title]
        if leaders:
            leader = pipeline.rng.choice(leaders)
            return f"{leader.title}{leader.name}"
    if plan.area.depth == 1:
        return ""
    if plan.area.code not in pipeline.leaders:
        if plan.area.kind == Unit.Kind.ZONE:
            titles = words.ZONE_LEADER_TITLES
        else:
            titles = words.LEADER_TITLES[plan.area.name[-1]]
        pipeline.leaders[plan.area.code] = [f"{title}{pipeline.fake.person_name()}" for title in titles]
    return pipeline.rng.choice(pipeline.leaders[plan.area.code]) if pipeline.rng.random() < 0.6 else ""


def _funds(pipeline: "PipelinePlan", plan: Planned) -> None:
    """Monthly funds in place from the signing month on: more of the contract the further the project got."""
    project, rng, clock = plan.project, pipeline.rng, pipeline.clock
    counted = Stage(project.counted_stage)
    if counted.rank < Stage.SIGNED.rank or not project.contracted_investment:
        return
    last = plan.end[1] if plan.end else clock.today
    last_month = last.replace(day=1)
    if not plan.end and clock.today.day < 25:  # this month's report is not in yet
        last_month = (last_month - timedelta(days=1)).replace(day=1)
    months = []
    month = project.signed_on.replace(day=1)
    while month <= last_month:
        months.append(month)
        month = (month + timedelta(days=32)).replace(day=1)
    if not months:
        return
    total = float(project.contracted_investment) * rng.uniform(*FUNDS_IN_PLACE[counted])
    weights = [0 if rng.random() < 0.3 else rng.random() + 0.2 for _ in months]
    weights[-1] = weights[-1] or 1
    for month, weight in zip(months, weights, strict=True):
        amount = money(total * weight / sum(weights))
        if not amount:
            continue
        outside = min(amount, money(float(amount) * rng.uniform(0.6, 1.0))) if project.investor_out_of_province else 0
        foreign = min(amount, money(float(amount) * rng.uniform(0.3, 0.8))) if project.investor_foreign else 0
        reported = min((month + timedelta(days=32)).replace(day=1) + timedelta(days=rng.randint(2, 7)), clock.today)
        plan.funds.append(
            FundRecord(
                project=project,
                month=month,
                amount=amount,
                out_of_province=Decimal(outside),
                foreign=Decimal(foreign),
                fixed_asset=money(float(amount) * rng.uniform(0.7, 0.95)),
                entered_by_id=plan.officer.pk,
                entered_at=clock.at(reported),
            )
        )


def _documents(pipeline: "PipelinePlan", plan: Planned) -> None:
    """The documents each stage's gate asks for, uploaded shortly before the stage was claimed."""
    advances = [c for c in plan.changes if c.kind == StageChange.Kind.ADVANCE]
    for change in advances:
        gate = pipeline.gates.get(Stage(change.to_stage))
        for kind in gate.required_documents if gate else ():
            if any(d[0] == kind for d in plan.documents):
                continue
            title = f"{plan.project.name}投资协议" if kind == ProjectDocument.Kind.CONTRACT else ""
            uploaded = change.at - timedelta(minutes=pipeline.rng.randint(5, 240))
            plan.documents.append((kind, title or str(ProjectDocument.Kind(kind).label), uploaded))


def _screening(pipeline: "PipelinePlan", plan: Planned) -> None:
    """What the locality's screening rules said at registration and at signing (services/screening.py)."""
    outcomes = screening.screen(rules=pipeline.rules, project=plan.project)
    if screening.refusals(outcomes):
        raise RuntimeError(f"演示项目“{plan.project.name}”被选商规则拒绝：请调整 project_names.py 的名称。")
    stages = [(Stage.LEAD, plan.changes[0].at)]
    advances = (c for c in plan.changes if c.kind == StageChange.Kind.ADVANCE)
    signing = next((c for c in advances if c.to_stage == Stage.SIGNED), None)
    if signing is not None:
        stages.append((Stage.SIGNED, signing.at))
    for stage, at in stages:
        for outcome in outcomes:
            plan.screenings.append(
                ScreeningResult(
                    project=plan.project,
                    rule=outcome.rule,
                    action=outcome.action,
                    at_stage=stage,
                    message=outcome.message[:300],
                    at=at,
                )
            )
    if any(o.action == ScreeningRule.Action.EXCLUDE for o in outcomes):
        plan.project.excluded_from_statistics = True


def _participants(pipeline: "PipelinePlan", plan: Planned) -> None:
    """The coordinating unit takes part in every county's project; the area's reform bureau in its major ones."""
    project = plan.project
    if not project.unit.path.startswith(pipeline.bureau.path):
        plan.participants.append(ProjectParticipant(project=project, unit=pipeline.bureau, role="统筹协调"))
    reform = pipeline.units.get(REFORM_DEPARTMENT.format(code=plan.area.code))
    major = (project.contracted_investment or 0) >= 50000 and plan.rank >= Stage.SIGNED.rank
    if reform is not None and plan.area.depth > 1 and major:
        plan.participants.append(ProjectParticipant(project=project, unit=reform, role="要素保障与审批服务"))
