"""Writes of the programme, one module per area; every public name is importable from here.

Cohorts, applications and decisions, the registry's seats, allocation and publication, moves and
withdrawals, attendance, and the calendar address. The placement writes share one locking order,
written down in `internships/services/_locks.py`.
"""

from ._placement_notices import (
    NOT_PLACED,
    PUBLISHED_MENTOR,
    PUBLISHED_STUDENT,
    START_KINDS,
    START_MENTOR,
    START_REMINDER_DAYS,
    START_STUDENT,
)
from .allocation import allocation_publish, allocation_run, eligibility_exception_grant, mentor_load
from .applications import (
    DECISION_KINDS,
    ApplicationError,
    application_decide,
    application_save_draft,
    application_submit,
    application_withdraw,
    applications_decide,
    missing_for_submission,
    student_profile_save,
)
from .attendance import attendance_mark, check_in_confirm, check_in_start
from .calendar import calendar_token_for, calendar_token_reset
from .cohorts import cohort_plan_errors, cohort_save, course_due_field
from .placements import (
    PlacementError,
    placement_create,
    placement_move,
    placement_withdraw,
    placements_complete_finished,
)
from .registry import seats_grid_save, seats_save

__all__ = [
    "DECISION_KINDS",
    "NOT_PLACED",
    "PUBLISHED_MENTOR",
    "PUBLISHED_STUDENT",
    "START_KINDS",
    "START_MENTOR",
    "START_REMINDER_DAYS",
    "START_STUDENT",
    "ApplicationError",
    "PlacementError",
    "allocation_publish",
    "allocation_run",
    "application_decide",
    "application_save_draft",
    "application_submit",
    "application_withdraw",
    "applications_decide",
    "attendance_mark",
    "calendar_token_for",
    "calendar_token_reset",
    "check_in_confirm",
    "check_in_start",
    "cohort_plan_errors",
    "cohort_save",
    "course_due_field",
    "eligibility_exception_grant",
    "mentor_load",
    "missing_for_submission",
    "placement_create",
    "placement_move",
    "placement_withdraw",
    "placements_complete_finished",
    "seats_grid_save",
    "seats_save",
    "student_profile_save",
]
