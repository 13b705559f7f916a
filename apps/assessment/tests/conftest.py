"""A year's scheme for the counties: two manual items (so figures are set by hand) and one live one."""

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest


@pytest.fixture
def clock():
    """9:00 on 10 November 2026: January to October are over."""
    import time_machine

    with time_machine.travel(datetime(2026, 11, 10, 9, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False) as traveller:
        yield traveller


@pytest.fixture
def county_c(city):
    from apps.org.models import Unit
    from apps.org.tests.factories import make_unit

    return make_unit(parent=city, name="南湖区", kind=Unit.Kind.COUNTY, code="990103")


@pytest.fixture
def assessor(city):
    from apps.org import roles
    from apps.org.tests.factories import UserFactory

    return UserFactory(username="assessor", name="市考核办", unit=city, roles=[roles.SYSTEM_ADMIN])


@pytest.fixture
def scheme(city, county_a, county_b, county_c, assessor):
    """签约项目数 (live, 20 points), 政策兑现率 (manual rate, 40) and 重大项目储备 (manual count, 40)."""
    from apps.assessment.models import Metric, Scheme, SchemeItem, Target

    scheme = Scheme.objects.create(
        year=2026, group=Scheme.Group.COUNTY, name="2026年度县区招商引资考核", unit=city, praise_top=1,
        admonish_bottom=1, snapshot_kinds=["month"], bulletin_prefix="示招考", created_by=assessor,
    )  # fmt: skip
    weights = {"signed_count": 20, "policy_delivery": 40, "major_reserve": 40}
    goals = {"signed_count": 12, "policy_delivery": 100, "major_reserve": 10}
    for order, (code, weight) in enumerate(weights.items()):
        item = SchemeItem.objects.create(
            scheme=scheme, metric=Metric.objects.get(code=code), order=order, weight=Decimal(weight)
        )
        for unit in (county_a, county_b, county_c):
            Target.objects.create(item=item, unit=unit, value=Decimal(goals[code]))
    return scheme


@pytest.fixture
def enter(assessor):
    """Enter a manual figure: ``enter(scheme, "major_reserve", unit, as_of, value)``."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from apps.assessment.models import ManualValue, Target

    def make(scheme, code, unit, as_of: date, value) -> ManualValue:
        target = Target.objects.get(item__scheme=scheme, item__metric__code=code, unit=unit)
        evidence = SimpleUploadedFile("台账.pdf", b"%PDF-1.4 evidence", content_type="application/pdf")
        return ManualValue.objects.create(
            target=target, as_of=as_of, value=Decimal(value), evidence=evidence, entered_by=assessor
        )

    return make


@pytest.fixture
def keeper(city):
    """The 考核管理员 of the city, who keeps the schemes the city runs."""
    from apps.org import roles
    from apps.org.tests.factories import UserFactory

    return UserFactory(username="keeper", name="市考核办专员", unit=city, roles=[roles.ASSESSMENT_ADMIN])


@pytest.fixture
def county_keeper_a(county_a):
    """东城区's administrator, who enters the county's own figures and plans."""
    from apps.org import roles
    from apps.org.tests.factories import UserFactory

    return UserFactory(username="dc_admin", name="东城区营商办", unit=county_a, roles=[roles.COUNTY_ADMIN])


@pytest.fixture
def ranked(scheme, enter, county_a, county_b, county_c):
    """Manual figures that rank the counties 东城 84, 西城 60, 南湖 52, entered as of ``as_of``.

    东城: 兑现率 90/100 → 36, 储备 12/10 → capped at 1.2 → 48; 西城: 40 + 20; 南湖: 20 + 32.
    """

    def make(as_of: date = date(2026, 9, 30)) -> None:
        for unit, rate, reserve in ((county_a, 90, 12), (county_b, 100, 5), (county_c, 50, 8)):
            enter(scheme, "policy_delivery", unit, as_of, rate)
            enter(scheme, "major_reserve", unit, as_of, reserve)

    return make


# ---- views ----


@pytest.fixture
def county_keeper_c(county_c):
    """南湖区's administrator: the county ranked last by ``ranked``."""
    from apps.org import roles
    from apps.org.tests.factories import UserFactory

    return UserFactory(username="nh_admin", name="南湖区营商办", unit=county_c, roles=[roles.COUNTY_ADMIN])


@pytest.fixture
def admonished(clock, scheme, ranked, keeper, county_c):
    """September's ranking taken: 南湖区 is last, so its admonition talk is planned."""
    from apps.assessment.models import Admonition
    from apps.assessment.services.periods import period_of
    from apps.assessment.services.snapshots import take_snapshot

    ranked()
    snapshot = take_snapshot(scheme=scheme, period=period_of("month", date(2026, 9, 1)), by=keeper)
    return Admonition.objects.get(snapshot=snapshot, unit=county_c)
