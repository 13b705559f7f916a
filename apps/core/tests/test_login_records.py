"""Login records and lockout (django-axes) through the real login view, and the login log page."""

from datetime import timedelta

import pytest
import time_machine
from auditlog.models import LogEntry
from axes.models import AccessFailureLog, AccessLog
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from apps.core.audit_setup import login_items
from apps.core.tests.test_audit_views import rows_of
from apps.org import services
from apps.org.models import Role
from apps.org.tests.factories import UserFactory

LOGINS = "core:audit_login_list"
BROWSER = "Mozilla/5.0 (Windows NT 10.0) Chrome/120 测试浏览器"


def login(client, username: str, password: str, ip: str = "10.1.1.1"):
    return client.post(
        reverse("org:login"), {"username": username, "password": password}, REMOTE_ADDR=ip, HTTP_USER_AGENT=BROWSER
    )


def fail(client, username: str, times: int, ip: str = "10.1.1.1") -> None:
    for _ in range(times):
        login(client, username, "wrong-password", ip)


# ---- what the login view records ---------------------------------------------------------


def test_a_login_writes_an_access_log(client, officer_a, password):
    response = login(client, "officer_a", password)

    assert response.status_code == 302
    record = AccessLog.objects.get()
    assert (record.username, record.ip_address, record.user_agent) == ("officer_a", "10.1.1.1", BROWSER)
    assert record.logout_time is None


def test_a_wrong_password_writes_a_failure_log(client, officer_a):
    response = login(client, "officer_a", "wrong-password")

    assert response.status_code == 200
    record = AccessFailureLog.objects.get()
    assert (record.username, record.ip_address, record.locked_out) == ("officer_a", "10.1.1.1", False)
    assert not AccessLog.objects.exists()


def test_an_unknown_account_gets_the_same_answer_as_a_wrong_password(client, officer_a):
    wrong = login(client, "officer_a", "wrong-password").content.decode()
    unknown = login(client, "nobody", "wrong-password").content.decode()

    assert "账号或密码不正确" in wrong
    assert "账号或密码不正确" in unknown
    assert AccessFailureLog.objects.filter(username="nobody").count() == 1


def test_five_failures_lock_the_account_even_against_the_right_password(client, officer_a, password):
    fail(client, "officer_a", 5)

    response = login(client, "officer_a", password)

    assert response.status_code == 429
    assert "登录失败次数过多" in response.content.decode()
    flags = list(AccessFailureLog.objects.order_by("pk").values_list("locked_out", flat=True))
    assert flags[:5] == [False, False, False, False, True]
    assert not AccessLog.objects.exists()


def test_four_failures_do_not_lock(client, officer_a, password):
    fail(client, "officer_a", 4)

    assert login(client, "officer_a", password).status_code == 302


def test_the_lock_is_per_account_and_address(client, officer_a, password):
    fail(client, "officer_a", 5, ip="10.1.1.1")

    assert login(client, "officer_a", password, ip="10.2.2.2").status_code == 302


def test_the_lock_holds_for_29_minutes(client, officer_a, password):
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        fail(client, "officer_a", 5)
        traveller.shift(timedelta(minutes=29))

        assert login(client, "officer_a", password).status_code == 429


def test_the_lock_ends_after_30_minutes(client, officer_a, password):
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        fail(client, "officer_a", 5)
        traveller.shift(timedelta(minutes=30, seconds=1))

        assert login(client, "officer_a", password).status_code == 302


def test_trying_again_while_locked_restarts_the_30_minutes(client, officer_a, password):
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        fail(client, "officer_a", 5)
        traveller.shift(timedelta(minutes=20))
        login(client, "officer_a", password)
        traveller.shift(timedelta(minutes=20))

        assert login(client, "officer_a", password).status_code == 429


def test_unlock_lifts_the_lock_at_once(client, officer_a, security_admin, password):
    fail(client, "officer_a", 5)

    cleared = services.unlock_person(person=officer_a, by=security_admin)

    assert cleared >= 1
    assert login(client, "officer_a", password).status_code == 302


def test_logout_records_the_logout_time(client, officer_a, password):
    login(client, "officer_a", password)
    assert AccessLog.objects.get().logout_time is None

    client.post(reverse("org:logout"), REMOTE_ADDR="10.1.1.1", HTTP_USER_AGENT=BROWSER)

    assert AccessLog.objects.get().logout_time is not None


# ---- the login log page ------------------------------------------------------------------


@pytest.fixture
def history(client, officer_a, officer_b, password):
    """officer_a logged in and out from 10.1.1.1; officer_b failed 5 times from 10.9.9.9 and is locked."""
    login(client, "officer_a", password)
    client.post(reverse("org:logout"))
    fail(client, "officer_b", 5, ip="10.9.9.9")
    login(client, "stranger", "guess", ip="172.16.0.5")


def page(client, **params) -> str:
    return client.get(reverse(LOGINS), params).content.decode()


def test_successful_logins_are_the_first_tab(client_for, audit_admin, history):
    html = page(client_for(audit_admin))

    table = html[html.index('data-testid="login-records"') :]
    assert "officer_a" in table
    assert "东城招商专员" in table
    assert "10.1.1.1" in table
    assert "officer_b" not in table
    assert "退出时间" in html


def test_failures_show_the_lock_flag(client_for, audit_admin, history):
    html = page(client_for(audit_admin), result="failure")

    table = html[html.index('data-testid="login-records"') :]
    assert table.count("officer_b") == 5
    assert "stranger" in table
    assert table.count("已锁定") == 1


