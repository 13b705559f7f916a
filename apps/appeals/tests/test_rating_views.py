"""The rating pages per role: entry, the loop through the forms with an upload, masking of the rater in pages
and exports (audited when unmasked), the portal rating page, scope (404), 403 for actions not allowed,
the worklist's lights with time travel, the summary, the ticket page's link and the lists' query counts."""

from io import BytesIO

import pytest
import time_machine
from auditlog.models import LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from apps.appeals.models import RatingEvent, ServiceRating
from apps.appeals.models.ratings import RectificationState
from apps.appeals.services import ratings, transitions
from apps.appeals.tests.conftest import at
from apps.appeals.tests.test_ratings import service_rating
from apps.org import roles
from apps.org.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ENTRY = {
    "kind": "service", "service_name": "不动产登记", "staff_name": "窗口3号", "channel": "offline", "level": "2",
    "selected": ["服务态度差"], "comment": "等候时间过长", "rater_name": "赵六", "rater_phone": "13912345678",
    "rater_enterprise": "示范科技有限公司",
}  # fmt: skip


@pytest.fixture
def xicheng(county_b):
    return UserFactory(username="xicheng", name="西城区管理员", unit=county_b, roles=[roles.COUNTY_ADMIN])


@pytest.fixture
def bad(housing, hotline, agent):
    return service_rating(level=1, unit=housing, office=hotline, by=agent, selected=("服务态度差",))


def _act(client, rating, action, **data):
    return client.post(reverse("appeals:rating_act", kwargs={"pk": rating.pk, "action": action}), data)


def _detail(client, rating):
    return client.get(reverse("appeals:rating_detail", kwargs={"pk": rating.pk}))


def _sheet(response) -> list[tuple]:
    return list(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))


def test_the_office_records_a_window_rating(client_for, agent, housing):
    client = client_for(agent)
    assert client.get(reverse("appeals:rating_create")).status_code == 200
    response = client.post(reverse("appeals:rating_create"), {**ENTRY, "unit": housing.pk})
    rating = ServiceRating.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("appeals:rating_detail", kwargs={"pk": rating.pk})
    assert (rating.unit, rating.level, rating.selected, rating.state) == (
        housing,
        2,
        ["服务态度差"],
        "awaiting_verification",
    )


def test_the_entry_form_explains_in_chinese(client_for, agent):
    page = client_for(agent).post(reverse("appeals:rating_create"), {**ENTRY, "service_name": ""}).content.decode()
    assert "请选择被评价单位。" in page
    assert "请填写服务事项。" in page
    page = client_for(agent).post(reverse("appeals:rating_create"), {**ENTRY, "kind": "ticket"}).content.decode()
    assert "没有找到该编号的工单。" in page
    assert not ServiceRating.objects.exists()


def test_a_handler_may_not_record_ratings(client_for, housing_handler):
    assert client_for(housing_handler).get(reverse("appeals:rating_create")).status_code == 403


def test_the_loop_through_the_pages_with_evidence(client_for, bad, agent, housing_handler):
    office, unit = client_for(agent), None
    assert 'id="action-verify"' in _detail(office, bad).content.decode()
    assert _act(office, bad, "verify", finding="true", note="属实").status_code == 302
    unit = client_for(housing_handler)
    evidence = SimpleUploadedFile("整改照片.txt", b"photo", content_type="text/plain")
    assert _act(unit, bad, "rectify", measures="开展培训", evidence=evidence).status_code == 302
    bad.refresh_from_db()
    assert bad.evidence_filename.startswith("整改照片")
    download = unit.get(reverse("appeals:rating_evidence", kwargs={"pk": bad.pk}))
    assert b"".join(download.streaming_content) == b"photo"
    office = client_for(agent)
    assert _act(office, bad, "feedback", note="已反馈", invite_second="on").status_code == 302
    bad.refresh_from_db()
    assert (bad.state, bad.second_invited) == (RectificationState.CLOSED, True)
    assert RatingEvent.objects.filter(rating=bad).count() == 4


def test_an_action_not_allowed_is_403_and_changes_nothing(client_for, bad, housing_handler):
    before = RatingEvent.objects.count()
    assert _act(client_for(housing_handler), bad, "verify", finding="true", note="x").status_code == 403
    assert RatingEvent.objects.count() == before


def test_a_rule_shows_on_the_form(client_for, bad, agent):
    response = _act(client_for(agent), bad, "verify", finding="true", note="")
    assert response.status_code == 200
    assert "这个字段是必填项" in response.content.decode()


