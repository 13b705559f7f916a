"""The pipeline plan: every project drafted by stage, area and channel, then marked and finished."""

from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal

from apps.enterprises.models import Industry
from apps.investment.models import (
    Channel,
    ClaimConflict,
    Event,
    Introducer,
    PipelineSettings,
    Project,
    RewardClaim,
    RewardRule,
    Stage,
    StageChange,
    StageGate,
    Team,
    TeamMember,
    Trip,
)
from apps.investment.services import screening
from apps.org.models import Unit
from yingshang.demo import project_names as words
from yingshang.demo.context import DemoContext
from yingshang.demo.fake import Fake
from yingshang.demo.investment import claims, network, records
from yingshang.demo.investment.sources import (
    PROMOTION_DEPARTMENT,
    STAGES,
    Clock,
    Investor,
    Investors,
    Planned,
    Staff,
    log_uniform,
    rounded,
    yuan,
)
from yingshang.demo.org import CITY_CODE

PROJECTS_PER_SCALE = 600
PENDING_PER_SCALE = 10
RETURNED_PER_SCALE = 4
#: leads past their time limits per scale: not responded, responded but not assessed, due today
OVERDUE_PER_SCALE = {"unresponded": 2, "unassessed": 2, "due_today": 2}
#: how many projects each area has, relatively (the city's own are leads it has not yet handed on)
AREA_WEIGHTS = {"990101": 6, "990102": 5, "990103": 4, "990104": 3, "990121": 3, "990122": 2, "990171": 7, CITY_CODE: 1}
#: the share of projects that got to each stage (and stayed there, or were paused or dropped there)
STAGE_WEIGHTS = {
    Stage.LEAD: 19, Stage.INTENTION: 19, Stage.NEGOTIATION: 19, Stage.SIGNED: 13,
    Stage.STARTED: 12, Stage.COMPLETED: 6, Stage.PRODUCING: 7, Stage.AT_CAPACITY: 5,
}  # fmt: skip
DROP_CHANCE = {Stage.LEAD: 0.14, Stage.INTENTION: 0.12, Stage.NEGOTIATION: 0.1, Stage.SIGNED: 0.04, Stage.STARTED: 0.01}
PAUSE_CHANCE = {Stage.INTENTION: 0.04, Stage.NEGOTIATION: 0.06, Stage.SIGNED: 0.07, Stage.STARTED: 0.05}
CHANNEL_WEIGHTS = {
    Channel.PROFESSIONAL: 26, Channel.EXPO: 12, Channel.BUSINESS: 14, Channel.PUBLIC: 9,
    Channel.AGENCY: 8, Channel.TEAM: 18, Channel.SUPERIOR: 5, Channel.OTHER: 8,
}  # fmt: skip
#: days from one stage to the next, and the longest a project stays at its stage before today
STEP_DAYS = {
    Stage.INTENTION: (5, 45), Stage.NEGOTIATION: (10, 75), Stage.SIGNED: (20, 150), Stage.STARTED: (20, 150),
    Stage.COMPLETED: (120, 400), Stage.PRODUCING: (10, 60), Stage.AT_CAPACITY: (60, 240),
}  # fmt: skip
DWELL_DAYS = {
    Stage.LEAD: 100, Stage.INTENTION: 150, Stage.NEGOTIATION: 240, Stage.SIGNED: 200,
    Stage.STARTED: 420, Stage.COMPLETED: 150, Stage.PRODUCING: 330, Stage.AT_CAPACITY: 400,
}  # fmt: skip
#: the share of projects smaller than their template's range (which makes the long tail: median about 1.4 亿元)
SMALLER_SHARE = 0.5
FOREIGN_SHARE = 0.04
OUT_OF_TOWN_INVESTOR_SHARE = 0.45
ORDINALS = "一二三四五六七八九十"


