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


# ---- 企业评议部门 (tests/test_evaluation*.py) -------------------------------------------------------------------


@pytest.fixture
def bureau(market, city):
    """市营商环境建设局: organises the evaluations (a BIZENV_ADMIN works there)."""
    from apps.org.models import Unit
    from apps.org.tests.factories import make_unit

    return make_unit(parent=city, name="市营商环境建设局", kind=Unit.Kind.DEPARTMENT, code="990100D43")


@pytest.fixture
def tax(bureau, city):
    from apps.org.models import Unit
    from apps.org.tests.factories import make_unit

    return make_unit(parent=city, name="国家税务总局示范市税务局", kind=Unit.Kind.DEPARTMENT, code="990100D44")


@pytest.fixture
def organiser(bureau):
    from apps.org import roles

    return _person("organiser", bureau, roles.BIZENV_ADMIN)


@pytest.fixture
def make_campaign(organiser, housing, market, tax):
    """A draft campaign of the bureau over 住建局, 市场监管局 and 税务局, open from 5 days ago for 20 days."""
    from datetime import timedelta

    from django.utils import timezone

    from apps.appeals.services.evaluations import CampaignFields, create_campaign

    def make(*, k=3, departments=None, questionnaire="政务环境：办事方便快捷\n法治环境：执法检查规范", **fields):
        today = timezone.localdate()
        values = {
            "title": "2026年度企业评议部门", "year": 2026, "period": "year", "opens_on": today - timedelta(days=5),
            "closes_on": today + timedelta(days=20), "k_threshold": k, "allow_comments": True, "intro": "",
            "questionnaire": questionnaire,
            "departments": [housing, market, tax] if departments is None else departments,
        }  # fmt: skip
        values.update(fields)
        return create_campaign(fields=CampaignFields(**values), by=organiser)

    return make


@pytest.fixture
def open_campaign(make_campaign, organiser):
    from apps.appeals.services.evaluations import change_campaign_state

    return change_campaign_state(campaign=make_campaign(), action="open", by=organiser)


@pytest.fixture
def invited(open_campaign, organiser):
    """Six registry enterprises of 东城区 invited to the open campaign: {enterprise: invitation}."""
    from decimal import Decimal

    from apps.appeals.services.evaluations import invite_enterprises
    from apps.enterprises.tests.factories import make_enterprise, valid_uscc

    enterprises = [
        make_enterprise(f"东城区评议测试{i}号科技有限公司", uscc=valid_uscc(), region_code="990101",
                        registered_capital=Decimal(500))
        for i in range(1, 7)
    ]  # fmt: skip
    invite_enterprises(campaign=open_campaign, enterprises=enterprises, by=organiser)
    return {inv.enterprise: inv for inv in open_campaign.invitations.select_related("enterprise")}
