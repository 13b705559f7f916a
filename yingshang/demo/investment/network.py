"""Events, teams and their trips, introducers and their rewards."""

from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from django.utils import timezone

from apps.investment.models import Event, Introducer, Project, RewardClaim, Stage, Team, TeamMember, Trip
from apps.org.models import Unit
from yingshang.demo import project_names as words
from yingshang.demo.investment.sources import Person, Planned, person_id
from yingshang.demo.org import CITY_CODE, COUNTIES, ZONE

if TYPE_CHECKING:
    from yingshang.demo.investment.plan import PipelinePlan


INTRODUCERS_PER_SCALE = 40
REWARDS_PER_SCALE = 8
#: who has confirmed a reward claim at each status (services/rewards.py: both sides make it 已联合确认)
CONFIRMED_BY_BUREAU = {RewardClaim.Status.BUREAU_CONFIRMED, RewardClaim.Status.CONFIRMED, RewardClaim.Status.PAID}
CONFIRMED_BY_COUNTY = {RewardClaim.Status.CONFIRMED, RewardClaim.Status.PAID}
#: the days a claim at each status was filed before today, at least (a paid one went through every step)
REWARD_AGES = {
    RewardClaim.Status.SUBMITTED: 3, RewardClaim.Status.BUREAU_CONFIRMED: 15, RewardClaim.Status.CONFIRMED: 25,
    RewardClaim.Status.PAID: 70, RewardClaim.Status.REJECTED: 20,
}  # fmt: skip
#: the city's departments whose people join the city's team besides the bureau's
CITY_TEAM_UNITS = {f"{CITY_CODE}D13", f"{CITY_CODE}D14"}


def plan_events(pipeline: "PipelinePlan") -> None:
    """The city's annual expo, its quarterly signing ceremonies and promotions, and a few of the areas'."""
    clock = pipeline.clock
    for year in range(clock.start.year, clock.today.year + 1):
        for name, kind, code, month, day, days, place in words.EVENTS:
            starts = date(year, month, day)
            if kind == Event.Kind.SIGNING:
                starts = clock.workday(starts) if starts < clock.today else starts
            if starts > clock.today + timedelta(days=60):
                continue
            unit = pipeline.owner(pipeline.units[code]) if code else pipeline.bureau
            title = name.format(year=year, edition=year - words.FIRST_EXPO_YEAR + 1)
            pipeline.events.append(
                Event(
                    name=title,
                    kind=kind,
                    unit=unit,
                    starts_on=starts,
                    ends_on=starts + timedelta(days=days - 1),
                    place=place,
                    description=words.EVENT_DESCRIPTIONS[kind],
                )
            )


def plan_teams(pipeline: "PipelinePlan") -> None:
    """Two or three standing teams in every county and the zone, one in the city, with their trips."""
    areas = [
        (spec.code, spec.prefix, pipeline.rng.sample(words.TEAM_THEMES, pipeline.rng.randint(2, 3)))
        for spec in (*COUNTIES, ZONE)
    ]
    areas.append((CITY_CODE, "", [words.CITY_THEME]))
    for code, prefix, themes in areas:
        if code not in pipeline.units:
            continue
        owner = pipeline.owner(pipeline.units[code])
        officers = pipeline.staff.of(owner.code)
        others = [
            person
            for unit_code, people in sorted(pipeline.staff.by_unit.items())
            if unit_code != owner.code
            and unit_code.startswith(code)
            and (code != CITY_CODE or unit_code in CITY_TEAM_UNITS)
            for person in people
        ]
        pipeline.rng.shuffle(others)
        for leader, theme in zip(officers, themes, strict=False):  # a team per officer at most: each leads one
            _team(pipeline, owner, f"{prefix}{theme.name}", theme, leader, others)
            _trips(pipeline, pipeline.teams[owner.code][-1], theme, pipeline.units[code])


