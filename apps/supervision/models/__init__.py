from apps.supervision.models.cases import CaseEvent, CaseSource, TypicalCase
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
from apps.supervision.models.tasks import ProgressReport, SupervisionTask, TaskEvent, TaskReminder

__all__ = [
    "CaseEvent",
    "CaseSource",
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
    "ProgressReport",
    "Reminder",
    "SupervisionTask",
    "TaskEvent",
    "TaskReminder",
    "TypicalCase",
]
