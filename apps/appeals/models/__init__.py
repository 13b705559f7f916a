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
from apps.appeals.models.follow_ups import Callback
from apps.appeals.models.knowledge import Article, ArticleEvent, ArticleUse, ArticleVersion
from apps.appeals.models.policies import TimeLimitPolicy
from apps.appeals.models.process import Event, ExtensionRequest, Pause, ReturnRequest
from apps.appeals.models.rating_push import RatingPush
from apps.appeals.models.ratings import IndicatorSet, RatingAppeal, RatingEvent, RatingRules, ServiceRating
from apps.appeals.models.statistics import KpiScheme, KpiWeight, MonthlyFigure, MonthlySnapshot

__all__ = [
    "Appeal",
    "Article",
    "ArticleEvent",
    "ArticleUse",
    "ArticleVersion",
    "Assignment",
    "Callback",
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
    "IndicatorSet",
    "Invitation",
    "KpiScheme",
    "KpiWeight",
    "MonthlyFigure",
    "MonthlySnapshot",
    "Pause",
    "Question",
    "RatingAppeal",
    "RatingEvent",
    "RatingPush",
    "RatingRules",
    "ReturnRequest",
    "ServiceRating",
    "TimeLimitPolicy",
    "UsedToken",
]
