"""Deliveries planned from preferences, never twice for the same event, e-mail sent through Django's mail API."""

import threading
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone

from apps.core import notices
from apps.core.models import Delivery, GroupRobot, Notice, NoticePreference
from apps.core.notice_delivery import claim_due, deliver_due
from apps.core.notices import NoticeItem, notify_many
from apps.org.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def wants(person, email_mode="each", by_robot=False) -> None:
    NoticePreference.objects.create(user=person, email_mode=email_mode, by_robot=by_robot)


def test_the_same_event_twice_is_one_notice_and_one_delivery(officer_a):
    officer_a.email = "a@example.cn"
    officer_a.save()
    wants(officer_a)

    notices.notify(recipients=[officer_a], key="landing.step.1.overdue", title="逾期")
    notices.notify(recipients=[officer_a], key="landing.step.1.overdue", title="逾期")
    notify_many([NoticeItem([officer_a], "landing.step.1.overdue", "逾期")])

    assert Notice.objects.count() == 1
    assert list(Delivery.objects.values_list("channel", "target")) == [("email", "a@example.cn")]


def test_a_batch_plans_deliveries_for_its_new_notices_only(officer_a, officer_b, county_a):
    officer_a.email = "a@example.cn"
    officer_a.save()
    wants(officer_a, by_robot=True)
    robot = GroupRobot.objects.create(unit=county_a, kind="dingtalk", name="东城群", webhook_url="https://x.cn/r")
    notify_many([NoticeItem([officer_a], "k.old", "旧")])

    notify_many([NoticeItem([officer_a, officer_b], "k.old", "旧"), NoticeItem([officer_a, officer_b], "k.new", "新")])

    planned = Delivery.objects.order_by("notice__key", "channel").values_list("notice__key", "channel", "robot")
    assert list(planned) == [
        ("k.new", "dingtalk", robot.pk),
        ("k.new", "email", None),
        ("k.old", "dingtalk", robot.pk),
        ("k.old", "email", None),
    ]
    assert Delivery.objects.filter(notice__recipient=officer_b).count() == 0


def test_no_delivery_without_a_wish_an_address_or_a_robot(officer_a, officer_b, city_leader):
    wants(officer_a)  # e-mail, but no address on record
    wants(officer_b, email_mode="off", by_robot=True)  # robot, but none configured

    notices.notify(recipients=[officer_a, officer_b, city_leader], key="k.1", title="逾期")

    assert Notice.objects.count() == 3
    assert Delivery.objects.count() == 0


def test_digest_people_get_no_mail_per_notice(officer_a):
    officer_a.email = "a@example.cn"
    officer_a.save()
    wants(officer_a, email_mode="digest")

    notices.notify(recipients=[officer_a], key="k.1", title="逾期")

    assert Delivery.objects.count() == 0


def test_email_goes_through_djangos_mail_api(officer_a):
    officer_a.email = "a@example.cn"
    officer_a.save()
    wants(officer_a)
    notices.notify(
        recipients=[officer_a],
        key="k.1",
        title="项目问题已交办",
        url="/landing/problems/7/",
        body="请在 5 个工作日内答复",
    )

    assert deliver_due()["sent"] == 1

    (message,) = mail.outbox
    assert message.to == ["a@example.cn"]
    assert message.subject == "[营商] 项目问题已交办"
    assert message.body == "请在 5 个工作日内答复\n\nhttps://ys.example.gov.cn/landing/problems/7/"
    delivery = Delivery.objects.get()
    assert (delivery.state, delivery.attempts) == ("sent", 1)
    assert delivery.sent_at is not None
    assert deliver_due()["sent"] == 0
    assert len(mail.outbox) == 1


