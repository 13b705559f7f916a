import io
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.urls import reverse
from docx import Document
from pypdf import PdfReader

from apps.core.models import Delivery, NoticePreference
from apps.enterprises.models import Contact, DuplicateScan, DuplicateSuggestion, Enterprise, EnterpriseName, Tag
from apps.enterprises.selectors import find_matches
from apps.enterprises.uscc import is_valid_uscc
from apps.investment.models import FundRecord, Project, ProjectDocument, StageChange
from apps.org.models import Unit, User
from apps.org.roles import BUILTIN_ROLES
from apps.org.tests.factories import UserFactory, make_unit
from yingshang.demo.context import DEMO_PASSWORD
from yingshang.demo.org import DEMO_ACCOUNTS
from yingshang.demo.table import display_width, format_table

pytestmark = pytest.mark.django_db


def run_demo(*args: str) -> str:
    out = StringIO()
    call_command("demo", *args, tickets=2500, stdout=out)  # the 50,000 tickets of ./dev demo take a minute more
    return out.getvalue()


def snapshot() -> tuple[list, ...]:
    units = list(Unit.objects.order_by("code").values_list("code", "name", "short_name", "phone", "address"))
    people = list(User.objects.order_by("username").values_list("username", "name", "unit__code", "title", "phone"))
    enterprises = list(Enterprise.objects.order_by("name").values_list("name", "uscc", "parent__name", "address"))
    return units, people, enterprises, *pipeline_snapshot()


def pipeline_snapshot() -> list[list]:
    # not a project's code: it carries the project's id, which a rebuilt database does not reuse
    projects = Project.objects.values_list(
        "name", "unit__code", "enterprise__name", "stage", "counted_stage", "status", "channel",
        "contracted_investment", "signed_on", "at_capacity_on",
    )  # fmt: skip
    changes = StageChange.objects.values_list("project__name", "kind", "to_stage", "happened_on", "approval")
    funds = FundRecord.objects.values_list("project__name", "month", "amount", "out_of_province")
    return [sorted(rows, key=repr) for rows in (projects, changes, funds)]


def test_the_same_seed_gives_the_same_city_after_a_reset():
    run_demo("--seed", "7")
    first = snapshot()
    storage = ProjectDocument._meta.get_field("file").storage
    files = list(ProjectDocument.objects.values_list("file", flat=True))
    assert files
    assert all(storage.exists(name) for name in files)

    run_demo("--seed", "7", "--reset")

    assert snapshot() == first
    assert not any(storage.exists(name) for name in files)  # the reset deleted the first city's documents


def test_a_second_run_without_reset_changes_nothing_and_prints_the_accounts():
    run_demo()
    before = snapshot()
    last_id = User.objects.order_by("-id").values_list("id", flat=True).first()

    output = run_demo()

    assert "已存在" in output
    assert "sysadmin" in output
    assert DEMO_PASSWORD in output
    assert snapshot() == before
    assert User.objects.order_by("-id").values_list("id", flat=True).first() == last_id


def test_scale_two_gives_about_twice_the_people():
    run_demo()
    people_at_1 = User.objects.count()

    run_demo("--scale", "2", "--reset")

    assert 1.8 <= User.objects.count() / people_at_1 <= 2.4


def test_reset_with_another_seed_replaces_the_generated_people_and_keeps_the_others():
    run_demo("--seed", "7")
    generated = snapshot()[1]
    outsider = UserFactory(username="zhangsan", unit=None)

    run_demo("--seed", "8", "--reset")

    assert User.objects.filter(pk=outsider.pk).exists()
    assert [person for person in snapshot()[1] if person[0] != "zhangsan"] != generated


def test_a_database_with_another_city_is_left_alone():
    make_unit(parent=None, name="某市", kind=Unit.Kind.CITY, code="110100")

    with pytest.raises(CommandError, match="某市"):
        run_demo("--reset")

    assert Unit.objects.count() == 1


