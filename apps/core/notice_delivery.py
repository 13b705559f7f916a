"""Deliveries of notices by e-mail and group robots: planned when a notice is made, sent by the worker.

``plan_deliveries`` turns new notices into Delivery rows by each recipient's preferences (a few queries for a
whole batch). ``deliver_due`` claims what is due and sends it; a failure is retried after 1, 5 and 30 minutes
and 2 hours, and the fifth failure gives up (放弃). The task worker runs it when notices are made, and the
``deliver_notices`` command (cron, every few minutes) picks up the retries.

A person who opted in to the robot gets it through the active robot of the nearest unit up their tree (their
own unit, else its parent …): a department without a group of its own is usually in its county's group.
"""

import logging
from collections.abc import Iterable
from datetime import datetime, timedelta

from auditlog.models import LogEntry
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.errors import BusinessRuleError
from apps.core.models import Delivery, GroupRobot, Notice, NoticePreference
from apps.core.notice_channels import DeliveryError, send_email, send_to_robot
from apps.core.tasks import deliver_notices

logger = logging.getLogger(__name__)

#: wait after the 1st, 2nd, 3rd and 4th failure; the 5th gives up
BACKOFF = (timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=30), timedelta(hours=2))
MAX_ATTEMPTS = len(BACKOFF) + 1
#: a claimed delivery is left alone by other workers this long (a worker that dies mid-send frees it then)
LEASE = timedelta(minutes=10)
BATCH = 100


def plan_deliveries(notices: Iterable[Notice], wishes: dict[int, dict] | None = None) -> int:
    """Create the deliveries the recipients of these (saved) notices asked for; returns how many.
    ``wishes`` are the recipients' ``wishes_of``, when the caller has read them already."""
    notices = list(notices)
    if wishes is None:
        wishes = wishes_of({notice.recipient_id for notice in notices})
    if not wishes:
        return 0
    robots = robots_by_path() if any(wish["by_robot"] for wish in wishes.values()) else {}
    now = timezone.now()
    deliveries = []
    for notice in notices:
        wish = wishes.get(notice.recipient_id)
        if wish is not None:
            deliveries += _deliveries_for(notice, wish, robots, now)
    Delivery.objects.bulk_create(deliveries, ignore_conflicts=True)  # a concurrent run may have planned some
    if deliveries:
        enqueue_on_commit()
    return len(deliveries)


def wishes_of(recipient_ids: set[int]) -> dict[int, dict]:
    """Preferences that ask for more than the inbox, with the e-mail and unit path they need (one query)."""
    rows = (
        NoticePreference.objects.filter(user_id__in=recipient_ids)
        .exclude(email_mode__in=[NoticePreference.EmailMode.OFF, NoticePreference.EmailMode.DIGEST], by_robot=False)
        .values("user_id", "email_mode", "by_robot", "user__email", "user__unit__path")
    )
    return {row["user_id"]: row for row in rows}


def robots_by_path() -> dict[str, GroupRobot]:
    """Every active robot by its unit's tree path (a few per county at most)."""
    return {robot.unit.path: robot for robot in GroupRobot.objects.filter(is_active=True).select_related("unit")}


def nearest_robot(unit_path: str | None, robots: dict[str, GroupRobot]) -> GroupRobot | None:
    """The active robot of the unit or of its nearest ancestor (paths are prefixes of their descendants')."""
    path = unit_path or ""
    for length in range(len(path), 0, -1):
        if path[:length] in robots:
            return robots[path[:length]]
    return None


def _deliveries_for(notice: Notice, wish: dict, robots: dict, now: datetime) -> list[Delivery]:
    found = []
    if wish["email_mode"] == NoticePreference.EmailMode.EACH and wish["user__email"]:
        found.append(Delivery(notice=notice, channel=Delivery.Channel.EMAIL, target=wish["user__email"]))
    robot = nearest_robot(wish["user__unit__path"], robots) if wish["by_robot"] else None
    if robot is not None:
        found.append(Delivery(notice=notice, channel=robot.kind, target=f"robot:{robot.pk}", robot=robot))
    for delivery in found:
        delivery.next_attempt_at = now
    return found


