"""Who the API lets in: a live token of the right operation; everything else is a 401 or 403 with ``detail``."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone
from rest_framework.test import APIClient

from apps.api.models import IntegrationToken
from apps.api.services import revoke_token

PROJECTS = "/api/v1/projects/"


@pytest.mark.django_db
def test_no_token_is_a_401_with_detail_and_the_scheme():
    response = APIClient().get(PROJECTS)

    assert response.status_code == 401
    assert response.json()["detail"] == "身份认证信息未提供。"
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'


@pytest.mark.parametrize(
    "header",
    [
        "Bearer ys_00000000_wrong",
        "Bearer nonsense",
        "Bearer",
        "Bearer two parts",
    ],
)
def test_a_wrong_token_is_a_401(county_a, header):
    response = APIClient().get(PROJECTS, HTTP_AUTHORIZATION=header)

    assert response.status_code == 401
    assert response.json()["detail"]


def test_a_right_prefix_with_a_wrong_secret_is_a_401(issue, api_for, county_a):
    token = issue(county_a)
    forged = token[: token.rindex("_") + 1] + "x" * 43

    response = api_for(forged).get(PROJECTS)

    assert response.status_code == 401
    assert response.json() == {"detail": "令牌无效。"}


@pytest.mark.parametrize("keyword", ["Bearer", "Token", "bearer"])
def test_a_live_token_is_let_in_with_either_keyword(issue, api_for, county_a, keyword):
    response = api_for(issue(county_a), keyword).get(PROJECTS)

    assert response.status_code == 200


def test_an_expired_token_is_a_401(issue, api_for, county_a):
    token = issue(county_a, expires_at=timezone.now() + timedelta(days=1))

    with time_machine.travel(timezone.now() + timedelta(days=2)):
        response = api_for(token).get(PROJECTS)

    assert response.status_code == 401
    assert response.json() == {"detail": "令牌已过期。"}


def test_a_revoked_token_is_a_401(issue, api_for, county_a, system_admin):
    token = issue(county_a)
    revoke_token(token=IntegrationToken.objects.get(), by=system_admin)

    response = api_for(token).get(PROJECTS)

    assert response.status_code == 401
    assert response.json() == {"detail": "令牌已吊销。"}


def test_an_operation_the_token_does_not_allow_is_a_403(issue, api_for, county_a):
    client = api_for(issue(county_a, ["projects:read"]))

    assert client.get(PROJECTS).status_code == 200
    for path in ("/api/v1/appeals/", "/api/v1/enterprises/", "/api/v1/ledgers/problems/"):
        response = client.get(path)
        assert response.status_code == 403, path
        assert "该令牌不允许此操作" in response.json()["detail"]
    refused = client.post(PROJECTS, {"name": "不许登记"}, format="json")
    assert refused.status_code == 403
    assert refused.json() == {"detail": "该令牌不允许此操作（projects:write）。"}


def test_the_token_is_the_integration_account_and_its_use_is_remembered(issue, api_for, county_a):
    client = api_for(issue(county_a))
    token = IntegrationToken.objects.get()
    assert token.last_used_at is None

    client.get(PROJECTS)

    token.refresh_from_db()
    assert token.last_used_at is not None
    assert token.account.unit == county_a
    assert not token.account.has_usable_password()


def test_a_person_logged_in_to_the_pages_reads_with_their_own_permissions(client_for, officer_a, county_admin_a):
    """The docs page's "try it out" uses the session: the person's own roles and scope, nothing more."""
    assert client_for(officer_a).get(PROJECTS).status_code == 200
    assert client_for(officer_a).get("/api/v1/appeals/").status_code == 403