def test_table_columns_line_up_with_chinese_text():
    table = format_table(("角色", "账号"), [("系统管理员", "sysadmin"), ("企业用户", "qiye")])

    lines = table.splitlines()
    assert display_width(lines[2][: lines[2].index("sysadmin")]) == display_width(lines[3][: lines[3].index("qiye")])


# ---- the tests below only read the city: one build serves them all ---------------------------
# (the fixture keeps it in a transaction of its own, each test runs in a savepoint inside it and
# the whole is rolled back at the end of the module; they come last so that the tests above, which
# build their own city, never see this one)


@pytest.fixture(scope="module")
def demo_city(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        run_demo()
        yield
        transaction.set_rollback(True)


def test_demo_builds_the_city_with_counties_zone_towns_and_departments(demo_city):
    kinds = Unit.objects.values_list("kind", flat=True)
    assert list(kinds).count(Unit.Kind.CITY) == 1
    assert list(kinds).count(Unit.Kind.COUNTY) == 6
    assert list(kinds).count(Unit.Kind.ZONE) == 1
    assert list(kinds).count(Unit.Kind.DEPARTMENT) >= 35
    for county in Unit.objects.filter(kind__in=[Unit.Kind.COUNTY, Unit.Kind.ZONE]):
        towns = Unit.objects.get_children(county).filter(kind=Unit.Kind.TOWN)
        assert 4 <= towns.count() <= 8, county.name
        assert all(town.code.startswith(county.code) and len(town.code) == 9 for town in towns)


def test_the_bulk_built_tree_is_one_treebeard_would_have_built(demo_city):
    county = Unit.objects.get(code="990101")

    added = Unit.objects.add_child(county, instance=Unit(name="新设街道", kind=Unit.Kind.TOWN, code="990101050"))

    assert Unit.objects.find_problems() == ([], [], [], [], [])
    children = list(Unit.objects.get_children(county))
    assert children == sorted(children, key=lambda unit: (unit.kind, unit.code))
    assert children[-1] == added


def test_every_builtin_role_has_an_active_person_and_the_three_administrators_are_apart(demo_city):
    for role in BUILTIN_ROLES:
        assert User.objects.active().filter(roles__code=role.code).exists(), role.code
    for username in ("sysadmin", "secadmin", "auditor"):
        person = User.objects.get(username=username)
        assert person.roles.count() == 1
        assert person.unit.is_root()
    assert not User.objects.filter(roles__code="enterprise_user").exclude(unit=None).exists()


def test_phones_are_distinct_mobile_numbers(demo_city):
    phones = list(User.objects.values_list("phone", flat=True))
    assert len(set(phones)) == len(phones)
    assert all(len(phone) == 11 and phone[:2] in {"13", "15", "18", "19"} for phone in phones)


def test_demo_accounts_log_in_without_being_sent_to_change_their_password(client, demo_city):
    for account in DEMO_ACCOUNTS:
        response = client.post(reverse("org:login"), {"username": account.username, "password": DEMO_PASSWORD})
        assert response.status_code == 302, account.username
        # portal users land on the enterprise portal, staff on the home page
        assert client.get(reverse("core:home"), follow=True).status_code == 200, account.username
        assert User.objects.get(username=account.username).role_codes() == {account.role}
        client.logout()


def test_the_registry_has_3000_enterprises_with_valid_distinct_credit_codes(demo_city):
    codes = list(Enterprise.objects.exclude(uscc=None).values_list("uscc", flat=True))

    assert Enterprise.objects.count() >= 2500
    assert all(is_valid_uscc(code) for code in codes)
    assert len(set(codes)) == len(codes)
    assert 0.03 <= Enterprise.objects.filter(uscc=None).count() / Enterprise.objects.count() <= 0.12


def test_groups_have_subsidiaries_and_branches_that_name_their_parent(demo_city):
    subsidiaries = Enterprise.objects.filter(group_role=Enterprise.GroupRole.SUBSIDIARY)
    branches = Enterprise.objects.filter(group_role=Enterprise.GroupRole.BRANCH).select_related("parent")

    assert subsidiaries.count() >= 40
    assert branches.count() >= 40
    assert not subsidiaries.filter(parent=None).exists()
    assert all(branch.name.startswith(branch.parent.name) or branch.name.endswith("支行") for branch in branches)
    assert Enterprise.objects.filter(children__isnull=False).distinct().count() >= 25
    assert Enterprise.objects.get(name="比亚迪股份有限公司").tags.filter(name="世界500强").exists()


def test_every_enterprise_has_its_full_name_and_some_have_short_and_former_names(demo_city):
    total = Enterprise.objects.count()

    assert EnterpriseName.objects.filter(kind=EnterpriseName.Kind.FULL).count() == total
    assert 0.2 <= EnterpriseName.objects.filter(kind=EnterpriseName.Kind.SHORT).count() / total <= 0.4
    assert EnterpriseName.objects.filter(kind=EnterpriseName.Kind.FORMER).exists()
    assert find_matches("比亚迪")[0].enterprise.name == "比亚迪股份有限公司"


def test_tags_are_sparse_and_contacts_belong_to_investment_promotion_departments(demo_city):
    total = Enterprise.objects.count()

    assert 0.05 <= Tag.objects.get(name="高新技术企业").enterprises.count() / total <= 0.11
    assert 0.01 <= Tag.objects.get(name="专精特新").enterprises.count() / total <= 0.05
    assert 0.25 <= Contact.objects.count() / total <= 0.4
    assert set(Contact.objects.values_list("unit__code", flat=True)) <= {
        f"{code}D02" for code in Unit.objects.filter(depth__lte=2).values_list("code", flat=True)
    }


def test_the_duplicate_scan_filled_the_review_queue(demo_city):
    scan = DuplicateScan.objects.get()
    open_suggestions = DuplicateSuggestion.objects.filter(status=DuplicateSuggestion.Status.OPEN)

    assert scan.status == DuplicateScan.Status.FINISHED
    assert open_suggestions.filter(verdict=DuplicateSuggestion.Verdict.SAME).count() >= 20
    assert open_suggestions.filter(verdict=DuplicateSuggestion.Verdict.GROUP).exists()


def test_the_latest_rankings_are_issued_as_bulletins_that_open(demo_city, soffice):
    from apps.assessment.models import Bulletin
    from apps.assessment.services.bulletins import issued_file

    issued = list(Bulletin.objects.filter(status=Bulletin.Status.ISSUED).select_related("snapshot"))
    superseded = Bulletin.objects.get(status=Bulletin.Status.SUPERSEDED)

    assert {b.kind for b in issued} == {"monthly", "quarterly", "half_year"}
    assert superseded.superseded_by.version == 2
    for bulletin in issued:
        paragraphs = [p.text for p in Document(io.BytesIO(issued_file(bulletin, "docx"))).paragraphs]
        assert bulletin.number in paragraphs
        text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(issued_file(bulletin, "pdf"))).pages)
        first = bulletin.snapshot.rows.get(rank=1).unit.name
        assert first in text.replace("\n", "")