def enqueue_on_commit() -> None:
    """Have the worker send once the transaction commits; a scan's many notices in one transaction queue one task."""
    pending = transaction.get_connection().run_on_commit
    if not any(callback is _enqueue_sending for _sids, callback, _robust in pending):
        transaction.on_commit(_enqueue_sending)


def _enqueue_sending() -> None:
    deliver_notices.enqueue()


def deliver_due(now: datetime | None = None, limit: int = BATCH) -> dict[str, int]:
    """Send what is due (at most ``limit``); returns how many were sent, failed and given up."""
    outcome = {"sent": 0, "failed": 0, "abandoned": 0}
    now = now or timezone.now()
    for pk in claim_due(now, limit):
        state = send_delivery(pk, now)
        outcome[state] += 1
    return outcome


def claim_due(now: datetime, limit: int) -> list[int]:
    """Take due deliveries for this worker: on PostgreSQL rows other workers hold are skipped; everywhere a
    conditional UPDATE of the next attempt time makes the claim, so two workers never send the same row."""
    due = Delivery.objects.due(now).order_by("next_attempt_at", "pk")
    claimed = []
    with transaction.atomic():
        if transaction.get_connection().features.has_select_for_update_skip_locked:
            due = due.select_for_update(skip_locked=True)
        for pk, at in list(due.values_list("pk", "next_attempt_at")[:limit]):
            if Delivery.objects.filter(pk=pk, next_attempt_at=at).update(next_attempt_at=now + LEASE):
                claimed.append(pk)
    return claimed


def send_delivery(pk: int, now: datetime) -> str:
    """Send one claimed delivery and record the outcome: sent, failed (retry scheduled) or abandoned."""
    delivery = Delivery.objects.select_related("notice__recipient", "robot").get(pk=pk)
    delivery.attempts += 1
    try:
        _send(delivery)
    except DeliveryError as error:
        logger.warning("delivery %s failed (attempt %s): %s", pk, delivery.attempts, error)
        return _record_failure(delivery, str(error), now)
    delivery.state, delivery.sent_at, delivery.next_attempt_at, delivery.last_error = Delivery.State.SENT, now, None, ""
    delivery.save(update_fields=["state", "sent_at", "next_attempt_at", "last_error", "attempts"])
    return delivery.state


def _send(delivery: Delivery) -> None:
    if delivery.channel == Delivery.Channel.EMAIL:
        send_email(delivery.notice, delivery.target)
    elif delivery.robot is None or not delivery.robot.is_active:
        raise DeliveryError(_("群机器人已停用或已删除"))
    else:
        send_to_robot(delivery.notice, delivery.robot)


def _record_failure(delivery: Delivery, error: str, now: datetime) -> str:
    delivery.last_error = error[:2000]
    if delivery.attempts >= MAX_ATTEMPTS:
        delivery.state, delivery.next_attempt_at = Delivery.State.ABANDONED, None
    else:
        delivery.state = Delivery.State.FAILED
        delivery.next_attempt_at = now + BACKOFF[delivery.attempts - 1]
    delivery.save(update_fields=["state", "next_attempt_at", "last_error", "attempts"])
    return delivery.state


def retry_now(*, delivery: Delivery, by) -> None:
    """An administrator's "retry now" on a failed or abandoned delivery: one more attempt, at once."""
    if not delivery.can_retry:
        raise BusinessRuleError(_("只有失败或已放弃的投递可以重试。"))
    updated = Delivery.objects.filter(pk=delivery.pk, state=delivery.state).update(
        state=Delivery.State.PENDING, next_attempt_at=timezone.now()
    )
    if not updated:
        raise BusinessRuleError(_("该投递的状态已被他人更改，请刷新后再试。"))
    LogEntry.objects.log_create(
        delivery,
        force_log=True,
        action=LogEntry.Action.UPDATE,
        actor=by,
        changes={"状态": [delivery.get_state_display(), str(Delivery.State.PENDING.label)]},
    )
    enqueue_on_commit()
