import pytest
from django.contrib.sessions.models import Session

from apps.core.errors import BusinessRuleError
from apps.org import roles, services
from apps.org.models import Role, Unit, User
from apps.org.tests.factories import UserFactory


def test_create_unit_places_it_under_its_parent(county_a, system_admin):
    town = services.create_unit(
        parent=county_a, by=system_admin, name="东城区新区街道", kind=Unit.Kind.TOWN, code="990101009"
    )

    assert Unit.objects.get_parent(town) == county_a
    assert town.path.startswith(county_a.path)


@pytest.mark.parametrize(
    ("_case", "parent_kind", "kind"),
    [("town under town", "town", Unit.Kind.TOWN), ("county under county", "county", Unit.Kind.COUNTY)],
)
def test_create_unit_refuses_a_kind_that_cannot_sit_there(county_a, system_admin, _case, parent_kind, kind):
    parent = county_a if parent_kind == "county" else Unit.objects.get(code="990101001")

    with pytest.raises(BusinessRuleError, match="下不能设立"):
        services.create_unit(parent=parent, by=system_admin, name="新单位", kind=kind, code="990101099")

    assert not Unit.objects.filter(name="新单位").exists()


def test_second_root_is_refused(city, system_admin):
    with pytest.raises(BusinessRuleError, match="只有一个根单位"):
        services.create_unit(parent=None, by=system_admin, name="另一个市", kind=Unit.Kind.CITY, code="990200")


def test_duplicate_code_is_refused(county_a, system_admin):
    with pytest.raises(Exception, match="代码"):
        services.create_unit(parent=county_a, by=system_admin, name="重复", kind=Unit.Kind.TOWN, code="990101001")


def test_moving_a_unit_moves_its_subtree(county_a, county_b, system_admin):
    department = Unit.objects.get(code="990101D01")
    UserFactory(unit=department)

    services.update_unit(unit=department, parent=county_b, by=system_admin, name=department.name)

    department.refresh_from_db()
    assert department.path.startswith(county_b.path)


def test_unit_cannot_move_under_its_own_descendant(county_a, system_admin):
    town = Unit.objects.get(code="990101001")

    with pytest.raises(BusinessRuleError):
        services.update_unit(unit=county_a, parent=town, by=system_admin)


def test_unit_with_active_children_cannot_be_deactivated(county_a, system_admin):
    with pytest.raises(BusinessRuleError, match="请先停用下级单位"):
        services.update_unit(unit=county_a, parent=Unit.objects.get_parent(county_a), by=system_admin, is_active=False)


def test_new_person_must_change_password_at_first_login(county_a, system_admin):
    person = services.create_person(
        username="zhangsan", password="Dongcheng#88", by=system_admin, name="张三", unit=county_a
    )

    assert person.must_change_password is True
    assert person.check_password("Dongcheng#88")


@pytest.mark.parametrize(
    ("_case", "password"),
    [("too short", "Ab1!"), ("two classes", "abcdefgh12"), ("common", "Password1")],
)
def test_weak_passwords_are_refused(county_a, system_admin, _case, password):
    with pytest.raises(BusinessRuleError):
        services.create_person(username="lisi", password=password, by=system_admin, name="李四", unit=county_a)

    assert not User.objects.filter(username="lisi").exists()


def test_changing_own_password_clears_the_obligation(officer_a, password):
    officer_a.must_change_password = True
    officer_a.save()

    services.change_own_password(user=officer_a, old_password=password, new_password="New-Passw0rd")

    officer_a.refresh_from_db()
    assert officer_a.must_change_password is False
    assert officer_a.password_changed_at is not None


def test_wrong_old_password_is_refused(officer_a):
    with pytest.raises(BusinessRuleError, match="原密码不正确"):
        services.change_own_password(user=officer_a, old_password="wrong", new_password="New-Passw0rd")


def test_disabling_a_person_ends_their_sessions(client, officer_a, system_admin):
    client.force_login(officer_a)
    assert Session.objects.count() == 1

    services.set_person_active(person=officer_a, active=False, by=system_admin)

    assert Session.objects.count() == 0


def test_administrator_roles_cannot_be_combined(city, security_admin):
    person = UserFactory(unit=city)
    wanted = Role.objects.filter(code__in=[roles.SYSTEM_ADMIN, roles.CITY_LEADER])

    with pytest.raises(BusinessRuleError, match="三员分立"):
        services.assign_roles(person=person, roles=wanted, by=security_admin)

    assert person.roles.count() == 0


def test_administrator_roles_only_for_city_level_people(county_a, security_admin):
    person = UserFactory(unit=county_a)

    with pytest.raises(BusinessRuleError, match="根单位"):
        services.assign_roles(person=person, roles=Role.objects.filter(code=roles.AUDIT_ADMIN), by=security_admin)


def test_business_roles_can_be_combined(county_a, security_admin):
    person = UserFactory(unit=county_a)
    wanted = Role.objects.filter(code__in=[roles.COUNTY_ADMIN, roles.INVESTMENT_OFFICER])

    services.assign_roles(person=person, roles=wanted, by=security_admin)

    assert person.role_codes() == {roles.COUNTY_ADMIN, roles.INVESTMENT_OFFICER}


def test_custom_role_cannot_hold_administrator_permissions(security_admin):
    from django.contrib.auth.models import Permission

    manage_user = Permission.objects.get(codename="manage_user")

    with pytest.raises(BusinessRuleError, match="三员"):
        services.save_role(
            role=None, by=security_admin, code="x", name="越权角色", description="", permissions=[manage_user]
        )


def test_builtin_roles_cannot_be_edited_or_deleted(security_admin):
    leader = Role.objects.get(code=roles.CITY_LEADER)

    with pytest.raises(BusinessRuleError):
        services.save_role(role=leader, by=security_admin, code="x", name="x", description="", permissions=[])
    with pytest.raises(BusinessRuleError):
        services.delete_role(role=leader, by=security_admin)


def test_three_administrators_share_no_permission(db):
    admin_roles = Role.objects.filter(code__in=roles.ADMINISTRATOR_CODES).prefetch_related("permissions")
    held = [set(role.permissions.values_list("codename", flat=True)) for role in admin_roles]

    assert len(held) == 3
    assert held[0] & held[1] & held[2] == set()
    assert not (held[1] & held[2])  # security and audit administrators overlap in nothing


def test_builtin_roles_exist_after_migrate(db):
    assert set(Role.objects.filter(is_builtin=True).values_list("code", flat=True)) == {
        role.code for role in roles.BUILTIN_ROLES
    }