def test_two_published_rounds_score_every_area_and_a_third_is_under_way(client, demo_city):
    from apps.bizenv.models import Entry, Reference, Result, Round, Score

    published = list(Round.objects.filter(status=Round.Status.PUBLISHED).order_by("year"))
    areas = Unit.objects.filter(depth=2, kind__in=(Unit.Kind.COUNTY, Unit.Kind.ZONE)).count()
    assert len(published) == 2
    for round_ in published:
        scores = [r.score for r in Result.objects.filter(round=round_)]
        assert len(scores) == areas
        assert None not in scores
        assert max(scores) - min(scores) > 10  # a realistic spread, not every area alike
        assert Reference.objects.filter(round=round_).exists()
        assert Score.objects.filter(round=round_, flagged=True).exists()
    assert Result.objects.filter(round=published[1]).exclude(movement=Result.Movement.SAME).exists()
    assert Entry.objects.filter(round=published[1], source=Entry.Source.PLATFORM).exists()  # from the cases
    current = Round.objects.get(status=Round.Status.OPEN)
    assert Entry.objects.filter(round=current, status=Entry.Status.RETURNED).exists()
    client.force_login(User.objects.get(username="yingshang"))
    result = Result.objects.filter(round=published[1]).first()
    for url in (
        reverse("bizenv:round_detail", args=[current.pk]),
        reverse("bizenv:result_list", args=[published[1].pk]),
        reverse("bizenv:result_unit", args=[result.pk]),
        reverse("bizenv:flag_list", args=[published[1].pk]),
        reverse("bizenv:robustness", args=[published[1].pk]),
    ):
        assert client.get(url).status_code == 200, url


