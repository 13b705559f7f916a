"""The checklist pages as people use them: who may move a step, the steps list, the panel, the templates admin."""

from datetime import date
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from apps.core.navigation import menu_for
from apps.core.pending import pending_for
from apps.investment.models import Stage
from apps.investment.tests.factories import advance_to, lead, ready_to_sign
from apps.landing.models import Checklist, ChecklistStep, ChecklistTemplate, StepStatus
from apps.landing.selectors.checklists import panel
from apps.landing.services import checklists as services
from apps.org import roles
from apps.org.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def viewer_a(county_a):
    """东城区's leader: reads everything of 东城区, moves nothing."""
    return UserFactory(username="ck_viewer_a", name="东城区领导", unit=county_a, roles=[roles.CITY_LEADER])


def _step(project, code: str) -> ChecklistStep:
    return ChecklistStep.objects.select_related("checklist__project__unit", "department").get(
        checklist__project=project, code=code
    )


def _signed(officer, coordinator, name: str):
    project = ready_to_sign(lead(officer, name=name), officer)
    return advance_to(project, Stage.SIGNED, by=officer, confirmer=coordinator, start=date(2026, 9, 22))


def _persona(request, name: str):
    if name == "anonymous":
        return None
    if name.startswith("handler:"):
        return request.getfixturevalue("checklists_handlers")[name.split(":")[1]]
    return request.getfixturevalue(name)


def _client(client, user):
    if user is not None:
        client.force_login(user)
    return client


# ---- who may move a step --------------------------------------------------------------------------

#: persona → the answer to starting 用地预审 (东城区自然资源分局's step on 东城区's project)
START_MATRIX = {
    "anonymous": "login",
    "officer_b": 404,  # another county
    "handler:ecology": 404,  # a department of the same project sees only its own steps
    "viewer_a": 403,  # the right county, without the role
    "checklists_coordinator": 403,  # sees every step, owns none
    "handler:county_resources": "moved",  # the step's department
    "officer_a": "moved",  # the owning side (代办)
}


@pytest.mark.parametrize("persona", list(START_MATRIX))
def test_who_may_start_a_step(request, client, checklists_project, persona):
    step = _step(checklists_project, "land_pre")
    user = _persona(request, persona)

    response = _client(client, user).post(
        reverse("landing:step_move", args=[step.pk]), {"move": "start", "started_on": "2026-10-09"}
    )

    step.refresh_from_db()
    expected = START_MATRIX[persona]
    if expected == "moved":
        assert response.status_code == 302
        assert (step.status, step.started_on, step.due_on, step.updated_by) == (
            StepStatus.IN_PROGRESS, date(2026, 10, 9), date(2026, 10, 22), user,
        )  # fmt: skip
    else:
        if expected == "login":
            assert response.status_code == 302
            assert reverse("org:login") in response["Location"]
        else:
            assert response.status_code == expected
        assert (step.status, step.started_on) == (StepStatus.WAITING, None)


@pytest.mark.parametrize(("persona", "expected"), [("handler:reform", 403), ("officer_a", 302), ("officer_b", 404)])
def test_only_the_owning_side_reopens_through_the_page(
    request, client, checklists_project, officer_a, persona, expected
):
    step = _step(checklists_project, "approval")
    services.mark_not_needed(step=step, reason="已在省平台备案", by=officer_a)

    response = _client(client, _persona(request, persona)).post(
        reverse("landing:step_move", args=[step.pk]), {"move": "reopen", "reason": "需要重新备案"}
    )

    step.refresh_from_db()
    assert response.status_code == expected
    assert step.status == (StepStatus.WAITING if expected == 302 else StepStatus.NOT_NEEDED)


