"""Mentors: the reminder that a certification is about to expire, and its daily planner."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Role
from accounts.navigation import home_url_name
from notifications import kinds
from notifications.services import at_nine, reminder_plan

from ..models import CERTIFICATION_WARNING_DAYS, Mentor


def _mentor(reminder) -> Mentor | None:
    return Mentor.objects.select_related("store").filter(pk=reminder.subject_id).first()


def _certification_still_due(reminder) -> bool:
    mentor = _mentor(reminder)
    return (
        mentor is not None
        and mentor.user_id == reminder.recipient_id
        # renewed since planning: the reason has gone
        and mentor.certification_expires_on.isoformat() == reminder.context.get("expires_on")
        and mentor.certification_expires_on >= timezone.localdate()
    )


def _certification_context(reminder) -> dict:
    mentor = _mentor(reminder)
    return {"mentor": mentor, "store": mentor.store, "expires_on": mentor.certification_expires_on}


CERTIFICATION_EXPIRING = kinds.register(
    kinds.Kind(
        key="mentor_certification_expiring",
        label=_("My mentor certification is about to expire"),
        template="internships/mentor_certification_expiring",
        audience=(Role.MENTOR,),
        still_due=_certification_still_due,
        context=_certification_context,
        link=lambda reminder: reverse(home_url_name(Role.MENTOR)),
    )
)


def plan_certification_reminders() -> int:
    """One reminder per mentor and expiry date, due CERTIFICATION_WARNING_DAYS before it (at once if
    that is past)."""
    today = timezone.localdate()
    horizon = today + timedelta(days=CERTIFICATION_WARNING_DAYS)
    planned = 0
    mentors = Mentor.objects.filter(
        certification_expires_on__gte=today, certification_expires_on__lte=horizon, user__is_active=True
    ).select_related("user")
    for mentor in mentors:
        reminder_plan(
            recipient=mentor.user,
            kind=CERTIFICATION_EXPIRING.key,
            about=mentor,
            # computed from the expiry date, so a planner that runs twice or late plans it once
            due_at=at_nine(mentor.certification_expires_on - timedelta(days=CERTIFICATION_WARNING_DAYS)),
            context={"expires_on": mentor.certification_expires_on.isoformat()},
        )
        planned += 1
    return planned
