"""The hotline centre and its office, two departments that handle tickets, and a recorded ticket.

Units are made after the counties (the unit tree sorts counties before departments; see bizenv's conftest).
"""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest


def at(year: int, month: int, day: int, hour: int = 10, minute: int = 0) -> datetime:
    """An aware local (Asia/Shanghai) moment."""
    return datetime(year, month, day, hour, minute, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture
def hotline(city, county_a, county_b):
    from apps.org.models import Unit
    from apps.org.tests.factories import make_unit

    return make_unit(parent=city, name="市12345热线中心", kind=Unit.Kind.DEPARTMENT, code="990100D40")


@pytest.fixture
def housing(hotline, city):
    from apps.org.models import Unit
    from apps.org.tests.factories import make_unit

    return make_unit(parent=city, name="市住房和城乡建设局", kind=Unit.Kind.DEPARTMENT, code="990100D41")


@pytest.fixture
def market(housing, city):
    from apps.org.models import Unit
    from apps.org.tests.factories import make_unit

    return make_unit(parent=city, name="市市场监督管理局", kind=Unit.Kind.DEPARTMENT, code="990100D42")


@pytest.fixture
def town_a(county_a):
    from apps.org.models import Unit

    return Unit.objects.get(code="990101001")


def _person(username, unit, role):
    from apps.org.tests.factories import UserFactory

    return UserFactory(username=username, name=username, unit=unit, roles=[role])


@pytest.fixture
def agent(hotline):
    from apps.org import roles

    return _person("agent", hotline, roles.HOTLINE_AGENT)


@pytest.fixture
def housing_handler(housing):
    from apps.org import roles

    return _person("housing_handler", housing, roles.DEPARTMENT_HANDLER)


@pytest.fixture
def market_handler(market):
    from apps.org import roles

    return _person("market_handler", market, roles.DEPARTMENT_HANDLER)


@pytest.fixture
def road(db):
    from apps.appeals.models import Category

    return Category.objects.get(code="010301")  # 道路破损 (a functional department's duty)


@pytest.fixture
def make_appeal(agent, hotline, road):
    from apps.appeals.services.intake import AppealFields, record_appeal

    def make(*, now=None, appeal_type="complaint", category=None, **fields):
        values = {"channel": "hotline", "appeal_type": appeal_type, "category": category or road}
        values.update(title="小区门口道路破损", content="小区门口道路破损严重，车辆无法通行。", citizen_name="张三")
        values.update(phone="13812345678", id_number="110101199003071234", **fields)
        return record_appeal(fields=AppealFields(**values), unit=hotline, by=agent, now=now or at(2025, 9, 26, 10))

    return make


@pytest.fixture
def dispatched(make_appeal, agent, housing, market):
    """A complaint recorded Friday 2025-09-26 10:00 and dispatched at once: 住建局 leads, 市场监管局 helps."""
    from apps.appeals.services import transitions

    appeal = make_appeal()
    transitions.accept_appeal(appeal=appeal, by=agent, now=at(2025, 9, 26, 10))
    transitions.dispatch_appeal(appeal=appeal, lead_unit=housing, co_units=[market], by=agent, now=at(2025, 9, 26, 10))
    return appeal