def test_an_appeal_and_its_review_through_the_pages(client_for, bad, agent, housing_handler):
    evidence = SimpleUploadedFile("通话记录.txt", b"log", content_type="text/plain")
    assert (
        _act(client_for(housing_handler), bad, "file_appeal", reason="恶意差评", evidence=evidence).status_code == 302
    )
    office = client_for(agent)
    page = _detail(office, bad).content.decode()
    assert 'id="action-review_appeal"' in page
    appeal = bad.appeals.get()
    assert (
        b"".join(office.get(reverse("appeals:rating_appeal_evidence", kwargs={"pk": appeal.pk})).streaming_content)
        == b"log"
    )
    assert _act(office, bad, "review_appeal", decision="approve", note="属恶意差评").status_code == 302
    bad.refresh_from_db()
    assert bad.excluded
    assert (
        'data-testid="excluded"'
        in client_for(agent).get(reverse("appeals:rating_list"), {"excluded": "yes"}).content.decode()
    )


def test_the_rated_unit_sees_the_rater_masked_and_the_office_in_full(client_for, bad, agent, housing_handler):
    page = _detail(client_for(housing_handler), bad).content.decode()
    assert "139****5678" in page
    assert "13912345678" not in page
    assert "赵六" not in page
    assert "赵*" in page
    assert "示范科技有限公司" not in page
    assert not LogEntry.objects.filter(action=LogEntry.Action.ACCESS).exists()
    page = _detail(client_for(agent), bad).content.decode()
    assert "13912345678" in page
    assert "示范科技有限公司" in page
    assert LogEntry.objects.get(action=LogEntry.Action.ACCESS).additional_data["what"] == "rater_identity"


def test_the_rated_units_export_has_no_rater_and_the_offices_is_audited(client_for, bad, agent, housing_handler):
    response = client_for(housing_handler).get(reverse("appeals:rating_list"), {"export": "xlsx"})
    rows = _sheet(response)
    text = "".join(str(cell) for row in rows for cell in row)
    assert "评价人电话" not in rows[0]
    assert "赵" not in text
    assert "5678" not in text
    assert "示范科技" not in text
    assert "不动产登记" in text
    assert not LogEntry.objects.filter(action=LogEntry.Action.ACCESS).exists()
    rows = _sheet(client_for(agent).get(reverse("appeals:rating_list"), {"export": "xlsx"}))
    assert rows[1][-3:] == ("赵六", "13912345678", "示范科技有限公司")
    assert LogEntry.objects.get(action=LogEntry.Action.ACCESS).additional_data["rows"] == 1


def test_the_ledger_list_masks_even_for_the_office(client_for, bad, agent):
    page = client_for(agent).get(reverse("appeals:rating_list")).content.decode()
    assert "139****5678" in page
    assert "13912345678" not in page


def test_ledger_filters(client_for, bad, agent, housing, hotline):
    service_rating(level=5, unit=housing, office=hotline, by=agent, selected=("服务态度好",))
    client = client_for(agent)
    assert len(client.get(reverse("appeals:rating_list"), {"bad": "on"}).context["rows"]) == 1
    assert len(client.get(reverse("appeals:rating_list"), {"level": "5"}).context["rows"]) == 1
    assert len(client.get(reverse("appeals:rating_list"), {"defaulted": "yes"}).context["rows"]) == 0
    assert len(client.get(reverse("appeals:rating_list"), {"start": "2025-09-27"}).context["rows"]) == 0
    assert len(client.get(reverse("appeals:rating_list"), {"q": "不动产"}).context["rows"]) == 2
    page = client.get(reverse("appeals:rating_list"), {"start": "2025-09-27", "end": "2025-09-01"}).content.decode()
    assert "开始日期不能晚于结束日期。" in page


def test_another_county_gets_404_and_sees_nothing(client_for, bad, xicheng):
    client = client_for(xicheng)
    assert _detail(client, bad).status_code == 404
    assert _act(client, bad, "file_appeal", reason="x").status_code == 404
    assert client.get(reverse("appeals:rating_evidence", kwargs={"pk": bad.pk})).status_code == 404
    assert not client.get(reverse("appeals:rating_list")).context["rows"]
    assert not client.get(reverse("appeals:bad_rating_list")).context["rows"]
    assert not client.get(reverse("appeals:rating_summary")).context["rows"]


def test_anonymous_users_go_to_login(client, bad):
    assert _detail(client, bad).status_code == 302
    assert client.get(reverse("appeals:rating_list")).status_code == 302


def test_the_worklist_turns_red_after_the_callback_limit(client_for, bad, agent):
    with time_machine.travel(at(2025, 9, 28, 10), tick=False):
        rows = client_for(agent).get(reverse("appeals:bad_rating_list")).context["rows"]
        assert [(r.pk, light, actions) for r, light, _due, actions in rows] == [
            (bad.pk, "amber", [("verify", "回访核实")])
        ]
    with time_machine.travel(at(2025, 9, 30, 10), tick=False):
        client = client_for(agent)
        assert [
            r.pk for r, *_rest in client.get(reverse("appeals:bad_rating_list"), {"light": "red"}).context["rows"]
        ] == [bad.pk]
        assert not client.get(reverse("appeals:bad_rating_list"), {"light": "amber"}).context["rows"]


