from apps.supervision.models.commitments import CommitmentEvent, InvestorCommitment
from apps.supervision.models.defaults import Clearance, GovernmentDefault
from apps.supervision.models.problems import Evidence, Milestone, Problem, ProblemEvent, Reminder

__all__ = [
    "Clearance",
    "CommitmentEvent",
    "Evidence",
    "GovernmentDefault",
    "InvestorCommitment",
    "Milestone",
    "Problem",
    "ProblemEvent",
    "Reminder",
]
