"""A small draft version to edit, the seeded "2025", and the people who keep and read them."""

from decimal import Decimal

import pytest


@pytest.fixture
def bureau(city, county_a, county_b):
    """The city's 营商环境建设局 (made after the counties: the unit tree sorts counties before departments, so a
    county made later would move the departments' paths under the users already holding them)."""
    from apps.org.models import Unit
    from apps.org.tests.factories import make_unit

    return make_unit(parent=city, name="市营商环境建设局", kind=Unit.Kind.DEPARTMENT, code="990100D30")


@pytest.fixture
def market_bureau(city, bureau):
    """The 市场监管局 (after the bureau: its code sorts after the bureau's, so making it moves no unit)."""
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


@pytest.fixture
def county_c(city):
    from apps.org.models import Unit
    from apps.org.tests.factories import make_unit

    return make_unit(parent=city, name="南湖区", kind=Unit.Kind.COUNTY, code="990103")


@pytest.fixture
def market_lead(market_bureau):
    """A 部门经办人 of the 市场监管局, the lead unit of 开办企业."""
    from apps.org import roles
    from apps.org.tests.factories import UserFactory

    return UserFactory(
        username="market_lead", name="市场监管局填报员", unit=market_bureau, roles=[roles.DEPARTMENT_HANDLER]
    )


@pytest.fixture
def published(bizenv_keeper, market_bureau, bureau):
    """Version "R1" (published): 01 开办企业 = 01.01 时间 (weight 2, frontier 0.5–100 days) + 01.02 环节 (frontier
    1–10 steps), led by the 市场监管局; 02 政务服务 (a first-level leaf, yes/no), led by the bureau."""
    from django.utils import timezone

    from apps.bizenv.models import Indicator, Methodology

    methodology = Methodology.objects.create(code="R1", name="测试评价", created_by=bizenv_keeper)
    first = Indicator.objects.create(
        methodology=methodology, level=1, code="01", name="开办企业", lead_unit=market_bureau
    )
    Indicator.objects.create(
        methodology=methodology, parent=first, level=2, code="01.01", name="开办企业时间", kind="time",
        direction="lower_better", unit_of_measure="天", parameters={"best": 0.5, "worst": 100}, weight=Decimal(2),
        lead_unit=market_bureau,
    )  # fmt: skip
    Indicator.objects.create(
        methodology=methodology, parent=first, level=2, code="01.02", name="开办企业环节", kind="steps",
        direction="lower_better", unit_of_measure="个", parameters={"best": 1, "worst": 10}, lead_unit=market_bureau,
    )  # fmt: skip
    Indicator.objects.create(
        methodology=methodology, level=1, code="02", name="政务服务", kind="yes_no", method="yes_no", lead_unit=bureau
    )
    methodology.status, methodology.published_at = Methodology.Status.PUBLISHED, timezone.now()
    methodology.save()
    return methodology


@pytest.fixture
def make_round(published, bizenv_keeper, county_a, county_b):
    """A round of ``year`` on the published version over 东城区 and 西城区, open unless said otherwise."""
    from datetime import date

    from apps.bizenv.services import rounds

    def make(year: int = 2025, *, methodology=None, units=None, status: str = "open", **fields):
        values = {"name": f"{year}年度营商环境评价", "year": year, "quarter": None}
        values.update(opens_on=date(year + 1, 1, 5), closes_on=date(year + 1, 1, 31), **fields)
        round_ = rounds.create_round(
            methodology=methodology or published,
            fields=rounds.RoundFields(**values),
            units=units or [county_a, county_b],
            by=bizenv_keeper,
        )
        if status != "draft":
            rounds.open_round(round_=round_, by=bizenv_keeper)
        return round_

    return make


@pytest.fixture
def filled(make_round, published, market_lead, bizenv_keeper, county_a, county_b):
    """An open round with every value entered, submitted and approved; values from the docstring of test_rounds."""
    from apps.bizenv.services import rounds

    round_ = make_round()
    values = {"01.01": ("5", "20"), "01.02": ("4", "8"), "02": ("是", "否")}
    for code, (a, b) in values.items():
        indicator = published.indicators.get(code=code)
        enterer = market_lead if code != "02" else bizenv_keeper
        for unit, value in ((county_a, a), (county_b, b)):
            rounds.save_entry(round_=round_, unit=unit, indicator=indicator, value=value, by=enterer)
        rounds.submit_entries(round_=round_, indicator=indicator, by=enterer)
        rounds.approve_submitted(round_=round_, indicator=indicator, by=bizenv_keeper)
    return round_
