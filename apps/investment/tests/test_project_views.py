"""The project pages as people use them: per role, per unit, with the rules the services enforce."""

from datetime import timedelta
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from apps.enterprises.tests.factories import make_enterprise
from apps.investment.models import Claim, ClaimConflict, FundRecord, NegotiationRound, Project, Stage, StageChange
from apps.investment.tests.factories import advance_to, lead, ready_to_sign
from apps.org import roles
from apps.org.tests.factories import UserFactory

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


@pytest.fixture
def negotiating(officer_a, coordinator):
    """东城区's project in talks, with everything the gates ask for up to signing."""
    project = ready_to_sign(lead(officer_a, name="东城新能源电池项目"), officer_a)
    return advance_to(project, Stage.NEGOTIATION, by=officer_a, start=TODAY - timedelta(days=10))


@pytest.fixture
def viewer_a(county_a):
    return UserFactory(username="viewer_a", name="东城区领导", unit=county_a, roles=[roles.CITY_LEADER])


def _move(client, project, move, **data):
    data = {"move": move, "happened_on": TODAY.isoformat(), "reason": "按计划推进", **data}
    return client.post(reverse("investment:project_move", args=[project.pk]), data)


# ---- who may move what ------------------------------------------------------------------------

PERSONAS = ["officer_a", "county_admin_a", "officer_b", "coordinator", "city_leader", "department_handler", "viewer_a"]
#: persona → the answer to a move on 东城区's project: changed, or the status code of the refusal
EXPECTED_MOVE = {
    "officer_a": "moved",
    "county_admin_a": "moved",
    "officer_b": 404,  # another county does not even see it
    "coordinator": 403,  # the bureau sees every project but moves none of a county's
    "city_leader": 403,
    "department_handler": 404,
    "viewer_a": 403,
}


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("move", ["advance", "pause", "drop"])
def test_only_the_owning_unit_moves_its_project(request, client_for, negotiating, persona, move):
    user = request.getfixturevalue(persona)

    response = _move(client_for(user), negotiating, move)

    negotiating.refresh_from_db()
    changed = negotiating.changes.filter(by=user).exists()
    if EXPECTED_MOVE[persona] == "moved":
        assert response.status_code == 302
        assert changed
        assert (negotiating.stage, negotiating.status) == {
            "advance": (Stage.SIGNED, Project.Status.ACTIVE),
            "pause": (Stage.NEGOTIATION, Project.Status.PAUSED),
            "drop": (Stage.NEGOTIATION, Project.Status.DROPPED),
        }[move]
    else:
        assert response.status_code == EXPECTED_MOVE[persona]
        assert not changed
        assert (negotiating.stage, negotiating.status) == (Stage.NEGOTIATION, Project.Status.ACTIVE)


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_the_level_above_confirms_a_claimed_signing(request, client_for, negotiating, officer_a, persona):
    _move(client_for(officer_a), negotiating, "advance")
    user = request.getfixturevalue(persona)

    response = client_for(user).post(
        reverse("investment:project_decide", args=[negotiating.pk]), {"decision": "confirm", "opinion": "已核实协议"}
    )

    negotiating.refresh_from_db()
    if persona == "coordinator":
        assert response.status_code == 302
        assert negotiating.counted_stage == Stage.SIGNED
        change = negotiating.changes.get(to_stage=Stage.SIGNED)
        assert (change.approval, change.approved_by, change.opinion) == ("approved", user, "已核实协议")
    else:
        assert response.status_code in (302, 403, 404)
        assert negotiating.counted_stage == Stage.NEGOTIATION
        assert negotiating.changes.get(to_stage=Stage.SIGNED).approval == StageChange.Approval.PENDING


def test_a_resumed_project_can_move_again_and_a_dropped_one_cannot(client_for, negotiating, officer_a):
    client = client_for(officer_a)
    _move(client, negotiating, "pause", reason="企业融资未到位")
    assert _move(client, negotiating, "advance").status_code == 302
    negotiating.refresh_from_db()
    assert negotiating.stage == Stage.NEGOTIATION  # refused with a message: paused projects do not advance

    _move(client, negotiating, "resume")
    _move(client, negotiating, "drop", reason="企业投资计划取消")
    negotiating.refresh_from_db()
    assert negotiating.status == Project.Status.DROPPED
    page = client.get(reverse("investment:project_detail", args=[negotiating.pk])).content.decode()
    assert "企业投资计划取消" in page
    assert "推进到" not in page


