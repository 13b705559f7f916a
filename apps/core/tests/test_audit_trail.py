"""Changes made through the org services leave audit entries with before/after values and the actor."""

import re

from auditlog.context import set_actor
from auditlog.models import LogEntry
from django.urls import reverse

from apps.org import services
from apps.org.models import Role, Unit, User

PHONE = "13812345678"


def entries_for(obj, action: int) -> list[LogEntry]:
    return list(LogEntry.objects.get_for_object(obj).filter(action=action))


def everything_logged() -> str:
    """Every stored field of every entry, as one text to search for secrets."""
    return "\n".join(
        f"{e.changes} {e.changes_text} {e.serialized_data} {e.additional_data} {e.object_repr}"
        for e in LogEntry.objects.all()
    )


def test_creating_a_unit_records_its_values(system_admin, county_a):
    unit = services.create_unit(
        parent=county_a, by=system_admin, name="东城区商务局", kind=Unit.Kind.DEPARTMENT, code="990101D09"
    )

    [entry] = entries_for(unit, LogEntry.Action.CREATE)
    assert entry.changes_dict["name"] == ["None", "东城区商务局"]
    assert entry.changes_dict["code"] == ["None", "990101D09"]


def test_changing_a_unit_records_before_and_after(system_admin, city, county_a):
    services.update_unit(unit=county_a, parent=city, by=system_admin, name="东城新区", short_name="东城")

    [entry] = entries_for(county_a, LogEntry.Action.UPDATE)
    assert entry.changes_dict["name"] == ["东城区", "东城新区"]
    assert entry.changes_dict["short_name"] == ["", "东城"]
    assert set(entry.changes_dict) == {"name", "short_name"}


def test_deleting_a_role_records_what_it_was(security_admin):
    role = services.save_role(
        role=None, by=security_admin, code="temp", name="临时角色", description="", permissions=[]
    )
    role_pk = role.pk

    services.delete_role(role=role, by=security_admin)

    entry = LogEntry.objects.get(content_type__model="role", object_pk=str(role_pk), action=LogEntry.Action.DELETE)
    assert entry.changes_dict["name"] == ["临时角色", "None"]
    assert entry.object_repr == "临时角色"


def test_deleting_a_unit_records_what_it_was(system_admin, county_a):
    unit = services.create_unit(
        parent=county_a, by=system_admin, name="待撤销单位", kind=Unit.Kind.DEPARTMENT, code="990101D08"
    )
    unit_pk = unit.pk

    with set_actor(system_admin):
        unit.delete()

    entry = LogEntry.objects.get(content_type__model="unit", object_pk=str(unit_pk), action=LogEntry.Action.DELETE)
    assert entry.changes_dict["name"] == ["待撤销单位", "None"]
    assert entry.actor == system_admin


def test_a_change_made_through_a_page_names_the_actor_and_ip(client_for, system_admin, city, county_a):
    data = {
        "parent": county_a.pk,
        "name": "东城区数据局",
        "kind": Unit.Kind.DEPARTMENT,
        "code": "990101D07",
        "is_active": "on",
    }

    response = client_for(system_admin).post(reverse("org:unit_create"), data, REMOTE_ADDR="10.20.30.40")

    assert response.status_code == 302
    [entry] = entries_for(Unit.objects.get(code="990101D07"), LogEntry.Action.CREATE)
    assert entry.actor == system_admin
    assert entry.remote_addr == "10.20.30.40"


def test_a_person_change_through_a_page_names_the_actor(client_for, system_admin, officer_a):
    data = {"name": "东城招商专员", "unit": officer_a.unit.pk, "title": "科长", "phone": "", "email": ""}

    client_for(system_admin).post(reverse("org:person_edit", args=[officer_a.pk]), data)

    entry = LogEntry.objects.get_for_object(officer_a).latest()
    assert entry.actor == system_admin
    assert entry.changes_dict == {"title": ["", "科长"]}


def test_a_service_called_outside_a_request_records_by_as_the_actor(system_admin, city, county_a):
    services.update_unit(unit=county_a, parent=city, by=system_admin, name="东城新区")

    [entry] = entries_for(county_a, LogEntry.Action.UPDATE)
    assert entry.actor == system_admin


def test_a_new_persons_password_is_never_logged_and_phone_is_masked(system_admin, county_a):
    person = services.create_person(
        username="zhangsan", password="Very-Secret-9", by=system_admin, name="张三", unit=county_a, phone=PHONE
    )

    [entry] = entries_for(person, LogEntry.Action.CREATE)
    logged = everything_logged()
    assert "password" not in entry.changes_dict
    assert "Very-Secret-9" not in logged
    assert User.objects.get(pk=person.pk).password not in logged
    assert PHONE not in logged
    assert entry.changes_dict["phone"][1].endswith("5678")
    assert "*" in entry.changes_dict["phone"][1]


def test_password_changes_leave_no_password_in_the_log(system_admin, officer_a, password):
    services.reset_password(person=officer_a, password="Temp-Pass-77", by=system_admin)
    services.change_own_password(user=officer_a, old_password="Temp-Pass-77", new_password="Own-Pass-88")

    logged = everything_logged()
    assert "Temp-Pass-77" not in logged
    assert "Own-Pass-88" not in logged
    assert User.objects.get(pk=officer_a.pk).password not in logged
    assert all("password" not in e.changes_dict for e in LogEntry.objects.all())


def test_a_phone_change_is_masked_before_and_after(system_admin, officer_a):
    services.update_person(person=officer_a, by=system_admin, phone=PHONE)
    services.update_person(person=officer_a, by=system_admin, phone="13987654321")

    logged = everything_logged()
    assert PHONE not in logged
    assert "13987654321" not in logged
    assert not re.search(r"1[3-9]\d{9}", logged)


def test_role_assignment_is_logged_by_name(security_admin, officer_a):
    services.assign_roles(person=officer_a, roles=Role.objects.filter(code="county_admin"), by=security_admin)

    changes = [e.changes_dict.get("roles") for e in entries_for(officer_a, LogEntry.Action.UPDATE)]
    assert {"type": "m2m", "operation": "add", "objects": ["区县管理员"]} in changes
