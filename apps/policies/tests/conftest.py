"""Personas and records of the policy tests: the policy office (市发改委), a responsible department (市工信局) and
a county department (东城区工信局), the legal office (市司法局), the service window (市政务服务中心), and an enterprise
with its portal account. Counties are made before the departments (the tree keeps them in that order)."""

from datetime import date
from decimal import Decimal

import pytest
from django.utils import timezone

from apps.enterprises.models import Enterprise, EnterpriseAccount
from apps.org import roles
from apps.org.models import Unit
from apps.org.tests.factories import UserFactory, make_unit
from apps.policies.models import Policy, PolicyItem


def city_department(city, name: str, code: str) -> Unit:
    return make_unit(parent=city, name=name, kind=Unit.Kind.DEPARTMENT, code=code)


@pytest.fixture
def units(city, county_a, county_b):
    """The departments of the tests (after both counties)."""
    return {
        "policy_office": city_department(city, "市发展和改革委员会", "990100D01"),
        "industry": city_department(city, "市工业和信息化局", "990100D02"),
        "legal": city_department(city, "市司法局", "990100D03"),
        "window": city_department(city, "市政务服务中心", "990100D04"),
        "industry_a": make_unit(
            parent=county_a, name="东城区工业和信息化局", kind=Unit.Kind.DEPARTMENT, code="990101D02"
        ),
        "industry_b": make_unit(
            parent=county_b, name="西城区工业和信息化局", kind=Unit.Kind.DEPARTMENT, code="990102D02"
        ),
    }


@pytest.fixture
def policy_officer(units):
    return UserFactory(username="policy_officer", name="发改委政策科", unit=units["policy_office"],
                       roles=[roles.POLICY_OFFICER])  # fmt: skip


@pytest.fixture
def reviewer(units):
    """A handler of 市工信局, the department responsible for the sample items."""
    return UserFactory(
        username="reviewer", name="工信局经办人", unit=units["industry"], roles=[roles.DEPARTMENT_HANDLER]
    )


@pytest.fixture
def reviewer_a(units):
    return UserFactory(username="reviewer_a", name="东城工信经办人", unit=units["industry_a"],
                       roles=[roles.DEPARTMENT_HANDLER])  # fmt: skip


@pytest.fixture
def reviewer_b(units):
    return UserFactory(username="reviewer_b", name="西城工信经办人", unit=units["industry_b"],
                       roles=[roles.DEPARTMENT_HANDLER])  # fmt: skip


@pytest.fixture
def legal_reviewer(units):
    return UserFactory(username="legal", name="司法局审核员", unit=units["legal"], roles=[roles.LEGAL_REVIEWER])


@pytest.fixture
def window_officer(units):
    return UserFactory(username="window", name="兑现窗口", unit=units["window"], roles=[roles.SERVICE_WINDOW])


@pytest.fixture
def enterprise(db):
    return Enterprise.objects.create(
        name="示范市星火智能装备有限公司", uscc="91990100MA0000001X", region_code="990101", region_name="东城区",
        registered_capital=Decimal("3000"), founded_on=date(2018, 5, 20),
    )  # fmt: skip


@pytest.fixture
def portal_user(enterprise):
    user = UserFactory(username="qiye", name="星火经办人", unit=None, roles=[roles.ENTERPRISE_USER])
    EnterpriseAccount.objects.create(user=user, enterprise=enterprise)
    return user


@pytest.fixture
def policy(units, policy_officer):
    return Policy.objects.create(
        title="示范市支持制造业高质量发展的若干政策", document_number="示政发〔2026〕8号", kind=Policy.Kind.MAIN,
        issuing_unit=units["policy_office"], issued_on=date(2026, 1, 10), effective_from=date(2026, 2, 1),
        expires_on=date(2028, 12, 31), published_at=timezone.now(), created_by=policy_officer,
    )  # fmt: skip


@pytest.fixture
def item(policy, units):
    """A subsidy of 市工信局 with no automatic condition."""
    return PolicyItem.objects.create(
        policy=policy, number="第三条", title="技术改造补助", benefit_kind="subsidy",
        benefit="按设备投资额的10%给予补助，最高200万元。", cap_amount=Decimal("200"), beneficiaries="本市工业企业",
        conditions="上年度设备投资500万元以上。", materials="申请表\n设备发票", department=units["industry"],
    )  # fmt: skip
