"""Notices sent the moment something happens: consent requested, recommended, status changed."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Role
from notifications import kinds
from notifications.services import reminders_plan_many

from ..models import HiringConsent, Recommendation, RecommendationEvent, StudentSees

S = Recommendation.Status


def _consent_still_wanted(reminder) -> bool:
    return not HiringConsent.objects.active().filter(student_id=reminder.recipient_id).exists()


CONSENT_REQUESTED = kinds.register(
    kinds.Kind(
        key="hiring_consent_requested",
        label=_("The programme office asks me to agree to be recommended to Xiaomi"),
        template="recommendations/hiring_consent_requested",
        audience=(Role.STUDENT,),
        essential=True,
        still_due=_consent_still_wanted,
        context=lambda reminder: dict(reminder.context),
        link=lambda reminder: reverse("recommendations:my_consent"),
    )
)


def _event(reminder) -> RecommendationEvent | None:
    return (
        RecommendationEvent.objects.select_related(
            "recommendation__cohort", "recommendation__student", "recommendation__interviewer"
        )
        .filter(pk=reminder.subject_id)
        .first()
    )


def _student_context(reminder) -> dict:
    event = _event(reminder)
    recommendation = event.recommendation
    return {"event": event, "recommendation": recommendation, "status": S(event.to_status).label}


def _student_still_due(reminder) -> bool:
    event = _event(reminder)
    # a later change makes this one stale: the student hears about the latest only
    return event is not None and event.recommendation.status == event.to_status


STATUS_CHANGED = kinds.register(
    kinds.Kind(
        key="recommendation_status_changed",
        label=_("My recommendation to Xiaomi changed"),
        template="recommendations/recommendation_status_changed",
        audience=(Role.STUDENT,),
        essential=True,
        still_due=_student_still_due,
        context=_student_context,
        link=lambda reminder: reverse("recommendations:my_recommendation"),
    )
)


# Statuses a student hears of when the cohort shows milestones only.
MILESTONES = (S.RECEIVED, S.INTERVIEW, S.OFFER, S.HIRED, S.DECLINED_BY_XIAOMI, S.DECLINED_BY_STUDENT)


def _student_hears(event: RecommendationEvent) -> bool:
    recommendation = event.recommendation
    if event.actor_id == recommendation.student_id:
        return False  # their own answer to an offer
    hiring = getattr(recommendation.cohort, "hiring", None)
    if hiring is not None and hiring.student_sees == StudentSees.MILESTONES:
        return event.to_status in MILESTONES
    return True


def notify_recommended(events: list[RecommendationEvent]) -> None:
    """Tell each student they were recommended (in the transaction that sends the batch)."""
    now = timezone.now()
    reminders_plan_many(
        kind=STATUS_CHANGED.key,
        plans=[(e.recommendation.student_id, e, now, {}) for e in events if _student_hears(e)],
    )


def notify_moved(event: RecommendationEvent) -> None:
    """Tell the student of a change (as much as the cohort allows)."""
    now = timezone.now()
    if _student_hears(event):
        reminders_plan_many(
            kind=STATUS_CHANGED.key, plans=[(event.recommendation.student_id, event, now, {})]
        )
