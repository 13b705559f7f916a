"""The appeal pages per role: intake, triage and the whole loop through the forms, scope (404), masking in
the page and the export, the query-code page, and the list's query count."""

from io import BytesIO

import pytest
from auditlog.models import LogEntry
from django.urls import reverse
from openpyxl import load_workbook

from apps.appeals.models import Appeal, Event
from apps.appeals.models.appeals import State
from apps.appeals.services import transitions
from apps.appeals.tests.conftest import at
from apps.org import roles
from apps.org.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

INTAKE = {
    "channel": "hotline", "appeal_type": "complaint", "urgency": "normal", "title": "小区门口道路破损",
    "content": "小区门口道路破损严重，车辆无法通行。", "citizen_name": "李四", "phone": "13912345678",
    "id_number": "110101199003071234",
}  # fmt: skip


@pytest.fixture
def county_b_handler(county_b):
    return UserFactory(username="xicheng", name="西城区管理员", unit=county_b, roles=[roles.COUNTY_ADMIN])


def _act(client, appeal, action, **data):
    return client.post(reverse("appeals:act", kwargs={"pk": appeal.pk, "action": action}), data)


def _detail(client, appeal):
    return client.get(reverse("appeals:detail", kwargs={"pk": appeal.pk}))


def test_agent_records_a_ticket_and_sees_its_duplicate(client_for, agent, road):
    client = client_for(agent)
    assert client.get(reverse("appeals:create")).status_code == 200
    first = client.post(reverse("appeals:create"), {**INTAKE, "category": road.pk})
    appeal = Appeal.objects.get()
    assert first.status_code == 302
    assert first.url == reverse("appeals:detail", kwargs={"pk": appeal.pk})
    client.post(reverse("appeals:create"), {**INTAKE, "category": road.pk, "title": "小区门口的道路破损很严重"})
    second = Appeal.objects.exclude(pk=appeal.pk).get()
    page = _detail(client, second).content.decode()
    assert 'data-testid="duplicates"' in page
    assert appeal.number in page

    response = _act(client, second, "merge", master=appeal.number)

    assert response.status_code == 302
    second.refresh_from_db()
    assert (second.state, second.merged_into_id) == (State.MERGED, appeal.pk)


def test_intake_asks_for_an_appellant_in_chinese(client_for, agent, road):
    data = {**INTAKE, "category": road.pk, "citizen_name": "", "phone": "", "id_number": "12345"}
    page = client_for(agent).post(reverse("appeals:create"), data).content.decode()
    assert "请选择企业，或填写诉求人的姓名、联系电话。" in page
    assert "请输入18位居民身份证号码。" in page
    assert not Appeal.objects.exists()


def test_refusal_needs_a_note_and_records_the_outcome(client_for, agent, make_appeal):
    appeal = make_appeal()
    client = client_for(agent)
    assert "这个字段是必填项" in _act(client, appeal, "refuse", triage="legal_route", note="").content.decode()
    assert _act(client, appeal, "refuse", triage="legal_route", note="请通过诉讼途径解决").status_code == 302
    appeal.refresh_from_db()
    assert (appeal.state, appeal.triage) == (State.REFUSED, "legal_route")


def test_the_whole_loop_through_the_pages(client_for, agent, housing_handler, housing, make_appeal):
    appeal = make_appeal()
    client = client_for(agent)
    assert _act(client, appeal, "accept", note="").status_code == 302
    assert 'id="action-dispatch"' in _detail(client, appeal).content.decode()
    assert _act(client, appeal, "dispatch", lead_unit=housing.pk, note="").status_code == 302
    client = client_for(housing_handler)
    page = _detail(client, appeal).content.decode()
    assert 'id="action-sign_for"' in page
    assert 'id="action-reply"' not in page
    assert _act(client, appeal, "sign_for").status_code == 302
    assert _act(client, appeal, "contact", note="电话联系").status_code == 302
    reply = {"reply": "已修复", "legal_basis": "《城市道路管理条例》", "approved_by": "王局长"}
    assert _act(client, appeal, "reply", **reply).status_code == 302
    client = client_for(agent)
    follow_up = {"solved": "solved", "satisfaction": "5", "note": "满意"}
    assert _act(client, appeal, "follow_up", **follow_up).status_code == 302
    appeal.refresh_from_db()
    assert (appeal.state, appeal.solved, appeal.satisfaction) == (State.RESOLVED, "solved", 5)
    assert Event.objects.filter(appeal=appeal).count() == 7


