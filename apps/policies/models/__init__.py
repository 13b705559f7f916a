from apps.policies.models.fulfilment import (
    OPEN_STATES,
    Fulfilment,
    FulfilmentEvent,
    FulfilmentMaterial,
    FulfilmentState,
)
from apps.policies.models.matching import MatchRun, PolicyMatch
from apps.policies.models.policies import BenefitKind, Policy, PolicyItem, PolicyState

__all__ = [
    "OPEN_STATES",
    "BenefitKind",
    "Fulfilment",
    "FulfilmentEvent",
    "FulfilmentMaterial",
    "FulfilmentState",
    "MatchRun",
    "Policy",
    "PolicyItem",
    "PolicyMatch",
    "PolicyState",
]
