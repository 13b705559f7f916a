import pytest

from apps.investment.models import PipelineSettings
from apps.org import roles
from apps.org.models import Unit
from apps.org.tests.factories import UserFactory, make_unit


@pytest.fixture
def bureau(city):
    """市投资促进局, the coordinating unit."""
    unit = make_unit(parent=city, name="示范市投资促进局", kind=Unit.Kind.DEPARTMENT, code="990100D02")
    PipelineSettings.objects.update_or_create(pk=1, defaults={"coordinating_unit": unit})
    return unit


@pytest.fixture
def coordinator(bureau):
    return UserFactory(username="coordinator", name="市投促局专员", unit=bureau, roles=[roles.INVESTMENT_OFFICER])


@pytest.fixture
def department_handler(city):
    department = make_unit(parent=city, name="示范市自然资源和规划局", kind=Unit.Kind.DEPARTMENT, code="990100D05")
    return UserFactory(username="handler", name="自然资源局经办人", unit=department, roles=[roles.DEPARTMENT_HANDLER])
