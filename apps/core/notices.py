"""In-app notices (站内消息): one call sends a notice about an event to people, at most once each.

Apps call ``notify`` from their services (a scan escalating an overdue item, an assignment); the
``key`` names the event, e.g. ``"landing.problem.42.overdue"``. Delivery by e-mail and by WeCom or
DingTalk robots will read the same records.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone

from apps.core.models import Notice


def notify(*, recipients: Iterable, key: str, title: str, url: str = "", body: str = "") -> int:
    """Send the notice to each recipient who has not had one about this event; returns how many were sent."""
    sent = 0
    for recipient in {person.pk: person for person in recipients if person is not None}.values():
        if Notice.objects.filter(recipient=recipient, key=key).exists():
            continue
        try:
            with transaction.atomic():
                Notice.objects.create(recipient=recipient, key=key, title=title[:200], url=url, body=body)
        except IntegrityError:  # another process sent it a moment ago
            continue
        sent += 1
    return sent


@dataclass(frozen=True)
class NoticeItem:
    recipients: Sequence
    key: str
    title: str
    url: str = ""
    body: str = ""


def notify_many(items: Iterable[NoticeItem]) -> int:
    """``notify`` for many events at once (a scan's batch): one query for what was sent before, one insert."""
    items = list(items)
    keys = {item.key for item in items}
    sent_before = set(Notice.objects.filter(key__in=keys).values_list("recipient_id", "key"))
    notices = {}
    for item in items:
        for person in item.recipients:
            if person is not None and (person.pk, item.key) not in sent_before:
                notices[person.pk, item.key] = Notice(
                    recipient=person, key=item.key, title=item.title[:200], url=item.url, body=item.body
                )
    Notice.objects.bulk_create(notices.values(), ignore_conflicts=True)  # another process may have sent some
    return len(notices)


def unread_count(user) -> int:
    return Notice.objects.filter(recipient=user, read_at=None).count()


def mark_read(*, user, notice_ids: Iterable[int] | None = None) -> int:
    """Mark the user's notices read: the given ones, or all of them."""
    notices = Notice.objects.filter(recipient=user, read_at=None)
    if notice_ids is not None:
        notices = notices.filter(pk__in=list(notice_ids))
    return notices.update(read_at=timezone.now())
