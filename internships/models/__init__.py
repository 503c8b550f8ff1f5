"""The programme's models, one module per area; every model is importable from here.

Modules inside `internships/models/` keep the app label "internships" (Django finds it from the
module path), so moving a model between these files changes no table and needs no migration.
"""

from .allocation import AllocationRun, EligibilityException
from .applications import (
    Application,
    ApplicationEvent,
    ApplicationPreference,
    ApplicationQuerySet,
    PrivateStorage,
    StudentProfile,
    private_storage,
)
from .attendance import Attendance
from .cohorts import Cohort, CohortCourse, PlacementWindow
from .placements import CalendarToken, Placement, PlacementQuerySet
from .registry import (
    CERTIFICATION_WARNING_DAYS,
    MENTOR_CAPACITY_MAX,
    MENTOR_CAPACITY_MESSAGE,
    MENTOR_CAPACITY_MIN,
    District,
    Mentor,
    MentorQuerySet,
    Store,
    StoreSeats,
)

__all__ = [
    "CERTIFICATION_WARNING_DAYS",
    "MENTOR_CAPACITY_MAX",
    "MENTOR_CAPACITY_MESSAGE",
    "MENTOR_CAPACITY_MIN",
    "AllocationRun",
    "Application",
    "ApplicationEvent",
    "ApplicationPreference",
    "ApplicationQuerySet",
    "Attendance",
    "CalendarToken",
    "Cohort",
    "CohortCourse",
    "District",
    "EligibilityException",
    "Mentor",
    "MentorQuerySet",
    "Placement",
    "PlacementQuerySet",
    "PlacementWindow",
    "PrivateStorage",
    "Store",
    "StoreSeats",
    "StudentProfile",
    "private_storage",
]