def test_a_business_rule_shows_on_the_form(client_for, dispatched, housing_handler):
    client = client_for(housing_handler)
    _act(client, dispatched, "sign_for")
    reply = {"reply": "已修复", "legal_basis": "《城市道路管理条例》", "approved_by": "王局长"}
    response = _act(client, dispatched, "reply", **reply)
    assert response.status_code == 200
    assert "协办单位尚未全部答复，主办单位暂不能答复办结。" in response.content.decode()
    assert Appeal.objects.get(pk=dispatched.pk).state == State.HANDLING


def test_an_action_the_user_may_not_take_is_403_and_changes_nothing(client_for, dispatched, agent):
    before = Event.objects.count()
    assert _act(client_for(agent), dispatched, "sign_for").status_code == 403
    assert Event.objects.count() == before


def test_another_countys_user_gets_404(client_for, dispatched, county_b_handler):
    client = client_for(county_b_handler)
    assert _detail(client, dispatched).status_code == 404
    assert _act(client, dispatched, "sign_for").status_code == 404
    assert dispatched.number not in client.get(reverse("appeals:list")).content.decode()


def test_the_assigned_handler_sees_masks_and_the_agent_the_full_number(client_for, dispatched, agent, housing_handler):
    page = _detail(client_for(housing_handler), dispatched).content.decode()
    assert "138****5678" in page
    assert "13812345678" not in page
    assert "110***********1234" in page
    assert not LogEntry.objects.filter(action=LogEntry.Action.ACCESS).exists()
    page = _detail(client_for(agent), dispatched).content.decode()
    assert "13812345678" in page
    access = LogEntry.objects.get(action=LogEntry.Action.ACCESS)
    assert access.additional_data["what"] == "appellant_contact"


def _export_cells(client) -> list:
    response = client.get(reverse("appeals:list"), {"export": "xlsx"})
    sheet = load_workbook(BytesIO(response.content)).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def test_the_export_masks_unless_the_role_may_see(client_for, dispatched, agent, housing_handler):
    rows = _export_cells(client_for(housing_handler))
    assert rows[1][0] == dispatched.number
    assert "138****5678" in rows[1]
    assert "110***********1234" in rows[1]
    assert not LogEntry.objects.filter(action=LogEntry.Action.ACCESS).exists()
    rows = _export_cells(client_for(agent))
    assert "13812345678" in rows[1]
    assert "110101199003071234" in rows[1]
    assert LogEntry.objects.get(action=LogEntry.Action.ACCESS).additional_data["rows"] == 1


def test_the_list_search_and_filters(client_for, agent, make_appeal, dispatched):
    other = make_appeal(title="噪音扰民", content="夜间施工噪音")
    client = client_for(agent)
    page = client.get(reverse("appeals:list"), {"q": "噪音"}).content.decode()
    assert other.number in page
    assert dispatched.number not in page
    page = client.get(reverse("appeals:list"), {"state": "awaiting_sign_for"}).content.decode()
    assert dispatched.number in page
    assert other.number not in page
    page = client.get(reverse("appeals:list"), {"light": "red"}).content.decode()  # signing for was due in 2025
    assert dispatched.number in page
    assert other.number not in page
    assert "没有符合条件的工单" in client.get(reverse("appeals:list"), {"q": "不存在"}).content.decode()
    by_number = client.get(reverse("appeals:list"), {"q": other.number.lower()}).content.decode()  # a prefix match
    assert other.number in by_number
    assert dispatched.number not in by_number


def test_the_list_does_not_grow_with_the_tickets(client_for, agent, make_appeal, housing, count_queries):
    def make(n):
        for _index in range(n):
            appeal = make_appeal()
            transitions.accept_appeal(appeal=appeal, by=agent, now=at(2025, 9, 26, 10))
            transitions.dispatch_appeal(appeal=appeal, lead_unit=housing, by=agent, now=at(2025, 9, 26, 10))

    client = client_for(agent)
    make(2)
    few = count_queries(lambda: client.get(reverse("appeals:list")))
    make(8)
    assert count_queries(lambda: client.get(reverse("appeals:list"))) == few


def test_the_query_code_page_shows_progress_only_to_the_right_code(client, make_appeal, dispatched):
    other = make_appeal(title="另一件诉求")
    url = reverse("appeals:query")
    page = client.get(url, {"number": dispatched.number, "code": dispatched.query_code.lower()}).content.decode()
    assert 'data-testid="progress"' in page
    assert "待签收" in page
    assert other.number not in page
    assert "13812345678" not in page
    assert "张三" not in page
    page = client.get(url, {"number": other.number, "code": "WRONG2"}).content.decode()
    assert "没有找到该工单" in page
    assert other.title not in page


