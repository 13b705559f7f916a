"""包抓领导 / 专班: the services' rules, the pages per role, the leader's page and its query count."""

from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest
from auditlog.models import LogEntry
from django.contrib.auth.models import Permission
from django.urls import reverse
from openpyxl import load_workbook

from apps.core.errors import BusinessRuleError
from apps.core.models import Notice
from apps.investment.models import Project, ProjectParticipant, Stage
from apps.investment.tests.conftest import bureau, coordinator, department_handler  # noqa: F401 - fixtures
from apps.investment.tests.factories import lead
from apps.landing.models import ChecklistStep, Milestone, MilestoneKind, ProjectProblem, TaskForce, TaskForceMember
from apps.landing.selectors.taskforces import missing_task_forces
from apps.landing.services.taskforces import (
    add_member,
    change_member,
    is_major,
    remove_member,
    set_up_task_force,
    update_task_force,
)
from apps.landing.tests.test_status import _problem, _step
from apps.org import roles
from apps.org.models import Role
from apps.org.tests.factories import UserFactory

pytestmark = pytest.mark.django_db
MEMBER = TaskForceMember.Role.MEMBER


def _notices(person, task_force) -> int:
    return Notice.objects.filter(recipient=person, key=f"landing.taskforce.{task_force.pk}.member.{person.pk}").count()


# ---- services ------------------------------------------------------------------------------


def test_setting_up_a_task_force_lets_the_lead_unit_see_the_project_and_tells_the_leader(
    taskforce_project, taskforce_leader, taskforce_departments, officer_a
):
    land = taskforce_departments["land"]

    task_force = set_up_task_force(
        project=taskforce_project, leader=taskforce_leader, lead_unit=land, plan=" 六月开工 ",
        established_on=date(2026, 2, 20), by=officer_a,
    )  # fmt: skip

    assert (task_force.plan, task_force.created_by, task_force.lead_unit) == ("六月开工", officer_a, land)
    participants = ProjectParticipant.objects.filter(project=taskforce_project, role="项目专班")
    assert [p.unit for p in participants] == [land]  # the leader works in the owning county itself
    assert _notices(taskforce_leader, task_force) == 1


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"stage": Stage.INTENTION}, "项目进入洽谈阶段后才能设立专班"),
        ({"status": Project.Status.DROPPED}, "已终止的项目不能设立"),
    ],
)
def test_a_task_force_needs_a_project_in_negotiation_or_further(
    taskforce_project, taskforce_leader, county_a, officer_a, change, message
):
    Project.objects.filter(pk=taskforce_project.pk).update(**change)
    taskforce_project.refresh_from_db()

    with pytest.raises(BusinessRuleError, match=message):
        set_up_task_force(
            project=taskforce_project, leader=taskforce_leader, lead_unit=county_a, plan="",
            established_on=date(2026, 2, 20), by=officer_a,
        )  # fmt: skip
    assert not TaskForce.objects.exists()


def test_one_task_force_per_project_set_up_by_its_own_side_only(
    taskforce, taskforce_project, taskforce_leader, county_a, officer_a, officer_b
):
    details = {"leader": taskforce_leader, "lead_unit": county_a, "plan": "", "established_on": date(2026, 2, 20)}

    with pytest.raises(BusinessRuleError, match="该项目已设立专班"):
        set_up_task_force(project=taskforce_project, by=officer_a, **details)
    with pytest.raises(BusinessRuleError, match="只有项目责任单位"):
        update_task_force(task_force=taskforce, by=officer_b, **details)
    with pytest.raises(BusinessRuleError, match="成立日期不能晚于今天") as error:
        update_task_force(task_force=taskforce, by=officer_a, **{**details, "established_on": date(2026, 3, 3)})
    assert error.value.field == "established_on"
    assert TaskForce.objects.count() == 1


def test_a_new_leader_is_told_and_the_old_one_stays_in_the_history(
    taskforce, taskforce_leader, county_a, officer_a, city_leader
):
    update_task_force(
        task_force=taskforce, leader=city_leader, lead_unit=county_a, plan="调整方案",
        established_on=taskforce.established_on, by=officer_a,
    )  # fmt: skip
    update_task_force(
        task_force=taskforce, leader=city_leader, lead_unit=county_a, plan="再次调整",
        established_on=taskforce.established_on, by=officer_a,
    )  # fmt: skip

    taskforce.refresh_from_db()
    assert (taskforce.leader, taskforce.plan) == (city_leader, "再次调整")
    assert _notices(city_leader, taskforce) == 1
    changes = LogEntry.objects.get_for_object(taskforce).filter(action=LogEntry.Action.UPDATE).order_by("pk")
    assert changes.first().changes_dict["leader"] == [str(taskforce_leader.pk), str(city_leader.pk)]
    assert changes.first().actor == officer_a


