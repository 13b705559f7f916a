from apps.supervision.models.commitments import CommitmentEvent, InvestorCommitment
from apps.supervision.models.credit import (
    CreditEffect,
    CreditEffectLog,
    CreditEffectRule,
    CreditEntry,
    CreditEvent,
    CreditKind,
    CreditPlace,
    CreditRepair,
    CreditState,
)
from apps.supervision.models.defaults import Clearance, GovernmentDefault
from apps.supervision.models.problems import Evidence, Milestone, Problem, ProblemEvent, Reminder

__all__ = [
    "Clearance",
    "CommitmentEvent",
    "CreditEffect",
    "CreditEffectLog",
    "CreditEffectRule",
    "CreditEntry",
    "CreditEvent",
    "CreditKind",
    "CreditPlace",
    "CreditRepair",
    "CreditState",
    "Evidence",
    "GovernmentDefault",
    "InvestorCommitment",
    "Milestone",
    "Problem",
    "ProblemEvent",
    "Reminder",
]