def test_the_summary_page_shows_numerators_and_denominators(client_for, bad, agent, housing, hotline):
    service_rating(level=5, unit=housing, office=hotline, by=agent, selected=("服务态度好",))
    page = client_for(agent).get(reverse("appeals:rating_summary")).content.decode()
    assert 'data-testid="rating-summary"' in page
    assert "<td>1 / 2</td>" in page  # 好评 1 of 2, 差评 1 of 2
    assert "<td>0 / 1</td>" in page  # the named bad rating not yet called back


def test_the_lists_do_not_grow_with_the_ratings(client_for, agent, housing, hotline, count_queries):
    def make(n):
        for _index in range(n):
            service_rating(level=1, unit=housing, office=hotline, by=agent, selected=("服务态度差",))

    client = client_for(agent)
    make(2)
    few = [
        count_queries(lambda url=url: client.get(reverse(url)))
        for url in ("appeals:rating_list", "appeals:bad_rating_list")
    ]
    make(8)
    many = [
        count_queries(lambda url=url: client.get(reverse(url)))
        for url in ("appeals:rating_list", "appeals:bad_rating_list")
    ]
    assert many == few


# ---- the portal -----------------------------------------------------------------------------------------


@pytest.fixture
def replied(dispatched, housing_handler, market_handler):
    reply = {"reply": "已修复", "legal_basis": "《城市道路管理条例》", "approved_by": "王局长"}
    lead, co = dispatched.lead_assignment(), dispatched.assignments.get(role="co")
    transitions.sign_for(appeal=dispatched, assignment=lead, by=housing_handler, now=at(2025, 9, 26, 11))
    transitions.sign_for(appeal=dispatched, assignment=co, by=market_handler, now=at(2025, 9, 26, 11))
    transitions.reply_appeal(appeal=dispatched, assignment=co, by=market_handler, now=at(2025, 9, 29), **reply)
    transitions.reply_appeal(appeal=dispatched, assignment=lead, by=housing_handler, now=at(2025, 9, 29), **reply)
    dispatched.refresh_from_db()
    return dispatched


def test_the_appellant_rates_the_ticket_once_on_the_portal(client, replied, housing):
    url, keys = reverse("appeals:rate"), {"number": replied.number, "code": replied.query_code}
    page = client.get(url, keys).content.decode()
    assert 'data-testid="rate"' in page
    assert "平台操作简便" in page
    assert "13812345678" not in page
    response = client.post(url, {**keys, "level": "4", "selected": ["办事便捷"], "comment": "很好"})
    assert 'data-testid="thanks"' in response.content.decode()
    rating = ServiceRating.objects.get()
    assert (rating.channel, rating.unit, rating.rater_phone, rating.recorded_by) == (
        "portal",
        housing,
        "13812345678",
        None,
    )
    assert "该工单已评价" in client.get(url, keys).content.decode()
    client.post(url, {**keys, "level": "1"})
    assert ServiceRating.objects.count() == 1


def test_the_portal_refuses_a_wrong_code_and_an_unreplied_ticket(client, dispatched):
    url = reverse("appeals:rate")
    assert "没有找到该工单" in client.get(url, {"number": dispatched.number, "code": "WRONG2"}).content.decode()
    page = client.get(url, {"number": dispatched.number, "code": dispatched.query_code}).content.decode()
    assert "工单答复后即可评价" in page
    client.post(url, {"number": dispatched.number, "code": dispatched.query_code, "level": "5"})
    assert not ServiceRating.objects.exists()


def test_the_ticket_page_links_its_rating(client_for, replied, agent, housing_handler, hotline):
    detail = reverse("appeals:detail", kwargs={"pk": replied.pk})
    page = client_for(agent).get(detail).content.decode()
    assert f"{reverse('appeals:rating_create')}?appeal={replied.number}" in page
    fields = ratings.RatingFields(kind="ticket", channel="phone", level=2, appeal=replied, rater_name="张三")
    rating = ratings.record_rating(fields=fields, office=hotline, by=agent, now=at(2025, 9, 30))
    for person in (agent, housing_handler):
        page = client_for(person).get(detail).content.decode()
        assert reverse("appeals:rating_detail", kwargs={"pk": rating.pk}) in page


def test_even_with_the_permission_the_rated_unit_never_sees_its_rater(client_for, bad, housing):
    insider = UserFactory(username="housing_office", name="住建局坐席", unit=housing, roles=[roles.HOTLINE_AGENT])
    client = client_for(insider)
    page = _detail(client, bad).content.decode()
    assert "13912345678" not in page
    assert "139****5678" in page
    rows = _sheet(client.get(reverse("appeals:rating_list"), {"export": "xlsx"}))
    assert rows[1][-3:] == (None, None, None)  # the columns are there, the cells empty
    assert not LogEntry.objects.filter(action=LogEntry.Action.ACCESS).exists()
