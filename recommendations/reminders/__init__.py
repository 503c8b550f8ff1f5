"""The pipeline's reminder kinds and notices (registered with the engine on import).

- to the student: consent requested, recommended, each status change (as the cohort allows),
  the interview invitation (with an .ics file);
- to the interviewer: the interview invitation (with an .ics file);
- to Xiaomi HR: the daily digest's section of recommendations waiting for a response, one
  escalation when one is overdue (`deadlines`), and the student's answer to an offer.
"""

from .deadlines import (
    RECOMMENDATION_OVERDUE,
    WAITING_FOR_XIAOMI,
    overdue_recommendations,
    plan_overdue_escalations,
    waiting_for_xiaomi,
)
from .notices import (
    CONSENT_REQUESTED,
    INTERVIEW_INVITATION,
    OFFER_ANSWERED,
    STATUS_CHANGED,
    notify_moved,
    notify_recommended,
)

__all__ = [
    "CONSENT_REQUESTED",
    "INTERVIEW_INVITATION",
    "OFFER_ANSWERED",
    "RECOMMENDATION_OVERDUE",
    "STATUS_CHANGED",
    "WAITING_FOR_XIAOMI",
    "notify_moved",
    "notify_recommended",
    "overdue_recommendations",
    "plan_overdue_escalations",
    "waiting_for_xiaomi",
]
