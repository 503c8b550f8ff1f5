"""The pipeline's reminder kinds and notices (registered with the engine on import).

- to the student: consent requested, recommended, each status change (as the cohort allows),
  the interview invitation (with an .ics file);
- to the interviewer: the interview invitation (with an .ics file);
- to Xiaomi HR: the daily digest of recommendations waiting for a response, and one escalation
  when one is overdue; the student's answer to an offer;
"""

from .notices import (
    CONSENT_REQUESTED,
    notify_moved,
    notify_recommended,
)

__all__ = ["CONSENT_REQUESTED", "notify_moved", "notify_recommended"]
