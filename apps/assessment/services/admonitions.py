"""Admonition talks (约谈): a snapshot's bottom units get one each, planned; the talk is recorded (date,
leader, who was talked to, the issues, the commitments) and then its follow-up, until rectified."""

from datetime import date

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.assessment import permissions
from apps.assessment.models import Admonition, Snapshot
from apps.core.audit import records_actor
from apps.core.errors import BusinessRuleError


def plan_admonitions(snapshot: Snapshot, *, by: AbstractBaseUser) -> list[Admonition]:
    """One planned talk for every unit the snapshot flags (通报必约谈)."""
    flagged = snapshot.rows.filter(admonish=True).values_list("unit_id", flat=True)
    return Admonition.objects.bulk_create(
        [Admonition(snapshot=snapshot, unit_id=unit, recorded_by=by) for unit in flagged], ignore_conflicts=True
    )


def _require_keeper(by, admonition: Admonition) -> None:
    if not (by.has_perm(permissions.RECORD_ADMONITION) and permissions.runs(by, admonition.snapshot.scheme)):
        raise BusinessRuleError(_("只有考核单位可以登记约谈和整改情况。"))


@records_actor
@transaction.atomic
def record_talk(
    *,
    admonition: Admonition,
    held_on: date,
    leader: str,
    attendees: str,
    issues: str,
    commitments: str,
    by: AbstractBaseUser,
) -> Admonition:
    _require_keeper(by, admonition)
    if held_on < admonition.snapshot.ends_on or held_on > timezone.localdate():
        raise BusinessRuleError(_("约谈日期须在排名周期结束之后、且不晚于今天。"), field="held_on")
    for name, value, message in (
        ("leader", leader, _("请填写约谈领导。")),
        ("issues", issues, _("请填写约谈指出的问题。")),
        ("commitments", commitments, _("请填写被约谈单位的整改承诺。")),
    ):
        if not value.strip():
            raise BusinessRuleError(message, field=name)
    admonition.held_on, admonition.leader, admonition.attendees = held_on, leader.strip(), attendees.strip()
    admonition.issues, admonition.commitments = issues.strip(), commitments.strip()
    if admonition.status == Admonition.Status.PLANNED:
        admonition.status = Admonition.Status.RECTIFYING
    admonition.save()
    return admonition


@records_actor
@transaction.atomic
def record_follow_up(
    *, admonition: Admonition, follow_up: str, followed_on: date | None, by: AbstractBaseUser
) -> Admonition:
    """What the unit has done; with a completion date the admonition is rectified (已整改)."""
    _require_keeper(by, admonition)
    if admonition.status == Admonition.Status.PLANNED:
        raise BusinessRuleError(_("请先登记约谈情况。"))
    if not follow_up.strip():
        raise BusinessRuleError(_("请填写整改情况。"), field="follow_up")
    if followed_on is not None and (followed_on < admonition.held_on or followed_on > timezone.localdate()):
        raise BusinessRuleError(_("整改完成日期须在约谈之后、且不晚于今天。"), field="followed_on")
    admonition.follow_up, admonition.followed_on = follow_up.strip(), followed_on
    admonition.status = Admonition.Status.DONE if followed_on else Admonition.Status.RECTIFYING
    admonition.save()
    return admonition
