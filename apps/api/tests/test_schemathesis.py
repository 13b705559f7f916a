"""The API against its own schema (schemathesis, in-process through the WSGI application): for every operation,
generated requests with a valid token never get a server error and every documented answer matches the schema.

Bounded and derandomised so that it runs in about a minute and fails the same way twice."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from apps.enterprises.tests.factories import make_enterprise
from apps.investment.tests.factories import lead
from yingshang.wsgi import application

MAX_EXAMPLES = 25


@pytest.fixture
def one_connection():
    """The WSGI handler closes the database connection after each request, which would end the test's
    transaction (Django's test client switches this off the same way)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def api_schema(one_connection, settings, officer_a):
    settings.API_THROTTLE_RATE = "100000/min"
    return schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", application)


@pytest.fixture
def token(issue, county_a, officer_a):
    """Every operation in 东城区, with a project, an enterprise and what they refer to in place."""
    lead(officer_a, enterprise=make_enterprise("示范测试有限公司"), name="示范项目")
    return issue(county_a)


def test_the_api_answers_as_its_schema_says(api_schema, token):
    headers = {"Authorization": f"Bearer {token}"}
    checked = []
    for result in api_schema.get_all_operations():
        operation = result.ok()
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            _examples(operation.as_strategy(generation_mode=mode), headers)()
        checked.append(operation.label)
    assert len(checked) == 17  # every operation of the schema was run


def _examples(strategy, headers: dict):
    @given(case=strategy)
    @settings(
        max_examples=MAX_EXAMPLES,
        derandomize=True,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    )
    def run(case):
        case.call_and_validate(headers=headers, checks=[not_a_server_error, response_schema_conformance])

    return run
