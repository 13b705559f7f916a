"""Group robots against a fake webhook on loopback: payloads, DingTalk's signature, retries with backoff."""

from datetime import timedelta

import pytest
from django.utils import timezone

from apps.core import notices
from apps.core.models import Delivery, GroupRobot, NoticePreference
from apps.core.notice_channels import dingtalk_signed_url
from apps.core.notice_delivery import deliver_due
from apps.core.tests.notice_receiver import FakeRobot, start

pytestmark = pytest.mark.django_db


@pytest.fixture
def receiver():
    robots = []

    def run(**kwargs) -> FakeRobot:
        robots.append(start(FakeRobot(**kwargs)))
        return robots[-1]

    yield run
    for robot in robots:
        robot.server.shutdown()
        robot.server.server_close()


def robot_for(unit, fake: FakeRobot, kind="wecom") -> GroupRobot:
    return GroupRobot.objects.create(
        unit=unit, kind=kind, name="东城区招商群", webhook_url=fake.url, secret=fake.secret
    )


def opt_in(person) -> None:
    NoticePreference.objects.create(user=person, by_robot=True)


def test_wecom_gets_a_markdown_message_with_an_absolute_link(receiver, officer_a, county_a):
    fake = receiver()
    robot_for(county_a, fake)
    opt_in(officer_a)
    notices.notify(
        recipients=[officer_a], key="landing.step.1.overdue", title="手续逾期", url="/landing/1/", body="请尽快办理"
    )

    assert deliver_due() == {"sent": 1, "failed": 0, "abandoned": 0}

    (request,) = fake.received
    assert request.payload["msgtype"] == "markdown"
    content = request.payload["markdown"]["content"]
    assert content.startswith("**手续逾期**")
    assert "致：东城招商专员" in content
    assert "请尽快办理" in content
    assert "(https://ys.example.gov.cn/landing/1/)" in content
    assert Delivery.objects.get().state == Delivery.State.SENT


def test_dingtalk_message_is_signed_with_the_secret(receiver, officer_a, county_a):
    fake = receiver(secret="SEC0123456789abcdef+/=")
    robot_for(county_a, fake, kind="dingtalk")
    opt_in(officer_a)
    notices.notify(recipients=[officer_a], key="k.1", title="交办提醒")

    deliver_due()

    (request,) = fake.received
    assert fake.sign_ok(request.query)
    assert request.query["access_token"] == ["t0ken"]
    assert request.payload == {
        "msgtype": "markdown",
        "markdown": {"title": "交办提醒", "text": "**交办提醒**\n\n致：东城招商专员"},
    }
    assert Delivery.objects.get().state == Delivery.State.SENT


def test_a_wrong_dingtalk_signature_is_a_failure(receiver, officer_a, county_a):
    fake = receiver(secret="SECright")
    robot = robot_for(county_a, fake, kind="dingtalk")
    GroupRobot.objects.filter(pk=robot.pk).update(secret="SECwrong")
    opt_in(officer_a)
    notices.notify(recipients=[officer_a], key="k.1", title="交办提醒")

    deliver_due()

    delivery = Delivery.objects.get()
    assert delivery.state == Delivery.State.FAILED
    assert delivery.last_error == "errcode 310000: sign not match"


def test_signing_follows_dingtalks_recipe():
    url = dingtalk_signed_url("https://oapi.dingtalk.com/robot/send?access_token=abc", "SECxyz", 1700000000000)

    # HMAC-SHA256("1700000000000\nSECxyz", key "SECxyz"), base64, URL-encoded
    assert url == (
        "https://oapi.dingtalk.com/robot/send?access_token=abc&timestamp=1700000000000"
        "&sign=0PUR1j8g85Xg3vlFV%2FUrEcxXfF5HpCAGzcjrNfyJoyg%3D"
    )


def test_a_failed_send_is_retried_with_backoff_until_it_gets_through(receiver, officer_a, county_a):
    fake = receiver(replies=[(500, {}), (200, {"errcode": 45009, "errmsg": "api freq out of limit"}), (200, {})])
    robot_for(county_a, fake)
    opt_in(officer_a)
    notices.notify(recipients=[officer_a], key="k.1", title="逾期")
    start_at = timezone.now()

    assert deliver_due(now=start_at)["failed"] == 1
    delivery = Delivery.objects.get()
    assert (delivery.state, delivery.attempts, delivery.last_error) == ("failed", 1, "HTTP 500")
    assert delivery.next_attempt_at == start_at + timedelta(minutes=1)

    assert deliver_due(now=start_at + timedelta(seconds=30)) == {"sent": 0, "failed": 0, "abandoned": 0}
    assert deliver_due(now=start_at + timedelta(minutes=1))["failed"] == 1
    delivery.refresh_from_db()
    assert (delivery.attempts, delivery.last_error) == (2, "errcode 45009: api freq out of limit")
    assert delivery.next_attempt_at == start_at + timedelta(minutes=1 + 5)

    assert deliver_due(now=start_at + timedelta(minutes=6))["sent"] == 1
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts, delivery.last_error) == ("sent", 3, "")
    assert len(fake.received) == 3
    assert deliver_due(now=start_at + timedelta(days=1))["sent"] == 0  # sent is never sent again


def test_five_failures_give_up(receiver, officer_a, county_a):
    fake = receiver(replies=[(503, {})])
    robot_for(county_a, fake)
    opt_in(officer_a)
    notices.notify(recipients=[officer_a], key="k.1", title="逾期")
    moment, waits = timezone.now(), []

    for _attempt in range(5):
        deliver_due(now=moment)
        delivery = Delivery.objects.get()
        if delivery.next_attempt_at:
            waits.append(delivery.next_attempt_at - moment)
            moment = delivery.next_attempt_at

    assert waits == [timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=30), timedelta(hours=2)]
    assert (delivery.state, delivery.attempts, delivery.next_attempt_at) == ("abandoned", 5, None)
    assert deliver_due(now=moment + timedelta(days=1))["failed"] == 0
    assert len(fake.received) == 5


def test_an_unreachable_robot_is_a_failure_not_a_crash(officer_a, county_a):
    GroupRobot.objects.create(unit=county_a, kind="wecom", name="群", webhook_url="http://127.0.0.1:9/nothing")
    opt_in(officer_a)
    notices.notify(recipients=[officer_a], key="k.1", title="逾期")

    assert deliver_due()["failed"] == 1
    assert Delivery.objects.get().last_error.startswith("URLError")


def test_the_nearest_ancestors_robot_is_used(receiver, officer_a, city):
    fake = receiver()
    robot_for(city, fake)
    opt_in(officer_a)  # works in 东城区, which has no robot of its own

    notices.notify(recipients=[officer_a], key="k.1", title="逾期")

    assert Delivery.objects.get().robot.unit == city
