from apps.bizenv.models.commitments import Case, CaseStep, ClockStop, Commitment, CommitmentStep
from apps.bizenv.models.indicators import Indicator, Methodology
from apps.bizenv.models.rounds import Entry, Reference, Result, Round, Score

__all__ = [
    "Case",
    "CaseStep",
    "ClockStop",
    "Commitment",
    "CommitmentStep",
    "Entry",
    "Indicator",
    "Methodology",
    "Reference",
    "Result",
    "Round",
    "Score",
]