def test_the_self_check_round_has_problems_in_every_state_and_the_scan_has_run(client, demo_city):
    from apps.supervision.models import Problem, Reminder

    states = set(Problem.objects.values_list("status", flat=True))
    assert states == set(Problem.Status.values)
    assert Problem.objects.filter(source=Problem.Source.SELF_CHECK).count() >= 24
    assert Reminder.objects.exists()
    client.force_login(User.objects.get(username="ducha"))
    problem = Problem.objects.exclude(status=Problem.Status.SIGNED_OFF).first()
    assert client.get(reverse("supervision:problem_list")).status_code == 200
    assert client.get(reverse("supervision:problem_detail", args=[problem.pk])).status_code == 200
    notice = client.get(reverse("supervision:problem_notice", args=[problem.pk]))
    document = Document(io.BytesIO(notice.content))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    assert problem.title in "".join([*(p.text for p in document.paragraphs), *cells])


def test_the_demo_tracks_government_defaults_some_partly_cleared(client, demo_city):
    from apps.supervision.models import GovernmentDefault

    defaults = GovernmentDefault.objects.select_related("problem")
    assert defaults.count() >= 5
    assert {d.problem.source for d in defaults} == {"gov_default"}
    assert any(d.amount_owed and 0 < d.amount_cleared < d.amount_owed for d in defaults)
    client.force_login(User.objects.get(username="ducha"))
    page = client.get(reverse("supervision:default_list")).content.decode()
    assert defaults.first().problem.title in page


def test_the_credit_lists_have_effects_visible_on_projects_and_at_screening(client, demo_city):
    from django.utils import timezone

    from apps.investment.models import ScreeningResult, ScreeningRule
    from apps.supervision.models import CreditEntry, CreditKind, CreditRepair, CreditState

    today = timezone.localdate()
    assert CreditEntry.objects.count() >= 55
    assert CreditEntry.objects.in_state(CreditState.EXPIRED, today).exists()
    assert CreditEntry.objects.in_state(CreditState.REPAIRED, today).count() == 1
    assert CreditRepair.objects.get().decided_by != CreditRepair.objects.get().requested_by
    black = CreditEntry.objects.in_force(today).filter(kind=CreditKind.BLACK, enterprise__projects__isnull=False)
    screened = ScreeningResult.objects.filter(rule__kind=ScreeningRule.Kind.CREDIT, action=ScreeningRule.Action.WARN)
    project = Project.objects.filter(enterprise__in=black.values("enterprise"), screenings__in=screened).first()
    assert project is not None
    assert (
        Project.objects.filter(enterprise__in=black.values("enterprise")).values("enterprise").distinct().count() >= 8
    )
    client.force_login(User.objects.get(username="zhaoshang"))
    text = client.get(reverse("investment:project_detail", args=[project.pk])).content.decode()
    assert "失信惩戒" in text
    assert client.get(reverse("supervision:credit_list")).status_code == 200