def test_pausing_without_a_reason_is_explained_and_changes_nothing(client_for, negotiating, officer_a):
    response = _move(client_for(officer_a), negotiating, "pause", reason="")

    assert response.status_code == 200
    assert "原因" in response.content.decode()
    negotiating.refresh_from_db()
    assert negotiating.status == Project.Status.ACTIVE


def test_the_move_page_lists_what_a_gate_still_needs(client_for, officer_a):
    project = lead(officer_a, industry=None)

    page = client_for(officer_a).get(reverse("investment:project_move", args=[project.pk]), {"move": "advance"})

    assert "所属行业" in page.content.decode()
    assert 'data-testid="gate-missing"' in page.content.decode()


# ---- leads ---------------------------------------------------------------------------------


def test_anyone_with_an_account_records_a_lead_for_an_investment_unit(client_for, department_handler, bureau):
    enterprise = make_enterprise("深圳市比邻新能源科技有限公司")
    data = {"enterprise": enterprise.pk, "name": "比邻储能电池项目", "unit": bureau.pk, "channel": "public"}

    response = client_for(department_handler).post(reverse("investment:lead_create"), data)

    project = Project.objects.get(name="比邻储能电池项目")
    assert response.status_code == 302
    assert (project.unit, project.created_by, project.responded_at) == (bureau, department_handler, None)
    assert project.participants.filter(unit=department_handler.unit).exists()  # the recorder keeps sight of it
    assert client_for(department_handler).get(response.url).status_code == 200


def test_a_lead_on_a_new_enterprise_registers_it_once(client_for, officer_a):
    data = {"new_enterprise": "示范市云帆智能装备有限公司", "name": "云帆装备项目", "unit": officer_a.unit.pk}
    client = client_for(officer_a)

    client.post(reverse("investment:lead_create"), {**data, "channel": "professional"})
    client.post(reverse("investment:lead_create"), {**data, "name": "云帆二期", "channel": "professional"})

    projects = Project.objects.filter(enterprise__name="示范市云帆智能装备有限公司")
    assert projects.count() == 2
    assert len({p.enterprise_id for p in projects}) == 1


def test_a_lead_form_without_an_enterprise_says_so(client_for, officer_a):
    response = client_for(officer_a).post(
        reverse("investment:lead_create"), {"name": "无企业项目", "unit": officer_a.unit.pk, "channel": "other"}
    )

    assert response.status_code == 200
    assert "请在企业库中选择投资企业" in response.content.decode()
    assert not Project.objects.exists()


def test_another_countys_lead_on_a_held_enterprise_goes_to_the_coordinator(
    client_for, officer_a, officer_b, coordinator
):
    held = lead(officer_a, name="东城首报项目")
    client = client_for(officer_b)
    check = client.get(reverse("investment:lead_check"), {"enterprise": held.enterprise.pk}).content.decode()
    assert "东城区" in check
    assert "首报" in check

    response = client.post(
        reverse("investment:lead_create"),
        {
            "enterprise": held.enterprise.pk,
            "name": "西城同企项目",
            "unit": officer_b.unit.pk,
            "channel": "professional",
        },
        follow=True,
    )

    assert "已转统筹单位协调" in response.content.decode()
    conflict = ClaimConflict.objects.get()
    queue = client_for(coordinator).get(reverse("investment:conflict_list")).content.decode()
    assert held.enterprise.name in queue
    decided = client_for(coordinator).post(
        reverse("investment:conflict_detail", args=[conflict.pk]),
        {"decision": "joint", "holder_share": 60, "note": "两区联合招商，东城主谈"},
    )
    assert decided.status_code == 302
    assert sorted(Claim.objects.filter(enterprise=held.enterprise).values_list("status", "share")) == [
        ("joint", 40),
        ("joint", 60),
    ]


