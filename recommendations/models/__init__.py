"""The pipeline's models, one module per area; every model is importable from here (app label
"recommendations")."""

from .access import DataAccess
from .consent import HiringConsent
from .recommendations import (
    FINAL_STATUSES,
    TRANSITIONS,
    Priority,
    Recommendation,
    RecommendationEvent,
    RecommendationStatus,
)
from .settings import HiringSettings, StudentSees

__all__ = [
    "FINAL_STATUSES",
    "TRANSITIONS",
    "DataAccess",
    "HiringConsent",
    "HiringSettings",
    "Priority",
    "Recommendation",
    "RecommendationEvent",
    "RecommendationStatus",
    "StudentSees",
]