def test_the_query_code_page_shows_the_reply(client, dispatched, housing_handler, market_handler):
    units = [(housing_handler, dispatched.lead_assignment()), (market_handler, dispatched.assignments.get(role="co"))]
    for handler, assignment in units:
        transitions.sign_for(appeal=dispatched, assignment=assignment, by=handler, now=at(2025, 9, 26, 11))
    for handler, assignment in reversed(units):
        transitions.reply_appeal(
            appeal=dispatched, assignment=assignment, reply=f"{handler.name}已处理", legal_basis="依据",
            approved_by="科长", by=handler, now=at(2025, 9, 29),
        )  # fmt: skip
    page = client.get(reverse("appeals:query"), {"number": dispatched.number, "code": dispatched.query_code})
    assert "housing_handler已处理" in page.content.decode()
    assert "market_handler已处理" not in page.content.decode()


@pytest.mark.parametrize("name", ["appeals:catalogue_list", "appeals:policy_list"])
def test_code_lists_are_read_only_pages(client_for, housing_handler, name):
    response = client_for(housing_handler).get(reverse(name))
    assert response.status_code == 200


def test_pages_need_the_view_permission(client_for, officer_b):
    assert client_for(officer_b).get(reverse("appeals:list")).status_code == 403


def test_dispatch_form_preselects_the_catalogue_units(client_for, agent, make_appeal, road, housing, market):
    from datetime import date

    from apps.appeals.models import DispatchRule

    rule = DispatchRule.objects.create(category=road, lead_unit=housing, version="测试", valid_from=date(2025, 1, 1))
    rule.co_units.add(market)
    appeal = make_appeal()
    transitions.accept_appeal(appeal=appeal, by=agent, now=at(2025, 9, 26, 10))
    page = _detail(client_for(agent), appeal).content.decode()
    assert f'<option value="{housing.pk}" selected>' in page
    assert f'<option value="{market.pk}" selected>' in page


def test_return_and_extension_through_the_pages(client_for, dispatched, agent, housing_handler, market_handler):
    import time_machine

    with time_machine.travel(at(2025, 9, 29, 9), tick=False):
        _extend_and_return(client_for, dispatched, agent, housing_handler, market_handler)


def _extend_and_return(client_for, dispatched, agent, housing_handler, market_handler):
    handler = client_for(housing_handler)
    _act(handler, dispatched, "sign_for")
    assert _act(handler, dispatched, "request_extension", days="3", reason="需现场勘查").status_code == 302
    due = Appeal.objects.get(pk=dispatched.pk).reply_due
    office = client_for(agent)
    assert _act(office, dispatched, "review_extension", decision="approve", note="").status_code == 302
    assert Appeal.objects.get(pk=dispatched.pk).reply_due > due
    co = client_for(market_handler)
    assert _act(co, dispatched, "request_return", reason="不属本单位职责", legal_basis="三定方案").status_code == 302
    co_assignment = dispatched.assignments.get(role="co")
    office = client_for(agent)
    response = _act(office, dispatched, "review_return", assignment=co_assignment.pk, decision="approve", note="同意")
    assert response.status_code == 302
    co_assignment.refresh_from_db()
    assert co_assignment.state == "returned"


def test_pause_and_resume_through_the_pages(client_for, dispatched, housing_handler):
    client = client_for(housing_handler)
    _act(client, dispatched, "sign_for")
    assert _act(client, dispatched, "pause", reason="等待补充材料").status_code == 302
    page = _detail(client, dispatched).content.decode()
    assert 'id="action-resume"' in page
    assert 'id="action-pause"' not in page
    assert _act(client, dispatched, "resume").status_code == 302
    assert dispatched.pauses.get().ended_at is not None


def test_pending_items_for_the_handler_and_the_office(dispatched, agent, housing_handler, market_handler):
    from apps.appeals.pending import appeal_items

    handler = {item.title: item.count for item in appeal_items(housing_handler)}
    assert handler == {"待签收的诉求工单": 1}
    assert {item.title for item in appeal_items(market_handler)} == {"待签收的诉求工单"}  # its co-handling part
    assert [item.title for item in appeal_items(agent)] == []  # nothing waits for the office yet
