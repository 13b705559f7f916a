"""Recording a ticket (登记): number, query code, the time-limit policy version, the first event."""

import secrets
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.appeals import permissions
from apps.appeals.models import Appeal, Category, Event
from apps.appeals.models.process import Action
from apps.appeals.services import clocks
from apps.core.audit import records_actor
from apps.core.errors import BusinessRuleError

#: no 0/O or 1/I: the appellant reads the code out on the phone
QUERY_CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"


@dataclass(frozen=True)
class AppealFields:
    channel: str
    appeal_type: str
    category: Category
    title: str
    content: str
    urgency: str = "normal"
    enterprise: object = None
    citizen_name: str = ""
    phone: str = ""
    id_number: str = ""
    confidential: bool = False
    area: object = None


def next_number(now: datetime) -> str:
    """SQ + the local date + a five-digit daily serial: SQ2026120300001."""
    prefix = "SQ" + timezone.localtime(now).strftime("%Y%m%d")
    last = Appeal.objects.filter(number__startswith=prefix).order_by("-number").values_list("number", flat=True)
    serial = int(last[0][len(prefix) :]) + 1 if last else 1
    return f"{prefix}{serial:05d}"


def new_query_code() -> str:
    return "".join(secrets.choice(QUERY_CODE_ALPHABET) for _index in range(6))


@records_actor
@transaction.atomic
def record_appeal(*, fields: AppealFields, unit, by, now: datetime) -> Appeal:
    """Record a new ticket owned by ``unit`` (the recorder's unit or one below it)."""
    if not (by.has_perm(permissions.RECORD_APPEAL) and by.unit and unit.path.startswith(by.unit.path)):
        raise BusinessRuleError(_("您无权在该单位登记诉求。"))
    if fields.enterprise is None and not (fields.citizen_name or fields.phone):
        raise BusinessRuleError(_("请填写企业或诉求人的姓名、联系电话。"), field="phone")
    policy = clocks.policy_for(
        unit=unit, appeal_type=fields.appeal_type, urgency=fields.urgency, on=timezone.localtime(now).date()
    )
    appeal = Appeal(
        **fields.__dict__,
        unit=unit,
        policy=policy,
        number=next_number(now),
        query_code=new_query_code(),
        created_at=now,
    )
    appeal.full_clean()
    appeal.save()
    Event.objects.create(
        appeal=appeal, actor=by, actor_unit=by.unit, action=Action.RECORD, to_state=appeal.state, at=now
    )
    return appeal