def test_members_from_several_departments_join_with_roles(taskforce, taskforce_handlers, officer_a):
    land, power = taskforce_handlers["land"], taskforce_handlers["power"]

    head = add_member(
        task_force=taskforce, person=land, role=TaskForceMember.Role.HEAD, duty=" 用地报批 ", by=officer_a
    )
    agent = add_member(task_force=taskforce, person=power, role=TaskForceMember.Role.AGENT, by=officer_a)

    assert (head.duty, head.get_role_display(), agent.get_role_display()) == ("用地报批", "牵头负责人", "代办员")
    units = set(ProjectParticipant.objects.filter(project=taskforce.project).values_list("unit", flat=True))
    assert {land.unit_id, power.unit_id} <= units
    assert (_notices(land, taskforce), _notices(power, taskforce)) == (1, 1)
    with pytest.raises(BusinessRuleError, match="已是专班成员") as error:
        add_member(task_force=taskforce, person=land, role=MEMBER, by=officer_a)
    assert error.value.field == "person"
    with pytest.raises(BusinessRuleError, match="请选择专班职责"):
        change_member(member=agent, role="boss", by=officer_a)

    change_member(member=agent, role=TaskForceMember.Role.SERVICE, duty="供电接入", by=officer_a)
    remove_member(member=head, by=officer_a)

    assert [(m.person, m.role, m.duty) for m in taskforce.members.all()] == [(power, "service", "供电接入")]


def test_another_county_cannot_change_the_members(taskforce, taskforce_handlers, officer_a, officer_b):
    member = add_member(task_force=taskforce, person=taskforce_handlers["land"], role=MEMBER, by=officer_a)

    for call in (
        lambda: add_member(task_force=taskforce, person=taskforce_handlers["power"], role=MEMBER, by=officer_b),
        lambda: change_member(member=member, role=TaskForceMember.Role.HEAD, by=officer_b),
        lambda: remove_member(member=member, by=officer_b),
    ):
        with pytest.raises(BusinessRuleError, match="只有项目责任单位"):
            call()
    assert list(taskforce.members.values_list("role", flat=True)) == [MEMBER]


def test_major_projects_without_a_task_force_are_flagged(taskforce_project, officer_a, taskforce_leader, county_a):
    Project.objects.filter(pk=taskforce_project.pk).update(contracted_investment=Decimal(100000))
    taskforce_project.refresh_from_db()
    small = lead(officer_a)
    Project.objects.filter(pk=small.pk).update(stage=Stage.SIGNED, planned_investment=Decimal(99999))

    assert is_major(taskforce_project)
    assert list(missing_task_forces(officer_a)) == [taskforce_project]

    set_up_task_force(
        project=taskforce_project, leader=taskforce_leader, lead_unit=county_a, plan="",
        established_on=date(2026, 2, 20), by=officer_a,
    )  # fmt: skip
    assert list(missing_task_forces(officer_a)) == []


# ---- pages ---------------------------------------------------------------------------------

PERSONAS = ["officer_a", "county_admin_a", "taskforce_leader", "officer_b", "coordinator", "department_handler"]
#: persona → what a change to 东城区's project task force does: made, or the refusal's status code
EXPECTED = {
    "officer_a": "changed",
    "county_admin_a": "changed",
    "taskforce_leader": 403,  # 东城区 itself, but only reads
    "officer_b": 404,  # another county
    "coordinator": 403,  # sees every project, keeps none
    "department_handler": 404,  # a city department outside the project
}


def _form_data(leader, unit) -> dict:
    return {"leader": leader.pk, "lead_unit": unit.pk, "established_on": "2026-02-20", "plan": "专班方案"}


