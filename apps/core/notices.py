"""In-app notices (站内消息): one call sends a notice about an event to people, at most once each.

Apps call ``notify`` from their services (a scan escalating an overdue item, an assignment); the
``key`` names the event, e.g. ``"landing.problem.42.overdue"``. A new notice is also delivered by e-mail or
a group robot when its recipient asked for it (apps/core/notice_delivery.py), once per channel.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone

from apps.core.models import Notice
from apps.core.notice_delivery import plan_deliveries, wishes_of


def notify(*, recipients: Iterable, key: str, title: str, url: str = "", body: str = "") -> int:
    """Send the notice to each recipient who has not had one about this event; returns how many were sent."""
    created = []
    for recipient in {person.pk: person for person in recipients if person is not None}.values():
        if Notice.objects.filter(recipient=recipient, key=key).exists():
            continue
        try:
            with transaction.atomic():
                created.append(
                    Notice.objects.create(recipient=recipient, key=key, title=title[:200], url=url, body=body)
                )
        except IntegrityError:  # another process sent it a moment ago
            continue
    if created:
        plan_deliveries(created)
    return len(created)


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
    _plan_batch(set(notices))
    return len(notices)


def _plan_batch(pairs: set[tuple[int, str]]) -> None:
    """Deliveries of a batch's new notices; bulk_create gave them no ids, so those who want more than the inbox
    have theirs read back (one query for the wishes, and two more only when somebody has any)."""
    wishes = wishes_of({recipient_id for recipient_id, _key in pairs}) if pairs else {}
    if not wishes:
        return
    keys = {key for recipient_id, key in pairs if recipient_id in wishes}
    candidates = Notice.objects.filter(recipient_id__in=list(wishes), key__in=keys)
    plan_deliveries([notice for notice in candidates if (notice.recipient_id, notice.key) in pairs], wishes)


def unread_count(user) -> int:
    return Notice.objects.filter(recipient=user, read_at=None).count()


def mark_read(*, user, notice_ids: Iterable[int] | None = None) -> int:
    """Mark the user's notices read: the given ones, or all of them."""
    notices = Notice.objects.filter(recipient=user, read_at=None)
    if notice_ids is not None:
        notices = notices.filter(pk__in=list(notice_ids))
    return notices.update(read_at=timezone.now())
