"""The assessment's models, one module per area; every model is importable from here (app label
"evaluations")."""

from .certificates import Certificate
from .evaluations import (
    COMMENT_MAX_LENGTH,
    FINAL,
    WEEKS,
    Evaluation,
    EvaluationChange,
    EvaluationQuerySet,
    HiringRecommendation,
    Period,
    Score,
)
from .reflections import REFLECTION_MAX_LENGTH, REFLECTION_MIN_LENGTH, Reflection
from .results import AssessmentSettings, Band, ProgrammeResult, ReleaseMode, ResultOverride
from .rubrics import LEVELS, SCORE_MAX, SCORE_MIN, Criterion, Rubric

__all__ = [
    "COMMENT_MAX_LENGTH",
    "FINAL",
    "LEVELS",
    "REFLECTION_MAX_LENGTH",
    "REFLECTION_MIN_LENGTH",
    "SCORE_MAX",
    "SCORE_MIN",
    "WEEKS",
    "AssessmentSettings",
    "Band",
    "Certificate",
    "Criterion",
    "Evaluation",
    "EvaluationChange",
    "EvaluationQuerySet",
    "HiringRecommendation",
    "Period",
    "ProgrammeResult",
    "Reflection",
    "ReleaseMode",
    "ResultOverride",
    "Rubric",
    "Score",
]
