"""The audit log pages: who may open them, what they show, filters, export, and that nothing edits them."""

from datetime import datetime, timedelta
from io import BytesIO

import pytest
from auditlog.models import LogEntry
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.contrib.auth.models import Permission
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from openpyxl import load_workbook

from apps.org import services
from apps.org.models import Role, Unit
from apps.org.tests.factories import UserFactory

LIST = "core:audit_log_list"
LOGINS = "core:audit_login_list"
DETAIL = "core:audit_log_detail"
TZ = timezone.get_default_timezone()


def make_entry(obj, *, actor=None, action=LogEntry.Action.UPDATE, when=None, ip="10.0.0.1", label="样本对象", **extra):
    """A log entry about ``obj`` as if ``actor`` had acted from ``ip`` at ``when``."""
    return LogEntry.objects.log_create(
        obj,
        force_log=True,
        action=action,
        actor=actor,
        remote_addr=ip,
        timestamp=when or timezone.now(),
        object_repr=label,
        changes=extra.pop("changes", {}),
        **extra,
    )


def rows_of(response) -> list[tuple]:
    workbook = load_workbook(BytesIO(response.content), read_only=True)
    return list(workbook.active.iter_rows(values_only=True))


@pytest.fixture
def entry(city, system_admin):
    return make_entry(city, actor=system_admin, label="审计样本条目")


# ---- who may open the pages --------------------------------------------------------------


def page_urls(entry) -> list[str]:
    return [reverse(LIST), reverse(LOGINS), reverse(DETAIL, args=[entry.pk])]


def test_audit_admin_opens_every_audit_page(client_for, audit_admin, entry):
    client = client_for(audit_admin)

    assert [client.get(url).status_code for url in page_urls(entry)] == [200, 200, 200]


@pytest.mark.parametrize("persona", ["system_admin", "security_admin", "officer_a", "city_leader"])
def test_everyone_else_is_refused(request, client_for, entry, persona):
    client = client_for(request.getfixturevalue(persona))

    assert [client.get(url).status_code for url in page_urls(entry)] == [403, 403, 403]


def test_anonymous_is_sent_to_the_login_page(client, entry):
    for url in page_urls(entry):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("org:login"))


def test_menu_shows_the_audit_section_to_the_audit_admin_only(client_for, audit_admin, system_admin):
    auditor_home = client_for(audit_admin).get(reverse("core:home")).content.decode()
    admin_home = client_for(system_admin).get(reverse("core:home")).content.decode()

    assert "安全审计" in auditor_home
    assert reverse(LIST) in auditor_home
    assert reverse(LOGINS) in auditor_home
    assert "安全审计" not in admin_home
    assert reverse(LIST) not in admin_home


# ---- the list ----------------------------------------------------------------------------


def test_list_shows_operator_ip_and_newest_first(client_for, audit_admin, system_admin, city):
    make_entry(city, actor=system_admin, label="较早的条目", when=timezone.now() - timedelta(hours=2), ip="10.9.8.7")
    make_entry(city, actor=system_admin, label="较新的条目")

    html = client_for(audit_admin).get(reverse(LIST), {"q": "的条目"}).content.decode()

    assert html.index("较新的条目") < html.index("较早的条目")
    assert "系统管理员" in html
    assert "sysadmin" in html
    assert "10.9.8.7" in html
    assert "修改" in html


def test_list_dates_are_written_the_chinese_way(client_for, audit_admin, city):
    make_entry(city, label="日期样本", when=datetime(2026, 11, 22, 14, 5, tzinfo=TZ))

    html = client_for(audit_admin).get(reverse(LIST), {"q": "日期样本"}).content.decode()

    assert "2026年11月22日 14:05" in html


@pytest.fixture
def three_entries(city, county_a, system_admin, security_admin, officer_a, settings):
    settings.LIST_PAGE_SIZE = 500
    role = Role.objects.get(code="city_leader")
    day = datetime(2026, 3, 10, 9, 0, tzinfo=TZ)
    return {
        "单位条目甲": make_entry(
            county_a, actor=system_admin, action=LogEntry.Action.CREATE, when=day, label="单位条目甲"
        ),
        "角色条目乙": make_entry(
            role, actor=security_admin, action=LogEntry.Action.DELETE, when=day + timedelta(days=5), label="角色条目乙"
        ),
        "人员条目丙": make_entry(
            officer_a, actor=officer_a, action=LogEntry.Action.ACCESS, when=day + timedelta(days=10), label="人员条目丙"
        ),
    }


def _unit_type():
    from django.contrib.contenttypes.models import ContentType

    return ContentType.objects.get_for_model(Unit).pk