def test_anonymous_people_are_sent_to_log_in(client, taskforce, taskforce_project):
    urls = [
        reverse("landing:task_force_form", args=[taskforce_project.pk]),
        reverse("landing:task_force_members", args=[taskforce.pk]),
        reverse("landing:task_force_list"),
        reverse("landing:leader"),
    ]
    for url in urls:
        response = client.post(url, {}) if "members" in url else client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("org:login"))


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_the_projects_own_side_sets_up_its_task_force(
    request, client_for, taskforce_project, taskforce_leader, county_a, persona
):
    user = request.getfixturevalue(persona)

    response = client_for(user).post(
        reverse("landing:task_force_form", args=[taskforce_project.pk]), _form_data(taskforce_leader, county_a)
    )

    if EXPECTED[persona] == "changed":
        assert response.status_code == 302
        assert TaskForce.objects.get(project=taskforce_project).plan == "专班方案"
    else:
        assert response.status_code == EXPECTED[persona]
        assert not TaskForce.objects.exists()


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_the_projects_own_side_adjusts_the_task_force_and_its_members(
    request, client_for, taskforce, taskforce_handlers, county_a, city_leader, officer_a, persona
):
    member = add_member(task_force=taskforce, person=taskforce_handlers["land"], role=MEMBER, by=officer_a)
    client = client_for(request.getfixturevalue(persona))

    responses = [
        client.post(reverse("landing:task_force_form", args=[taskforce.project_id]), _form_data(city_leader, county_a)),
        client.post(
            reverse("landing:task_force_members", args=[taskforce.pk]),
            {"person": taskforce_handlers["power"].pk, "role": "agent"},
        ),
        client.post(
            reverse("landing:task_force_member_change", args=[taskforce.pk]),
            {"member": member.pk, "role": "head", "duty": "牵头"},
        ),
    ]

    taskforce.refresh_from_db()
    seats = sorted(taskforce.members.values_list("person__username", "role"))
    if EXPECTED[persona] == "changed":
        assert [r.status_code for r in responses] == [302, 302, 302]
        assert taskforce.leader == city_leader
        assert seats == [("tf_land", "head"), ("tf_power", "agent")]
    else:
        assert [r.status_code for r in responses] == [EXPECTED[persona]] * 3
        assert taskforce.leader.username == "tf_leader"
        assert seats == [("tf_land", "member")]


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_the_projects_own_side_removes_members(
    request, client_for, taskforce, taskforce_handlers, officer_a, persona
):
    member = add_member(task_force=taskforce, person=taskforce_handlers["land"], role=MEMBER, by=officer_a)

    response = client_for(request.getfixturevalue(persona)).post(
        reverse("landing:task_force_member_remove", args=[taskforce.pk]), {"member": member.pk}
    )

    removed = not TaskForceMember.objects.filter(pk=member.pk).exists()
    if EXPECTED[persona] == "changed":
        assert (response.status_code, removed) == (302, True)
    else:
        assert (response.status_code, removed) == (EXPECTED[persona], False)


def test_the_set_up_form_shows_a_rule_error_on_its_field(
    client_for, taskforce_project, taskforce_leader, county_a, officer_a
):
    data = {**_form_data(taskforce_leader, county_a), "established_on": "2026-03-09"}

    response = client_for(officer_a).post(reverse("landing:task_force_form", args=[taskforce_project.pk]), data)

    assert response.status_code == 200
    assert response.context["form"].errors["established_on"] == ["成立日期不能晚于今天。"]
    assert not TaskForce.objects.exists()


def test_the_project_page_shows_the_task_force_panel(client_for, taskforce, taskforce_handlers, officer_a):
    add_member(
        task_force=taskforce, person=taskforce_handlers["power"], role=TaskForceMember.Role.SERVICE, by=officer_a
    )

    page = client_for(officer_a).get(reverse("landing:project_landing", args=[taskforce.project_id]))

    text = page.content.decode()
    assert page.status_code == 200
    assert "东城区副区长" in text
    assert "三月完成土地挂牌" in text
    assert "服务专员" in text
    assert "示范市供电公司经办人" in text


def test_a_member_from_a_city_department_opens_the_project(client_for, taskforce, taskforce_handlers, officer_a):
    person = taskforce_handlers["power"]
    url = reverse("landing:project_landing", args=[taskforce.project_id])
    assert client_for(person).get(url).status_code == 404

    add_member(task_force=taskforce, person=person, role=MEMBER, by=officer_a)

    assert client_for(person).get(url).status_code == 200


