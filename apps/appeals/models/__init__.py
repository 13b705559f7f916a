from apps.appeals.models.appeals import Appeal, Assignment
from apps.appeals.models.codes import Category, DispatchRule
from apps.appeals.models.policies import TimeLimitPolicy
from apps.appeals.models.process import Event, ExtensionRequest, Pause, ReturnRequest
from apps.appeals.models.ratings import IndicatorSet, RatingAppeal, RatingEvent, RatingRules, ServiceRating

__all__ = [
    "Appeal",
    "Assignment",
    "Category",
    "DispatchRule",
    "Event",
    "ExtensionRequest",
    "IndicatorSet",
    "Pause",
    "RatingAppeal",
    "RatingEvent",
    "RatingRules",
    "ReturnRequest",
    "ServiceRating",
    "TimeLimitPolicy",
]
