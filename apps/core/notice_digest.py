"""The daily digest (每日摘要): one mail a day with a person's unread notices of the past day, by subject area.

People who chose the digest get no mail per notice. ``send_notice_digests`` runs once a day from cron; each
notice a digest carried gets a Delivery row (channel 每日摘要), which keeps a person to one digest a day and a
notice to one digest ever. A digest whose mail fails is not recorded, so the next run sends it.
"""

import logging
from collections import defaultdict
from datetime import datetime, timedelta

from django.apps import apps
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.models import Delivery, Notice, NoticePreference
from apps.core.notice_channels import absolute_url

logger = logging.getLogger(__name__)
WINDOW = timedelta(days=1)


def send_digests(now: datetime | None = None) -> dict[str, int]:
    """Send today's digest to everybody who chose it and has unread notices; returns counts for the log."""
    now = now or timezone.now()
    outcome = {"sent": 0, "skipped": 0, "failed": 0}
    people = NoticePreference.objects.filter(
        email_mode=NoticePreference.EmailMode.DIGEST, user__is_active=True
    ).exclude(user__email="")
    for preference in people.select_related("user"):
        try:
            outcome["sent" if send_digest(preference.user, now) else "skipped"] += 1
        except Exception:  # one person's failed mail must not stop the others' digests
            logger.exception("digest for %s failed", preference.user_id)
            outcome["failed"] += 1
    return outcome


def digest_notices(user, now: datetime) -> list[Notice]:
    """The person's unread notices of the past day that no digest has carried yet."""
    notices = Notice.objects.filter(recipient=user, read_at=None, created_at__gt=now - WINDOW)
    return list(notices.exclude(deliveries__channel=Delivery.Channel.DIGEST).order_by("key", "created_at"))


def send_digest(user, now: datetime) -> bool:
    """Send the person's digest unless one went out today or there is nothing unread; True when sent."""
    today = timezone.localdate(now)
    digests = Delivery.objects.filter(channel=Delivery.Channel.DIGEST, notice__recipient=user)
    if digests.filter(sent_at__date=today).exists():
        return False
    notices = digest_notices(user, now)
    if not notices:
        return False
    with transaction.atomic():
        Delivery.objects.bulk_create([_carried(notice, user.email, now) for notice in notices], ignore_conflicts=True)
        subject, body = digest_message(user, notices, today)
        send_mail(subject, body, None, [user.email])
    return True


def _carried(notice: Notice, address: str, now: datetime) -> Delivery:
    channel, state = Delivery.Channel.DIGEST, Delivery.State.SENT
    return Delivery(notice=notice, channel=channel, target=address, state=state, attempts=1, sent_at=now)


def digest_message(user, notices: list[Notice], day) -> tuple[str, str]:
    """The digest's subject and plain-text body, notices grouped by the area their event key names."""
    subject = _("[营商] 每日消息摘要：%(date)s，%(count)s 条未读") % {
        "date": f"{day.year}年{day.month}月{day.day}日",
        "count": len(notices),
    }
    context = {
        "name": user.name or user.username,
        "count": len(notices),
        "groups": _grouped(notices),
        "inbox_url": absolute_url(reverse("core:notice_list")),
        "settings_url": absolute_url(reverse("core:notice_settings")),
    }
    return subject, render_to_string("core/email/notice_digest.txt", context)


def _grouped(notices: list[Notice]) -> list[tuple[str, list[dict]]]:
    groups: dict[str, list[dict]] = defaultdict(list)
    for notice in notices:
        item = {"title": notice.title, "body": notice.body, "url": absolute_url(notice.url)}
        groups[_area(notice.key)].append(item)
    return sorted(groups.items())


def _area(key: str) -> str:
    """The app named by the key's first part ("landing.problem.42.overdue" → 项目落地), else 其他."""
    label = key.partition(".")[0]
    if label and apps.is_installed(f"apps.{label}"):
        return str(apps.get_app_config(label).verbose_name)
    return _("其他")
