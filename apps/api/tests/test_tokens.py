"""Issuing, listing and revoking tokens: the system administrator of a unit, for its subtree, audited."""

from datetime import timedelta

import pytest
from auditlog.models import LogEntry
from django.utils import timezone

from apps.api.models import IntegrationToken
from apps.api.services import create_token, revoke_token
from apps.core.errors import BusinessRuleError
from apps.org import roles
from apps.org.tests.factories import UserFactory


@pytest.fixture
def county_sysadmin(county_a):
    return UserFactory(username="sysadmin_a", unit=county_a, roles=[roles.SYSTEM_ADMIN])


def test_a_token_is_stored_only_as_its_hash_and_gets_an_account_with_the_operations_permissions(county_a, system_admin):
    issued = create_token(
        name="市数据共享交换平台", unit=county_a, operations=["appeals:write", "projects:read"], expires_at=None,
        by=system_admin,
    )  # fmt: skip

    token = IntegrationToken.objects.get()
    secret = issued.plaintext.split("_", 2)[2]
    assert issued.plaintext.startswith(f"ys_{token.prefix}_")
    assert secret not in token.secret_hash
    assert len(token.secret_hash) == 64
    assert token.operations == ["projects:read", "appeals:write"]
    account = token.account
    assert account.unit == county_a
    assert not account.has_usable_password()
    assert not account.roles.exists()
    assert account.has_perm("appeals.record_appeal")
    assert account.has_perm("investment.view_project")
    assert not account.has_perm("investment.add_project")


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"name": "  "}, "请填写对接系统名称。"),
        ({"operations": []}, "请至少选择一项允许的操作。"),
        ({"operations": ["everything:write"]}, "请至少选择一项允许的操作。"),
        ({"expires_at": timezone.now() - timedelta(minutes=1)}, "有效期必须晚于现在。"),
    ],
)
def test_bad_token_requests_are_refused(county_a, system_admin, changes, message):
    data = {"name": "对接", "unit": county_a, "operations": ["projects:read"], "expires_at": None, **changes}

    with pytest.raises(BusinessRuleError, match=message):
        create_token(**data, by=system_admin)

    assert not IntegrationToken.objects.exists()


def test_a_county_administrator_cannot_issue_for_another_county(county_sysadmin, county_b):
    with pytest.raises(BusinessRuleError, match="只能为本单位及下级单位创建接口令牌。"):
        create_token(name="越权", unit=county_b, operations=["projects:read"], expires_at=None, by=county_sysadmin)


def test_issuing_and_revoking_are_in_the_audit_log_without_the_secret(county_a, system_admin):
    issued = create_token(name="对接", unit=county_a, operations=["projects:read"], expires_at=None, by=system_admin)
    revoke_token(token=issued.token, by=system_admin)

    entries = LogEntry.objects.get_for_object(issued.token).order_by("pk")
    assert [(e.action, e.actor) for e in entries] == [
        (LogEntry.Action.CREATE, system_admin),
        (LogEntry.Action.UPDATE, system_admin),
    ]
    assert "secret_hash" not in entries[0].changes_dict
    assert "revoked_at" in entries[1].changes_dict
    issued.token.account.refresh_from_db()
    assert not issued.token.account.is_active


def test_a_token_is_revoked_once(county_a, system_admin):
    issued = create_token(name="对接", unit=county_a, operations=["projects:read"], expires_at=None, by=system_admin)
    revoke_token(token=issued.token, by=system_admin)

    with pytest.raises(BusinessRuleError, match="该令牌已吊销。"):
        revoke_token(token=issued.token, by=system_admin)


def test_the_page_shows_the_new_token_once(client_for, system_admin, county_a):
    client = client_for(system_admin)
    data = {"name": "市数据共享交换平台", "unit": county_a.pk, "operations": ["projects:read", "appeals:read"]}

    response = client.post("/api/tokens/new/", data)

    assert response.status_code == 200
    token = IntegrationToken.objects.get()
    page = response.content.decode()
    assert f"ys_{token.prefix}_" in page
    assert f"ys_{token.prefix}_" not in client.get("/api/tokens/").content.decode()


def test_the_page_refuses_bad_input_and_changes_nothing(client_for, system_admin, county_a):
    response = client_for(system_admin).post("/api/tokens/new/", {"name": "对接", "unit": county_a.pk})

    assert response.status_code == 200
    assert "这个字段是必填项。" in response.content.decode()
    assert not IntegrationToken.objects.exists()


