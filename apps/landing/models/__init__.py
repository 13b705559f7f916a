from apps.landing.models.checklists import (
    Checklist,
    ChecklistStep,
    ChecklistTemplate,
    StepStatus,
    TemplateStep,
)
from apps.landing.models.problems import ProblemEvent, ProjectProblem
from apps.landing.models.progress import BatchStart, ProgressPhoto, ProgressReport
from apps.landing.models.reviews import JointReview, OpinionChange, ReviewOpinion, Verdict
from apps.landing.models.taskforces import Milestone, MilestoneKind, TaskForce, TaskForceMember

__all__ = [
    "BatchStart",
    "Checklist",
    "ChecklistStep",
    "ChecklistTemplate",
    "JointReview",
    "Milestone",
    "MilestoneKind",
    "OpinionChange",
    "ProblemEvent",
    "ProgressPhoto",
    "ProgressReport",
    "ProjectProblem",
    "ReviewOpinion",
    "StepStatus",
    "TaskForce",
    "TaskForceMember",
    "TemplateStep",
    "Verdict",
]
