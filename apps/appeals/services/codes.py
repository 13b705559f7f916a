"""Upkeep of the dispatch catalogue (派单目录) and the time limits (办理时限): new versions, never edits in place.

A version is published with its effective date (today or later: a ticket is dispatched by the rule valid on
the day it was recorded and keeps the policy it was given, so the past is never rewritten). The version in
force with no end date is closed the day an open-ended new one starts (a new version with an end date would
leave a gap after it, so it may only fill free time); any other overlap with a version of the same
key (category × area, or jurisdiction × type × urgency) is refused. Only the hotline office's administrator
(``appeals.maintain_codes``) publishes; auditlog records the new row and the predecessor's closing.
"""

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from apps.appeals import permissions
from apps.appeals.models import DispatchRule, TimeLimitPolicy
from apps.core.audit import records_actor
from apps.core.errors import BusinessRuleError


@dataclass(frozen=True)
class Span:
    start: date
    end: date | None  # the first day no longer valid; None = open-ended

    def overlaps(self, other: "Span") -> bool:
        return (other.end is None or self.start < other.end) and (self.end is None or other.start < self.end)


def _check_publisher(by, valid_from: date, valid_to: date | None, today: date) -> None:
    if not permissions.can_maintain_codes(by):
        raise BusinessRuleError(_("只有热线办管理员可以发布新版本。"))
    if valid_from < today:
        raise BusinessRuleError(_("生效日期不得早于今天：已生效的版本不能追溯修改。"), field="valid_from")
    if valid_to is not None and valid_to <= valid_from:
        raise BusinessRuleError(_("失效日期应晚于生效日期。"), field="valid_to")


def _supersede(versions, new: Span) -> list:
    """The versions to close at ``new.start``; refused when ``new`` overlaps any other version."""
    closing = []
    for version in versions:
        span = Span(version.valid_from, version.valid_to)
        if not span.overlaps(new):
            continue
        if span.end is None and span.start < new.start and new.end is None:
            closing.append(version)
            continue
        end = version.valid_to.isoformat() if version.valid_to else _("长期")
        raise BusinessRuleError(
            _("与已有版本“%(version)s”（%(start)s 至 %(end)s）的有效期重叠。")
            % {"version": version.version, "start": version.valid_from.isoformat(), "end": end},
            field="valid_from",
        )
    return closing


def _close(versions, day: date) -> None:
    for version in versions:
        version.valid_to = day
        version.save(update_fields=["valid_to"])  # save(), not update(): auditlog records the change


def _validated(instance) -> None:
    try:
        instance.full_clean()
    except ValidationError as error:
        field, messages = next(iter(error.message_dict.items()))
        raise BusinessRuleError(messages[0], field=None if field == "__all__" else field) from error


@records_actor
@transaction.atomic
def publish_dispatch_rule(*, rule: DispatchRule, co_units, by, today: date) -> DispatchRule:
    """派单目录 new version for the rule's category × area; closes the open-ended version it supersedes."""
    _check_publisher(by, rule.valid_from, rule.valid_to, today)
    co_units = list(co_units)
    if rule.lead_unit in co_units:
        raise BusinessRuleError(_("主办单位和协办单位不得重复。"), field="co_units")
    if rule.category.is_functional and any(unit.kind == "town" for unit in co_units):
        raise BusinessRuleError(_("职能部门职责事项不得指定乡镇街道协办。"), field="co_units")
    _validated(rule)
    same_key = DispatchRule.objects.select_for_update().filter(category=rule.category, area=rule.area)
    closing = _supersede(same_key.order_by("valid_from"), Span(rule.valid_from, rule.valid_to))
    _close(closing, rule.valid_from)
    rule.save()
    rule.co_units.set(co_units)
    return rule


@records_actor
@transaction.atomic
def publish_policy(*, policy: TimeLimitPolicy, by, today: date) -> TimeLimitPolicy:
    """办理时限 new version for the policy's jurisdiction × type × urgency; closes the one it supersedes."""
    _check_publisher(by, policy.valid_from, policy.valid_to, today)
    _validated(policy)
    same_key = TimeLimitPolicy.objects.select_for_update().filter(
        jurisdiction=policy.jurisdiction, appeal_type=policy.appeal_type, urgency=policy.urgency
    )
    closing = _supersede(same_key.order_by("valid_from"), Span(policy.valid_from, policy.valid_to))
    _close(closing, policy.valid_from)
    policy.save()
    return policy