def test_supervision_tasks_cases_and_commitments_on_signed_projects(client, demo_city):
    from django.utils import timezone

    from apps.supervision.models import InvestorCommitment, Problem, SupervisionTask, TypicalCase
    from apps.supervision.services.task_periods import missing_periods

    tasks = list(SupervisionTask.objects.prefetch_related("reports"))
    assert len(tasks) >= 25
    assert {task.status for task in tasks} == set(SupervisionTask.Status.values)
    assert {task.cycle for task in tasks} == set(SupervisionTask.Cycle.values)
    today = timezone.localdate()
    missing = [t for t in tasks if missing_periods(t, today, [r.period_start for r in t.reports.all()])]
    assert {task.cycle for task in missing} == {"ten_day", "monthly"}
    assert any(t.status == "in_progress" and t.due_on < today for t in tasks)
    cases = TypicalCase.objects.all()
    assert cases.count() == 8
    assert set(cases.values_list("status", flat=True)) == set(TypicalCase.Status.values)
    assert all(case.sources.exists() for case in cases)
    commitments = InvestorCommitment.objects.select_related("project")
    assert commitments.count() >= 15
    assert all(c.project.signed_on is not None for c in commitments)
    assert commitments.filter(status="overdue", raised_problem__isnull=False).exists()
    assert Problem.objects.filter(source=Problem.Source.COMMITMENT).exists()
    client.force_login(User.objects.get(username="ducha"))
    task = SupervisionTask.objects.filter(status="in_progress").first()
    case = cases.filter(status="published").first()
    for url in (
        reverse("supervision:task_list"),
        reverse("supervision:task_detail", args=[task.pk]),
        reverse("supervision:task_overdue"),
        reverse("supervision:case_list"),
        reverse("supervision:case_detail", args=[case.pk]),
    ):
        assert client.get(url).status_code == 200, url
    overdue = client.get(reverse("supervision:task_overdue")).content.decode()
    assert 'data-testid="overdue-tasks"' in overdue


def test_the_policy_registry_has_a_1_plus_n_set_with_expired_and_repealed_documents(demo_city):
    from django.utils import timezone

    from apps.policies import rules
    from apps.policies.models import Policy, PolicyItem, PolicyState

    today = timezone.localdate()
    main = Policy.objects.get(title="关于支持实体经济高质量发展的若干政策")
    states = [policy.state_on(today) for policy in Policy.objects.all()]
    assert main.measures.count() >= 8
    assert main.measures.in_force(today).count() >= 8
    assert 12 <= len(states) <= 15
    assert {states.count(state) for state in (PolicyState.EXPIRED, PolicyState.REPEALED, PolicyState.DRAFT)} == {1}
    assert 40 <= PolicyItem.objects.count() <= 60
    assert PolicyItem.objects.filter(auto_grant=True, policy__in=Policy.objects.in_force(today)).count() >= 5
    assert PolicyItem.objects.filter(policy__in=Policy.objects.in_force(today), rule={}).count() <= 10
    for item in PolicyItem.objects.all():
        assert rules.parse(item.rule) == item.rule, item.title


def test_free_grant_cases_are_those_of_matching_enterprises(demo_city):
    from apps.policies.models import Fulfilment, PolicyMatch

    auto = Fulfilment.objects.filter(channel="auto")
    assert auto.count() >= 20
    matched = set(PolicyMatch.objects.filter(current=True).values_list("item_id", "enterprise_id"))
    assert all(pair in matched for pair in auto.values_list("item_id", "enterprise_id"))
    assert all(case.match_reasons for case in auto)


def test_fulfilment_cases_in_every_state_follow_the_state_machine(demo_city):
    from django.utils import timezone

    from apps.policies.models import OPEN_STATES, Fulfilment, FulfilmentState
    from apps.supervision.models import CreditEntry

    today = timezone.localdate()
    cases = Fulfilment.objects.select_related("item").prefetch_related("events")
    assert 250 <= cases.count() <= 400
    for state in FulfilmentState.values:
        assert cases.filter(state=state).exists(), state
    assert cases.filter(state__in=OPEN_STATES, step_due__lt=today).exists()
    assert cases.filter(state__in=OPEN_STATES, step_due__gte=today).exists()
    assert cases.filter(state="pending_confirmation").exclude(channel="auto").count() == 0
    black = set(CreditEntry.objects.filter(kind="black").values_list("enterprise_id", flat=True))
    for case in cases:
        events = list(case.events.all())
        assert events[0].from_state == "", case.number
        assert events[-1].to_state == case.state, case.number
        assert all(a.to_state == b.from_state for a, b in zip(events, events[1:], strict=False)), case.number
        assert all(a.at <= b.at for a, b in zip(events, events[1:], strict=False)), case.number
        if case.state == "paid":
            assert case.paid_amount == case.approved_amount <= case.proposed_amount, case.number
            assert case.item.cap_amount is None or case.proposed_amount <= case.item.cap_amount, case.number
            assert case.paid_on <= today
        if case.state == "stopped":
            assert case.enterprise_id in black
            assert "信用黑名单" in case.stop_reason


