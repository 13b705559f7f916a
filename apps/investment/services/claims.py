"""首报首谈: claiming an enterprise when a lead is registered, and the coordinating bureau's decisions.

The database allows one active claim per enterprise (Claim's partial unique constraint). A unit
registering an enterprise nobody holds inserts its claim; if another unit's insert wins the race,
this one's IntegrityError turns it into a waiting claim with an open conflict — so concurrent
registrations end with exactly one holder, never two.
"""

from datetime import date, timedelta

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.audit import records_actor
from apps.core.errors import BusinessRuleError
from apps.investment.models import Claim, ClaimConflict, PipelineSettings, Project


def expire_claims(*, today: date | None = None, enterprise=None) -> int:
    """Mark active claims past their protection period as expired; returns how many (idempotent)."""
    today = today or timezone.localdate()
    claims = Claim.objects.filter(status=Claim.Status.ACTIVE, expires_on__lt=today)
    if enterprise is not None:
        claims = claims.filter(enterprise=enterprise)
    return claims.update(status=Claim.Status.EXPIRED)


def group_claims(enterprise, *, excluding_unit=None) -> list[Claim]:
    """Other units' claims on the enterprise's group (its parent, subsidiaries, branches, siblings):
    a warning, not a block — a group's members are separate investors."""
    root = enterprise
    for _level in range(3):
        if root.parent_id is None:
            break
        root = root.parent
    members = Q(enterprise=root) | Q(enterprise__parent=root) | Q(enterprise__parent__parent=root)
    claims = (
        Claim.objects.holding().filter(members, expires_on__gte=timezone.localdate()).exclude(enterprise=enterprise)
    )
    if excluding_unit is not None:
        claims = claims.exclude(unit=excluding_unit)
    return list(claims.select_related("unit", "enterprise").order_by("starts_on", "id")[:5])


def holder_of(enterprise, *, excluding_unit=None) -> Claim | None:
    """The claim holding the enterprise now (the first of a joint claim), if any."""
    claims = Claim.objects.holding().filter(enterprise=enterprise, expires_on__gte=timezone.localdate())
    if excluding_unit is not None:
        claims = claims.exclude(unit=excluding_unit)
    return claims.select_related("unit", "project").order_by("starts_on", "id").first()


def claim_for(project: Project) -> Claim:
    """Give a newly registered project its claim: active, shared with its unit's earlier claim, or waiting."""
    today = timezone.localdate()
    expire_claims(today=today, enterprise=project.enterprise_id)
    own = Claim.objects.holding().filter(enterprise=project.enterprise_id, unit=project.unit).first()
    if own is not None:
        return own
    period = timedelta(days=PipelineSettings.current().claim_days)
    claim = Claim(
        enterprise_id=project.enterprise_id,
        unit=project.unit,
        project=project,
        starts_on=today,
        expires_on=today + period,
    )
    holder = holder_of(project.enterprise_id)
    if holder is None:
        try:
            with transaction.atomic():
                claim.status = Claim.Status.ACTIVE
                claim.save()
            return claim
        except IntegrityError:
            claim.pk = None
            holder = holder_of(project.enterprise_id)
    claim.status = Claim.Status.WAITING
    claim.save()
    ClaimConflict.objects.create(enterprise_id=project.enterprise_id, holder=holder, challenger=claim)
    return claim


def renew_claim(project: Project) -> None:
    """A project that moves on keeps its unit's claim for another protection period."""
    period = timedelta(days=PipelineSettings.current().claim_days)
    Claim.objects.holding().filter(enterprise=project.enterprise_id, unit=project.unit).update(
        expires_on=timezone.localdate() + period
    )


@records_actor
@transaction.atomic
def decide_conflict(
    *, conflict: ClaimConflict, decision: str, note: str, holder_share: int | None = None, by: AbstractBaseUser
) -> ClaimConflict:
    """The coordinating bureau's decision: keep the first claim, transfer it, or make it joint with shares."""
    conflict = ClaimConflict.objects.select_for_update().get(pk=conflict.pk)
    if conflict.status != ClaimConflict.Status.OPEN:
        raise BusinessRuleError(_("该多头招商已协调。"))
    if not note.strip():
        raise BusinessRuleError(_("请填写协调意见。"), field="note")
    holder, challenger = conflict.holder, conflict.challenger
    if decision == ClaimConflict.Decision.KEEP:
        _set(challenger, Claim.Status.REFUSED)
    elif decision == ClaimConflict.Decision.TRANSFER:
        _set(holder, Claim.Status.TRANSFERRED)
        _set(challenger, Claim.Status.ACTIVE)
    elif decision == ClaimConflict.Decision.JOINT:
        if holder_share is None or not 1 <= holder_share <= 99:
            raise BusinessRuleError(_("联合招商须填写首报单位的分成比例（1—99）。"), field="holder_share")
        _set(holder, Claim.Status.JOINT, share=holder_share)
        _set(challenger, Claim.Status.JOINT, share=100 - holder_share)
    else:
        raise BusinessRuleError(_("请选择协调结果。"), field="decision")
    conflict.status, conflict.decision, conflict.note = ClaimConflict.Status.DECIDED, decision, note.strip()
    conflict.holder_share = holder_share if decision == ClaimConflict.Decision.JOINT else None
    conflict.decided_by, conflict.decided_at = by, timezone.now()
    conflict.save()
    return conflict


def _set(claim: Claim, status: str, *, share: int = 100) -> None:
    claim.status, claim.share = status, share
    claim.save(update_fields=["status", "share"])
