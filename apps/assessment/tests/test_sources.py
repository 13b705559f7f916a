"""Live sources read every assessed unit at once: the landing problems by project and by department."""

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from apps.assessment.sources import SOURCES, year_to_date
from apps.investment.tests.factories import lead
from apps.landing.models import ProjectProblem
from apps.org.models import Unit
from apps.org.tests.factories import make_unit

pytestmark = pytest.mark.django_db


def test_problems_answered_on_time_by_the_projects_unit_and_by_the_department(city, county_a, county_b, officer_a):
    land = make_unit(parent=city, name="示范市自然资源和规划局", kind=Unit.Kind.DEPARTMENT, code="990100D05")
    water = make_unit(parent=city, name="示范市水务局", kind=Unit.Kind.DEPARTMENT, code="990100D09")
    project = lead(officer_a)
    for n, (department, due, answered) in enumerate(
        (
            (land, date(2026, 3, 10), date(2026, 3, 9)),  # on time
            (land, date(2026, 4, 10), date(2026, 4, 20)),  # late
            (land, date(2026, 5, 10), None),  # not answered
            (water, date(2026, 6, 1), date(2026, 6, 1)),  # on time
            (water, date(2027, 1, 5), None),  # due after the period: not counted
        )
    ):
        ProjectProblem.objects.create(
            code=f"WT2026-{n:04d}", project=project, title="用地指标", raised_by=officer_a, raised_on=date(2026, 3, 1),
            department=department, due_on=due, answered_on=answered,
        )  # fmt: skip
    period = year_to_date(date(2026, 12, 31))

    by_department = SOURCES["landing.department_answers_on_time"].read([land, water], period)
    by_project = SOURCES["landing.problems_on_time"].read([county_a, county_b], period)

    assert by_department == {land.pk: Decimal("33.33"), water.pk: Decimal("100.00")}
    assert by_project == {county_a.pk: Decimal("50.00"), county_b.pk: Decimal(100)}  # 2 of 4; none due in 西城


def test_commitment_cases_completed_on_time_by_area(county_a, county_b, bizenv_keeper_for_sources):
    from apps.bizenv.models import Commitment
    from apps.bizenv.services.cases import record_case

    kaiban = Commitment.objects.get(code="kaiban")  # 4 working days
    # received Monday 2026-03-02: done Wednesday = 2 working days (on time), the next Monday = 5 (late)
    for n, (unit, done) in enumerate(((county_a, date(2026, 3, 4)), (county_a, date(2026, 3, 9)), (county_a, None))):
        record_case(
            commitment=kaiban, unit=unit, number=f"K{n}", applicant_name="申请人", received_on=date(2026, 3, 2),
            completed_on=done, by=bizenv_keeper_for_sources,
        )  # fmt: skip
    source = SOURCES["bizenv.commitments_on_time"]
    period = year_to_date(date(2026, 12, 31))

    assert source.read([county_a, county_b], period) == {county_a.pk: Decimal("50.00"), county_b.pk: Decimal(100)}
    assert f"unit={county_a.pk}" in source.drill(county_a, period)


@pytest.fixture
def bizenv_keeper_for_sources(city):
    from apps.org import roles
    from apps.org.tests.factories import UserFactory

    bureau = make_unit(parent=city, name="市营商环境建设局", kind=Unit.Kind.DEPARTMENT, code="990100D30")
    return UserFactory(username="yingshang", name="营商局专员", unit=bureau, roles=[roles.BIZENV_ADMIN])


def test_appeals_satisfaction_by_area(city, county_a, county_b):
    from apps.appeals.models import Appeal, Assignment, Category, TimeLimitPolicy

    department = make_unit(parent=county_a, name="东城区住建局", kind=Unit.Kind.DEPARTMENT, code="990101D91")
    at = datetime(2026, 3, 2, 10, tzinfo=ZoneInfo("Asia/Shanghai"))
    for n, satisfaction in enumerate((5, 1, None)):
        appeal = Appeal.objects.create(
            number=f"S{n}", query_code="ABC234", channel="hotline", appeal_type="complaint",
            category=Category.objects.get(code="010301"), title="t", content="c", unit=city,
            policy=TimeLimitPolicy.objects.first(), created_at=at, state="resolved",
            solved="solved" if satisfaction else "", satisfaction=satisfaction,
        )  # fmt: skip
        Assignment.objects.create(appeal=appeal, unit=department, role="lead", created_at=at, state="replied")
    source = SOURCES["appeals.satisfaction"]
    period = year_to_date(date(2026, 12, 31))

    assert source.read([county_a, county_b], period) == {county_a.pk: Decimal("50.00"), county_b.pk: Decimal(100)}
    assert f"unit={county_a.pk}" in source.drill(county_a, period)
