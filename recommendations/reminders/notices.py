"""Notices sent the moment something happens: consent requested, recommended, status changed, the
interview invitation (with its .ics file), and the student's answer to an offer.

Every notice is rendered in its recipient's language by the engine, and checked again at send
time: a later change (or a withdrawn consent) makes an older notice stale, and it is not sent.

A withdrawal by the university is told to the student whatever the cohort's `student_sees`: it
ends their chance with Xiaomi, so it is an outcome, not one of Xiaomi's internal steps (which
MILESTONES hides). Staying silent would leave the student reading "waiting for Xiaomi" forever.
"""

from datetime import datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Role
from accounts.navigation import home_url_name
from notifications import kinds
from notifications.services import reminders_plan_many

from ..models import HiringConsent, Recommendation, RecommendationEvent, StudentSees
from ..selectors.student import STUDENT_LABELS, STUDENT_MEANINGS, student_sees, visible_status
from .ics import interview_calendar

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
            "recommendation__cohort__hiring",
            "recommendation__student",
            "recommendation__interviewer",
            "recommendation__consent",
            "actor",
        )
        .filter(pk=reminder.subject_id)
        .first()
    )


def _candidate_link(recommendation_id: int) -> str:
    """Xiaomi's candidate page."""
    return reverse("recommendations:candidate", args=[recommendation_id])


def _student_context(reminder) -> dict:
    event = _event(reminder)
    recommendation = event.recommendation
    shown = visible_status(event.to_status, student_sees(recommendation.cohort))
    return {
        "event": event,
        "recommendation": recommendation,
        "to_status": shown,
        "status": STUDENT_LABELS[shown],
        "meaning": STUDENT_MEANINGS[shown],
        "is_offer": shown == S.OFFER,
        "is_first": not event.from_status,
    }


def _student_still_due(reminder) -> bool:
    event = _event(reminder)
    if event is None:
        return False
    recommendation = event.recommendation
    sees = student_sees(recommendation.cohort)
    # a later change makes this one stale: the student hears about the latest only (a move the
    # student does not see, such as "reviewing" under milestones, leaves it due)
    return visible_status(recommendation.status, sees) == visible_status(event.to_status, sees)


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


# --- The interview invitation, to the student and the interviewer, with its .ics -----------------


def _interview_of(event: RecommendationEvent) -> dict:
    details = event.details or {}
    return {
        "at": datetime.fromisoformat(details["at"]),
        "place": details.get("place", ""),
        "interviewer_id": details.get("interviewer"),
    }


def _interviewer(event: RecommendationEvent):
    from accounts.models import User

    return User.objects.get(pk=_interview_of(event)["interviewer_id"])


def _invitation_still_due(reminder) -> bool:
    event = _event(reminder)
    if event is None:
        return False
    recommendation = event.recommendation
    latest = recommendation.events.order_by("-at", "-id").values_list("pk", flat=True).first()
    recipient_ok = reminder.recipient_id in (
        recommendation.student_id,
        _interview_of(event)["interviewer_id"],
    )
    return (
        recipient_ok
        and recommendation.status == S.INTERVIEW
        and latest == event.pk  # rescheduled since: the newer invitation replaces this one
        and recommendation.consent.withdrawn_at is None
    )


def _invitation_context(reminder) -> dict:
    event = _event(reminder)
    interview = _interview_of(event)
    return {
        "event": event,
        "recommendation": event.recommendation,
        "student": event.recommendation.student.full_name,
        "interviewer": _interviewer(event).full_name,
        "at": interview["at"],
        "place": interview["place"],
        "rescheduled": event.from_status == S.INTERVIEW,
        "to_student": reminder.recipient_id == event.recommendation.student_id,
    }


def interview_sequence(event: RecommendationEvent) -> int:
    """0 for the first invitation of a recommendation, 1 for the first rescheduling, and so on."""
    return RecommendationEvent.objects.filter(
        recommendation_id=event.recommendation_id, to_status=S.INTERVIEW, pk__lt=event.pk
    ).count()


