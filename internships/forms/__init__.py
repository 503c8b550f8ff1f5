"""Forms of the programme pages, one module per area: they validate and clean input only."""

from .applications import ApplicationForm, preference_choices, validate_pdf
from .attendance import CheckInConfirmForm
from .cohorts import CohortForm
from .placements import ExceptionForm, MoveForm, PlaceForm, WithdrawForm
from .registry import MentorForm, SeatsGridForm, StoreForm
from .review import DECISIONS, BulkDecisionForm, DecisionForm, ReviewFilterForm
from .students import StudentImportForm, StudentProfileForm, student_number_validator

__all__ = [
    "DECISIONS",
    "ApplicationForm",
    "BulkDecisionForm",
    "CheckInConfirmForm",
    "CohortForm",
    "DecisionForm",
    "ExceptionForm",
    "MentorForm",
    "MoveForm",
    "PlaceForm",
    "ReviewFilterForm",
    "SeatsGridForm",
    "StoreForm",
    "StudentImportForm",
    "StudentProfileForm",
    "WithdrawForm",
    "preference_choices",
    "student_number_validator",
    "validate_pdf",
]
