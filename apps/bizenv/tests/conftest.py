"""A small draft version to edit, the seeded "2025", and the people who keep and read them."""

from decimal import Decimal

import pytest


@pytest.fixture
def bureau(city):
    """The city's 营商环境建设局."""
    from apps.org.models import Unit
    from apps.org.tests.factories import make_unit

    return make_unit(parent=city, name="市营商环境建设局", kind=Unit.Kind.DEPARTMENT, code="990100D30")


@pytest.fixture
def market_bureau(city):
    from apps.org.models import Unit
    from apps.org.tests.factories import make_unit

    return make_unit(parent=city, name="市市场监督管理局", kind=Unit.Kind.DEPARTMENT, code="990100D31")


@pytest.fixture
def bizenv_keeper(bureau):
    """The 营商环境管理员, who keeps the indicator system."""
    from apps.org import roles
    from apps.org.tests.factories import UserFactory

    return UserFactory(username="yingshang", name="营商局专员", unit=bureau, roles=[roles.BIZENV_ADMIN])


@pytest.fixture
def reader(county_a):
    """东城区's administrator: reads the indicator system, keeps nothing of it."""
    from apps.org import roles
    from apps.org.tests.factories import UserFactory

    return UserFactory(username="dc_reader", name="东城区营商办", unit=county_a, roles=[roles.COUNTY_ADMIN])


@pytest.fixture
def draft(bizenv_keeper):
    """Version "T1" (draft): 01 开办企业 → 01.01 时间 (frontier 0.5–100) and 01.02 环节 (no parameters yet)."""
    from apps.bizenv.models import Indicator, Methodology

    methodology = Methodology.objects.create(code="T1", name="测试版本", created_by=bizenv_keeper)
    first = Indicator.objects.create(methodology=methodology, level=1, code="01", name="开办企业", order=1)
    Indicator.objects.create(
        methodology=methodology, parent=first, level=2, code="01.01", name="开办企业时间", kind="time",
        direction="lower_better", unit_of_measure="天", parameters={"best": 0.5, "worst": 100}, weight=Decimal(2),
        is_draft=True, order=1,
    )  # fmt: skip
    Indicator.objects.create(
        methodology=methodology, parent=first, level=2, code="01.02", name="开办企业环节", kind="steps",
        direction="lower_better", unit_of_measure="个", is_draft=True, order=2,
    )  # fmt: skip
    return methodology


@pytest.fixture
def seeded(db):
    """The version "2025" the data migration ships."""
    from apps.bizenv.models import Methodology

    return Methodology.objects.get(code="2025")
