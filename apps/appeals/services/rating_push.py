"""Pushing ratings to the provincial 好差评 system: the payload, the outbox and the sender.

Each rating is pushed when it is recorded and each time its rectification state changes (one outbox row per
state reached, written by ``queue_push`` in the rating's own transaction). The scan ``appeals_rating_push``
sends the due rows as JSON to ``PROVINCIAL_RATING_URL`` (a bearer token, a timeout); a failure is retried
with a doubling delay, a success is never sent again. The payload carries the national data dictionary's
codes and nothing that names the rater (no name, phone or enterprise).
"""

import json
import re
import urllib.error
import urllib.request
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.appeals.models import RatingPush, ServiceRating
from apps.appeals.models.rating_push import PushState
from apps.appeals.models.ratings import RatingChannel, RatingKind, RectificationState
from apps.core.audit import records_actor
from apps.core.errors import BusinessRuleError

BEIJING = ZoneInfo("Asia/Shanghai")
FIRST_DELAY = timedelta(minutes=5)
MAX_DELAY = timedelta(hours=12)
#: after this many failures a push waits for the retry button
MAX_ATTEMPTS = 8
BATCH = 200

#: 评价渠道 of the national dictionary: 1 PC端, 4 政务大厅评价器, 6 电话
CHANNEL_CODES = {
    RatingChannel.ONLINE: "1",
    RatingChannel.PORTAL: "1",
    RatingChannel.OFFLINE: "4",
    RatingChannel.PHONE: "6",
}
#: 差评整改状态: 0 无需整改, 1 待核实, 2 整改中, 3 待回访, 4 已办结
RECTIFICATION_CODES = {
    RectificationState.NONE: "0",
    RectificationState.AWAITING_VERIFICATION: "1",
    RectificationState.RECTIFYING: "2",
    RectificationState.AWAITING_FEEDBACK: "3",
    RectificationState.CLOSED: "4",
}

#: JSON Schema (draft 2020-12) of one pushed rating; ``payload_errors`` checks the subset it uses
PAYLOAD_SCHEMA: dict = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "好差评推送",
    "type": "object",
    "additionalProperties": False,
    "required": [
        "message_id", "project_no", "rating_kind", "channel", "level", "rated_at", "service_name", "dept_code",
        "dept_name", "rectification_state", "defaulted", "excluded",
    ],
    "properties": {
        "message_id": {"type": "string", "description": "推送编号（评价 + 状态，接收方据此去重）"},
        "project_no": {"type": "string", "description": "办件编号：工单编号，或服务的办件编号"},
        "rating_kind": {"type": "string", "enum": ["1", "2"], "description": "评价对象：1 一次一评，2 一事一评"},
        "channel": {"type": "string", "enum": ["0", "1", "4", "6"], "description": "评价渠道（0 默认好评）"},
        "level": {"type": "integer", "enum": [1, 2, 3, 4, 5], "description": "评价等级：5 非常满意 … 1 非常不满意"},
        "rated_at": {
            "type": "string",
            "pattern": r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+08:00$",
            "description": "评价时间（ISO 8601，北京时间）",
        },
        "service_name": {"type": "string", "description": "服务事项名称"},
        "dept_code": {"type": "string", "minLength": 1, "description": "被评价部门编码"},
        "dept_name": {"type": "string", "description": "被评价部门名称"},
        "rectification_state": {"type": "string", "enum": ["0", "1", "2", "3", "4"], "description": "差评整改状态"},
        "defaulted": {"type": "boolean", "description": "默认好评"},
        "excluded": {"type": "boolean", "description": "申诉成立、剔除统计"},
    },
}  # fmt: skip

_TYPES = {"string": str, "integer": int, "boolean": bool, "object": dict}


def payload_errors(payload: dict, schema: dict = PAYLOAD_SCHEMA) -> list[str]:
    """What is wrong with ``payload`` against the schema (required, additionalProperties, type, enum, pattern)."""
    errors = [f"missing: {key}" for key in schema["required"] if key not in payload]
    properties = schema["properties"]
    errors += [f"unexpected: {key}" for key in payload if key not in properties]
    for key, value in payload.items():
        rule = properties.get(key)
        if rule is None:
            continue
        wanted = _TYPES[rule["type"]]
        if not isinstance(value, wanted) or (wanted is int and isinstance(value, bool)):
            errors.append(f"type: {key}")
        elif "enum" in rule and value not in rule["enum"]:
            errors.append(f"enum: {key}")
        elif "pattern" in rule and not re.match(rule["pattern"], value):
            errors.append(f"pattern: {key}")
        elif len(str(value)) < rule.get("minLength", 0):
            errors.append(f"minLength: {key}")
    return errors


def project_number(rating: ServiceRating) -> str:
    """办件编号: the ticket's number, or for a service one made of the keeping office's code and the rating."""
    if rating.kind == RatingKind.TICKET and rating.appeal_id:
        return rating.appeal.number
    return f"{rating.office.code}-PJ{rating.pk:08d}"


