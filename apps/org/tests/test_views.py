import pytest
from django.urls import reverse
from openpyxl import load_workbook

from apps.org import roles
from apps.org.models import Role, Unit, User
from apps.org.tests.factories import UserFactory


@pytest.fixture
def person_a(county_a):
    return UserFactory(username="wangwu", name="王五", unit=county_a, phone="13812345678")


def test_unit_list_shows_only_the_users_subtree(client_for, county_admin_a, county_b):
    html = client_for(county_admin_a).get(reverse("org:unit_list")).content.decode()

    assert "东城区东风街道" in html
    assert "西城区" not in html


def test_city_leader_sees_the_whole_tree(client_for, city_leader, county_a, county_b):
    html = client_for(city_leader).get(reverse("org:unit_list")).content.decode()

    assert "东城区东风街道" in html
    assert "西城区西湖街道" in html


def test_unit_list_filters_by_kind_and_text(client_for, city_leader, county_a, county_b):
    client = client_for(city_leader)

    html = client.get(reverse("org:unit_list"), {"kind": "town", "q": "西湖"}).content.decode()

    assert "西城区西湖街道" in html
    assert "东城区东风街道" not in html


def test_unit_list_exports_what_it_shows(client_for, city_leader, county_a, county_b):
    response = client_for(city_leader).get(reverse("org:unit_list"), {"q": "东城", "export": "xlsx"})

    sheet = load_workbook(filename=__import__("io").BytesIO(response.content)).active
    names = [row[0].strip() for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert response["Content-Disposition"].startswith("attachment")
    assert "东城区东风街道" in names
    assert not any("西城" in name for name in names)


def test_person_list_masks_phone_numbers(client_for, county_admin_a, person_a):
    html = client_for(county_admin_a).get(reverse("org:person_list")).content.decode()

    assert "138****5678" in html
    assert "13812345678" not in html


def test_person_export_masks_phone_numbers(client_for, county_admin_a, person_a):
    response = client_for(county_admin_a).get(reverse("org:person_list"), {"export": "xlsx"})

    assert b"13812345678" not in response.content
    cells = [
        c
        for row in load_workbook(__import__("io").BytesIO(response.content)).active.iter_rows(values_only=True)
        for c in row
    ]
    assert "138****5678" in cells


def test_phone_is_revealed_only_with_the_permission_and_recorded(client_for, county_a, person_a):
    from auditlog.models import LogEntry

    role = Role.objects.create(code="pii", name="个人信息查看")
    role.permissions.add(
        __import__("django.contrib.auth.models").contrib.auth.models.Permission.objects.get(
            codename="view_personal_data"
        )
    )
    viewer = UserFactory(unit=county_a, roles=[roles.COUNTY_ADMIN])
    url = reverse("org:person_reveal_phone", args=[person_a.pk])

    assert client_for(viewer).post(url).status_code == 403
    viewer.roles.add(role)
    response = client_for(viewer).post(url)

    assert "13812345678" in response.content.decode()
    assert LogEntry.objects.filter(action=LogEntry.Action.ACCESS, object_pk=str(person_a.pk)).count() == 1


def test_system_admin_creates_a_person(client_for, system_admin, county_a):
    response = client_for(system_admin).post(
        reverse("org:person_create"),
        {
            "username": "zhaoliu",
            "name": "赵六",
            "unit": county_a.pk,
            "phone": "13900001111",
            "password": "Dongcheng#88",
        },
    )

    person = User.objects.get(username="zhaoliu")
    assert response.status_code == 302
    assert person.unit == county_a
    assert person.must_change_password is True


def test_bad_phone_gets_a_chinese_message_and_saves_nothing(client_for, system_admin, county_a):
    response = client_for(system_admin).post(
        reverse("org:person_create"),
        {"username": "zhaoliu", "name": "赵六", "unit": county_a.pk, "phone": "12345", "password": "Dongcheng#88"},
    )

    assert "请输入 11 位手机号码" in response.content.decode()
    assert not User.objects.filter(username="zhaoliu").exists()


def test_weak_password_is_shown_on_the_form(client_for, system_admin, county_a):
    response = client_for(system_admin).post(
        reverse("org:person_create"),
        {"username": "zhaoliu", "name": "赵六", "unit": county_a.pk, "password": "abcdefgh"},
    )

    assert "至少 3 类" in response.content.decode()
    assert not User.objects.filter(username="zhaoliu").exists()


@pytest.mark.parametrize(
    ("_case", "actor", "expected"),
    [
        ("anonymous", None, 302),
        ("officer without the permission", "officer_a", 403),
        ("security admin", "security_admin", 403),
        ("audit admin", "audit_admin", 403),
        ("system admin", "system_admin", 302),
    ],
)
def test_only_the_system_admin_edits_people(request, client, person_a, _case, actor, expected):
    if actor:
        client.force_login(request.getfixturevalue(actor))
    url = reverse("org:person_edit", args=[person_a.pk])

    response = client.post(url, {"name": "改名", "unit": person_a.unit.pk})

    assert response.status_code == expected
    person_a.refresh_from_db()
    assert (person_a.name == "改名") is (expected == 302 and actor is not None)


@pytest.mark.parametrize(
    ("_case", "actor", "expected"),
    [
        ("system admin", "system_admin", 403),
        ("audit admin", "audit_admin", 403),
        ("county admin", "county_admin_a", 403),
        ("security admin", "security_admin", 302),
    ],
)
def test_only_the_security_admin_assigns_roles(request, client, person_a, _case, actor, expected):
    client.force_login(request.getfixturevalue(actor))
    leader = Role.objects.get(code=roles.INVESTMENT_OFFICER)

    response = client.post(reverse("org:person_roles", args=[person_a.pk]), {"roles": [leader.pk]})

    assert response.status_code == expected
    assert person_a.roles.filter(pk=leader.pk).exists() is (expected == 302)


def test_assigning_two_administrator_roles_shows_the_rule(client_for, security_admin, city):
    person = UserFactory(unit=city)
    wanted = Role.objects.filter(code__in=[roles.SYSTEM_ADMIN, roles.AUDIT_ADMIN]).values_list("pk", flat=True)

    response = client_for(security_admin).post(reverse("org:person_roles", args=[person.pk]), {"roles": list(wanted)})

    assert "三员分立" in response.content.decode()
    assert person.roles.count() == 0


def test_security_admin_creates_a_custom_role(client_for, security_admin):
    from django.contrib.auth.models import Permission

    view_unit = Permission.objects.get(codename="view_unit")
    response = client_for(security_admin).post(
        reverse("org:role_create"),
        {"code": "observer", "name": "观察员", "description": "", "permissions": [view_unit.pk]},
    )

    assert response.status_code == 302
    assert list(Role.objects.get(code="observer").permissions.all()) == [view_unit]


def test_system_admin_adds_a_town(client_for, system_admin, county_a):
    response = client_for(system_admin).post(
        reverse("org:unit_create"),
        {"parent": county_a.pk, "name": "东城区新城街道", "kind": "town", "code": "990101005", "is_active": "on"},
    )

    assert response.status_code == 302
    assert Unit.objects.get(code="990101005").path.startswith(county_a.path)


def test_unit_detail_lists_departments_and_people(client_for, city_leader, county_a, officer_a):
    html = client_for(city_leader).get(reverse("org:unit_detail", args=[county_a.pk])).content.decode()

    assert "东城区投资促进局" in html
    assert "东城招商专员" in html


@pytest.mark.parametrize("url_name", ["org:person_list", "org:unit_list", "org:role_list"])
def test_list_pages_make_as_many_queries_for_30_people_as_for_1(
    client_for, city_leader, security_admin, county_a, count_queries, url_name
):
    client = client_for(security_admin if url_name == "org:role_list" else city_leader)
    UserFactory(unit=county_a, roles=[roles.INVESTMENT_OFFICER])
    few = count_queries(lambda: client.get(reverse(url_name)))

    for _ in range(30):
        UserFactory(unit=county_a, roles=[roles.INVESTMENT_OFFICER, roles.COUNTY_ADMIN])
    many = count_queries(lambda: client.get(reverse(url_name)))

    assert many == few


def test_security_admin_sees_lockouts_and_people_waiting_for_roles(
    client, client_for, security_admin, county_a, password
):
    waiting = UserFactory(username="newcomer", unit=county_a)
    for _ in range(5):
        client.post(reverse("org:login"), {"username": waiting.username, "password": "wrong"})

    html = client_for(security_admin).get(reverse("core:home")).content.decode()

    assert "被锁定的账号" in html
    assert "尚未分配角色的人员" in html
    locked_page = client_for(security_admin).get(reverse("org:person_list"), {"status": "locked"}).content.decode()
    assert "newcomer" in locked_page


def test_unlock_lifts_the_lockout(client, security_admin, county_a, password):
    person = UserFactory(username="lockedout", unit=county_a)
    for _ in range(5):
        client.post(reverse("org:login"), {"username": person.username, "password": "wrong"})
    assert client.post(reverse("org:login"), {"username": person.username, "password": password}).status_code == 429

    client.force_login(security_admin)
    client.post(reverse("org:person_unlock", args=[person.pk]))
    client.logout()

    assert client.post(reverse("org:login"), {"username": person.username, "password": password}).status_code == 302