@pytest.mark.parametrize(
    ("params", "shown", "hidden"),
    [
        ({"result": "failure", "username": "officer"}, "officer_b", "stranger"),
        ({"result": "failure", "ip": "172.16."}, "stranger", "officer_b"),
        ({"result": "locked"}, "officer_b", "stranger"),
        ({"result": "locked_now"}, "officer_b", "stranger"),
        ({"result": "success", "username": "officer_a"}, "officer_a", "officer_b"),
    ],
)
def test_login_filters(client_for, audit_admin, history, params, shown, hidden):
    html = page(client_for(audit_admin), **params)

    table = html[html.index('data-testid="login-records"') :]
    assert shown in table
    assert hidden not in table


def test_date_range_filter(client_for, audit_admin, history):
    client = client_for(audit_admin)
    today = timezone.localdate()

    assert "10.9.9.9" in page(client, result="failure", date_from=today.isoformat(), date_to=today.isoformat())
    assert "没有符合条件的登录记录" in page(client, result="failure", date_to=(today - timedelta(days=1)).isoformat())


def test_unlocked_accounts_leave_the_locked_now_tab(client_for, audit_admin, security_admin, officer_b, history):
    services.unlock_person(person=officer_b, by=security_admin)

    assert "没有符合条件的登录记录" in page(client_for(audit_admin), result="locked_now")


def test_export_of_failures_is_recorded_with_the_row_count(client_for, audit_admin, history):
    response = client_for(audit_admin).get(
        reverse(LOGINS), {"result": "failure", "username": "officer_b", "export": "xlsx"}
    )

    rows = rows_of(response)
    assert rows[0] == ("时间", "账号", "姓名", "IP 地址", "浏览器", "是否锁定")
    assert len(rows) == 6
    assert rows[1][1:4] == ("officer_b", "西城招商专员", "10.9.9.9")
    record = LogEntry.objects.get(action=LogEntry.Action.ACCESS, actor=audit_admin)
    assert record.additional_data["what"] == "导出登录失败记录"
    assert record.additional_data["rows"] == 5


def test_export_of_logins_shows_logout_time(client_for, audit_admin, history):
    rows = rows_of(client_for(audit_admin).get(reverse(LOGINS), {"username": "officer", "export": "xlsx"}))

    assert rows[0][-1] == "退出时间"
    assert [row[1] for row in rows[1:]] == ["officer_a"]
    assert "年" in rows[1][5]
    assert LogEntry.objects.get(action=LogEntry.Action.ACCESS, actor=audit_admin).additional_data["rows"] == 1


def test_login_list_query_count_does_not_grow_with_rows(client, audit_admin, county_a, count_queries):
    def fail_as_new_people(count: int) -> None:
        for n in range(count):
            fail(client, UserFactory(unit=county_a).username, 1, ip=f"10.3.3.{n}")

    def open_failures() -> int:
        client.force_login(audit_admin)
        return count_queries(lambda: client.get(reverse(LOGINS), {"result": "failure"}))

    fail_as_new_people(2)
    few = open_failures()
    fail_as_new_people(15)

    assert open_failures() == few


def county_holder(county_a, codenames: list[str]):
    """A county user holding login-log permissions (the built-in audit role is root-only)."""
    role = Role.objects.create(code="county_audit", name="区县审计")
    role.permissions.set(Permission.objects.filter(codename__in=codenames))
    return UserFactory(username="county_auditor", unit=county_a, roles=["county_audit"])


def test_failures_need_their_own_permission(client_for, county_a, history):
    holder = county_holder(county_a, ["view_accesslog"])
    client = client_for(holder)

    assert client.get(reverse(LOGINS)).status_code == 200
    assert client.get(reverse(LOGINS), {"result": "failure"}).status_code == 403
    assert login_items(holder) == []


def test_a_county_holder_sees_only_own_accounts(client, client_for, county_a, officer_a, password, history):
    fail(client, "officer_a", 1)
    login(client, "officer_b", password, ip="10.8.8.8")
    holder = county_holder(county_a, ["view_accesslog", "view_accessfailurelog"])
    client = client_for(holder)

    logins = page(client, username="officer")
    failures = page(client, result="failure")

    assert "officer_a" in logins[logins.index('data-testid="login-records"') :]
    assert "officer_b" not in logins
    assert "officer_a" in failures[failures.index('data-testid="login-records"') :]
    assert "officer_b" not in failures
    assert "stranger" not in failures


# ---- pending items -----------------------------------------------------------------------


def test_audit_admin_is_told_of_failures_and_lockouts(client, client_for, audit_admin, history):
    html = client_for(audit_admin).get(reverse("core:home")).content.decode()

    assert "最近 24 小时登录失败" in html
    assert "当前被锁定的账号" in html
    assert f"{reverse(LOGINS)}?result=locked_now" in html
    assert f"{reverse(LOGINS)}?result=failure&amp;within=24h" in html


def test_pending_counts_match_the_linked_lists(audit_admin, history):
    items = {item.title: item.count for item in login_items(audit_admin)}

    assert items == {"当前被锁定的账号": 1, "最近 24 小时登录失败": 6}


def test_pending_items_fade_with_time(audit_admin, history):
    with time_machine.travel(timezone.now() + timedelta(hours=25)):
        assert login_items(audit_admin) == []


def test_nobody_else_gets_the_login_items(security_admin, officer_a, history):
    assert login_items(security_admin) == []
    assert login_items(officer_a) == []