def _invitation_attachments(reminder) -> list[tuple[str, bytes, str]]:
    event = _event(reminder)
    interview = _interview_of(event)
    content = interview_calendar(
        recommendation=event.recommendation,
        at=interview["at"],
        place=interview["place"],
        interviewer=_interviewer(event),
        organizer=event.actor,
        sequence=interview_sequence(event),
        method="REQUEST",
    )
    return [("interview.ics", content, "text/calendar; method=REQUEST")]


def _invitation_link(reminder) -> str:
    event = _event(reminder)
    if reminder.recipient_id == event.recommendation.student_id:
        return reverse("recommendations:my_recommendation")
    if not reminder.recipient.has_role(Role.HR):
        return reverse(home_url_name(reminder.recipient.role))  # a store mentor: no candidate page
    return _candidate_link(event.recommendation_id)


INTERVIEW_INVITATION = kinds.register(
    kinds.Kind(
        key="interview_invitation",
        label=_("An interview with Xiaomi is scheduled (with a calendar invitation)"),
        template="recommendations/interview_invitation",
        audience=(Role.STUDENT, Role.HR, Role.MENTOR),
        essential=True,
        still_due=_invitation_still_due,
        context=_invitation_context,
        link=_invitation_link,
        attachments=_invitation_attachments,
    )
)


# --- The student's answer to an offer, to the HR user who made it ----------------------------------


def _answer_still_due(reminder) -> bool:
    event = _event(reminder)
    return (
        event is not None
        and reminder.recipient.has_role(Role.HR)
        and event.recommendation.consent.withdrawn_at is None
    )


def _answer_context(reminder) -> dict:
    event = _event(reminder)
    return {
        "event": event,
        "student": event.recommendation.student.full_name,
        "accepted": event.to_status == S.HIRED,
    }


OFFER_ANSWERED = kinds.register(
    kinds.Kind(
        key="offer_answered",
        label=_("A graduate answered an offer I made"),
        template="recommendations/offer_answered",
        audience=(Role.HR,),
        essential=True,
        still_due=_answer_still_due,
        context=_answer_context,
        link=lambda reminder: _candidate_link(_event(reminder).recommendation_id),
    )
)


# --- Planning -------------------------------------------------------------------------------------

# Statuses a student hears of when the cohort shows milestones only: every one but Xiaomi's
# internal "reviewing" (a withdrawal included: see the module's docstring).
MILESTONES = (
    S.RECEIVED,
    S.INTERVIEW,
    S.OFFER,
    S.HIRED,
    S.DECLINED_BY_XIAOMI,
    S.DECLINED_BY_STUDENT,
    S.WITHDRAWN,
)


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
    """Tell the people concerned of a change (in the transaction that makes it):

    - an interview (or a new date for it): the student and the interviewer get the invitation
      with its .ics file (the student gets no separate "status changed" notice);
    - the student's answer to an offer: the HR user who made the offer;
    - any other change: the student, as much as the cohort allows.
    """
    now = timezone.now()
    recommendation = event.recommendation
    if event.to_status == S.INTERVIEW:
        interviewer_id = (event.details or {}).get("interviewer") or recommendation.interviewer_id
        recipients = [recommendation.student_id] + (
            [interviewer_id] if interviewer_id != recommendation.student_id else []
        )
        reminders_plan_many(kind=INTERVIEW_INVITATION.key, plans=[(r, event, now, {}) for r in recipients])
        return
    if event.from_status == S.OFFER and event.actor_id == recommendation.student_id:
        offer = (
            RecommendationEvent.objects.filter(recommendation_id=recommendation.pk, to_status=S.OFFER)
            .order_by("-at", "-id")
            .values_list("actor_id", flat=True)
            .first()
        )
        if offer is not None:
            reminders_plan_many(kind=OFFER_ANSWERED.key, plans=[(offer, event, now, {})])
    if _student_hears(event):
        reminders_plan_many(kind=STATUS_CHANGED.key, plans=[(recommendation.student_id, event, now, {})])
