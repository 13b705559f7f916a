from apps.appeals.models.appeals import Appeal, Assignment
from apps.appeals.models.codes import Category, DispatchRule
from apps.appeals.models.evaluations import (
    Campaign,
    CampaignEvent,
    Dimension,
    EvaluationAnswer,
    EvaluationComment,
    EvaluationResponse,
    Invitation,
    Question,
    UsedToken,
)
from apps.appeals.models.policies import TimeLimitPolicy
from apps.appeals.models.process import Event, ExtensionRequest, Pause, ReturnRequest

__all__ = [
    "Appeal",
    "Assignment",
    "Campaign",
    "CampaignEvent",
    "Category",
    "Dimension",
    "DispatchRule",
    "EvaluationAnswer",
    "EvaluationComment",
    "EvaluationResponse",
    "Event",
    "ExtensionRequest",
    "Invitation",
    "Pause",
    "Question",
    "ReturnRequest",
    "TimeLimitPolicy",
    "UsedToken",
]