def build_payload(rating: ServiceRating) -> dict:
    """One rating in the national 好差评 data dictionary; never the rater's identity."""
    return {
        "message_id": f"{rating.pk}-{rating.state}",
        "project_no": project_number(rating),
        "rating_kind": "2" if rating.kind == RatingKind.TICKET else "1",
        "channel": CHANNEL_CODES.get(rating.channel, "0"),
        "level": int(rating.level),
        "rated_at": rating.rated_at.astimezone(BEIJING).isoformat(timespec="seconds"),
        "service_name": rating.service_name,
        "dept_code": rating.unit.code,
        "dept_name": rating.unit.name,
        "rectification_state": RECTIFICATION_CODES[rating.state],
        "defaulted": rating.defaulted,
        "excluded": rating.excluded,
    }


def queue_push(rating: ServiceRating, *, now: datetime) -> RatingPush:
    """The outbox row for the state ``rating`` is in now (a second call for the same state changes nothing)."""
    existing = RatingPush.objects.filter(rating=rating, rectification_state=rating.state).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            return RatingPush.objects.create(
                rating=rating, rectification_state=rating.state, payload=build_payload(rating), created_at=now,
                next_try_at=now,
            )  # fmt: skip
    except IntegrityError:  # queued at the same moment by another transaction
        return RatingPush.objects.get(rating=rating, rectification_state=rating.state)


def backoff(attempts: int) -> timedelta:
    """The wait after the ``attempts``-th failure: 5 minutes, doubling, at most 12 hours."""
    return min(FIRST_DELAY * 2 ** (attempts - 1), MAX_DELAY)


def post_payload(payload: dict) -> None:
    """POST one payload; raises OSError (urllib's errors included) unless the answer is 2xx."""
    body = json.dumps(payload, ensure_ascii=False).encode()
    headers = {"Content-Type": "application/json; charset=utf-8"}
    if settings.PROVINCIAL_RATING_TOKEN:
        headers["Authorization"] = f"Bearer {settings.PROVINCIAL_RATING_TOKEN}"
    url = settings.PROVINCIAL_RATING_URL
    if not url.startswith(("https://", "http://")):  # never file: or another scheme urllib would open
        raise ValueError(f"PROVINCIAL_RATING_URL must be http(s): {url}")
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")  # noqa: S310
    with urllib.request.urlopen(request, timeout=settings.PROVINCIAL_RATING_TIMEOUT) as response:  # noqa: S310
        if not 200 <= response.status < 300:
            raise OSError(f"HTTP {response.status}")


def send_push(push_id: int, *, now: datetime) -> bool | None:
    """Send one due push under a row lock; True sent, False failed, None not due any more (sent or taken)."""
    with transaction.atomic():
        push = RatingPush.objects.select_for_update(skip_locked=True).due(now).filter(pk=push_id).first()
        if push is None:
            return None
        try:
            post_payload(push.payload)
        except (OSError, ValueError) as error:
            push.attempts += 1
            push.state, push.last_error = PushState.FAILED, str(error)[:1000]
            round_ = (push.attempts - 1) % MAX_ATTEMPTS + 1  # a retry by hand starts the backoff over
            push.next_try_at = now + backoff(round_) if round_ < MAX_ATTEMPTS else None
            push.save(update_fields=["attempts", "state", "last_error", "next_try_at"])
            return False
        push.attempts += 1
        push.state, push.pushed_at, push.next_try_at, push.last_error = PushState.PUSHED, now, None, ""
        push.save(update_fields=["attempts", "state", "pushed_at", "next_try_at", "last_error"])
        return True


def send_due_pushes(*, now: datetime | None = None) -> tuple[int, int]:
    """Send every due push (oldest first, one batch); (sent, failed). Nothing when no URL is configured."""
    if not settings.PROVINCIAL_RATING_URL:
        return 0, 0
    now = now or timezone.now()
    ids = list(RatingPush.objects.due(now).order_by("next_try_at", "pk").values_list("pk", flat=True)[:BATCH])
    outcomes = [send_push(pk, now=now) for pk in ids]
    return outcomes.count(True), outcomes.count(False)


def push_ratings_summary() -> str:
    """The scan ``appeals_rating_push`` in one line."""
    if not settings.PROVINCIAL_RATING_URL:
        return "provincial rating push disabled (PROVINCIAL_RATING_URL empty)"
    sent, failed = send_due_pushes()
    return f"{sent} rating pushes sent, {failed} failed"


@records_actor
@transaction.atomic
def retry_push(*, push: RatingPush, by, now: datetime) -> RatingPush:
    """重新推送: a failed push is due again at once (its attempts are kept; the backoff starts over)."""
    locked = RatingPush.objects.select_for_update().get(pk=push.pk)
    if locked.state != PushState.FAILED:
        raise BusinessRuleError(_("只有推送失败的记录可以重新推送。"))
    locked.state, locked.next_try_at = PushState.PENDING, now
    locked.save(update_fields=["state", "next_try_at"])
    return locked
