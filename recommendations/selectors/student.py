"""What the student sees of their recommendation to Xiaomi: the status as the cohort allows, the
timeline, their consent's history and who at Xiaomi opened their data.

The cohort's `HiringSettings.student_sees` decides how much of Xiaomi's pipeline the student sees.
With MILESTONES, Xiaomi's internal step "reviewing" reads as "received" (recommended, waiting for
Xiaomi); the milestones — recommended, interview, offer — and every outcome are shown. A withdrawal
by the university is an outcome too: the student always sees it (see `notices.MILESTONES`).
"""

from dataclasses import dataclass, field

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext_lazy as _

from accounts.models import User

from ..models import (
    FINAL_STATUSES,
    DataAccess,
    HiringConsent,
    HiringSettings,
    Recommendation,
    RecommendationEvent,
    RecommendationStatus,
    StudentSees,
)

__all__ = [
    "StudentStatus",
    "consent_history",
    "current_consent",
    "student_data_views",
    "student_journey_recommendation",
    "student_recommendations",
    "student_sees",
    "student_status",
    "visible_status",
]

S = RecommendationStatus

# The status in the student's words, and what it means for them / what to do next.
STUDENT_LABELS = {
    S.RECEIVED: _("Recommended — waiting for Xiaomi"),
    S.REVIEWING: _("Xiaomi is reviewing your profile"),
    S.INTERVIEW: _("Interview scheduled"),
    S.OFFER: _("Offer made — Xiaomi is waiting for your answer"),
    S.HIRED: _("Hired"),
    S.DECLINED_BY_XIAOMI: _("Not selected by Xiaomi"),
    S.DECLINED_BY_STUDENT: _("You declined"),
    S.WITHDRAWN: _("Withdrawn by the university"),
}
STUDENT_MEANINGS = {
    S.RECEIVED: _(
        "The programme office sent your profile to Xiaomi Shenzhen's HR with priority for hiring. "
        "Xiaomi answers within a few days; you hear from us by e-mail at each step."
    ),
    S.REVIEWING: _("Xiaomi's HR are reading your profile, results and evaluations. Nothing to do for now."),
    S.INTERVIEW: _(
        "Xiaomi invites you to an interview. Add it to your calendar and be there a few minutes early."
    ),
    S.OFFER: _(
        "Xiaomi offers you a job. Accept or decline the offer here: Xiaomi's HR are told of your answer."
    ),
    S.HIRED: _("Congratulations: you accepted Xiaomi's offer. Xiaomi's HR contact you about your start."),
    S.DECLINED_BY_XIAOMI: _(
        "Xiaomi decided not to go further this time. Your certificate and results stay yours; "
        "the programme office can advise you on next steps."
    ),
    S.DECLINED_BY_STUDENT: _("You declined. Xiaomi's HR were told, and the recommendation is closed."),
    S.WITHDRAWN: _(
        "The programme office withdrew this recommendation, and Xiaomi no longer sees it. "
        "Contact the programme office if you have questions."
    ),
}
# The badge's colour for each status the student may see.
STUDENT_TONES = {
    S.RECEIVED: "info",
    S.REVIEWING: "info",
    S.INTERVIEW: "primary",
    S.OFFER: "warning",
    S.HIRED: "success",
    S.DECLINED_BY_XIAOMI: "secondary",
    S.DECLINED_BY_STUDENT: "secondary",
    S.WITHDRAWN: "secondary",
}


def student_sees(cohort) -> str:
    """The cohort's setting (its defaults when it has no row), without a query if `hiring` is
    already loaded (select_related("cohort__hiring"))."""
    try:
        hiring = cohort.hiring
    except HiringSettings.DoesNotExist:
        hiring = HiringSettings.defaults(cohort)
    return hiring.student_sees


def visible_status(status: str, sees: str) -> str:
    """The status as the student sees it: with milestones only, "reviewing" reads "received"."""
    if sees == StudentSees.MILESTONES and status == S.REVIEWING:
        return S.RECEIVED
    return status


@dataclass
class StudentStatus:
    status: str
    label: str
    meaning: str
    tone: str

    @property
    def is_offer(self) -> bool:
        return self.status == S.OFFER

    @property
    def is_final(self) -> bool:
        return self.status in FINAL_STATUSES


def student_status(status: str, sees: str = StudentSees.EVERY_STATUS) -> StudentStatus:
    shown = visible_status(status, sees)
    return StudentStatus(
        status=shown, label=STUDENT_LABELS[shown], meaning=STUDENT_MEANINGS[shown], tone=STUDENT_TONES[shown]
    )


@dataclass
class TimelineEntry:
    at: object
    label: str
    status: str
    rescheduled: bool = False
    interview: dict = field(default_factory=dict)


def _timeline(recommendation: Recommendation, sees: str) -> list[TimelineEntry]:
    """The events the student may see, oldest first: no notes (they are Xiaomi's), no internal
    step under milestones (a "reviewing" that reads as "received" is not a second entry)."""
    entries = []
    for event in recommendation.events.all():
        shown = visible_status(event.to_status, sees)
        rescheduled = event.from_status == S.INTERVIEW and event.to_status == S.INTERVIEW
        if event.from_status and visible_status(event.from_status, sees) == shown and not rescheduled:
            continue
        entries.append(
            TimelineEntry(
                at=event.at,
                label=str(_("Interview rescheduled")) if rescheduled else str(STUDENT_LABELS[shown]),
                status=shown,
                rescheduled=rescheduled,
            )
        )
    return entries


@dataclass
class StudentRecommendation:
    recommendation: Recommendation
    status: StudentStatus
    timeline: list[TimelineEntry]

    @property
    def shows_interview(self) -> bool:
        r = self.recommendation
        return self.status.status == S.INTERVIEW and r.interview_at is not None


def student_recommendations(student: User) -> list[StudentRecommendation]:
    """The student's recommendations, newest first, each with the status and timeline they may
    see. Two queries whatever the number of events."""
    recommendations = (
        Recommendation.objects.filter(student=student)
        .select_related("cohort__hiring", "interviewer")
        .prefetch_related(Prefetch("events", queryset=RecommendationEvent.objects.order_by("at", "id")))
        .order_by("-sent_at", "-id")
    )
    shown = []
    for recommendation in recommendations:
        sees = student_sees(recommendation.cohort)
        shown.append(
            StudentRecommendation(
                recommendation=recommendation,
                status=student_status(recommendation.status, sees),
                timeline=_timeline(recommendation, sees),
            )
        )
    return shown


def student_journey_recommendation(student: User) -> StudentStatus | None:
    """The status of the student's latest recommendation as they may see it (one query), or None."""
    latest = (
        Recommendation.objects.filter(student=student)
        .select_related("cohort__hiring")
        .order_by("-sent_at", "-id")
        .first()
    )
    if latest is None:
        return None
    return student_status(latest.status, student_sees(latest.cohort))


def current_consent(student: User) -> HiringConsent | None:
    return HiringConsent.objects.active().filter(student=student).first()


def consent_history(student: User) -> QuerySet[HiringConsent]:
    """Every time the student gave the consent (and withdrew it), newest first."""
    return HiringConsent.objects.filter(student=student).order_by("-given_at", "-id")


def student_data_views(student: User) -> QuerySet[DataAccess]:
    """Who at Xiaomi opened the student's data, newest first (index rec_access_student_idx)."""
    return DataAccess.objects.filter(student=student).select_related("viewer").order_by("-at", "-id")
