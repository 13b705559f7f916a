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
from apps.supervision.models.problems import Evidence, Milestone, Problem, ProblemEvent, Reminder

__all__ = [
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
    "InvestorCommitment",
    "Milestone",
    "Problem",
    "ProblemEvent",
    "Reminder",
]
