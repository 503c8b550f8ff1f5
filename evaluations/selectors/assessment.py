"""The cohort's assessment settings as they apply now (the defaults until staff save their own)."""

from internships.models import Cohort

from ..models import AssessmentSettings

__all__ = ["assessment_of"]


def assessment_of(cohort: Cohort) -> AssessmentSettings:
    """The cohort's saved settings, or an unsaved instance holding the defaults (no write on GET)."""
    try:
        return cohort.assessment
    except AssessmentSettings.DoesNotExist:
        return AssessmentSettings(cohort=cohort)