def test_enterprises_have_figures_officers_and_portal_accounts(demo_city):
    from apps.enterprises.models import AnnualFigures, EnterpriseAccount, ServiceOfficer

    assert AnnualFigures.objects.count() > 2000
    assert ServiceOfficer.objects.exists()
    account = EnterpriseAccount.objects.select_related("enterprise__industry").get(user__username="qiye")
    assert account.enterprise.figures.filter(revenue__gte=2000).exists()
    assert EnterpriseAccount.objects.count() >= 5


def test_the_seed_chains_have_placed_enterprises_gaps_an_outside_pool_and_leads(client, demo_city):
    from apps.chains.locality import outside_condition
    from apps.chains.models import Chain, LinkLead, Placement
    from apps.chains.services.coverage import LinkState, chain_coverage

    assert Chain.objects.count() == 8
    confirmed = Placement.objects.filter(status=Placement.Status.CONFIRMED)
    assert confirmed.values("enterprise").distinct().count() >= 200
    assert Placement.objects.filter(status=Placement.Status.SUGGESTED).exists()
    assert Placement.objects.filter(status=Placement.Status.REJECTED).exists()
    assert confirmed.filter(is_chain_leader=True).exists()
    states = {row.state for chain in Chain.objects.all() for row in chain_coverage(chain)}
    assert {LinkState.FILL, LinkState.STRENGTHEN, LinkState.COVERED} <= states
    pool = Enterprise.objects.filter(outside_condition())
    assert pool.count() >= 2000
    assert pool.filter(tags__name="世界500强").exists()
    assert not Enterprise.objects.filter(business_scope="").exists()
    assert LinkLead.objects.count() >= 6
    assert all(lead.project.channel == "professional" for lead in LinkLead.objects.select_related("project"))

    client.force_login(User.objects.get(username="zhaoshang"))
    chain = Chain.objects.first()
    assert client.get(reverse("chains:chain_diagram", args=[chain.pk])).status_code == 200
    assert client.get(reverse("chains:chain_guide", args=[chain.pk])).status_code == 200


def test_people_with_notices_chose_email_and_the_delivery_log_shows_sent_and_given_up(client, demo_city):
    assert NoticePreference.objects.filter(email_mode="each").count() == 8
    assert NoticePreference.objects.filter(email_mode="digest").count() == 4
    assert set(Delivery.objects.values_list("state", flat=True)) == {"sent", "abandoned"}
    assert not Delivery.objects.filter(channel__in=["wecom", "dingtalk"]).exists()  # no robot: no outside call

    client.force_login(User.objects.get(username="sysadmin"))
    page = client.get(reverse("core:delivery_list")).content.decode()
    assert "已发送" in page
    assert "放弃" in page


def test_the_city_has_its_schematic_map_and_the_cockpit_opens_for_the_leader_and_a_county(client, demo_city):
    from apps.cockpit.models import RegionMap

    region_map = RegionMap.objects.get(active=True)
    assert region_map.unit.code == "990100"
    assert len(region_map.mapping) == 7
    client.force_login(User.objects.get(username="leader"))
    response = client.get(reverse("cockpit:cockpit"))
    assert response.status_code == 200
    assert len(response.context["investment"].areas) == 7
    assert response.context["bizenv"].count >= 1
    assert response.context["appeals"].has_rates
    client.force_login(User.objects.get(username="dongcheng"))
    county = client.get(reverse("cockpit:cockpit"))
    assert [area.unit.code for area in county.context["investment"].areas] == ["990101"]  # its own county only
