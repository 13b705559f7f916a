"""The demo city's notice settings and delivery log (投递记录), made without sending anything.

Of the people who have notices, the ones with the most choose e-mail: every third a daily digest, the rest one
mail per notice. Their newest notices get delivery rows as if sent, and about one in five as given up after
five failed attempts (the mail server refused), so 投递记录 shows both and "立即重试" can be tried. No robot is
configured: the demo makes no call outside the machine.
"""

from datetime import timedelta

from django.db.models import Count

from apps.core.models import Delivery, Notice, NoticePreference
from apps.org.models import User
from yingshang.demo.context import DemoContext

PEOPLE, NOTICES_EACH = 12, 5
FAILED_SHARE = 0.2
FAILURE = "SMTPRecipientsRefused: {'%s': (550, b'Mailbox unavailable')}"


def build(ctx: DemoContext) -> None:
    rng = ctx.rng("notices")
    readers = (
        User.objects.exclude(email="")
        .annotate(received=Count("notices"))
        .filter(received__gt=0)
        .order_by("-received", "username")[:PEOPLE]
    )
    deliveries = []
    for index, person in enumerate(readers):
        digest = index % 3 == 2
        mode = NoticePreference.EmailMode.DIGEST if digest else NoticePreference.EmailMode.EACH
        NoticePreference.objects.create(user=person, email_mode=mode)
        if not digest:
            notices = Notice.objects.filter(recipient=person).order_by("-created_at", "-id")[:NOTICES_EACH]
            deliveries += [_delivery(notice, person.email, rng.random() < FAILED_SHARE) for notice in notices]
    Delivery.objects.bulk_create(deliveries)


def _delivery(notice: Notice, address: str, failed: bool) -> Delivery:
    if failed:
        return Delivery(
            notice=notice,
            channel=Delivery.Channel.EMAIL,
            target=address,
            state=Delivery.State.ABANDONED,
            attempts=5,
            last_error=FAILURE % address,
        )
    sent_at = notice.created_at + timedelta(seconds=20)
    return Delivery(
        notice=notice,
        channel=Delivery.Channel.EMAIL,
        target=address,
        state=Delivery.State.SENT,
        attempts=1,
        sent_at=sent_at,
    )


def clear() -> None:
    Delivery.objects.all().delete()
    NoticePreference.objects.all().delete()
