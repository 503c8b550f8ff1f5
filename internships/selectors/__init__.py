"""Reads of the programme with rules in them, one module per area; every public name is here."""

from ..models import CERTIFICATION_WARNING_DAYS
from .applications import application_for, applications_of, review_queue
from .attendance import attendance_gaps, attendance_sheet, attendance_today
from .cohorts import cohorts_accepting_applications, cohorts_in_progress
from .placements import eligibility, eligible_applications, placement_board, placement_cutoff, placement_of
from .registry import (
    mentor_profile,
    mentors_with_certification_expiring,
    registry_overview,
    seats_grid,
)

__all__ = [
    "CERTIFICATION_WARNING_DAYS",
    "application_for",
    "applications_of",
    "attendance_gaps",
    "attendance_sheet",
    "attendance_today",
    "cohorts_accepting_applications",
    "cohorts_in_progress",
    "eligibility",
    "eligible_applications",
    "mentor_profile",
    "mentors_with_certification_expiring",
    "placement_board",
    "placement_cutoff",
    "placement_of",
    "registry_overview",
    "review_queue",
    "seats_grid",
]