def test_the_list_filters_by_leader_and_exports(client_for, taskforce, officer_a, city_leader, county_a):
    other = lead(officer_a, name="东城第二个项目")
    Project.objects.filter(pk=other.pk).update(stage=Stage.SIGNED)
    other.refresh_from_db()
    set_up_task_force(
        project=other, leader=city_leader, lead_unit=county_a, plan="", established_on=date(2026, 2, 1), by=officer_a
    )
    client = client_for(officer_a)

    page = client.get(reverse("landing:task_force_list"), {"leader": city_leader.pk})
    export = client.get(reverse("landing:task_force_list"), {"leader": city_leader.pk, "export": "xlsx"})

    assert [t.project.name for t in page.context["page"].object_list] == ["东城第二个项目"]
    sheet = load_workbook(BytesIO(export.content)).active
    assert [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)] == ["东城第二个项目"]
    assert sheet.cell(row=2, column=4).value == "市领导"


def test_the_list_shows_major_projects_without_a_task_force(client_for, taskforce_project, officer_a):
    Project.objects.filter(pk=taskforce_project.pk).update(planned_investment=Decimal(200000))

    listed = client_for(officer_a).get(reverse("landing:task_force_list"))
    missing = client_for(officer_a).get(reverse("landing:task_force_list"), {"missing": "on"})

    assert listed.context["missing_count"] == 1
    assert "有 1 个重大项目尚未建立专班" in listed.content.decode()
    assert list(missing.context["page"].object_list) == [taskforce_project]


# ---- the leader's page ---------------------------------------------------------------------


def test_the_leader_sees_their_projects_with_status_and_counts(client_for, taskforce, taskforce_departments):
    project = taskforce.project
    _problem(project, taskforce_departments["land"], due_on=date(2026, 2, 27))
    _problem(project, taskforce_departments["land"], due_on=date(2026, 3, 20), title="水电接入")
    _step(project, taskforce_departments["county"], due_on=date(2026, 2, 25))
    Milestone.objects.create(project=project, kind=MilestoneKind.STARTED, planned_on=date(2026, 6, 1))
    Milestone.objects.create(project=project, kind=MilestoneKind.COMPLETED, planned_on=date(2027, 6, 1))

    response = client_for(taskforce.leader).get(reverse("landing:leader"))

    [row] = response.context["rows"]
    assert (row.status.level, row.open_problems, row.overdue_problems, row.overdue_steps) == ("red", 2, 1, 1)
    assert row.next_milestone.kind == MilestoneKind.STARTED
    text = response.content.decode()
    assert "我包抓的项目" in text
    assert "问题“用地指标未落实”逾期未答复（时限2026年2月27日）" in text


def test_a_coordinator_picks_a_leader_among_those_in_scope(request, client_for, taskforce, officer_b):
    picked = client_for(request.getfixturevalue("coordinator")).get(
        reverse("landing:leader"), {"leader": taskforce.leader_id}
    )

    assert [row.project for row in picked.context["rows"]] == [taskforce.project]
    assert "东城区副区长包抓的项目" in picked.content.decode()
    # 西城区 may not look at another leader's page: the choice is not even offered
    other = client_for(officer_b).get(reverse("landing:leader"), {"leader": taskforce.leader_id})
    assert (other.context["picker"], other.context["rows"]) == (None, [])


def test_the_leader_page_is_for_leaders_and_task_force_readers(client_for, taskforce, county_a):
    nobody = UserFactory(username="tf_nobody", unit=county_a, roles=[roles.HOTLINE_AGENT])

    assert client_for(nobody).get(reverse("landing:leader")).status_code == 403


def test_the_leader_page_takes_the_same_number_of_queries_for_2_and_6_projects(
    client_for, taskforce_leader, taskforce_departments, county_a, officer_a, taskforce_clock, count_queries
):
    client = client_for(taskforce_leader)

    def grow(n: int) -> None:
        for _i in range(n):
            project = lead(officer_a)
            Project.objects.filter(pk=project.pk).update(stage=Stage.STARTED, started_on=date(2026, 1, 5))
            project.refresh_from_db()
            set_up_task_force(
                project=project, leader=taskforce_leader, lead_unit=county_a, plan="",
                established_on=date(2026, 1, 5), by=officer_a,
            )  # fmt: skip
            _problem(project, taskforce_departments["land"], due_on=date(2026, 2, 27))
            _step(project, taskforce_departments["county"], due_on=date(2026, 3, 3))
            Milestone.objects.create(project=project, kind=MilestoneKind.COMPLETED, planned_on=date(2026, 9, 1))

    grow(2)
    two = count_queries(lambda: client.get(reverse("landing:leader")))
    grow(4)
    six = count_queries(lambda: client.get(reverse("landing:leader")))

    assert len(client.get(reverse("landing:leader")).context["rows"]) == 6
    assert six == two
    assert (ProjectProblem.objects.count(), ChecklistStep.objects.count()) == (6, 6)