@pytest.mark.parametrize(
    ("params", "shown"),
    [
        ({}, {"单位条目甲", "角色条目乙", "人员条目丙"}),
        ({"date_from": "2026-03-15"}, {"角色条目乙", "人员条目丙"}),
        ({"date_to": "2026-03-15"}, {"单位条目甲", "角色条目乙"}),
        ({"date_from": "2026-03-15", "date_to": "2026-03-15"}, {"角色条目乙"}),
        ({"operator": "安全管理"}, {"角色条目乙"}),
        ({"operator": "officer_a"}, {"人员条目丙"}),
        ({"action": LogEntry.Action.CREATE}, {"单位条目甲"}),
        ({"action": LogEntry.Action.ACCESS}, {"人员条目丙"}),
        ({"object_type": "unit"}, {"单位条目甲"}),
        ({"q": "乙"}, {"角色条目乙"}),
        ({"date_from": "2026-03-20", "date_to": "2026-03-01"}, set()),
    ],
)
def test_list_filters(client_for, audit_admin, three_entries, params, shown):
    if params.get("object_type") == "unit":
        params = {**params, "object_type": _unit_type()}

    html = client_for(audit_admin).get(reverse(LIST), params).content.decode()

    assert {label for label in three_entries if label in html} == shown


def test_a_backwards_date_range_is_explained(client_for, audit_admin):
    html = (
        client_for(audit_admin)
        .get(reverse(LIST), {"date_from": "2026-03-20", "date_to": "2026-03-01"})
        .content.decode()
    )

    assert "起始日期不能晚于截止日期" in html


def test_object_type_filter_offers_audited_types(client_for, audit_admin):
    html = client_for(audit_admin).get(reverse(LIST)).content.decode()

    for label in ("单位", "人员", "角色"):
        assert f">{label}</option>" in html


def test_list_is_paginated(client_for, audit_admin, city, settings):
    settings.LIST_PAGE_SIZE = 5
    for n in range(7):
        make_entry(city, label=f"分页条目{n}", when=timezone.now() - timedelta(minutes=n))

    client = client_for(audit_admin)
    first = client.get(reverse(LIST), {"q": "分页条目"}).content.decode()
    second = client.get(reverse(LIST), {"q": "分页条目", "page": 2}).content.decode()

    assert "分页条目0" in first
    assert "分页条目5" not in first
    assert "分页条目5" in second
    assert "分页条目6" in second


def test_list_query_count_does_not_grow_with_rows(
    client_for, audit_admin, city, count_queries, django_assert_max_num_queries
):
    client = client_for(audit_admin)
    client.get(reverse(LIST))  # warm the content-type cache
    few = count_queries(lambda: client.get(reverse(LIST)))
    for n in range(20):
        actor = UserFactory(unit=city, name=f"操作人{n}")
        make_entry(actor if n % 2 else city, actor=actor, label=f"条目{n}")

    with django_assert_max_num_queries(12):
        response = client.get(reverse(LIST))

    assert "操作人19" in response.content.decode()
    assert count_queries(lambda: client.get(reverse(LIST))) == few


# ---- the detail page ---------------------------------------------------------------------


def test_detail_shows_a_change_as_before_and_after(client_for, audit_admin, system_admin, city, county_a):
    services.update_unit(unit=county_a, parent=city, by=system_admin, name="东城新区", phone="0371-1234567")
    change = LogEntry.objects.get_for_object(county_a).filter(action=LogEntry.Action.UPDATE).first()

    html = client_for(audit_admin).get(reverse(DETAIL, args=[change.pk])).content.decode()

    table = html[html.index('data-testid="audit-changes"') :]
    assert "名称</td><td>东城区</td><td>东城新区" in table
    assert "办公电话</td><td>—</td><td>0371-1234567" in table


def test_detail_of_a_creation_lists_the_fields_only(client_for, audit_admin, county_a):
    creation = LogEntry.objects.get_for_object(county_a).get(action=LogEntry.Action.CREATE)

    html = client_for(audit_admin).get(reverse(DETAIL, args=[creation.pk])).content.decode()

    assert "名称</td><td>—</td><td>东城区" in html
    assert "代码</td><td>—</td><td>990101" in html
    assert "org.User.None" not in html


def test_detail_shows_roles_added(client_for, audit_admin, security_admin, county_a):
    person = UserFactory(username="newcomer", unit=county_a)
    services.assign_roles(person=person, roles=Role.objects.filter(code="investment_officer"), by=security_admin)
    change = LogEntry.objects.get_for_object(person).latest()

    html = client_for(audit_admin).get(reverse(DETAIL, args=[change.pk])).content.decode()

    assert "角色</td><td>—</td><td>招商专员" in html


