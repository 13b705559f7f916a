"""The demo city's investment pipeline (yingshang/demo/investment): what the screens and KPIs will show."""

from collections import Counter
from datetime import date, timedelta
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from stdnum.cn import ric

from apps.core.workdays import WorkdayCalendar
from apps.investment import permissions
from apps.investment.models import (
    Channel,
    Claim,
    ClaimConflict,
    Event,
    FundRecord,
    Introducer,
    NegotiationRound,
    PipelineSettings,
    Project,
    ProjectDocument,
    RewardClaim,
    Stage,
    StageChange,
    Team,
    TeamMember,
    Trip,
)
from apps.investment.services.workflow import STAGE_DATES
from apps.org.models import User
from yingshang.demo import runner
from yingshang.demo.investment.sources import id_number, rounded, yuan
from yingshang.demo.org import COUNTIES, ZONE

pytestmark = pytest.mark.django_db
AREAS = [spec.code for spec in (*COUNTIES, ZONE)]
STAGES = Stage.ordered()


def run_demo(*args: str) -> None:
    call_command("demo", *args, tickets=2500, stdout=StringIO())


def test_helpers_round_amounts_as_announced_and_make_valid_id_numbers():
    assert rounded(34567) == Decimal("35000.00")
    assert rounded(34567, 3) == Decimal("34600.00")
    assert rounded(8.44) == Decimal("8.40")
    assert yuan(Decimal(35000)) == "3.5亿元"
    assert yuan(Decimal(8500)) == "8500万元"
    # GB 11643: 11010519491231002 has the check character X
    assert id_number(_FixedDigits(2), "110105", date(1949, 12, 31)) == "11010519491231002X"


class _FixedDigits:
    def __init__(self, value: int) -> None:
        self.value = value

    def randrange(self, _stop: int) -> int:
        return self.value


# ---- the tests below only read the pipeline: one build serves them all (as in test_demo.py) ----