def test_the_list_is_scoped_and_filtered(client_for, county_sysadmin, system_admin, county_a, county_b):
    for unit, name in ((county_a, "东城对接甲"), (county_a, "东城对接乙"), (county_b, "西城对接")):
        create_token(name=name, unit=unit, operations=["projects:read"], expires_at=None, by=system_admin)
    revoke_token(token=IntegrationToken.objects.get(name="东城对接乙"), by=system_admin)
    client = client_for(county_sysadmin)

    whole = client.get("/api/tokens/").content.decode()
    live = client.get("/api/tokens/", {"state": "live"}).content.decode()
    by_operation = client.get("/api/tokens/", {"operation": "appeals:read"}).content.decode()
    reading_projects = client.get("/api/tokens/", {"operation": "projects:read", "q": "甲"}).content.decode()

    assert "东城对接甲" in whole
    assert "东城对接乙" in whole
    assert "西城对接" not in whole
    assert "东城对接甲" in live
    assert "东城对接乙" not in live
    assert "暂无接口令牌。" in by_operation
    assert "东城对接甲" in reading_projects
    assert "东城对接乙" not in reading_projects


def test_revoking_another_countys_token_is_a_404_and_changes_nothing(
    client_for, county_sysadmin, system_admin, county_b
):
    issued = create_token(
        name="西城对接", unit=county_b, operations=["projects:read"], expires_at=None, by=system_admin
    )

    response = client_for(county_sysadmin).post(f"/api/tokens/{issued.token.pk}/revoke/")

    assert response.status_code == 404
    issued.token.refresh_from_db()
    assert issued.token.revoked_at is None


def test_revoking_from_the_page(client_for, system_admin, county_a):
    issued = create_token(name="对接", unit=county_a, operations=["projects:read"], expires_at=None, by=system_admin)

    response = client_for(system_admin).post(f"/api/tokens/{issued.token.pk}/revoke/")

    assert response.status_code == 302
    issued.token.refresh_from_db()
    assert issued.token.revoked_by == system_admin


@pytest.mark.parametrize("path", ["/api/tokens/", "/api/tokens/new/"])
def test_only_token_keepers_open_the_pages(client_for, officer_a, path):
    assert client_for(officer_a).get(path).status_code == 403


def test_the_menu_offers_the_tokens_to_the_system_administrator(client_for, system_admin, officer_a):
    assert "/api/tokens/" in client_for(system_admin).get("/").content.decode()
    assert "/api/tokens/" not in client_for(officer_a).get("/").content.decode()


def test_the_token_list_makes_the_same_queries_for_more_tokens(client_for, system_admin, county_a, count_queries):
    client = client_for(system_admin)

    def issue_and_list(n):
        for i in range(n):
            create_token(name=f"对接{i}", unit=county_a, operations=["projects:read"], expires_at=None, by=system_admin)
        return lambda: client.get("/api/tokens/")

    few = count_queries(issue_and_list(2))
    many = count_queries(issue_and_list(10))
    assert few == many


def test_a_tokens_account_is_kept_by_its_token_not_by_the_person_pages(
    client_for, county_a, system_admin, security_admin
):
    from django.urls import reverse

    from apps.org import services as org
    from apps.org.models import Role

    account = create_token(
        name="市数据共享交换平台", unit=county_a, operations=["projects:read"], expires_at=None, by=system_admin
    ).token.account

    assert account.is_integration
    people = client_for(system_admin).get(reverse("org:person_list"), {"q": account.username})
    assert list(people.context["page"]) == []
    refusal = "这是接口令牌使用的账号"
    with pytest.raises(BusinessRuleError, match=refusal):
        org.reset_password(person=account, password="Xy7#kLm2Qp", by=system_admin)
    with pytest.raises(BusinessRuleError, match=refusal):
        org.assign_roles(person=account, roles=[Role.objects.get(code=roles.CITY_LEADER)], by=security_admin)
    with pytest.raises(BusinessRuleError, match=refusal):
        org.set_person_active(person=account, active=True, by=system_admin)
    account.refresh_from_db()
    assert not account.has_usable_password()
    assert not account.roles.exists()