class PipelinePlan:
    """Every pipeline record, drawn from seeded generators and kept in memory until it is saved."""

    def __init__(self, ctx: DemoContext) -> None:
        self.ctx = ctx
        self.rng = ctx.rng("investment")
        self.fake = Fake(ctx.rng("investment.people"))
        self.clock = Clock(ctx.rng("investment.times"))
        city = ctx.units.get(CITY_CODE) or Unit.objects.get(depth=1, code=CITY_CODE)
        self.units: dict[str, Unit] = ctx.units or {u.code: u for u in Unit.objects.filter(path__startswith=city.path)}
        self.city = self.units[CITY_CODE]
        self.bureau = self.units[PROMOTION_DEPARTMENT.format(code=CITY_CODE)]
        self.staff = Staff(self.city)
        self.investors = Investors()
        self.industries = {i.code: i for i in Industry.objects.filter(level=Industry.Level.DIVISION)}
        self.gates = {Stage(g.stage): g for g in StageGate.objects.all()}
        self.rules = screening.active_rules()
        self.limits = PipelineSettings.current()
        self.rule = RewardRule(
            name=words.REWARD_RULE,
            bands=[{"from": 0, "per_mille": 3}, {"from": 50000, "per_mille": 2}, {"from": 100000, "per_mille": 1.5}],
            cap=Decimal(100),
            claim_within_days=365,
            valid_from=self.clock.start,
        )
        self.events: list[Event] = []
        self.teams: dict[str, list[Team]] = defaultdict(list)
        self.team_industries: list[tuple[Team, tuple[str, ...]]] = []
        self.members: list[TeamMember] = []
        self.trips: list[tuple[Trip, list[int]]] = []
        self.introducers: dict[tuple[str, str], list[Introducer]] = defaultdict(list)
        self.introduced: dict[int, list[Planned]] = defaultdict(list)
        self.plans: list[Planned] = []
        self.conflicts: list[ClaimConflict] = []
        self.rewards: list[RewardClaim] = []
        self.leaders: dict[str, list[str]] = {}
        self.names: set[str] = set()

    def make(self) -> None:
        """Plan the events, teams and introducers, then the projects and everything on their timelines."""
        network.plan_events(self)
        network.plan_teams(self)
        network.plan_introducers(self)
        for area, stage, status in self._drafts():
            self.plans.append(self._plan(area, stage, status))
        self._mark_overdue_leads()
        self._mark_pending()
        self._mark_returned()
        for plan in self.plans:
            records.finish(self, plan)
        claims.plan_claims(self, self.plans)
        claims.plan_conflicts(self)
        network.date_introducers(self)
        network.plan_rewards(self)

    def areas(self) -> list[tuple[Unit, int]]:
        return [(self.units[code], weight) for code, weight in AREA_WEIGHTS.items() if code in self.units]

    def _drafts(self) -> list[tuple[Unit, Stage, str]]:
        """(area, stage, status) of every project: stages by quota so that each has its share, areas drawn."""
        total = PROJECTS_PER_SCALE * self.ctx.scale
        weights = sum(STAGE_WEIGHTS.values())
        stages = [s for s, w in STAGE_WEIGHTS.items() for _ in range(round(total * w / weights))]
        areas = self.areas()
        counties = [(unit, weight) for unit, weight in areas if unit.depth > 1]
        drafts = []
        for stage in stages:
            # the city's own projects are leads it has not yet handed to a county
            choices = areas if stage.rank <= Stage.INTENTION.rank else counties
            area = self.rng.choices([a for a, _w in choices], weights=[w for _a, w in choices])[0]
            roll = self.rng.random()
            if roll < DROP_CHANCE.get(stage, 0):
                status = Project.Status.DROPPED
            elif roll < DROP_CHANCE.get(stage, 0) + PAUSE_CHANCE.get(stage, 0):
                status = Project.Status.PAUSED
            else:
                status = Project.Status.ACTIVE
            drafts.append((area, stage, status))
        self.rng.shuffle(drafts)
        return drafts

    def owner(self, area: Unit) -> Unit:
        return self.units[PROMOTION_DEPARTMENT.format(code=area.code)]

    def _plan(self, area: Unit, stage: Stage, status: str) -> Planned:
        sector = self.rng.choices(words.SECTORS, weights=[s.weight for s in words.SECTORS])[0]
        template = self.rng.choice(sector.templates)
        expansion = self.rng.random() < 0.1
        outside = not expansion and self.rng.random() < OUT_OF_TOWN_INVESTOR_SHARE
        amount = rounded(self.amount(template), self.rng.choice((2, 2, 3)))
        investor = self.investors.pick(self.rng, sector.divisions, big=amount >= 50000, outside=outside)
        owner = self.owner(area)
        officer = self.rng.choice(self.staff.of(owner.code))
        project = Project(
            name=self.name(template, amount, investor, expansion=expansion),
            unit=owner,
            enterprise_id=investor.pk,
            industry=self.industries.get(template.division or sector.divisions[0]),
            channel=self.rng.choices(list(CHANNEL_WEIGHTS), weights=list(CHANNEL_WEIGHTS.values()))[0],
            kind=Project.Kind.EXPANSION if expansion else Project.Kind.NEW,
            created_by_id=officer.pk,
            status=status,
        )
        days, rest = self._days(stage, status)
        plan = Planned(project, area, investor, sector, template, officer, days)
        if status != Project.Status.ACTIVE:
            plan.end = self._end(plan, status, rest)
        self.fill_details(plan, amount)
        self.link(plan)
        self._sign_at_event(plan)
        self._pause_between(plan)
        return plan

    def amount(self, template: words.Template) -> float:
        """万元: the template's range, and for half the projects a smaller first phase or a smaller investor."""
        amount = log_uniform(self.rng, template.low, template.high)
        return amount * self.rng.uniform(0.2, 0.6) if self.rng.random() < SMALLER_SHARE else amount

    def name(
        self, template: words.Template, amount: Decimal, investor: Investor, *, expansion: bool, prefixed: bool = False
    ) -> str:
        """The template with its capacity, often after its investor; never the name of another project."""
        for attempt in range(6):
            name = template.pattern
            if template.cost:
                capacity = max(1, round(float(rounded(float(amount) / template.cost))))
                name = name.replace("{n}", str(capacity))
            if expansion:
                name = name.removesuffix("项目") + self.rng.choice(words.EXPANSION_SUFFIXES)
            if prefixed or expansion or attempt or self.rng.random() < 0.55:
                name = investor.short + name
            if attempt > 2:
                name = name.removesuffix("项目") + f"（{ORDINALS[attempt - 2]}期）项目"
            if name not in self.names:
                break
        self.names.add(name)
        return name

    def _days(self, stage: Stage, status: str) -> tuple[list[date], int]:
        """The day the project reached each stage up to ``stage`` (in order, in the window, none after today),
        and the days it has stayed at its stage since — until today, or until it was paused or dropped."""
        clock, closed = self.clock, status != Project.Status.ACTIVE
        steps = [self.rng.randint(*STEP_DAYS[s]) for s in STAGES[1 : stage.rank + 1]]
        rest = self.rng.randint(10, 150) if closed else self.rng.randint(0, DWELL_DAYS[stage])
        total = sum(steps) + rest
        if total > clock.span:  # a long road squeezed into the window
            factor = clock.span * self.rng.uniform(0.85, 0.97) / total
            steps, rest = [max(1, int(s * factor)) for s in steps], int(rest * factor)
            total = sum(steps) + rest
        if closed:
            first = clock.start + timedelta(days=self.rng.randint(0, clock.span - total))
        else:
            first = clock.today - timedelta(days=total)
        days = [clock.workday(first)]
        for step in steps:
            days.append(clock.workday(days[-1] + timedelta(days=step)))
        return days, rest

    def _end(self, plan: Planned, status: str, rest: int) -> tuple[str, date, str]:
        day = self.clock.workday(plan.days[-1] + timedelta(days=rest))
        if status == Project.Status.DROPPED:
            reason = self.rng.choice(words.DROP_REASONS).format(rival=self.rng.choice(words.RIVAL_CITIES))
            return StageChange.Kind.DROP, day, reason
        return StageChange.Kind.PAUSE, day, self.rng.choice(words.PAUSE_REASONS)

    def fill_details(self, plan: Planned, amount: Decimal) -> None:
        """Amounts, land, the four accounts and a description, as far as the project's stage has them."""
        project, rank, rng, sector = plan.project, plan.rank, self.rng, plan.sector
        if rank == 0 and rng.random() < 0.1:
            project.industry = None
        project.planned_investment = amount if rank > 0 or rng.random() < 0.7 else None
        if rank >= Stage.SIGNED.rank or (rank == Stage.NEGOTIATION.rank and rng.random() < 0.3):
            project.contracted_investment = rounded(float(amount) * rng.uniform(0.85, 1.2), 3)
        if project.kind == Project.Kind.EXPANSION and project.name.endswith("增资扩产项目"):
            project.counted_before = rounded(float(amount) * rng.uniform(0.3, 0.5))
        invested = float(project.contracted_investment or amount)
        if rank >= Stage.SIGNED.rank:
            project.fixed_asset_investment = rounded(invested * rng.uniform(0.6, 0.9), 3)
        if rank >= Stage.SIGNED.rank or (rank >= Stage.INTENTION.rank and rng.random() < 0.5):
            low, high = sector.land or (invested / sector.per_mu[1], invested / sector.per_mu[0])
            project.land_area = rounded(rng.uniform(low, high))
        if rank >= Stage.INTENTION.rank:
            project.expected_tax = rounded(invested * rng.uniform(0.02, 0.06))
            project.expected_jobs = max(10, int(rounded(invested / rng.uniform(60, 250))))
            if sector.energy:
                project.energy_use = rounded(invested * sector.energy * rng.uniform(0.5, 1.5))
        project.investor_out_of_province = plan.investor.outside
        project.investor_foreign = plan.investor.outside and rng.random() < FOREIGN_SHARE / OUT_OF_TOWN_INVESTOR_SHARE
        project.description = self._description(plan, amount)

    def _description(self, plan: Planned, amount: Decimal) -> str:
        project, sector = plan.project, plan.sector
        text = f"{plan.investor.name}拟在{plan.area.name}投资建设，计划总投资{yuan(amount)}，主要建设{sector.builds}。"
        if project.land_area:
            text += f"项目拟用地约{project.land_area.normalize():f}亩。"
        if project.expected_tax:
            output = rounded(float(amount) * sector.output)
            text += f"达产后预计年产值{yuan(output)}、年税收{yuan(project.expected_tax)}，新增就业{project.expected_jobs}人。"
        if project.investor_foreign:
            text += "项目为外商投资项目，外方资金由境外股东汇入。"
        return text

    def link(self, plan: Planned) -> None:
        """The team of a 小分队 lead; the introducer of a lead from 全民、中介 or 以商招商."""
        project = plan.project
        if project.channel == Channel.TEAM:
            teams = self.teams.get(project.unit.code)
            if teams:
                project.team = self.rng.choice(teams)
                self._registered_by_team(plan)
            else:
                project.channel = Channel.PROFESSIONAL
        kind = {Channel.PUBLIC: "person", Channel.AGENCY: "agency", Channel.BUSINESS: "chamber"}.get(project.channel)
        if kind and (kind != "chamber" or self.rng.random() < 0.6):
            candidates = self.introducers.get((project.unit.code, kind)) or self.introducers.get(
                (self.bureau.code, kind)
            )
            if candidates:
                project.introducer = self.rng.choice(candidates)
                self.introduced[id(project.introducer)].append(plan)  # unsaved rows: known by identity

    def _registered_by_team(self, plan: Planned) -> None:
        """A team's lead is kept by the member of the owning bureau who brought it (for the year-end scorecard)."""
        current = {m.person_id for m in self.members if m.team is plan.project.team and m.left_on is None}
        keepers = [p for p in self.staff.of(plan.project.unit.code) if p.pk in current]
        if keepers:
            plan.officer = self.rng.choice(keepers)
            plan.project.created_by_id = plan.officer.pk

    def _sign_at_event(self, plan: Planned) -> None:
        """Move a signed project's dates so that it signed at an event: every expo lead, some others."""
        signed, project = Stage.SIGNED.rank, plan.project
        if plan.rank < signed or not (project.channel == Channel.EXPO or self.rng.random() < 0.15):
            return
        kinds = (Event.Kind.EXPO, Event.Kind.PROMOTION) if project.channel == Channel.EXPO else (Event.Kind.SIGNING,)
        options = [
            e
            for e in self.events
            if e.kind in kinds and e.unit in (self.bureau, project.unit) and e.ends_on <= self.clock.today
        ]
        self.rng.shuffle(options)
        if project.channel == Channel.EXPO and self.rng.random() < 0.7:  # most at the annual expo
            options.sort(key=lambda e: e.kind != Event.Kind.EXPO)
        elif self.rng.random() < 0.5:  # the area's own events first
            options.sort(key=lambda e: e.unit != project.unit)
        for event in options:
            day = event.starts_on + timedelta(days=self.rng.randint(0, (event.ends_on - event.starts_on).days))
            shift = day - plan.days[signed]
            days = [d + shift for d in plan.days]
            last = plan.end[1] + shift if plan.end else days[-1]
            if days[0] >= self.clock.start and last <= self.clock.today:
                plan.days = days
                if plan.end:
                    plan.end = (plan.end[0], last, plan.end[2])
                project.event = event
                return

    def _pause_between(self, plan: Planned) -> None:
        """A few projects were paused for a while between two stages and taken up again."""
        if plan.rank < Stage.INTENTION.rank or self.rng.random() >= 0.05:
            return
        gaps = [i for i in range(1, plan.rank + 1) if (plan.days[i] - plan.days[i - 1]).days >= 40]
        if gaps:
            i = self.rng.choice(gaps)
            length = (plan.days[i] - plan.days[i - 1]).days
            paused = plan.days[i - 1] + timedelta(days=self.rng.randint(5, length // 3))
            resumed = paused + timedelta(days=self.rng.randint(7, length // 2))
            plan.pause = (paused, resumed, self.rng.choice(words.BREAK_REASONS))

    def _open_leads(self) -> list[Planned]:
        return [p for p in self.plans if p.rank == 0 and p.project.status == Project.Status.ACTIVE]

    def _mark_overdue_leads(self) -> None:
        """Leads registered just long enough ago to be late (red) or due today (amber)."""
        clock, limits = self.clock, self.limits
        leads = self.rng.sample(self._open_leads(), sum(OVERDUE_PER_SCALE.values()) * self.ctx.scale)
        for how, count in OVERDUE_PER_SCALE.items():
            for plan in (leads.pop() for _ in range(count * self.ctx.scale)):
                if how == "due_today":
                    day = clock.add_working_days(clock.today, -limits.respond_days)
                    if clock.add_working_days(day, limits.respond_days) != clock.today:
                        continue  # today is not a working day: nothing falls due today
                else:
                    limit = limits.respond_days if how == "unresponded" else limits.assess_days
                    day = clock.add_working_days(clock.today, -(limit + self.rng.randint(1, 3)))
                plan.days, plan.overdue = [day], how

    def needs_confirmation(self, plan: Planned, rank: int) -> bool:
        """As workflow.needs_confirmation: a gate that asks for it, on a project of a county or the zone."""
        gate = self.gates.get(STAGES[rank])
        return bool(gate and gate.needs_approval) and plan.area.depth > 1

    def _mark_pending(self) -> None:
        """A few counties' latest stages still wait for the 市投资促进局 to confirm them."""
        recent = self.clock.today - timedelta(days=40)
        candidates = [
            p
            for p in self.plans
            if p.project.status == Project.Status.ACTIVE
            and p.rank >= Stage.SIGNED.rank
            and p.days[-1] >= recent
            and self.needs_confirmation(p, p.rank)
        ]
        for plan in self.rng.sample(candidates, min(len(candidates), PENDING_PER_SCALE * self.ctx.scale)):
            plan.pending = True

    def _mark_returned(self) -> None:
        """A few stages were sent back once (missing evidence) and confirmed when claimed again."""
        candidates = []
        for plan in self.plans:
            for rank in range(Stage.SIGNED.rank, plan.rank + (0 if plan.pending else 1)):
                if self.needs_confirmation(plan, rank) and (plan.days[rank] - plan.days[rank - 1]).days >= 15:
                    candidates.append((plan, rank))
        for plan, rank in self.rng.sample(candidates, min(len(candidates), RETURNED_PER_SCALE * self.ctx.scale)):
            if plan.returned is None:
                gap = (plan.days[rank] - plan.days[rank - 1]).days
                plan.returned = (rank, plan.days[rank - 1] + timedelta(days=self.rng.randint(1, gap - 10)))
