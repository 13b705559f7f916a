"""URL walker samples for introducers, reward rules and reward claims."""

import itertools
from datetime import date, timedelta
from decimal import Decimal

from apps.core.tests.samples import sample
from apps.investment.models import Introducer, RewardClaim, RewardRule
from apps.investment.tests.samples import make_project_sample
from apps.org.models import Unit

_serial = itertools.count(1)


@sample(Introducer)
def make_introducer_sample(unit: Unit, marker: str) -> Introducer:
    """An introducer registered by the unit; the marker is its name and note."""
    return Introducer.objects.create(
        kind=Introducer.Kind.PERSON, name=marker, note=marker, unit=unit, phone="13800001234",
        id_number="360426199101010071", registered_on=date(2026, 1, 5),
    )  # fmt: skip


@sample(RewardRule, shared=True)
def make_rule_sample(unit: Unit, marker: str) -> RewardRule:
    """Reward rules are city-wide, kept by the coordinating bureau."""
    return RewardRule.objects.create(
        name=marker, bands=[{"from": 0, "per_mille": 3}], valid_from=date(2090, 1, 1) + timedelta(days=next(_serial))
    )


@sample(RewardClaim)
def make_reward_claim_sample(unit: Unit, marker: str) -> RewardClaim:
    """A claim on a project of the unit, by an introducer of the unit, both named by the marker."""
    project = make_project_sample(unit, marker)
    introducer = make_introducer_sample(unit, marker)
    rule = RewardRule.objects.create(
        name=f"奖励办法{next(_serial)}", bands=[{"from": 0, "per_mille": 3}], valid_from=date(2000, 1, 1)
    )
    return RewardClaim.objects.create(
        project=project, introducer=introducer, rule=rule, base_investment=Decimal(1000), amount=Decimal(3),
        note=marker, created_by=project.created_by,
    )  # fmt: skip