def test_a_party_to_a_conflict_cannot_decide_it(client_for, officer_a, officer_b, coordinator):
    held = lead(officer_a)
    lead(officer_b, enterprise=held.enterprise)
    conflict = ClaimConflict.objects.get()

    response = client_for(officer_b).post(
        reverse("investment:conflict_detail", args=[conflict.pk]), {"decision": "transfer", "note": "我区先谈"}
    )

    conflict.refresh_from_db()
    assert response.status_code == 200
    assert conflict.status == ClaimConflict.Status.OPEN
    assert held.name not in response.content.decode()  # the holder's talks stay with the coordinator


def test_responding_to_a_lead_stops_its_first_clock(client_for, officer_a, department_handler):
    enterprise = make_enterprise("示范市晨光食品有限公司")
    client_for(department_handler).post(
        reverse("investment:lead_create"),
        {"enterprise": enterprise.pk, "name": "晨光食品项目", "unit": officer_a.unit.pk, "channel": "public"},
    )
    project = Project.objects.get(name="晨光食品项目")
    client = client_for(officer_a)
    assert (
        'data-testid="lead-clock"'
        in client.get(reverse("investment:project_detail", args=[project.pk])).content.decode()
    )

    client.post(reverse("investment:lead_respond", args=[project.pk]))

    project.refresh_from_db()
    assert project.responded_at is not None


# ---- records on a project ------------------------------------------------------------------


def test_talks_are_recorded_and_listed(client_for, negotiating, officer_a, officer_b):
    client = client_for(officer_a)
    data = {
        "held_on": TODAY.isoformat(), "place": "东城区政务中心", "our_participants": "张明、李华",
        "content": "企业确认用地100亩，要求年内供地", "next_step": "赴企业总部对接", "next_on": (TODAY + timedelta(days=7)).isoformat(),
    }  # fmt: skip

    assert client.post(reverse("investment:negotiation_create", args=[negotiating.pk]), data).status_code == 302

    assert NegotiationRound.objects.filter(project=negotiating, place="东城区政务中心").exists()
    page = client.get(reverse("investment:negotiation_list", args=[negotiating.pk])).content.decode()
    assert "要求年内供地" in page
    assert client_for(officer_b).get(reverse("investment:negotiation_list", args=[negotiating.pk])).status_code == 404


def test_talks_dated_in_the_future_are_refused(client_for, negotiating, officer_a):
    data = {
        "held_on": (TODAY + timedelta(days=3)).isoformat(),
        "place": "某地",
        "our_participants": "张明",
        "content": "x",
    }

    response = client_for(officer_a).post(reverse("investment:negotiation_create", args=[negotiating.pk]), data)

    assert "不能晚于今天" in response.content.decode()
    assert not NegotiationRound.objects.exists()


def test_funds_are_entered_once_a_month_and_corrected_by_entering_again(
    client_for, negotiating, officer_a, coordinator
):
    client = client_for(officer_a)
    _move(client, negotiating, "advance")
    url = reverse("investment:fund_list", args=[negotiating.pk])
    month = TODAY.replace(day=1).strftime("%Y-%m")

    client.post(
        url, {"month": month, "amount": "3000", "out_of_province": "2000", "foreign": "0", "fixed_asset": "1000"}
    )
    client.post(
        url, {"month": month, "amount": "3500", "out_of_province": "2000", "foreign": "0", "fixed_asset": "1000"}
    )

    assert list(FundRecord.objects.values_list("amount", flat=True)) == [3500]
    assert client_for(coordinator).get(url).status_code == 200  # the bureau reads, without the form
    assert "保存该月" not in client_for(coordinator).get(url).content.decode()


def test_out_of_province_funds_cannot_exceed_the_month(client_for, negotiating, officer_a):
    client = client_for(officer_a)
    _move(client, negotiating, "advance")

    response = client.post(
        reverse("investment:fund_list", args=[negotiating.pk]),
        {
            "month": TODAY.strftime("%Y-%m"),
            "amount": "100",
            "out_of_province": "200",
            "foreign": "0",
            "fixed_asset": "0",
        },
    )

    assert response.status_code == 200
    assert not FundRecord.objects.exists()


