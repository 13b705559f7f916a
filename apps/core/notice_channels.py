"""Sending one notice on one channel: e-mail through Django, WeCom and DingTalk group robots by webhook.

Every sender raises ``DeliveryError`` with a short reason when the notice did not get through; the caller
(apps/core/notice_delivery.py) records it and schedules the retry.
"""

import base64
import hashlib
import hmac
import json
import time
import urllib.error
import urllib.request
from urllib.parse import quote

from django.conf import settings
from django.core.mail import send_mail
from django.utils.translation import gettext as _

from apps.core.models import GroupRobot, Notice

TIMEOUT_SECONDS = 5
#: a robot's reply is read only this far (a JSON status, never a large body)
MAX_REPLY_BYTES = 64 * 1024


class DeliveryError(Exception):
    """The channel refused or could not be reached; the message says why (kept in the delivery log)."""


def absolute_url(path: str) -> str:
    """A link that works outside the site (in a mail or a chat): SITE_URL in front of a local path."""
    if not path or "://" in path:
        return path
    return settings.SITE_URL.rstrip("/") + "/" + path.lstrip("/")


def send_email(notice: Notice, address: str) -> None:
    lines = [notice.body, absolute_url(notice.url)]
    body = "\n\n".join(line for line in lines if line)
    try:
        send_mail(f"[{_('营商')}] {notice.title}", body, None, [address])
    except Exception as error:  # SMTP refusals, timeouts and connection errors all mean "try again later"
        raise DeliveryError(f"{type(error).__name__}: {error}") from error


def robot_markdown(notice: Notice) -> str:
    """The chat message: the title in bold, whom it is for, the text and a link."""
    parts = [f"**{notice.title}**", _("致：%(name)s") % {"name": notice.recipient.name or notice.recipient}]
    if notice.body:
        parts.append(notice.body)
    if notice.url:
        parts.append(f"[{_('查看详情')}]({absolute_url(notice.url)})")
    return "\n\n".join(parts)


def wecom_payload(notice: Notice) -> dict:
    return {"msgtype": "markdown", "markdown": {"content": robot_markdown(notice)}}


def dingtalk_payload(notice: Notice) -> dict:
    return {"msgtype": "markdown", "markdown": {"title": notice.title, "text": robot_markdown(notice)}}


def dingtalk_signed_url(url: str, secret: str, timestamp_ms: int | None = None) -> str:
    """DingTalk's 加签: HMAC-SHA256 of "timestamp\\nsecret" keyed by the secret, base64, URL-encoded."""
    timestamp = str(timestamp_ms if timestamp_ms is not None else int(time.time() * 1000))
    digest = hmac.new(secret.encode(), f"{timestamp}\n{secret}".encode(), hashlib.sha256).digest()
    sign = quote(base64.b64encode(digest).decode(), safe="")
    return f"{url}{'&' if '?' in url else '?'}timestamp={timestamp}&sign={sign}"


def send_to_robot(notice: Notice, robot: GroupRobot) -> None:
    if robot.kind == GroupRobot.Kind.DINGTALK:
        url = dingtalk_signed_url(robot.webhook_url, robot.secret) if robot.secret else robot.webhook_url
        post_json(url, dingtalk_payload(notice))
    else:
        post_json(robot.webhook_url, wecom_payload(notice))


def post_json(url: str, payload: dict) -> None:
    """POST the payload; an HTTP error, a network error or a JSON reply with errcode ≠ 0 is a failure."""
    request = urllib.request.Request(  # noqa: S310 - the URL is an administrator's http(s) webhook (forms check it)
        url,
        data=json.dumps(payload, ensure_ascii=False).encode(),
        headers={"Content-Type": "application/json; charset=utf-8"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310
            reply = response.read(MAX_REPLY_BYTES)
    except urllib.error.HTTPError as error:
        raise DeliveryError(f"HTTP {error.code}") from error
    except (urllib.error.URLError, TimeoutError, OSError) as error:
        raise DeliveryError(f"{type(error).__name__}: {getattr(error, 'reason', error)}") from error
    _check_reply(reply)


def _check_reply(reply: bytes) -> None:
    try:
        answer = json.loads(reply or b"{}")
    except ValueError:
        return  # a plain 2xx without JSON: the robot took it
    if isinstance(answer, dict) and answer.get("errcode", 0) != 0:
        raise DeliveryError(f"errcode {answer.get('errcode')}: {answer.get('errmsg', '')}"[:500])
