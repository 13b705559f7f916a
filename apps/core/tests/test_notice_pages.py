"""消息设置, 群机器人 and 投递记录 pages: validation, data scope, permissions, export and query counts."""

from io import BytesIO

import pytest
from auditlog.models import LogEntry
from django.urls import reverse
from openpyxl import load_workbook

from apps.core import notices
from apps.core.models import Delivery, GroupRobot, Notice, NoticePreference
from apps.org import roles
from apps.org.models import Unit
from apps.org.tests.factories import UserFactory

pytestmark = pytest.mark.django_db
WECOM_URL = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=abc"


@pytest.fixture
def county_admin_b(county_b):
    return UserFactory(username="county_admin_b", name="西城区管理员", unit=county_b, roles=[roles.COUNTY_ADMIN])


def robot(unit, name="东城区招商群", **fields) -> GroupRobot:
    return GroupRobot.objects.create(unit=unit, kind="wecom", name=name, webhook_url=WECOM_URL, **fields)


def failed_delivery(person, title="逾期提醒") -> Delivery:
    notices.notify(recipients=[person], key=f"k.{title}", title=title)
    notice = Notice.objects.get(recipient=person, key=f"k.{title}")
    return Delivery.objects.create(notice=notice, channel="email", target="x@example.cn", state="failed", attempts=2)


# ---- 消息设置 -------------------------------------------------------------------------------


def test_the_inbox_links_to_the_settings(client_for, officer_a):
    page = client_for(officer_a).get(reverse("core:notice_list")).content.decode()

    assert reverse("core:notice_settings") in page


def test_email_needs_an_address_on_record(client_for, officer_a):
    response = client_for(officer_a).post(reverse("core:notice_settings"), {"email_mode": "each"})

    assert response.status_code == 200
    assert "您的账号没有登记电子邮箱，无法接收邮件" in response.content.decode()
    assert not NoticePreference.objects.exists()


def test_the_robot_needs_one_up_the_tree(client_for, officer_a):
    response = client_for(officer_a).post(reverse("core:notice_settings"), {"email_mode": "off", "by_robot": "on"})

    assert "您所在单位及上级单位都没有启用的群机器人" in response.content.decode()
    assert not NoticePreference.objects.exists()


def test_settings_are_saved(client_for, officer_a, city):
    officer_a.email = "a@example.cn"
    officer_a.save()
    robot(city, name="市招商群")

    response = client_for(officer_a).post(reverse("core:notice_settings"), {"email_mode": "digest", "by_robot": "on"})

    assert response.status_code == 302
    preference = NoticePreference.objects.get(user=officer_a)
    assert (preference.email_mode, preference.by_robot) == ("digest", True)
    page = client_for(officer_a).get(reverse("core:notice_settings")).content.decode()
    assert "市招商群" in page


def test_an_unknown_choice_is_refused(client_for, officer_a):
    response = client_for(officer_a).post(reverse("core:notice_settings"), {"email_mode": "fax"})

    assert response.status_code == 200
    assert not NoticePreference.objects.exists()


# ---- 群机器人 -------------------------------------------------------------------------------


def test_a_county_admin_sees_only_their_countys_robots(client_for, county_admin_a, county_a, county_b):
    robot(county_a, name="东城区招商群")
    foreign = robot(county_b, name="西城区招商群")
    client = client_for(county_admin_a)

    page = client.get(reverse("core:robot_list")).content.decode()

    assert "东城区招商群" in page
    assert "西城区招商群" not in page
    assert client.get(reverse("core:robot_edit", args=[foreign.pk])).status_code == 404
    assert client.post(reverse("core:robot_deactivate", args=[foreign.pk])).status_code == 404
    foreign.refresh_from_db()
    assert foreign.is_active


def test_a_robot_is_added_for_a_unit_of_the_admins_tree(client_for, county_admin_a, county_a):
    data = {
        "unit": county_a.pk,
        "kind": "dingtalk",
        "name": "东城群",
        "webhook_url": WECOM_URL,
        "secret": "SECabc",
        "is_active": "on",
    }

    response = client_for(county_admin_a).post(reverse("core:robot_create"), data)

    assert response.status_code == 302
    created = GroupRobot.objects.get()
    assert created.secret == "SECabc"
    entry = LogEntry.objects.get_for_object(created).get()
    assert entry.actor == county_admin_a
    assert "secret" not in entry.changes_dict
    assert "key=abc" not in str(entry.changes_dict["webhook_url"])


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"webhook_url": "ftp://qyapi.weixin.qq.com/x"}, "Webhook 地址须以 https:// 或 http:// 开头"),
        ({"webhook_url": "https://"}, "输入一个有效的 URL"),
        ({"secret": "SECabc"}, "只有钉钉机器人需要加签密钥"),
        ({"kind": "dingtalk", "secret": "abc"}, "钉钉加签密钥以 SEC 开头"),
    ],
)
def test_bad_robot_settings_are_refused(client_for, county_admin_a, county_a, changes, message):
    data = {"unit": county_a.pk, "kind": "wecom", "name": "东城群", "webhook_url": WECOM_URL, "is_active": "on"}

    response = client_for(county_admin_a).post(reverse("core:robot_create"), {**data, **changes})

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not GroupRobot.objects.exists()