def test_detail_shows_what_an_access_entry_read(client_for, audit_admin, system_admin):
    client_for(system_admin).get(reverse("org:person_list"), {"export": "xlsx"})
    access = LogEntry.objects.filter(action=LogEntry.Action.ACCESS, actor=system_admin).get()

    html = client_for(audit_admin).get(reverse(DETAIL, args=[access.pk])).content.decode()

    assert "访问内容" in html
    assert "导出人员名册" in html
    assert "行数" in html
    assert "系统管理员（sysadmin）" in html
    assert "127.0.0.1" in html


def test_detail_of_a_missing_entry_is_404(client_for, audit_admin, db):
    assert client_for(audit_admin).get(reverse(DETAIL, args=[999999])).status_code == 404


# ---- data scope --------------------------------------------------------------------------


@pytest.fixture
def county_auditor(county_a):
    """A county user who somehow holds the audit permissions (the built-in role is root-only)."""
    role = Role.objects.create(code="county_audit", name="区县审计")
    role.permissions.set(
        Permission.objects.filter(codename__in=["view_logentry", "view_accesslog", "view_accessfailurelog"])
    )
    return UserFactory(username="county_auditor", unit=county_a, roles=["county_audit"])


def test_below_the_city_only_the_own_subtrees_entries_are_seen(client_for, county_auditor, officer_a, officer_b, city):
    own = make_entry(city, actor=officer_a, label="本区操作")
    foreign = make_entry(city, actor=officer_b, label="外区操作")
    system = make_entry(city, actor=None, label="系统操作")
    client = client_for(county_auditor)

    html = client.get(reverse(LIST)).content.decode()

    assert "本区操作" in html
    assert "外区操作" not in html
    assert "系统操作" not in html
    assert client.get(reverse(DETAIL, args=[own.pk])).status_code == 200
    assert client.get(reverse(DETAIL, args=[foreign.pk])).status_code == 404
    assert client.get(reverse(DETAIL, args=[system.pk])).status_code == 404


# ---- export ------------------------------------------------------------------------------


def test_export_holds_exactly_the_filtered_rows_and_is_itself_audited(client_for, audit_admin, three_entries):
    response = client_for(audit_admin).get(reverse(LIST), {"action": LogEntry.Action.DELETE, "export": "xlsx"})

    rows = rows_of(response)
    assert rows[0][:4] == ("时间", "操作人", "账号", "动作")
    assert [row[5] for row in rows[1:]] == ["角色条目乙"]
    assert rows[1][1:4] == ("安全管理员", "secadmin", "删除")
    record = LogEntry.objects.filter(action=LogEntry.Action.ACCESS, actor=audit_admin).get()
    assert record.additional_data["what"] == "导出审计日志"
    assert record.additional_data["rows"] == 1
    assert f"action={LogEntry.Action.DELETE}" in record.additional_data["query"]


def test_export_summarises_the_changes(client_for, audit_admin, system_admin, city, county_a):
    services.update_unit(unit=county_a, parent=city, by=system_admin, name="东城新区")

    rows = rows_of(client_for(audit_admin).get(reverse(LIST), {"q": "东城新区", "export": "xlsx"}))

    assert "名称：东城区 → 东城新区" in rows[1][8]


# ---- nothing edits or deletes audit records ----------------------------------------------


def routes(patterns=None, prefix: str = "", namespace: str = ""):
    """Every URL pattern with its full route and namespaced name."""
    for entry in patterns if patterns is not None else get_resolver().url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            child_ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from routes(entry.url_patterns, route, child_ns)
        elif isinstance(entry, URLPattern):
            yield route, f"{namespace}{entry.name}", entry


def audit_routes():
    return [(route, name, pattern) for route, name, pattern in routes() if route.startswith("audit/")]


def test_the_audit_routes_are_the_three_read_only_pages():
    assert sorted(name for _route, name, _p in audit_routes()) == [DETAIL, LIST, LOGINS]


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_no_audit_route_accepts_a_change(client_for, audit_admin, entry, method):
    client = client_for(audit_admin)
    statuses = {}
    for route, name, pattern in audit_routes():
        url = reverse(name, args=[entry.pk]) if pattern.pattern.converters else reverse(name)
        statuses[route] = getattr(client, method)(url).status_code

    assert set(statuses.values()) == {405}, statuses
    assert LogEntry.objects.filter(pk=entry.pk, object_repr="审计样本条目").exists()


def test_no_other_url_points_at_audit_or_login_records():
    record_models = {LogEntry, AccessLog, AccessFailureLog, AccessAttempt}
    elsewhere = [
        name
        for route, name, pattern in routes()
        if getattr(pattern, "scoped_model", None) in record_models and not route.startswith("audit/")
    ]

    assert elsewhere == []
    assert "django.contrib.admin" not in settings.INSTALLED_APPS
