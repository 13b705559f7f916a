"""Writing an item's eligibility rule (the rule editor) and trying a rule on an enterprise before it is saved."""

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from apps.core.audit import records_actor
from apps.enterprises.models import Enterprise
from apps.policies import permissions, rules
from apps.policies.facts import Facts, facts_for
from apps.policies.models import PolicyItem


@records_actor
@transaction.atomic
def set_rule(item: PolicyItem, data: dict | str | None, *, by) -> PolicyItem:
    """Replace the item's rule by ``data`` (a rule or its JSON text), checked by ``rules.parse``.

    Only the document's editors (``permissions.can_edit_policy``); a malformed rule raises RuleError and
    nothing is saved."""
    if not permissions.can_edit_policy(by, item.policy):
        raise PermissionDenied
    rule = rules.parse(data)
    if rule != item.rule:
        item.rule = rule
        item.save(update_fields=["rule"])
    return item


@dataclass(frozen=True)
class TrialLine:
    text: str
    passed: bool
    depth: int
    #: the condition's fact is unknown (no data): shown as 未知（无数据）, and it does not hold
    unknown: bool


@dataclass(frozen=True)
class Trial:
    enterprise: Enterprise
    passed: bool
    lines: tuple[TrialLine, ...]


def try_rule(rule: dict, enterprise: Enterprise, as_of: date | None = None) -> Trial:
    """A (parsed) rule, saved or not, explained for the enterprise, each line marked when its fact is unknown."""
    facts = facts_for(enterprise, as_of or timezone.localdate())
    explanation = rules.explain(rule, facts)
    flags = _unknown_flags(rule, facts)
    if len(flags) != len(explanation.lines):
        flags = [False] * len(explanation.lines)
    lines = tuple(TrialLine(line.text, line.passed, line.depth, unknown)
                  for line, unknown in zip(explanation.lines, flags, strict=True))  # fmt: skip
    return Trial(enterprise, explanation.passed, lines)


def _unknown_flags(rule: dict, facts: Facts) -> list[bool]:
    """Per line of ``rules.explain`` (a top-level "all" lists its children directly, any other group has a
    heading line first), whether the line's fact is unknown."""
    flags: list[bool] = []

    def walk(node: dict) -> None:
        if "field" in node:
            flags.append(_unknown(node["field"], facts))
            return
        flags.append(False)
        for child in node["all" if "all" in node else "any"]:
            walk(child)

    for node in rule.get("all", [rule]) if rule else []:
        walk(node)
    return flags


def _unknown(name: str, facts: Facts) -> bool:
    if name == "industry":
        return not facts.industry_codes
    if name == "region":
        return not facts.region_code
    if name == "tags":
        return False
    value = facts.founded_years if name == "founded_years" else getattr(facts, name)
    return value is None
