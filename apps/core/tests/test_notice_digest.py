"""The daily digest: unread notices of the past day grouped by area, absolute links, one mail a day."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from apps.core import notices
from apps.core.models import Delivery, Notice, NoticePreference
from apps.core.notice_digest import send_digests

pytestmark = pytest.mark.django_db


@pytest.fixture
def digest_reader(officer_a):
    officer_a.email = "a@example.cn"
    officer_a.save()
    NoticePreference.objects.create(user=officer_a, email_mode="digest")
    return officer_a


def test_digest_groups_the_unread_notices_of_the_past_day(digest_reader):
    notices.notify(recipients=[digest_reader], key="landing.step.1.overdue", title="手续逾期", url="/landing/s/1/")
    notices.notify(
        recipients=[digest_reader], key="appeals.appeal.9.warned.20261208", title="工单临期", body="明天到期"
    )
    notices.notify(recipients=[digest_reader], key="landing.problem.2.assigned.5", title="问题交办")
    notices.notify(recipients=[digest_reader], key="x.read", title="已读的消息")
    notices.mark_read(user=digest_reader, notice_ids=Notice.objects.filter(key="x.read").values_list("pk", flat=True))
    notices.notify(recipients=[digest_reader], key="x.old", title="两天前的消息")
    Notice.objects.filter(key="x.old").update(created_at=timezone.now() - timedelta(days=2))

    assert send_digests() == {"sent": 1, "skipped": 0, "failed": 0}

    (message,) = mail.outbox
    today = timezone.localdate()
    assert message.to == ["a@example.cn"]
    assert message.subject == f"[营商] 每日消息摘要：{today.year}年{today.month}月{today.day}日，3 条未读"
    assert message.body == (
        "东城招商专员，您好：\n\n"
        "过去一天您有 3 条未读消息：\n\n"
        "【诉求办理】\n"
        "1. 工单临期\n"
        "   明天到期\n\n"
        "【项目落地】\n"
        "1. 问题交办\n"
        "2. 手续逾期\n"
        "   https://ys.example.gov.cn/landing/s/1/\n\n"
        "查看全部消息：https://ys.example.gov.cn/notices/\n"
        "修改接收方式：https://ys.example.gov.cn/notices/settings/\n"
    )
    assert Delivery.objects.filter(channel="digest", state="sent").count() == 3


def test_running_twice_a_day_sends_one_digest(digest_reader):
    notices.notify(recipients=[digest_reader], key="k.1", title="一")
    call_command("send_notice_digests", stdout=open("/dev/null", "w"))  # noqa: SIM115
    notices.notify(recipients=[digest_reader], key="k.2", title="二")

    assert send_digests() == {"sent": 0, "skipped": 1, "failed": 0}
    assert len(mail.outbox) == 1


def test_tomorrows_digest_leaves_out_what_today_carried(digest_reader):
    notices.notify(recipients=[digest_reader], key="k.1", title="一")
    send_digests()
    notices.notify(recipients=[digest_reader], key="k.2", title="二")

    send_digests(now=timezone.now() + timedelta(days=1, minutes=-1))

    assert len(mail.outbox) == 2
    assert "二" in mail.outbox[1].body
    assert "一" not in mail.outbox[1].body.split("：", 2)[2]


def test_nothing_unread_means_no_digest(digest_reader):
    assert send_digests() == {"sent": 0, "skipped": 1, "failed": 0}
    assert mail.outbox == []


def test_a_failed_digest_is_not_recorded_so_the_next_run_sends_it(digest_reader, settings):
    notices.notify(recipients=[digest_reader], key="k.1", title="一")
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 1

    assert send_digests()["failed"] == 1
    assert Delivery.objects.count() == 0

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert send_digests()["sent"] == 1
