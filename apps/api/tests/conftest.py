"""Tokens of 东城区 and 西城区 issued by the system administrator, and a client that sends one."""

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from apps.api.models import Operation
from apps.api.services import create_token

ALL_OPERATIONS = list(Operation.values)


@pytest.fixture(autouse=True)
def fresh_throttle():
    """Each test starts with an empty rate-limit history (the throttle counts in the cache)."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def issue(system_admin):
    """Issue a token: ``issue(unit, ["projects:read"])`` → the plaintext token."""

    def make(unit, operations=None, **kwargs):
        kwargs.setdefault("name", f"{unit.name}对接系统")
        kwargs.setdefault("expires_at", None)
        issued = create_token(unit=unit, operations=operations or ALL_OPERATIONS, by=system_admin, **kwargs)
        return issued.plaintext

    return make


@pytest.fixture
def api_for():
    """A client that authenticates with the token: ``api_for(token).get(...)``."""

    def make(plaintext: str, keyword: str = "Bearer") -> APIClient:
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"{keyword} {plaintext}")
        return client

    return make


@pytest.fixture
def api_a(issue, api_for, county_a):
    """Every operation in 东城区."""
    return api_for(issue(county_a))


@pytest.fixture
def api_b(issue, api_for, county_b):
    return api_for(issue(county_b))