@pytest.fixture(scope="module")
def demo_city(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        run_demo()
        yield
        transaction.set_rollback(True)


def test_about_600_projects_at_every_stage_most_of_them_early(demo_city):
    stages = Counter(Project.objects.values_list("stage", flat=True))

    assert 580 <= sum(stages.values()) <= 640
    assert runner.summary().projects == sum(stages.values())
    assert set(stages) == set(Stage.values)
    early = stages["lead"] + stages["intention"] + stages["negotiation"]
    assert early > 300
    assert stages["signed"] > stages["completed"]
    assert stages["started"] > stages["at_capacity"]


def test_every_county_and_the_zone_has_projects_and_the_city_only_leads(demo_city):
    by_unit = Counter(Project.objects.values_list("unit__code", flat=True))

    for code in AREAS:
        assert by_unit[f"{code}D02"] >= 20, code
    city_stages = set(Project.objects.filter(unit__code="990100D02").values_list("stage", flat=True))
    assert city_stages
    assert city_stages <= {Stage.LEAD, Stage.INTENTION}
    assert set(by_unit) == {f"{code}D02" for code in [*AREAS, "990100"]}


def test_every_channel_and_paused_or_dropped_projects_with_their_reasons(demo_city):
    assert set(Project.objects.values_list("channel", flat=True)) == set(Channel.values)
    closed = Project.objects.exclude(status=Project.Status.ACTIVE)
    assert closed.filter(status=Project.Status.DROPPED).count() >= 20
    assert closed.filter(status=Project.Status.PAUSED).count() >= 10
    assert not closed.filter(status_reason="").exists()
    assert not Project.objects.filter(status=Project.Status.ACTIVE).exclude(status_reason="").exists()


def test_stage_dates_follow_each_other_within_the_last_two_years(demo_city):
    today = timezone.localdate()
    start = date(today.year - 1, 1, 1)
    for project in Project.objects.all():
        registered = timezone.localtime(project.created_at).date()
        counted = Stage(project.counted_stage).rank
        dates = [registered] + [getattr(project, name) for stage, name in STAGE_DATES.items() if stage.rank <= counted]
        assert None not in dates, project.code
        assert dates == sorted(dates), project.code
        assert start <= registered, project.code
        assert dates[-1] <= today, project.code
        later = [getattr(project, name) for stage, name in STAGE_DATES.items() if stage.rank > counted]
        assert later == [None] * len(later), project.code


def test_codes_are_numbered_as_the_service_numbers_them(demo_city):
    for pk, code, created_at in Project.objects.values_list("pk", "code", "created_at"):
        assert code == f"XM{timezone.localtime(created_at).year}-{pk:06d}"


def test_each_timeline_leads_step_by_step_to_the_projects_stage(demo_city):
    changes = StageChange.objects.order_by("at", "id")
    timelines: dict[int, list[StageChange]] = {}
    for change in changes:
        timelines.setdefault(change.project_id, []).append(change)
    for project in Project.objects.all():
        timeline = timelines[project.pk]
        assert timeline[0].kind == StageChange.Kind.REGISTER, project.code
        moves = [c for c in timeline if c.kind == StageChange.Kind.ADVANCE and c.approval != "returned"]
        reached = [Stage.LEAD.value] + [c.to_stage for c in moves]
        assert reached == [s.value for s in STAGES[: Stage(project.stage).rank + 1]], project.code
        happened = [c.happened_on for c in timeline if c.approval != "returned"]
        assert happened == sorted(happened), project.code
        counted = [c.to_stage for c in moves if c.approval in ("approved", "not_required")]
        assert (counted[-1] if counted else Stage.LEAD) == project.counted_stage, project.code
        if project.status != Project.Status.ACTIVE:
            assert timeline[-1].kind in (StageChange.Kind.PAUSE, StageChange.Kind.DROP), project.code


def test_counties_stages_are_confirmed_by_the_bureau_a_few_wait_and_a_few_were_sent_back(demo_city):
    bureau = PipelineSettings.current().coordinating_unit
    decided = StageChange.objects.filter(approval__in=["approved", "returned"])

    assert PipelineSettings.objects.count() == 1
    assert bureau.code == "990100D02"
    assert bureau.name == "市投资促进局"
    assert decided.count() >= 300
    assert not decided.exclude(approved_by__unit=bureau).exists()
    assert not decided.filter(Q(opinion="") | Q(approved_at=None)).exists()
    assert not decided.filter(project__unit=bureau).exists()
    assert 3 <= StageChange.objects.filter(approval="pending").count() <= 10
    assert StageChange.objects.filter(approval="returned").count() >= 2
    signed_in_counties = StageChange.objects.filter(kind="advance", to_stage="signed").exclude(project__unit=bureau)
    assert not signed_in_counties.filter(approval="not_required").exists()


def test_amounts_in_wan_yuan_have_a_long_tail(demo_city):
    amounts = [p.contracted_investment or p.planned_investment for p in Project.objects.all()]
    amounts = [a for a in amounts if a]

    assert len(amounts) >= 500
    assert sum(3000 <= a <= 50000 for a in amounts) / len(amounts) >= 0.6
    assert 0.3 <= sum(a >= 10000 for a in amounts) / len(amounts) <= 0.8
    assert 5 <= sum(a >= 100000 for a in amounts) <= 0.1 * len(amounts)


def test_signed_projects_carry_what_the_gates_ask_for(demo_city):
    storage = ProjectDocument._meta.get_field("file").storage
    signed = Project.objects.counted_at_least(Stage.SIGNED)
    started = Project.objects.counted_at_least(Stage.STARTED)

    assert not signed.filter(Q(contracted_investment=None) | Q(industry=None) | Q(land_area=None)).exists()
    assert not started.filter(fixed_asset_investment=None).exists()
    assert not signed.exclude(documents__kind=ProjectDocument.Kind.CONTRACT).exists()
    assert not started.exclude(documents__kind=ProjectDocument.Kind.START_PHOTO).exists()
    document = ProjectDocument.objects.filter(kind=ProjectDocument.Kind.CONTRACT).first()
    with storage.open(document.file.name) as stored:
        assert stored.read(8) == b"%PDF-1.4"


def test_monthly_funds_of_signed_projects_with_their_out_of_province_and_foreign_parts(demo_city):
    this_month = timezone.localdate().replace(day=1)
    funds = FundRecord.objects.select_related("project")

    assert funds.count() >= 500
    assert Project.objects.counted_at_least(Stage.SIGNED).filter(funds__isnull=False).distinct().count() >= 150
    for record in funds:
        project = record.project
        assert project.signed_on.replace(day=1) <= record.month <= this_month, project.code
        assert record.out_of_province <= record.amount
        assert record.foreign <= record.amount
        assert record.out_of_province == 0 or project.investor_out_of_province
        assert record.foreign == 0 or project.investor_foreign
    assert funds.filter(out_of_province__gt=0).exists()
    assert funds.filter(foreign__gt=0).exists()
    assert not funds.filter(project__counted_stage__in=["lead", "intention", "negotiation"]).exists()


def test_one_to_four_rounds_of_talks_from_negotiation_on(demo_city):
    rounds = Counter(NegotiationRound.objects.values_list("project_id", flat=True))
    talked = Project.objects.filter(stage__in=[s for s in Stage.values if Stage(s).rank >= Stage.NEGOTIATION.rank])

    assert set(rounds) == set(talked.values_list("pk", flat=True))
    assert set(rounds.values()) <= {1, 2, 3, 4}
    assert max(rounds.values()) == 4
    assert not NegotiationRound.objects.filter(held_on__gt=timezone.localdate()).exists()


def test_every_project_has_its_units_claim_and_a_few_conflicts_wait_for_the_bureau(demo_city):
    claimed = set(Claim.objects.values_list("enterprise_id", "unit_id"))
    waiting = ClaimConflict.objects.filter(status=ClaimConflict.Status.OPEN).select_related("holder", "challenger")

    assert set(Project.objects.values_list("enterprise_id", "unit_id")) <= claimed
    assert 5 <= waiting.count() <= 8
    for conflict in waiting:
        assert conflict.holder.status == Claim.Status.ACTIVE
        assert conflict.challenger.status == Claim.Status.WAITING
        assert conflict.holder.unit_id != conflict.challenger.unit_id
        assert conflict.holder.enterprise_id == conflict.challenger.enterprise_id == conflict.enterprise_id
    assert ClaimConflict.objects.filter(status=ClaimConflict.Status.DECIDED).exclude(note="").count() >= 2
    coordinator = User.objects.get(username="zhaoshang")
    assert (
        permissions.visible_conflicts(coordinator).filter(status=ClaimConflict.Status.OPEN).count() == waiting.count()
    )


def test_a_few_leads_are_overdue_for_a_response(demo_city):
    calendar, limits = WorkdayCalendar.load(), PipelineSettings.current()
    today = timezone.localdate()

    def past(project: Project, days: int) -> bool:
        return calendar.add_working_days(timezone.localtime(project.created_at).date(), days) < today

    waiting = Project.objects.filter(stage=Stage.LEAD, status=Project.Status.ACTIVE, assessed_at=None)
    unresponded = [p for p in waiting if p.responded_at is None and past(p, limits.respond_days)]
    unassessed = [p for p in waiting if p.responded_at is not None and past(p, limits.assess_days)]

    assert 2 <= len(unresponded) <= 4
    assert 2 <= len(unassessed) <= 4


def test_the_coordinator_sees_the_whole_city_and_a_county_its_own(demo_city):
    coordinator = User.objects.get(username="zhaoshang")
    county = User.objects.get(username="dongcheng")

    assert permissions.visible_projects(coordinator).count() == Project.objects.count()
    assert permissions.visible_projects(county).count() == Project.objects.filter(unit__code="990101D02").count()


def test_teams_with_their_members_and_trips_in_every_county(demo_city):
    teams = Counter(Team.objects.values_list("unit__code", flat=True))

    assert all(2 <= teams[f"{code}D02"] <= 3 for code in AREAS)
    for member in TeamMember.objects.select_related("team__unit", "person__unit"):
        area = member.team.unit.code[:6]
        assert member.person.unit.code.startswith(area)
    assert Team.objects.annotate(n=Count("members")).filter(n__lt=2).count() == 0
    assert Trip.objects.count() >= 3 * Team.objects.count()
    assert not Trip.objects.filter(ends_on__gt=timezone.localdate()).exists()
    assert not Trip.objects.annotate(n=Count("visited")).filter(n=0).exists()
    assert Project.objects.filter(channel=Channel.TEAM, team=None).count() == 0


def test_projects_signed_at_the_annual_expo_on_its_days(demo_city):
    expos = Event.objects.filter(kind=Event.Kind.EXPO, name__contains="投资贸易洽谈会")

    assert expos.count() == 2
    assert sum(expo.projects.count() for expo in expos) >= 3
    for project in Project.objects.exclude(event=None).select_related("event"):
        assert project.event.starts_on <= project.signed_on <= project.event.ends_on, project.code


def test_introducers_have_masked_valid_numbers_and_were_registered_before_their_leads(demo_city):
    people = Introducer.objects.filter(kind=Introducer.Kind.PERSON)

    assert people.count() >= 15
    assert Introducer.objects.filter(kind=Introducer.Kind.ENTERPRISE).exists()
    assert all(len(p.phone) == 11 and p.phone[0] == "1" for p in people)
    assert all(ric.is_valid(p.id_number) for p in people)
    assert all(p.masked_id_number.count("*") == 11 for p in people)
    for project in Project.objects.exclude(introducer=None).select_related("introducer"):
        assert project.introducer.registered_on <= timezone.localtime(project.created_at).date()


def test_reward_claims_at_every_step_filed_as_the_rewards_service_files_them(demo_city):
    rewards = RewardClaim.objects.select_related("rule", "project", "bureau_confirmed_by__unit")

    assert {r.status for r in rewards} == set(RewardClaim.Status.values)
    for reward in rewards:
        project, filed = reward.project, timezone.localtime(reward.created_at).date()
        assert Stage(project.counted_stage).rank >= Stage.PRODUCING.rank
        assert project.producing_on <= filed <= project.producing_on + timedelta(days=reward.rule.claim_within_days)
        assert (reward.introducer_id, reward.share) == (project.introducer_id, 100)
        assert reward.amount == reward.rule.reward_for(reward.base_investment) > 0
        assert reward.created_by_id not in (reward.bureau_confirmed_by_id, reward.county_confirmed_by_id)
        if reward.status in (RewardClaim.Status.CONFIRMED, RewardClaim.Status.PAID):
            assert reward.bureau_confirmed_by.unit.code == "990100D02"
            assert reward.county_confirmed_by_id not in (None, reward.bureau_confirmed_by_id)
        if reward.status == RewardClaim.Status.PAID:
            assert filed <= reward.paid_on <= timezone.localdate()


def test_the_generated_records_pass_model_validation(demo_city):
    samples = [
        *Project.objects.order_by("pk")[::25],
        *NegotiationRound.objects.order_by("pk")[::40],
        *FundRecord.objects.order_by("pk")[::80],
        *StageChange.objects.order_by("pk")[::100],
        *Event.objects.all(),
        *Introducer.objects.all(),
        *Team.objects.all(),
        *Trip.objects.order_by("pk")[::10],
    ]
    for record in samples:
        record.full_clean(validate_unique=False)