def test_a_robot_for_another_county_is_refused(client_for, county_admin_a, county_b):
    data = {"unit": county_b.pk, "kind": "wecom", "name": "西城群", "webhook_url": WECOM_URL, "is_active": "on"}

    response = client_for(county_admin_a).post(reverse("core:robot_create"), data)

    assert response.status_code == 200
    assert not GroupRobot.objects.exists()


def test_a_unit_has_one_active_robot(client_for, county_admin_a, county_a):
    robot(county_a)
    data = {"unit": county_a.pk, "kind": "wecom", "name": "第二个群", "webhook_url": WECOM_URL, "is_active": "on"}

    response = client_for(county_admin_a).post(reverse("core:robot_create"), data)

    assert "该单位已有启用中的群机器人，请先停用原机器人。" in response.content.decode()
    assert GroupRobot.objects.count() == 1


def test_deactivating_a_robot(client_for, county_admin_a, county_a):
    own = robot(county_a)

    response = client_for(county_admin_a).post(reverse("core:robot_deactivate", args=[own.pk]))

    assert response.status_code == 302
    own.refresh_from_db()
    assert not own.is_active


@pytest.mark.parametrize("url_name", ["core:robot_list", "core:robot_create", "core:delivery_list"])
def test_people_without_the_right_get_403(client_for, officer_a, url_name):
    assert client_for(officer_a).get(reverse(url_name)).status_code == 403


def test_the_robot_list_costs_the_same_for_more_robots(client_for, county_admin_a, county_a, count_queries):
    client = client_for(county_admin_a)
    robot(Unit.objects.get(code="990101001"), name="群一")
    few = count_queries(lambda: client.get(reverse("core:robot_list")))
    robot(county_a, name="群二")
    robot(Unit.objects.get(code="990101D01"), name="群三")

    assert count_queries(lambda: client.get(reverse("core:robot_list"))) == few


# ---- 投递记录 -------------------------------------------------------------------------------


def test_the_log_shows_the_admins_scope_only(client_for, county_admin_a, officer_a, officer_b):
    failed_delivery(officer_a, "东城的提醒")
    failed_delivery(officer_b, "西城的提醒")

    page = client_for(county_admin_a).get(reverse("core:delivery_list")).content.decode()

    assert "东城的提醒" in page
    assert "西城的提醒" not in page


def test_the_log_filters_by_state_channel_and_text(client_for, county_admin_a, officer_a):
    failed_delivery(officer_a, "失败的提醒")
    sent = failed_delivery(officer_a, "已发的提醒")
    Delivery.objects.filter(pk=sent.pk).update(state="sent")
    client = client_for(county_admin_a)

    by_state = client.get(reverse("core:delivery_list"), {"state": "sent"}).content.decode()
    by_text = client.get(reverse("core:delivery_list"), {"q": "失败"}).content.decode()
    by_channel = client.get(reverse("core:delivery_list"), {"channel": "wecom"}).content.decode()

    assert "已发的提醒" in by_state
    assert "失败的提醒" not in by_state
    assert "失败的提醒" in by_text
    assert "已发的提醒" not in by_text
    assert "没有符合条件的投递记录" in by_channel


def test_the_log_exports_a_real_workbook(client_for, county_admin_a, officer_a):
    failed_delivery(officer_a, "逾期提醒")

    response = client_for(county_admin_a).get(reverse("core:delivery_list"), {"export": "xlsx", "state": "failed"})

    rows = list(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0][:5] == ("消息标题", "接收人", "渠道", "发送对象", "状态")
    assert rows[1][:6] == ("逾期提醒", "东城招商专员", "邮件", "x@example.cn", "失败", 2)
    assert len(rows) == 2


def test_retry_now_makes_a_failed_delivery_due(client_for, county_admin_a, officer_a):
    delivery = failed_delivery(officer_a)

    response = client_for(county_admin_a).post(reverse("core:delivery_retry", args=[delivery.pk]))

    assert response.status_code == 302
    delivery.refresh_from_db()
    assert delivery.state == "pending"
    assert delivery.next_attempt_at is not None
    assert LogEntry.objects.get_for_object(delivery).get().changes_dict == {"状态": ["失败", "待发送"]}


def test_retry_of_a_sent_delivery_changes_nothing(client_for, county_admin_a, officer_a):
    delivery = failed_delivery(officer_a)
    Delivery.objects.filter(pk=delivery.pk).update(state="sent")

    client_for(county_admin_a).post(reverse("core:delivery_retry", args=[delivery.pk]))

    delivery.refresh_from_db()
    assert delivery.state == "sent"


def test_another_countys_delivery_cannot_be_retried(client_for, county_admin_a, officer_b):
    delivery = failed_delivery(officer_b)

    assert client_for(county_admin_a).post(reverse("core:delivery_retry", args=[delivery.pk])).status_code == 404
    delivery.refresh_from_db()
    assert delivery.state == "failed"


def test_the_log_costs_the_same_for_more_rows(client_for, county_admin_a, officer_a, count_queries):
    client = client_for(county_admin_a)
    failed_delivery(officer_a, "一")
    few = count_queries(lambda: client.get(reverse("core:delivery_list")))
    for title in "二三四五":
        failed_delivery(officer_a, title)

    assert count_queries(lambda: client.get(reverse("core:delivery_list"))) == few