def test_a_failing_mail_server_is_retried(officer_a, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 1
    officer_a.email = "a@example.cn"
    officer_a.save()
    wants(officer_a)
    notices.notify(recipients=[officer_a], key="k.1", title="逾期")

    assert deliver_due()["failed"] == 1
    delivery = Delivery.objects.get()
    assert delivery.state == "failed"
    assert "ConnectionRefusedError" in delivery.last_error


def test_a_claimed_delivery_is_not_claimed_again(officer_a):
    officer_a.email = "a@example.cn"
    officer_a.save()
    wants(officer_a)
    notices.notify(recipients=[officer_a], key="k.1", title="逾期")
    now = timezone.now()

    first, second = claim_due(now, 10), claim_due(now, 10)

    assert (len(first), second) == (1, [])


def test_a_batchs_queries_do_not_grow_with_its_size(county_a, count_queries):
    def people(count):
        found = [
            UserFactory(unit=county_a, email=f"p{UserFactory._meta.model.objects.count()}@x.cn") for _ in range(count)
        ]
        for person in found:
            wants(person)
        return found

    small, large = people(2), people(20)

    few = count_queries(lambda: notify_many([NoticeItem(small, "k.s", "小")]))
    many = count_queries(lambda: notify_many([NoticeItem(large, "k.l", "大"), NoticeItem(large, "k.m", "大")]))

    assert few == many
    assert Delivery.objects.count() == 2 + 40


def test_a_batch_for_people_who_want_only_the_inbox_costs_one_more_query(officer_a, officer_b, count_queries):
    queries = count_queries(lambda: notify_many([NoticeItem([officer_a, officer_b], "k.1", "逾期")]))

    assert queries == 3  # what was sent before, the insert, the preferences


def test_delivery_and_digest_are_scheduled_scans(officer_a):
    from apps.core import scans

    officer_a.email = "a@example.cn"
    officer_a.save()
    wants(officer_a)
    notices.notify(recipients=[officer_a], key="k.1", title="逾期")

    assert scans.run_scan("notice_deliveries") == "已发送 1，失败待重试 0，放弃 0"
    assert scans.run_scan("notice_digest") == "摘要已发送 0，无需发送 0，失败 0"


def test_many_notices_in_one_transaction_queue_one_sending(officer_a, officer_b, django_capture_on_commit_callbacks):
    for person in (officer_a, officer_b):
        person.email = f"{person.username}@example.cn"
        person.save()
        wants(person)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        notices.notify(recipients=[officer_a], key="k.1", title="一")
        notices.notify(recipients=[officer_b], key="k.2", title="二")

    assert len(callbacks) == 1
    assert sorted(Delivery.objects.values_list("state", flat=True)) == ["sent", "sent"]  # the immediate test backend
    assert len(mail.outbox) == 2


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_row_another_worker_holds_is_skipped_not_waited_for(officer_a):
    notice = Notice.objects.create(recipient=officer_a, key="k.1", title="逾期")
    delivery = Delivery.objects.create(notice=notice, channel="email", target="a@x.cn", next_attempt_at=timezone.now())
    locked, release = threading.Event(), threading.Event()

    def other_worker():
        with transaction.atomic():
            list(Delivery.objects.select_for_update().filter(pk=delivery.pk))
            locked.set()
            release.wait(10)
        connection.close()

    worker = threading.Thread(target=other_worker)
    worker.start()
    locked.wait(10)
    try:
        assert claim_due(timezone.now(), 10) == []
    finally:
        release.set()
        worker.join()
    assert claim_due(timezone.now(), 10) == [delivery.pk]


def test_the_command_sends_what_is_due_once(officer_a):
    officer_a.email = "a@example.cn"
    officer_a.save()
    wants(officer_a)
    notices.notify(recipients=[officer_a], key="k.1", title="逾期")
    out = StringIO()

    call_command("deliver_notices", stdout=out)
    call_command("deliver_notices", stdout=out)

    assert out.getvalue().splitlines() == [
        "已发送 1 条，失败待重试 0 条，放弃 0 条",
        "已发送 0 条，失败待重试 0 条，放弃 0 条",
    ]
    assert len(mail.outbox) == 1
