"""The city's 督查室 (in the city government office), a county's people and a city department's."""

import pytest

from apps.org import roles
from apps.org.models import Unit
from apps.org.tests.factories import UserFactory, make_unit


@pytest.fixture
def office(city, county_a, county_b):
    """市政府办公室 (made after the counties so that no unit's path moves under its users)."""
    return make_unit(parent=city, name="市人民政府办公室", kind=Unit.Kind.DEPARTMENT, code="990100D40")


@pytest.fixture
def department(city, office):
    return make_unit(parent=city, name="市市场监督管理局", kind=Unit.Kind.DEPARTMENT, code="990100D41")


@pytest.fixture
def supervisor(office):
    """The city's supervision officer (督查专员)."""
    return UserFactory(username="ducha", name="督查室专员", unit=office, roles=[roles.SUPERVISION_OFFICER])


@pytest.fixture
def handler(department):
    """The 市场监管局's handler: the responsible unit of the problems below."""
    return UserFactory(username="scjg", name="市场监管局经办人", unit=department, roles=[roles.DEPARTMENT_HANDLER])


@pytest.fixture
def county_handler_a(county_a):
    return UserFactory(username="dc_admin", name="东城区管理员", unit=county_a, roles=[roles.COUNTY_ADMIN])


@pytest.fixture
def county_handler_b(county_b):
    return UserFactory(username="xc_admin", name="西城区管理员", unit=county_b, roles=[roles.COUNTY_ADMIN])


@pytest.fixture
def make_problem(supervisor):
    """A problem opened by the city's office, due in 20 days unless told otherwise."""
    from datetime import timedelta

    from django.utils import timezone

    from apps.supervision.services.problems import create_problem

    def make(unit, *, title="窗口服务不规范", due_on=None, **extra):
        due_on = due_on or timezone.localdate() + timedelta(days=20)
        fields = {"source": "inspection", "measures": "开展专项整治", **extra}
        return create_problem(title=title, unit=unit, due_on=due_on, by=supervisor, **fields)

    return make
