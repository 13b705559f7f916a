from apps.supervision.models.commitments import CommitmentEvent, InvestorCommitment
from apps.supervision.models.problems import Evidence, Milestone, Problem, ProblemEvent, Reminder

__all__ = ["CommitmentEvent", "Evidence", "InvestorCommitment", "Milestone", "Problem", "ProblemEvent", "Reminder"]