def test_a_refused_move_is_explained_on_the_field(client_for, checklists_project, officer_a):
    step = _step(checklists_project, "permit")

    response = client_for(officer_a).post(
        reverse("landing:step_move", args=[step.pk]), {"move": "start", "started_on": "2026-10-09"}
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert "须先办结前置手续：建设工程规划许可证、施工图审查、消防设计审查。" in page
    assert _step(checklists_project, "permit").status == StepStatus.WAITING


def test_finishing_through_the_page_uploads_the_approval(client_for, checklists_project, checklists_handlers):
    handler = checklists_handlers["reform"]
    step = services.start_step(step=_step(checklists_project, "approval"), started_on=date(2026, 9, 25), by=handler)
    upload = SimpleUploadedFile("备案证明.pdf", b"%PDF-1.4 filed", content_type="application/pdf")
    landing = reverse("landing:project_landing", args=[checklists_project.pk])

    response = client_for(handler).post(
        reverse("landing:step_move", args=[step.pk]),
        {"move": "finish", "done_on": "2026-09-29", "approval_number": "2609-341501-04-01-654321", "upload": upload,
         "next": landing},
    )  # fmt: skip

    assert response.status_code == 302
    assert response["Location"] == landing
    step.refresh_from_db()
    assert (step.status, step.approval_number, step.documents.get().kind) == (
        "done",
        "2609-341501-04-01-654321",
        "other",
    )
    detail = client_for(handler).get(reverse("landing:step_detail", args=[step.pk])).content.decode()
    assert "立项备案/核准 2609-341501-04-01-654321" in detail  # the filed approval, linked from the step


@pytest.mark.parametrize(("persona", "expected"), [("handler:county_resources", 403), ("officer_a", 302)])
def test_only_the_owning_side_reassigns_a_step(
    request, client, checklists_project, checklists_departments, persona, expected
):
    step = _step(checklists_project, "land_pre")
    target = checklists_departments["resources"]

    response = _client(client, _persona(request, persona)).post(
        reverse("landing:step_department", args=[step.pk]), {"department": target.pk}
    )

    assert response.status_code == expected
    assert _step(checklists_project, "land_pre").department == (
        target if expected == 302 else checklists_departments["county_resources"]
    )


def test_the_owner_adds_a_step_and_chooses_a_checklist_when_none_was_made(
    client_for, checklists_project, checklists_departments, officer_a
):
    client = client_for(officer_a)
    response = client.post(
        reverse("landing:step_add", args=[checklists_project.pk]),
        {"name": "排水许可", "department": checklists_departments["water"].pk, "time_limit_days": 7},
    )
    assert response.status_code == 302
    assert checklists_project.checklist.steps.filter(name="排水许可", source="manual").exists()

    Checklist.objects.filter(project=checklists_project).delete()
    page = client.get(reverse("landing:project_landing", args=[checklists_project.pk])).content.decode()
    assert "建立手续清单（选择模板）" in page
    template = ChecklistTemplate.objects.get(code="leased-factory")
    response = client.post(
        reverse("landing:checklist_create", args=[checklists_project.pk]),
        {"template": template.pk, "started_on": "2026-09-24"},
    )
    assert response.status_code == 302
    assert Checklist.objects.get(project=checklists_project).template_name == "租赁厂房"


# ---- the steps list -------------------------------------------------------------------------------


def test_a_department_sees_only_its_own_steps(client_for, checklists_project, checklists_handlers, officer_b):
    page = client_for(checklists_handlers["county_resources"]).get(reverse("landing:step_list")).content.decode()

    assert "用地预审与选址意见" in page
    assert "建设工程规划许可证" in page
    assert "环评批复" not in page
    assert "施工许可证" not in page
    other = client_for(officer_b).get(reverse("landing:step_list")).content.decode()
    assert "东城高端装备制造项目" not in other


def test_the_list_filters_overdue_steps_and_exports_what_it_shows(
    client_for, checklists_project, checklists_handlers, officer_a
):
    services.start_step(step=_step(checklists_project, "approval"), started_on=date(2026, 9, 24), by=officer_a)
    services.start_step(step=_step(checklists_project, "eia"), started_on=date(2026, 10, 9), by=officer_a)
    client = client_for(officer_a)

    page = client.get(reverse("landing:step_list"), {"overdue": "on"}).content.decode()
    export = client.get(reverse("landing:step_list"), {"overdue": "on", "export": "xlsx"})

    assert "立项备案/核准" in page
    assert "环评批复" not in page
    sheet = load_workbook(BytesIO(export.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 2
    assert rows[1][3:6] == ("立项备案/核准", "示范市发展和改革委员会", "办理中")
    assert rows[1][-1] == "是"


def test_pending_items_send_each_to_their_steps(checklists_project, checklists_handlers, officer_a):
    handler = checklists_handlers["county_housing"]
    services.start_step(step=_step(checklists_project, "fire"), started_on=date(2026, 9, 10), by=handler)

    mine = {item.title: item for item in pending_for(handler)}
    owner = {item.title: item for item in pending_for(officer_a)}

    assert mine["待办理的手续"].count == 3  # 施工图审查, 消防设计审查 (due 23 September) and 施工许可证
    assert mine["逾期手续"].count == 1
    assert mine["逾期手续"].level == "danger"
    assert owner["逾期手续"].url == reverse("landing:step_list") + "?overdue=on"


def test_the_menu_shows_templates_only_to_the_coordinating_unit(officer_a, checklists_coordinator):
    # officer_a first: adding 东城区 under the city afterwards would renumber the bureau's tree path
    def labels(user):
        return [str(item["label"]) for section in menu_for(user) for item in section["items"]]

    assert "手续清单模板" in labels(checklists_coordinator)
    assert "手续清单" in labels(officer_a)
    assert "手续清单模板" not in labels(officer_a)


def test_the_steps_list_does_not_query_per_step(
    client_for, checklists_clock, checklists_departments, checklists_coordinator, officer_a, count_queries
):
    client = client_for(officer_a)
    _signed(officer_a, checklists_coordinator, "东城一号项目")
    url = reverse("landing:step_list")
    client.get(url)
    one = count_queries(lambda: client.get(url))
    for n in range(2, 4):
        _signed(officer_a, checklists_coordinator, f"东城{n}号项目")

    assert ChecklistStep.objects.count() == 39
    assert count_queries(lambda: client.get(url)) == one


def test_the_panel_does_not_query_per_step(checklists_project, checklists_coordinator, officer_a, count_queries):
    small = _signed(officer_a, checklists_coordinator, "东城小项目")
    Checklist.objects.filter(project=small).delete()
    services.create_checklist(
        project=small, template=ChecklistTemplate.objects.get(code="leased-factory"), by=officer_a
    )
    for project in (small, checklists_project):
        project.refresh_from_db()
    officer_a.has_perm("landing.view_checklist")  # the permission cache, as a request has it

    assert count_queries(lambda: panel(small, officer_a)) == count_queries(lambda: panel(checklists_project, officer_a))


# ---- the panel ------------------------------------------------------------------------------------


def test_the_panel_shows_the_forecast_against_the_commitment(client_for, checklists_project, officer_a):
    page = client_for(officer_a).get(reverse("landing:project_landing", args=[checklists_project.pk])).content.decode()

    # from 12 October: 10 + 20 + 5 + 7 + 3 working days along the land chain
    assert "预计 2026年12月14日 取得施工许可证" in page
    assert "承诺 50 个工作日，超出" in page
    assert page.count('data-critical="1"') == 5


def test_the_panel_offers_the_moves_the_user_may_make(client_for, checklists_project, checklists_handlers):
    handler = checklists_handlers["ecology"]
    state = panel(checklists_project, handler)

    moves = {row["step"].code: [m.kind for m in row["moves"]] for row in state["checklist_rows"]}
    assert moves["eia"] == ["start", "not_needed"]
    assert moves["land_pre"] == []
    assert not state["checklist_owner"]


# ---- the templates admin --------------------------------------------------------------------------

TEMPLATE_MATRIX = {"anonymous": "login", "officer_a": 403, "city_leader": 403, "checklists_coordinator": 302}


@pytest.mark.parametrize("persona", list(TEMPLATE_MATRIX))
def test_who_may_edit_a_template(request, client, persona):
    template = ChecklistTemplate.objects.get(code="expansion")
    data = {"name": "增资扩建（自有用地）", "project_kind": "expansion", "commitment_days": "30", "is_active": "on"}

    response = _client(client, _persona(request, persona)).post(
        reverse("landing:template_detail", args=[template.pk]), data
    )

    template.refresh_from_db()
    expected = TEMPLATE_MATRIX[persona]
    if expected == 302:
        assert response.status_code == 302
        assert (template.commitment_days, template.revision) == (30, 2)
    else:
        assert response.status_code == 302 if expected == "login" else response.status_code == expected
        assert (template.commitment_days, template.revision) == (None, 1)


def test_the_template_page_says_running_checklists_keep_their_copy(
    client_for, checklists_project, checklists_coordinator
):
    template = ChecklistTemplate.objects.get(code="new-land")
    client = client_for(checklists_coordinator)
    step = template.steps.get(code="eia")

    response = client.post(
        reverse("landing:template_step_edit", args=[step.pk]),
        {"order": step.order, "name": "环评批复", "department_hint": "生态环境", "time_limit_days": 25},
    )
    page = client.get(reverse("landing:template_detail", args=[template.pk])).content.decode()

    assert response.status_code == 302
    assert "第 2 版" in page
    assert "按第 1 版生成的清单：1 个" in page
    assert _step(checklists_project, "eia").time_limit_days == 20


def test_a_circular_prerequisite_is_refused_on_the_field(client_for, checklists_coordinator):
    template = ChecklistTemplate.objects.get(code="new-land")
    land_pre, permit = template.steps.get(code="land_pre"), template.steps.get(code="permit")

    response = client_for(checklists_coordinator).post(
        reverse("landing:template_step_edit", args=[land_pre.pk]),
        {"name": land_pre.name, "department_hint": "自然资源", "time_limit_days": 10, "prerequisites": [permit.pk]},
    )

    assert response.status_code == 200
    assert "会形成循环" in response.content.decode()
    assert not land_pre.prerequisites.exists()


def test_adding_and_deleting_template_steps(client_for, checklists_coordinator, checklists_departments):
    client = client_for(checklists_coordinator)
    response = client.post(reverse("landing:template_create"), {"name": "园区标准厂房", "is_active": "on"})
    template = ChecklistTemplate.objects.get(name="园区标准厂房")
    assert response.status_code == 302
    assert template.revision == 1

    client.post(
        reverse("landing:template_step_add", args=[template.pk]),
        {
            "name": "施工许可证",
            "department": checklists_departments["housing"].pk,
            "time_limit_days": 3,
            "is_permit": "on",
        },
    )
    step = template.steps.get()
    assert (step.order, step.department, step.department_hint, step.is_permit) == (
        1, checklists_departments["housing"], "", True,
    )  # fmt: skip
    client.post(reverse("landing:template_step_delete", args=[step.pk]))

    template.refresh_from_db()
    assert (template.steps.count(), template.revision) == (0, 3)