def test_documents_are_downloaded_only_within_scope(client_for, negotiating, officer_a, officer_b):
    client = client_for(officer_a)
    upload = SimpleUploadedFile("用地预审意见.pdf", b"%PDF-1.4 land", content_type="application/pdf")
    client.post(
        reverse("investment:document_add", args=[negotiating.pk]),
        {"kind": "other", "title": "用地预审", "file": upload},
    )
    document = negotiating.documents.get(title="用地预审")

    assert client.get(reverse("investment:document_download", args=[document.pk])).status_code == 200
    assert client_for(officer_b).get(reverse("investment:document_download", args=[document.pk])).status_code == 404


# ---- lists and the board -------------------------------------------------------------------


def test_each_unit_lists_its_own_projects_and_the_city_all(client_for, officer_a, officer_b, city_leader):
    lead(officer_a, name="东城区甲项目")
    lead(officer_b, name="西城区乙项目")

    mine = client_for(officer_a).get(reverse("investment:project_list")).content.decode()
    city = client_for(city_leader).get(reverse("investment:project_list")).content.decode()

    assert "东城区甲项目" in mine
    assert "西城区乙项目" not in mine
    assert "东城区甲项目" in city
    assert "西城区乙项目" in city


def test_the_list_filters_and_exports_what_it_shows(client_for, officer_a, negotiating):
    lead(officer_a, name="东城食品加工项目", channel="expo")
    client = client_for(officer_a)

    page = client.get(reverse("investment:project_list"), {"stage": "negotiation"}).content.decode()
    export = client.get(reverse("investment:project_list"), {"stage": "negotiation", "export": "xlsx"})

    assert "东城新能源电池项目" in page
    assert "东城食品加工项目" not in page
    sheet = load_workbook(BytesIO(export.content)).active
    assert [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)] == ["东城新能源电池项目"]


def test_the_board_counts_and_sums_by_stage(client_for, officer_a, negotiating):
    lead(officer_a, planned_investment=1200)

    page = client_for(officer_a).get(reverse("investment:project_board")).content.decode()

    columns = page.split('class="fw-semibold">')[1:]
    by_stage = {column.split("<")[0]: column for column in columns}
    assert "计划 1,200 万元" in by_stage["线索"]
    assert 'display-6">1<' in by_stage["线索"]
    assert "计划 6 亿元" in by_stage["洽谈"]
    assert "协议 5 亿元" in by_stage["洽谈"]
    assert 'display-6">0<' in by_stage["签约"]


@pytest.mark.parametrize("name", ["investment:project_list", "investment:project_board"])
def test_lists_take_the_same_number_of_queries_whatever_their_length(client_for, officer_a, count_queries, name):
    client = client_for(officer_a)
    lead(officer_a)
    small = count_queries(lambda: client.get(reverse(name)))
    for _ in range(12):
        advance_to(ready_to_sign(lead(officer_a), officer_a), Stage.INTENTION, by=officer_a)

    assert count_queries(lambda: client.get(reverse(name))) == small


def test_the_confirmation_queue_takes_the_same_number_of_queries(client_for, officer_a, coordinator, count_queries):
    def signing():
        project = ready_to_sign(lead(officer_a), officer_a)
        advance_to(project, Stage.SIGNED, by=officer_a)

    signing()
    client = client_for(coordinator)
    small = count_queries(lambda: client.get(reverse("investment:confirmation_list")))
    for _ in range(6):
        signing()

    assert count_queries(lambda: client.get(reverse("investment:confirmation_list"))) == small
    assert client.get(reverse("investment:confirmation_list")).content.decode().count("审核") >= 7


def test_the_list_searches_names_enterprises_and_codes(client_for, officer_a):
    battery = lead(officer_a, name="年产10万吨新能源电池项目")
    lead(officer_a, enterprise=make_enterprise("示范市绿源新能源科技有限公司"), name="绿源二期")
    lead(officer_a, name="食品加工项目")
    client = client_for(officer_a)

    def found(text):
        page = client.get(reverse("investment:project_list"), {"q": text}).content.decode()
        return {name for name in ("年产10万吨新能源电池项目", "绿源二期", "食品加工项目") if name in page}

    assert found("新能源") == {"年产10万吨新能源电池项目", "绿源二期"}
    assert found(battery.code.lower()) == {"年产10万吨新能源电池项目"}
    assert found("不存在的词") == set()
