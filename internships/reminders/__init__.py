"""The programme's reminder kinds and daily planners, registered with the reminder engine.

Importing this package (from `InternshipsConfig.ready()`) imports every module, and each module
registers its kinds; the daily planners are registered below, in the order they run.
"""

from notifications import kinds

from . import applications  # noqa: F401  (registers the decision kinds)
from .attendance import ATTENDANCE_MISSING, plan_attendance_reminders
from .digests import (
    APPLICATION_WAITING_DAYS,
    COHORT_CLOSING_DAYS,
    INVITATION_STALE_DAYS,
    hr_digest_sections,
    staff_digest_sections,
)
from .placements import PUBLISHED_STATUSES
from .registry import CERTIFICATION_EXPIRING, plan_certification_reminders

__all__ = [
    "APPLICATION_WAITING_DAYS",
    "ATTENDANCE_MISSING",
    "CERTIFICATION_EXPIRING",
    "COHORT_CLOSING_DAYS",
    "INVITATION_STALE_DAYS",
    "PUBLISHED_STATUSES",
    "hr_digest_sections",
    "plan_attendance_reminders",
    "plan_certification_reminders",
    "staff_digest_sections",
]

kinds.register_planner("attendance_missing", plan_attendance_reminders)
kinds.register_planner("mentor_certification_expiring", plan_certification_reminders)
# (the daily digests are planned by the engine: notifications.digests)
