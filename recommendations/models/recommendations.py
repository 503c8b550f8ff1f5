"""A recommendation of one graduate to Xiaomi, the hiring pipeline it goes through, and its history.

The pipeline is an explicit state machine (`TRANSITIONS`): received → reviewing → interview
scheduled → offer made → hired, with the three ways out (declined by Xiaomi, declined by the
student, withdrawn by the university). The database refuses unknown statuses, an interview without
its date and place, and a recommendation without the student's consent; the services refuse jumps
the machine does not allow and changes made on a stale copy (`version`).
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from evaluations.models import ProgrammeResult
from internships.models import Cohort
from sztu_xiaomi.models import TimeStampedModel

from .consent import HiringConsent


class RecommendationStatus(models.TextChoices):
    RECEIVED = "received", _("Received")
    REVIEWING = "reviewing", _("Reviewing")
    INTERVIEW = "interview", _("Interview scheduled")
    OFFER = "offer", _("Offer made")
    HIRED = "hired", _("Hired")
    DECLINED_BY_XIAOMI = "declined_xiaomi", _("Declined by Xiaomi")
    DECLINED_BY_STUDENT = "declined_student", _("Declined by the student")
    WITHDRAWN = "withdrawn", _("Withdrawn")


S = RecommendationStatus

# Where each status may go next. Rescheduling an interview is a move from INTERVIEW to INTERVIEW.
TRANSITIONS: dict[str, tuple[str, ...]] = {
    S.RECEIVED: (S.REVIEWING, S.DECLINED_BY_XIAOMI, S.WITHDRAWN),
    S.REVIEWING: (S.INTERVIEW, S.OFFER, S.DECLINED_BY_XIAOMI, S.DECLINED_BY_STUDENT, S.WITHDRAWN),
    S.INTERVIEW: (S.INTERVIEW, S.OFFER, S.DECLINED_BY_XIAOMI, S.DECLINED_BY_STUDENT, S.WITHDRAWN),
    S.OFFER: (S.HIRED, S.DECLINED_BY_XIAOMI, S.DECLINED_BY_STUDENT, S.WITHDRAWN),
    S.HIRED: (),
    S.DECLINED_BY_XIAOMI: (),
    S.DECLINED_BY_STUDENT: (),
    S.WITHDRAWN: (),
}
FINAL_STATUSES = tuple(status for status, nexts in TRANSITIONS.items() if not nexts)
OPEN_STATUSES = tuple(status for status, nexts in TRANSITIONS.items() if nexts)


class Priority(models.TextChoices):
    PRIORITY = "priority", _("Priority")
    STANDARD = "standard", _("Standard")


class RecommendationQuerySet(models.QuerySet):
    def shared_with_xiaomi(self):
        """Recommendations Xiaomi may see: the student's consent is still in force."""
        return self.filter(consent__withdrawn_at__isnull=True)

    def visible_to(self, user):
        """Staff see all; Xiaomi HR those whose student still consents; a student their own."""
        if user.has_role("staff", "admin"):
            return self
        if user.has_role("hr"):
            return self.shared_with_xiaomi()
        if user.has_role("student"):
            return self.filter(student=user)
        return self.none()

    def open(self):
        return self.filter(status__in=OPEN_STATUSES)

    def priority_first(self):
        """The HR board's order: priority before standard, then the oldest first."""
        return self.order_by(F("priority").asc(), "sent_at", "id")


class Recommendation(TimeStampedModel):
    Status = RecommendationStatus
    Priority = Priority

    cohort = models.ForeignKey(
        Cohort, on_delete=models.PROTECT, related_name="recommendations", verbose_name=_("cohort")
    )
    student = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="recommendations",
        verbose_name=_("student"),
    )
    result = models.OneToOneField(
        ProgrammeResult, on_delete=models.PROTECT, related_name="recommendation", verbose_name=_("result")
    )
    consent = models.ForeignKey(
        HiringConsent, on_delete=models.PROTECT, related_name="recommendations", verbose_name=_("consent")
    )
    priority = models.CharField(_("priority"), max_length=10, choices=Priority.choices)
    justification = models.TextField(_("justification"), max_length=2000)
    recommended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recommended by")
    )
    sent_at = models.DateTimeField(_("sent to Xiaomi at"))
    respond_by = models.DateField(_("Xiaomi to respond by"))
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.RECEIVED)
    status_changed_at = models.DateTimeField(_("status changed at"))
    first_response_at = models.DateTimeField(_("first response at"), null=True, blank=True)
    # The interview, while one is scheduled (kept afterwards for the record).
    interview_at = models.DateTimeField(_("interview date and time"), null=True, blank=True)
    interview_place = models.CharField(_("store or office"), max_length=200, blank=True)
    interviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="interviews",
        verbose_name=_("interviewer"),
    )
    # Raised by every change: a change made on an older version is refused (optimistic locking).
    version = models.PositiveIntegerField(default=1)

    objects = RecommendationQuerySet.as_manager()

    class Meta:
        verbose_name = _("recommendation")
        verbose_name_plural = _("recommendations")
        ordering = ["priority", "sent_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["cohort", "student"], name="recommendations_once_per_cohort"),
            models.CheckConstraint(
                condition=Q(status__in=RecommendationStatus.values), name="recommendations_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(priority__in=Priority.values), name="recommendations_priority_valid"
            ),
            models.CheckConstraint(
                condition=~Q(justification=""), name="recommendations_justification_required"
            ),
            models.CheckConstraint(
                condition=~Q(status=RecommendationStatus.INTERVIEW)
                | Q(interview_at__isnull=False, interview_place__gt="", interviewer__isnull=False),
                name="recommendations_interview_has_details",
            ),
            models.CheckConstraint(
                condition=Q(status=RecommendationStatus.RECEIVED) | Q(first_response_at__isnull=False),
                name="recommendations_left_received_has_first_response",
            ),
            models.CheckConstraint(
                condition=Q(respond_by__gte=models.functions.TruncDate("sent_at")),
                name="recommendations_respond_by_after_sent",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "priority", "sent_at"], name="rec_board_idx"),
            models.Index(fields=["cohort", "status"], name="rec_cohort_status_idx"),
            models.Index(fields=["status", "respond_by"], name="rec_waiting_idx"),
            # the HR table's orderings over every status
            models.Index(fields=["priority", "sent_at", "id"], name="rec_priority_sent_idx"),
            models.Index(fields=["sent_at", "id"], name="rec_sent_idx"),
            models.Index(fields=["respond_by", "id"], name="rec_respond_by_idx"),
        ]

    def __str__(self):
        return f"{self.student} · {self.cohort}"

    @property
    def next_statuses(self) -> tuple[str, ...]:
        return TRANSITIONS[self.status]

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class RecommendationEvent(models.Model):
    """The history of a recommendation: each status change (or rescheduled interview), by whom."""

    recommendation = models.ForeignKey(Recommendation, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    from_status = models.CharField(max_length=16, blank=True)
    to_status = models.CharField(max_length=16)
    note = models.TextField(_("note"), blank=True)
    details = models.JSONField(default=dict, blank=True)
    at = models.DateTimeField()

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["recommendation", "at"], name="rec_event_idx")]

    def __str__(self):
        return f"{self.recommendation_id}: {self.from_status} → {self.to_status}"

    @property
    def to_label(self) -> str:
        return RecommendationStatus(self.to_status).label