def _team(
    pipeline: "PipelinePlan", owner: Unit, name: str, theme: words.Theme, leader: Person, others: list[Person]
) -> None:
    """Led by an officer of the owning bureau, with a colleague or two (who register its leads) and people
    of the area's other units."""
    rng, clock = pipeline.rng, pipeline.clock
    team = Team(name=name, unit=owner, leader_id=leader.pk, target_regions=theme.regions)
    pipeline.teams[owner.code].append(team)
    pipeline.team_industries.append((team, theme.divisions))
    joined = clock.workday(clock.start + timedelta(days=rng.randint(2, 40)))
    colleagues = [p for p in pipeline.staff.of(owner.code) if p != leader]
    crew = rng.sample(colleagues, min(len(colleagues), rng.randint(1, 2)))
    crew += [others.pop() for _ in range(rng.randint(1, 2)) if others]
    roles = words.MEMBER_ROLES[: len(crew)]
    members = [TeamMember(team=team, person_id=leader.pk, role="队长", joined_on=joined)]
    members += [
        TeamMember(team=team, person_id=p.pk, role=role, joined_on=joined) for p, role in zip(crew, roles, strict=True)
    ]
    if len(members) > 2 and others and rng.random() < 0.3:  # someone left and was replaced
        left = members[-1]
        left.left_on = joined + timedelta(days=rng.randint(120, 300))
        members.append(TeamMember(team=team, person_id=others.pop().pk, role=left.role, joined_on=left.left_on))
    pipeline.members += members


def _trips(pipeline: "PipelinePlan", team: Team, theme: words.Theme, area: Unit) -> None:
    """外出招商: three to seven trips to the team's regions, each visiting a few of the enterprises there."""
    rng, clock = pipeline.rng, pipeline.clock
    pool = [i.pk for i in pipeline.investors.all if i.outside and i.region_code.startswith(theme.region_prefixes)]
    recorders = [m.person_id for m in pipeline.members if m.team is team and m.left_on is None]
    for _ in range(rng.randint(3, 7)):
        starts = clock.workday(clock.start + timedelta(days=rng.randint(10, clock.span - 10)))
        visited = rng.sample(pool, min(len(pool), rng.randint(2, 6)))
        results = rng.choice(words.TRIP_RESULTS).format(
            visited=len(visited), talks=rng.randint(1, max(1, len(visited))),
            leads=rng.randint(0, max(1, len(visited))), area=area.name,
        )  # fmt: skip
        trip = Trip(
            team=team,
            starts_on=starts,
            ends_on=min(starts + timedelta(days=rng.randint(1, 4)), clock.today),
            destination=rng.choice(theme.destinations),
            results=results,
            recorded_by_id=rng.choice(recorders),
        )
        pipeline.trips.append((trip, visited))


def plan_introducers(pipeline: "PipelinePlan") -> None:
    """People, chambers of commerce and agencies registered by the areas and the city (备案), with masked data."""
    rng, fake = pipeline.rng, pipeline.fake
    areas = pipeline.areas()
    agencies = [i for i in pipeline.investors.all if i.division == "72" and ("咨询" in i.name or "招商" in i.name)]
    chambers: defaultdict[str, list[str]] = defaultdict(lambda: list(words.CHAMBERS))
    numbers: set[str] = set()
    for _ in range(INTRODUCERS_PER_SCALE * pipeline.ctx.scale):
        area = rng.choices([a for a, _w in areas], weights=[w for _a, w in areas])[0]
        owner = pipeline.owner(area)
        roll = rng.random()
        category = "person" if roll < 0.6 else "chamber" if roll < 0.8 else "agency"
        if category == "chamber" and not chambers[owner.code] or category == "agency" and not agencies:
            category = "person"
        introducer = Introducer(unit=owner, kind=Introducer.Kind.ENTERPRISE, registered_on=pipeline.clock.start)
        if category == "person":
            introducer.kind, introducer.name, introducer.note = (
                Introducer.Kind.PERSON,
                fake.person_name(),
                rng.choice(words.INTRODUCER_NOTES),
            )
            introducer.phone, introducer.id_number = fake.mobile(), person_id(rng, numbers)
        elif category == "chamber":
            names = chambers[owner.code]
            introducer.name, introducer.phone, introducer.note = (
                names.pop(rng.randrange(len(names))),
                fake.office_phone(),
                "异地商会",
            )
        else:
            agency = agencies.pop(rng.randrange(len(agencies)))
            introducer.name, introducer.enterprise_id = agency.name, agency.pk
            introducer.phone, introducer.note = fake.office_phone(), "招商中介机构"
        pipeline.introducers[(owner.code, category)].append(introducer)


