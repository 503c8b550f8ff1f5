"""Xiaomi's response deadline: each recommendation must leave "received" by its `respond_by` day.

- Xiaomi HR's daily digest gains a section: the recommendations still received, priority first,
  the overdue ones marked.
- The day after `respond_by`, a recommendation still received is escalated ONCE to every Xiaomi HR
  user (`recommendation_overdue`). The programme office gets no e-mail of it: their home page
  counts the overdue ones and links them (e-mailing every overdue one to staff too would double
  the noise of a digest they do not act on: Xiaomi does).
- Both stop the moment the status changes or the student withdraws their consent: the digest
  lists only what is still waiting and shared, and the escalation is checked again at send time.

The planner is set-based (two queries to read, one INSERT) and idempotent: the escalation's day
is fixed (`respond_by` + 1), so the engine's unique key plans it once however often it runs.
"""

from datetime import date, timedelta

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.models import Role, User
from notifications import digests, kinds
from notifications.services import at_nine, reminders_plan_many

from ..models import Recommendation

__all__ = [
    "CATCH_UP_DAYS",
    "RECOMMENDATION_OVERDUE",
    "WAITING_FOR_XIAOMI",
    "overdue_recommendations",
    "plan_overdue_escalations",
    "waiting_for_xiaomi",
]

S = Recommendation.Status

# An escalation whose day was missed by this many days (beat down) is still planned, late.
CATCH_UP_DAYS = 1


def waiting_for_xiaomi() -> QuerySet[Recommendation]:
    """Still received and still shared with Xiaomi, priority first, then the oldest (index
    rec_board_idx: status, priority, sent_at)."""
    return (
        Recommendation.objects.shared_with_xiaomi()
        .filter(status=S.RECEIVED)
        .select_related("student", "cohort")
        .order_by("priority", "sent_at", "id")
    )


def overdue_recommendations(today: date | None = None) -> QuerySet[Recommendation]:
    """Still received after their `respond_by` day, shared with Xiaomi (index rec_waiting_idx)."""
    today = today or timezone.localdate()
    return Recommendation.objects.shared_with_xiaomi().filter(status=S.RECEIVED, respond_by__lt=today)


def _line(recommendation: Recommendation) -> str:
    """One line of the digest, written in its reader's language; the overdue ones marked."""
    values = {
        "student": recommendation.student.full_name,
        "cohort": recommendation.cohort.name,
        "priority": recommendation.get_priority_display(),
        "date": date_format(recommendation.respond_by, "DATE_FORMAT"),
    }
    if recommendation.respond_by < timezone.localdate():
        return (
            gettext("%(student)s (%(cohort)s), %(priority)s: OVERDUE, the answer was due by %(date)s")
            % values
        )
    return gettext("%(student)s (%(cohort)s), %(priority)s: respond by %(date)s") % values


WAITING_FOR_XIAOMI = digests.register_section(
    digests.Section(
        key="recommendations.waiting_for_xiaomi",
        role=Role.HR,
        title=_("Recommendations waiting for your response"),
        rows=waiting_for_xiaomi,
        line=_line,
        order=20,
    )
)


# --- The escalation ---------------------------------------------------------------------------------


def _recommendation(reminder) -> Recommendation | None:
    return (
        Recommendation.objects.select_related("student", "cohort", "consent")
        .filter(pk=reminder.subject_id)
        .first()
    )


def _overdue_still_due(reminder) -> bool:
    recommendation = _recommendation(reminder)
    return (
        recommendation is not None
        and reminder.recipient.has_role(Role.HR)
        and recommendation.status == S.RECEIVED
        and recommendation.consent.withdrawn_at is None
    )


def _overdue_context(reminder) -> dict:
    recommendation = _recommendation(reminder)
    return {
        "recommendation": recommendation,
        "student": recommendation.student.full_name,
        "cohort": recommendation.cohort.name,
        "priority": recommendation.get_priority_display(),
        "respond_by": recommendation.respond_by,
        "overdue_days": (timezone.localdate() - recommendation.respond_by).days,
    }


def _overdue_link(reminder) -> str:
    return reverse("recommendations:candidate", args=[reminder.subject_id])


RECOMMENDATION_OVERDUE = kinds.register(
    kinds.Kind(
        key="recommendation_overdue",
        label=_("A recommended graduate is still waiting for Xiaomi's response after the deadline"),
        template="recommendations/recommendation_overdue",
        audience=(Role.HR,),
        still_due=_overdue_still_due,
        context=_overdue_context,
        link=_overdue_link,
    )
)


def plan_overdue_escalations() -> int:
    """Plan today's escalations: every recommendation still received whose `respond_by` was
    yesterday (or the day before, if a run was missed), to every active Xiaomi HR user."""
    today = timezone.localdate()
    latest = today - timedelta(days=1)
    earliest = latest - timedelta(days=CATCH_UP_DAYS)
    overdue = list(
        overdue_recommendations(today)
        .filter(respond_by__gte=earliest, respond_by__lte=latest)
        .only("pk", "respond_by")
    )
    if not overdue:
        return 0
    hr_users = list(User.objects.filter(role=Role.HR, is_active=True).values_list("pk", flat=True))
    return reminders_plan_many(
        kind=RECOMMENDATION_OVERDUE.key,
        plans=[
            (hr, recommendation, at_nine(recommendation.respond_by + timedelta(days=1)), None)
            for recommendation in overdue
            for hr in hr_users
        ],
    )


kinds.register_planner("recommendations_overdue", plan_overdue_escalations)
