"""Dispatch suggestions from the catalogue (派单目录): which unit leads and which units help.

The rule valid on the day the ticket was recorded applies. A rule for the ticket's own category beats one
for a parent category; within a category, a rule for the ticket's area (or the nearest area above it)
beats the city-wide rule. A person confirms the suggestion when dispatching.
"""

from dataclasses import dataclass, field

from django.utils import timezone

from apps.appeals.models import Appeal, DispatchRule


@dataclass(frozen=True)
class Suggestion:
    rule: DispatchRule
    lead_unit: object
    co_units: list = field(default_factory=list)


def _category_chain(category) -> list:
    chain = []
    while category is not None:
        chain.append(category)
        category = category.parent
    return chain


def _area_rank(rule: DispatchRule, area) -> int | None:
    """Depth of the rule's area when it covers ``area`` (0 = city-wide), None when it does not apply."""
    if rule.area_id is None:
        return 0
    if area is not None and area.path.startswith(rule.area.path):
        return len(rule.area.path)
    return None


def suggest_units(appeal: Appeal) -> Suggestion | None:
    """The lead and co-units the catalogue names for the ticket, or None when no rule applies."""
    day = timezone.localtime(appeal.created_at).date()
    rules = DispatchRule.objects.valid_on(day).select_related("area", "lead_unit").prefetch_related("co_units")
    for category in _category_chain(appeal.category):
        ranked = [
            (rank, rule)
            for rule in rules.filter(category=category)
            if (rank := _area_rank(rule, appeal.area)) is not None
        ]
        if ranked:
            _rank, rule = max(ranked, key=lambda pair: (pair[0], pair[1].valid_from))
            return Suggestion(rule=rule, lead_unit=rule.lead_unit, co_units=list(rule.co_units.all()))
    return None
