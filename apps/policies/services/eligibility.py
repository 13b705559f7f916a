"""One enterprise against the policy items (the portal's list, the "test against an enterprise" button).

The facts are read once (apps/policies/facts.py) and every in-force item with a rule is explained against them
in memory, so one enterprise's matches take a handful of queries whatever the number of items.
"""

from dataclasses import dataclass
from datetime import date

from django.utils import timezone

from apps.enterprises.models import Enterprise
from apps.policies import rules
from apps.policies.facts import facts_for
from apps.policies.models import Policy, PolicyItem


@dataclass(frozen=True)
class ItemMatch:
    item: PolicyItem
    explanation: rules.Explanation


def items_in_force(as_of: date):
    """The items of the documents in force on the day, with their document."""
    return PolicyItem.objects.filter(policy__in=Policy.objects.in_force(as_of)).select_related("policy", "department")


def eligible_items(enterprise: Enterprise, as_of: date | None = None) -> list[ItemMatch]:
    """The in-force items with a rule that the enterprise meets, with the reasons."""
    as_of = as_of or timezone.localdate()
    facts = facts_for(enterprise, as_of)
    found = []
    for item in items_in_force(as_of).exclude(rule={}):
        explanation = rules.explain(item.rule, facts)
        if explanation.passed:
            found.append(ItemMatch(item, explanation))
    return found


def check(item: PolicyItem, enterprise: Enterprise, as_of: date | None = None) -> rules.Explanation:
    """The item's rule explained for the enterprise."""
    return rules.explain(item.rule, facts_for(enterprise, as_of or timezone.localdate()))