def date_introducers(pipeline: "PipelinePlan") -> None:
    """Each introducer was registered before the first lead it gave (or some day in the window)."""
    clock = pipeline.clock
    for introducers in pipeline.introducers.values():
        for introducer in introducers:
            plans = pipeline.introduced.get(id(introducer))
            if plans:
                day = min(p.days[0] for p in plans) - timedelta(days=pipeline.rng.randint(0, 30))
            else:
                day = clock.start + timedelta(days=pipeline.rng.randint(0, clock.span))
            introducer.registered_on = max(clock.start, day)


def plan_rewards(pipeline: "PipelinePlan") -> None:
    """A few introducers' reward claims, at every step from filing to payment.

    As services/rewards.py files them: for a project whose production the level above confirmed,
    within the rule's window after it, on the actual fixed-asset investment reported by then, the
    registered introducer at 100%; the bureau and the county confirm as two different people.
    """
    today = pipeline.clock.today
    candidates = [
        p
        for p in pipeline.plans
        if p.project.introducer is not None
        and Stage(p.project.counted_stage).rank >= Stage.PRODUCING.rank
        and p.project.status != Project.Status.DROPPED
        and p.funds
        and p.project.producing_on + timedelta(days=pipeline.rule.claim_within_days) >= today
    ]
    pipeline.rng.shuffle(candidates)
    statuses = list(REWARD_AGES) * pipeline.ctx.scale * 2
    for status in statuses[: REWARDS_PER_SCALE * pipeline.ctx.scale]:
        for plan in candidates:
            filed_on = _filing_day(pipeline, plan, REWARD_AGES[status])
            if filed_on is not None:
                candidates.remove(plan)
                pipeline.rewards.append(_reward(pipeline, plan, status, filed_on))
                break


def _filing_day(pipeline: "PipelinePlan", plan: Planned, age: int) -> date | None:
    """A day after production (and after a fixed-asset figure was reported) that leaves ``age`` days to today."""
    project, clock = plan.project, pipeline.clock
    earliest = max(project.producing_on + timedelta(days=10), plan.funds[0].month + timedelta(days=40))
    latest = min(
        project.producing_on + timedelta(days=pipeline.rule.claim_within_days), clock.today - timedelta(days=age)
    )
    if earliest > latest:
        return None
    return clock.workday(earliest + timedelta(days=pipeline.rng.randint(0, (latest - earliest).days)))


def _reward(pipeline: "PipelinePlan", plan: Planned, status: str, filed_on: date) -> RewardClaim:
    rng, clock, project = pipeline.rng, pipeline.clock, plan.project
    filed = clock.at(filed_on)
    base = sum((f.fixed_asset for f in plan.funds if f.month <= filed_on), Decimal(0))
    claim = RewardClaim(
        project=project,
        introducer=project.introducer,
        rule=pipeline.rule,
        share=100,
        base_investment=base,
        amount=pipeline.rule.reward_for(base),
        status=status,
        created_by_id=plan.officer.pk,
        created_at=filed,
    )
    bureau = rng.choice(pipeline.staff.of(pipeline.bureau.code))
    county = [p for p in pipeline.staff.of(plan.area.code) if p != plan.officer]
    decided = [filed]
    if status in CONFIRMED_BY_BUREAU:
        decided.append(clock.at(clock.workday(filed_on + timedelta(days=rng.randint(2, 10))), after=filed))
        claim.bureau_confirmed_by_id = bureau.pk
        claim.bureau_confirmed_at = decided[-1]
    if status in CONFIRMED_BY_COUNTY and county:
        decided.append(clock.at(clock.workday(filed_on + timedelta(days=rng.randint(1, 12))), after=filed))
        claim.county_confirmed_by_id = rng.choice(county).pk
        claim.county_confirmed_at = decided[-1]
    if status == RewardClaim.Status.PAID:
        claim.paid_on = clock.workday(timezone.localdate(max(decided)) + timedelta(days=rng.randint(10, 40)))
        claim.voucher_number = f"SFCZ-{claim.paid_on:%Y%m}-{rng.randint(1, 999):03d}"
        claim.paid_by_id = bureau.pk
    if status == RewardClaim.Status.REJECTED:
        rejected = clock.at(clock.workday(filed_on + timedelta(days=rng.randint(3, 15))), after=filed)
        claim.rejected_reason, claim.rejected_at = words.REWARD_REJECTED, rejected
    return claim
