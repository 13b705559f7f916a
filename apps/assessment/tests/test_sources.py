"""Live sources read every assessed unit at once: the landing problems by project and by department."""

from datetime import date
from decimal import Decimal

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