def test_the_menu_shows_the_leader_page_to_a_leader_without_task_force_rights(client_for, taskforce, county_a):
    from apps.core.navigation import menu_for

    reader = Role.objects.create(code="tf_project_reader", name="项目查阅")
    reader.permissions.set(Permission.objects.filter(codename="view_project", content_type__app_label="investment"))
    leader = UserFactory(username="tf_plain_leader", unit=county_a)
    leader.roles.add(reader)
    assert "landing:leader" not in [i["url_name"] for s in menu_for(leader) for i in s["items"]]
    TaskForce.objects.filter(pk=taskforce.pk).update(leader=leader)

    assert "landing:leader" in [i["url_name"] for s in menu_for(leader) for i in s["items"]]
    assert client_for(leader).get(reverse("landing:leader")).status_code == 200


def test_the_landing_list_filters_by_light_task_force_and_leader(
    client_for, taskforce, taskforce_departments, officer_a
):
    _problem(taskforce.project, taskforce_departments["land"], due_on=date(2026, 2, 27))
    plain = lead(officer_a, name="东城无专班项目")
    Project.objects.filter(pk=plain.pk).update(stage=Stage.SIGNED, signed_on=date(2026, 2, 1))
    client = client_for(officer_a)

    def names(**params) -> list[str]:
        response = client.get(reverse("landing:project_list"), params)
        assert response.status_code == 200
        return sorted(p.name for p in response.context["page"].object_list)

    assert names() == ["东城无专班项目", "东城智能装备产业园项目"]
    assert names(level="red") == ["东城智能装备产业园项目"]
    assert names(level="green") == ["东城无专班项目"]
    assert names(task_force="no") == ["东城无专班项目"]
    assert names(task_force="yes", leader=taskforce.leader_id) == ["东城智能装备产业园项目"]
    page = client.get(reverse("landing:project_list")).content.decode()
    assert "红灯" in page
    assert "未建专班" in page


def test_the_landing_list_exports_leader_and_light_with_reasons(
    client_for, taskforce, taskforce_departments, officer_a
):
    _problem(taskforce.project, taskforce_departments["land"], due_on=date(2026, 2, 27))
    plain = lead(officer_a, name="东城无专班项目")
    Project.objects.filter(pk=plain.pk).update(stage=Stage.SIGNED, signed_on=date(2026, 2, 1))

    export = client_for(officer_a).get(reverse("landing:project_list"), {"export": "xlsx"})

    sheet = load_workbook(BytesIO(export.content)).active
    headers = [cell.value for cell in sheet[1]]
    rows = {row[1]: dict(zip(headers, row, strict=True)) for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert rows["东城智能装备产业园项目"]["包抓领导"] == taskforce.leader.name
    assert rows["东城智能装备产业园项目"]["落地状态"] == "红灯"
    assert "逾期" in rows["东城智能装备产业园项目"]["状态说明"]
    assert rows["东城无专班项目"]["包抓领导"] in ("", None)
    assert rows["东城无专班项目"]["落地状态"] == "绿灯"


def test_the_landing_list_takes_the_same_number_of_queries_for_2_and_6_projects(
    client_for, officer_a, county_a, taskforce_leader, taskforce_departments, taskforce_clock, count_queries
):
    client = client_for(officer_a)

    def grow(n: int) -> None:
        for _i in range(n):
            project = lead(officer_a)
            Project.objects.filter(pk=project.pk).update(stage=Stage.SIGNED, signed_on=date(2026, 2, 1))
            project.refresh_from_db()
            set_up_task_force(
                project=project, leader=taskforce_leader, lead_unit=county_a, plan="",
                established_on=date(2026, 2, 1), by=officer_a,
            )  # fmt: skip
            _problem(project, taskforce_departments["land"], due_on=date(2026, 2, 27))

    grow(2)
    two = count_queries(lambda: client.get(reverse("landing:project_list")))
    grow(4)

    assert count_queries(lambda: client.get(reverse("landing:project_list"))) == two
