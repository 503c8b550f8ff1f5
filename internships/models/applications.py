"""Students' profiles and their applications to a cohort: wishes, consents and the audit trail."""

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sztu_xiaomi.models import TimeStampedModel

from .cohorts import Cohort, PlacementWindow
from .registry import District, Store


class StudentProfile(TimeStampedModel):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="student_profile",
        verbose_name=_("student"),
    )
    student_number = models.CharField(_("student number"), max_length=20, unique=True)
    major = models.CharField(_("major"), max_length=100)
    class_name = models.CharField(_("class"), max_length=50, blank=True)
    graduation_year = models.PositiveSmallIntegerField(
        _("expected graduation year"), validators=[MinValueValidator(2020), MaxValueValidator(2040)]
    )

    class Meta:
        verbose_name = _("student profile")
        verbose_name_plural = _("student profiles")
        constraints = [
            models.CheckConstraint(
                condition=Q(graduation_year__gte=2020, graduation_year__lte=2040),
                name="internships_graduation_year_range",
            ),
        ]

    def __str__(self):
        return f"{self.student_number} {self.user.full_name}"


class PrivateStorage(FileSystemStorage):
    """Files with no public address at all: they are served only by views that check access."""

    def url(self, name):
        raise ValueError("private files have no URL; serve them through a view that checks access")


def private_storage() -> PrivateStorage:
    """CVs are personal data, kept in PRIVATE_MEDIA_ROOT (outside MEDIA_ROOT).

    A callable, so migrations do not record this machine's folder.
    """
    return PrivateStorage(location=settings.PRIVATE_MEDIA_ROOT)


class ApplicationQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Students see their own applications; staff see all; others none."""
        if user.has_role("staff", "admin"):
            return self
        if user.has_role("student"):
            return self.filter(student=user)
        return self.none()


class ApplicationStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    ACCEPTED = "accepted", _("Accepted")
    WAITLISTED = "waitlisted", _("Waitlisted")
    REJECTED = "rejected", _("Not accepted")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Application(TimeStampedModel):
    Status = ApplicationStatus

    DECIDED = (Status.ACCEPTED, Status.REJECTED)
    WAITING = (Status.SUBMITTED, Status.WAITLISTED)

    student = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="applications",
        verbose_name=_("student"),
    )
    cohort = models.ForeignKey(
        Cohort, on_delete=models.PROTECT, related_name="applications", verbose_name=_("cohort")
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    motivation = models.TextField(_("motivation"), blank=True)
    window = models.ForeignKey(
        PlacementWindow,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("placement window"),
    )
    confirms_availability = models.BooleanField(_("available for the whole placement window"), default=False)
    cv = models.FileField(_("CV (PDF)"), storage=private_storage, upload_to="cvs/%Y/", blank=True)
    consent_version = models.CharField(_("privacy notice version accepted"), max_length=20, blank=True)
    consent_at = models.DateTimeField(_("privacy notice accepted at"), null=True, blank=True)
    shares_with_xiaomi = models.BooleanField(_("agrees to share data with Xiaomi"), default=False)
    share_consent_at = models.DateTimeField(_("data sharing agreed at"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decision_note = models.TextField(_("note on the decision"), blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["-submitted_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["student", "cohort"], name="internships_one_application_per_cohort"
            ),
            models.CheckConstraint(
                condition=Q(status__in=ApplicationStatus.values),
                name="internships_application_status_valid",
            ),
            # Anything past a draft was submitted with the privacy consent recorded.
            models.CheckConstraint(
                condition=Q(status="draft")
                | Q(submitted_at__isnull=False, consent_at__isnull=False, consent_version__gt=""),
                name="internships_application_submitted_with_consent",
            ),
        ]
        indexes = [models.Index(fields=["cohort", "status"], name="internships_app_queue_idx")]

    def __str__(self):
        return f"{self.student} · {self.cohort}"

    @property
    def can_withdraw(self) -> bool:
        """Submitted and waiting for a decision: the student may still withdraw it."""
        return self.status in self.WAITING

    @property
    def can_discard(self) -> bool:
        """A draft was never submitted: withdrawing it discards it."""
        return self.status == self.Status.DRAFT


class ApplicationPreference(models.Model):
    """A ranked wish: a store, or any store in a district."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="preferences")
    rank = models.PositiveSmallIntegerField(_("rank"))
    store = models.ForeignKey(Store, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    district = models.CharField(_("district"), max_length=20, choices=District.choices, blank=True)

    class Meta:
        ordering = ["application", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["application", "rank"], name="internships_preference_rank_once"),
            models.CheckConstraint(
                condition=Q(rank__gte=1, rank__lte=3), name="internships_preference_rank_range"
            ),
            models.CheckConstraint(
                condition=(Q(store__isnull=False) & Q(district=""))
                | (Q(store__isnull=True) & ~Q(district="")),
                name="internships_preference_store_xor_district",
            ),
        ]

    def __str__(self):
        return f"{self.rank}. {self.store or self.get_district_display()}"


class ApplicationEvent(models.Model):
    """The audit trail of an application: who changed what, when."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    from_status = models.CharField(max_length=12, blank=True)
    to_status = models.CharField(max_length=12)
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"{self.application_id}: {self.from_status} → {self.to_status}"

    @property
    def from_label(self) -> str:
        return Application.Status(self.from_status).label if self.from_status else ""

    @property
    def to_label(self) -> str:
        return Application.Status(self.to_status).label
