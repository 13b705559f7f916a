"""Named personas shared by every app's tests: a small 示范市 with two sibling counties.

东城区 and 西城区 are siblings under the city; each has a town and a department. Personas are
named after who they are: ``officer_a`` works in 东城区, ``officer_b`` in 西城区.
"""

import os
import shutil
from datetime import date

import pytest
from django.utils import timezone

from apps.org import roles
from apps.org.models import Unit
from apps.org.tests.factories import DEFAULT_PASSWORD, UserFactory, make_unit


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Uploads and generated files go to the test's own folder, never to var/media."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return settings.MEDIA_ROOT


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "shipped_calendar: the working-day calendar exactly as shipped (no year declared)"
    )


@pytest.fixture(autouse=True)
def next_year_declared(request):
    """Late in a year, deadlines counted from today run into the next, which chinese-calendar may not know yet:
    the test run declares it as the demo does (weekdays work, 1 January off), so the suite passes on any date.
    Tests of the calendar itself are marked ``shipped_calendar`` and see it as shipped."""
    if request.node.get_closest_marker("shipped_calendar"):
        return
    if not request.node.get_closest_marker("django_db") and not {"db", "transactional_db"} & set(request.fixturenames):
        return
    request.getfixturevalue("_django_db_helper")  # the database as the test asked for it, set up before we write
    from apps.core.models import CalendarDay, CalendarYear
    from apps.core.workdays import WorkdayCalendar

    year = timezone.localdate().year + 1
    if not WorkdayCalendar.load().covers(year):
        CalendarYear.objects.create(year=year, source=f"测试运行：{year} 年按周一至周五为工作日（元旦除外）")
        CalendarDay.objects.get_or_create(date=date(year, 1, 1), defaults={"is_workday": False, "note": "元旦"})


@pytest.fixture(scope="session")
def soffice() -> None:
    """LibreOffice, for the tests that make PDF files: skipped without it, except in CI where it must be there."""
    if shutil.which("soffice") is None:
        reason = "soffice is missing: install Debian's libreoffice-writer-nogui (./dev test does it as root)"
        if os.environ.get("REQUIRE_BROWSER") == "1" or os.environ.get("CI", "").lower() in {"1", "true"}:
            pytest.fail(f"REQUIRE_BROWSER=1 or CI but {reason}")
        pytest.skip(reason)


@pytest.fixture
def city(db):
    return make_unit(parent=None, name="示范市", kind=Unit.Kind.CITY, code="990100")


@pytest.fixture
def county_a(city):
    county = make_unit(parent=city, name="东城区", kind=Unit.Kind.COUNTY, code="990101")
    make_unit(parent=county, name="东城区东风街道", kind=Unit.Kind.TOWN, code="990101001")
    make_unit(parent=county, name="东城区投资促进局", kind=Unit.Kind.DEPARTMENT, code="990101D01")
    return county


@pytest.fixture
def county_b(city):
    county = make_unit(parent=city, name="西城区", kind=Unit.Kind.COUNTY, code="990102")
    make_unit(parent=county, name="西城区西湖街道", kind=Unit.Kind.TOWN, code="990102001")
    make_unit(parent=county, name="西城区投资促进局", kind=Unit.Kind.DEPARTMENT, code="990102D01")
    return county


@pytest.fixture
def password():
    return DEFAULT_PASSWORD


@pytest.fixture
def officer_a(county_a):
    return UserFactory(username="officer_a", name="东城招商专员", unit=county_a, roles=[roles.INVESTMENT_OFFICER])


@pytest.fixture
def officer_b(county_b):
    return UserFactory(username="officer_b", name="西城招商专员", unit=county_b, roles=[roles.INVESTMENT_OFFICER])


@pytest.fixture
def county_admin_a(county_a):
    return UserFactory(username="county_admin_a", name="东城区管理员", unit=county_a, roles=[roles.COUNTY_ADMIN])


@pytest.fixture
def city_leader(city):
    return UserFactory(username="leader", name="市领导", unit=city, roles=[roles.CITY_LEADER])


@pytest.fixture
def system_admin(city):
    return UserFactory(username="sysadmin", name="系统管理员", unit=city, roles=[roles.SYSTEM_ADMIN])


@pytest.fixture
def security_admin(city):
    return UserFactory(username="secadmin", name="安全管理员", unit=city, roles=[roles.SECURITY_ADMIN])


@pytest.fixture
def audit_admin(city):
    return UserFactory(username="auditor", name="审计管理员", unit=city, roles=[roles.AUDIT_ADMIN])


@pytest.fixture
def client_for(client):
    """Log a persona in through the test client: ``client_for(officer_a)``."""

    def login(user):
        client.force_login(user)
        return client

    return login


def pytest_collection_modifyitems(config, items):
    """Tests marked ``postgres`` skip on SQLite with the reason; CI runs them on PostgreSQL."""
    from django.db import connection

    if connection.vendor == "postgresql":
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL: set DATABASE_URL=postgres://… (CI runs these)")
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(skip)


@pytest.fixture
def count_queries():
    """How many SQL queries a call makes: compare small and large data to catch N+1 patterns."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count(call) -> int:
        with CaptureQueriesContext(connection) as context:
            call()
        return len(context.captured_queries)

    return count
