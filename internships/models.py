"""The programme: cohorts, students' applications, Xiaomi training stores and certified mentors.

Placements, attendance and evaluations arrive with their issues.
"""

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sztu_xiaomi.models import Bilingual, TimeStampedModel
from sztu_xiaomi.validators import validate_phone


class District(models.TextChoices):
    FUTIAN = "futian", _("Futian")
    LUOHU = "luohu", _("Luohu")
    NANSHAN = "nanshan", _("Nanshan")
    YANTIAN = "yantian", _("Yantian")
    BAOAN = "baoan", _("Bao'an")
    LONGGANG = "longgang", _("Longgang")
    LONGHUA = "longhua", _("Longhua")
    PINGSHAN = "pingshan", _("Pingshan")
    GUANGMING = "guangming", _("Guangming")
    DAPENG = "dapeng", _("Dapeng")


class Cohort(Bilingual, TimeStampedModel):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        OPEN = "open", _("Open for applications")
        RUNNING = "running", _("Running")
        FINISHED = "finished", _("Finished")

    code = models.SlugField(_("code"), max_length=30, unique=True)
    name_zh = models.CharField(_("name (Chinese)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    applications_open_on = models.DateField(_("applications open on"))
    applications_close_on = models.DateField(_("applications close on"))
    target_size = models.PositiveIntegerField(_("target number of students"), default=30)
    placement_weekdays = models.CharField(
        _("placement working days"),
        max_length=7,
        default="12345",
        help_text=_("ISO weekday numbers of the placement's working days: 1 = Monday … 7 = Sunday."),
    )
    placement_cutoff_on = models.DateField(
        _("courses must be passed by"),
        null=True,
        blank=True,
        help_text=_(
            "Students who passed all five courses by this date are eligible. Empty: the last course due date."
        ),
    )
    what_to_bring_zh = models.TextField(_("what to bring (Chinese)"), blank=True)
    what_to_bring_en = models.TextField(_("what to bring (English)"), blank=True)

    class Meta:
        verbose_name = _("cohort")
        verbose_name_plural = _("cohorts")
        ordering = ["-applications_open_on"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(applications_close_on__gte=models.F("applications_open_on")),
                name="internships_cohort_window_ordered",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=["draft", "open", "running", "finished"]),
                name="internships_cohort_status_valid",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def name(self) -> str:
        return self.localized("name")

    @property
    def localized_what_to_bring(self) -> str:
        return self.localized("what_to_bring")

    @property
    def accepting_applications(self) -> bool:
        today = timezone.localdate()
        return (
            self.status == self.Status.OPEN
            and self.applications_open_on <= today <= self.applications_close_on
        )


class Store(Bilingual, TimeStampedModel):
    code = models.SlugField(_("code"), max_length=30, unique=True)
    name_zh = models.CharField(_("name (Chinese)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    district = models.CharField(_("district"), max_length=20, choices=District.choices)
    address_zh = models.CharField(_("address (Chinese)"), max_length=300)
    address_en = models.CharField(_("address (English)"), max_length=300, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True, validators=[validate_phone])
    opening_hours = models.CharField(_("opening hours"), max_length=100, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    is_training_store = models.BooleanField(_("approved training store"), default=False)

    class Meta:
        verbose_name = _("store")
        verbose_name_plural = _("stores")
        ordering = ["district", "code"]

    def __str__(self):
        return self.name

    @property
    def name(self) -> str:
        return self.localized("name")

    @property
    def address(self) -> str:
        return self.localized("address")

    @property
    def map_url(self) -> str:
        """Amap (高德地图) search for the store's Chinese address: reachable in mainland China."""
        from urllib.parse import quote

        return f"https://uri.amap.com/search?keyword={quote(self.address_zh)}&city=shenzhen"


MENTOR_CAPACITY_MIN, MENTOR_CAPACITY_MAX = 1, 10
MENTOR_CAPACITY_MESSAGE = _("A mentor takes 1 to 10 interns at once.")


class MentorQuerySet(models.QuerySet):
    def certified_for(self, window):
        """Mentors who may take interns in `window` — the one place this rule is written: an active
        account, a certification valid from the window's first day to its last, at an active
        training store."""
        return self.filter(
            user__is_active=True,
            certified_on__lte=window.starts_on,
            certification_expires_on__gte=window.ends_on,
            store__is_active=True,
            store__is_training_store=True,
        )


class Mentor(TimeStampedModel):
    """A certified Xiaomi store employee who mentors interns."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="mentor_profile",
        limit_choices_to={"role": "mentor"},
        verbose_name=_("person"),
    )
    store = models.ForeignKey(
        Store, on_delete=models.PROTECT, related_name="mentors", verbose_name=_("store")
    )
    certified_on = models.DateField(_("certified on"))
    certification_expires_on = models.DateField(_("certification expires on"))
    capacity = models.PositiveSmallIntegerField(
        _("interns at once"),
        default=2,
        # The same range as the check constraint below, said in words next to the field.
        validators=[
            MinValueValidator(MENTOR_CAPACITY_MIN, message=MENTOR_CAPACITY_MESSAGE),
            MaxValueValidator(MENTOR_CAPACITY_MAX, message=MENTOR_CAPACITY_MESSAGE),
        ],
    )

    objects = MentorQuerySet.as_manager()

    class Meta:
        verbose_name = _("mentor")
        verbose_name_plural = _("mentors")
        ordering = ["store", "user__full_name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(certification_expires_on__gt=models.F("certified_on")),
                name="internships_mentor_certification_ordered",
            ),
            models.CheckConstraint(
                condition=models.Q(capacity__gte=MENTOR_CAPACITY_MIN, capacity__lte=MENTOR_CAPACITY_MAX),
                name="internships_mentor_capacity_range",
            ),
        ]

    def __str__(self):
        return f"{self.user.full_name} · {self.store}"

    @property
    def is_certified(self) -> bool:
        return self.certification_expires_on >= timezone.localdate()


# --- Cohort plan: the courses' due dates and the placement windows -----------------------------


class CohortCourse(TimeStampedModel):
    """One of the five courses in a cohort, with the date it must be passed by."""

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="course_plan")
    course = models.ForeignKey(
        "courses.Course", on_delete=models.PROTECT, related_name="+", verbose_name=_("course")
    )
    due_on = models.DateField(_("due date"))

    class Meta:
        ordering = ["cohort", "due_on"]
        constraints = [
            models.UniqueConstraint(fields=["cohort", "course"], name="internships_cohort_course_once")
        ]

    def __str__(self):
        return f"{self.cohort} · {self.course} · {self.due_on}"


class PlacementWindow(TimeStampedModel):
    """Three weeks in which a cohort's students are placed in the stores."""

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="placement_windows")
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))

    class Meta:
        ordering = ["cohort", "starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gt=models.F("starts_on")), name="internships_window_ordered"
            ),
        ]

    def __str__(self):
        return f"{self.starts_on} – {self.ends_on}"


# --- Students ------------------------------------------------------------------------------------


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


class Application(TimeStampedModel):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        ACCEPTED = "accepted", _("Accepted")
        WAITLISTED = "waitlisted", _("Waitlisted")
        REJECTED = "rejected", _("Not accepted")
        WITHDRAWN = "withdrawn", _("Withdrawn")

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
    placement_window = models.ForeignKey(
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
                condition=Q(
                    status__in=["draft", "submitted", "accepted", "waitlisted", "rejected", "withdrawn"]
                ),
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


# --- Placements ----------------------------------------------------------------------------------


class StoreSeats(TimeStampedModel):
    """How many of a cohort's students a store takes in one placement window."""

    window = models.ForeignKey(PlacementWindow, on_delete=models.CASCADE, related_name="seats")
    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="seats")
    seats = models.PositiveSmallIntegerField(_("seats"), default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["window", "store"], name="internships_seats_once"),
            models.CheckConstraint(condition=Q(seats__lte=50), name="internships_seats_range"),
        ]

    def __str__(self):
        return f"{self.store} · {self.window}: {self.seats}"


class EligibilityException(TimeStampedModel):
    """Staff's recorded decision to let a student be placed without all courses passed."""

    application = models.OneToOneField(
        Application, on_delete=models.CASCADE, related_name="eligibility_exception"
    )
    reason = models.TextField(_("reason"))
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    def __str__(self):
        return f"{self.application}: {self.reason[:40]}"


class AllocationRun(TimeStampedModel):
    """One run of the allocation for a cohort: what it did, with which seed; published or not."""

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="allocation_runs")
    seed = models.CharField(max_length=64)
    algorithm = models.CharField(max_length=100)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True)
    stats = models.JSONField(default=dict)
    unplaced = models.JSONField(default=list)  # [{"application": id, "reason": "..."}]

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.cohort} · {self.created_at:%Y-%m-%d %H:%M}"


class PlacementQuerySet(models.QuerySet):
    def shared_with_xiaomi(self):
        """Placements of students who agreed, on their application in that cohort, to share their
        data with Xiaomi: the only ones Xiaomi's coordinator/HR may see."""
        return self.filter(application__shares_with_xiaomi=True)

    def visible_to(self, user):
        """Staff see all; Xiaomi HR those shared with Xiaomi; a mentor their interns (consent or
        not: they work with them); a student their own — mentors and students published only."""
        if user.has_role("staff", "admin"):
            return self
        if user.has_role("hr"):
            return self.shared_with_xiaomi()
        published = self.exclude(status=Placement.Status.PROPOSED)
        if user.has_role("mentor"):
            return published.filter(mentor__user=user)
        if user.has_role("student"):
            return published.filter(student=user)
        return self.none()


class Placement(TimeStampedModel):
    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed (not published)")
        PLANNED = "planned", _("Planned")
        ACTIVE = "active", _("Active")
        COMPLETED = "completed", _("Completed")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    HOLDS_SEAT = (Status.PROPOSED, Status.PLANNED, Status.ACTIVE, Status.COMPLETED)

    cohort = models.ForeignKey(Cohort, on_delete=models.PROTECT, related_name="placements")
    student = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="placements")
    application = models.OneToOneField(Application, on_delete=models.CASCADE, related_name="placement")
    window = models.ForeignKey(PlacementWindow, on_delete=models.PROTECT, related_name="placements")
    store = models.ForeignKey(
        Store, on_delete=models.PROTECT, related_name="placements", verbose_name=_("store")
    )
    mentor = models.ForeignKey(
        Mentor, on_delete=models.PROTECT, related_name="placements", verbose_name=_("mentor")
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PROPOSED)
    preference_rank = models.PositiveSmallIntegerField(null=True, blank=True)  # 1–3, None = not a wish
    allocation_run = models.ForeignKey(
        AllocationRun, on_delete=models.SET_NULL, null=True, related_name="placements"
    )
    change_reason = models.TextField(blank=True)

    objects = PlacementQuerySet.as_manager()

    class Meta:
        verbose_name = _("placement")
        verbose_name_plural = _("placements")
        constraints = [
            models.UniqueConstraint(
                fields=["cohort", "student"], name="internships_one_placement_per_cohort"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["proposed", "planned", "active", "completed", "withdrawn"]),
                name="internships_placement_status_valid",
            ),
        ]
        indexes = [models.Index(fields=["window", "store", "status"], name="internships_seat_use_idx")]

    def __str__(self):
        return f"{self.student} @ {self.store}"

    @property
    def starts_on(self):
        return self.window.starts_on

    @property
    def ends_on(self):
        return self.window.ends_on

    def working_days(self) -> list:
        from datetime import timedelta

        weekdays = {int(d) for d in self.cohort.placement_weekdays if d.isdigit()}
        day, days = self.window.starts_on, []
        while day <= self.window.ends_on:
            if day.isoweekday() in weekdays:
                days.append(day)
            day += timedelta(days=1)
        return days


class Attendance(TimeStampedModel):
    class Mark(models.TextChoices):
        PRESENT = "present", _("Present")
        LATE = "late", _("Late")
        ABSENT = "absent", _("Absent")

    placement = models.ForeignKey(Placement, on_delete=models.CASCADE, related_name="attendance")
    day = models.DateField(_("day"))
    mark = models.CharField(_("attendance"), max_length=8, choices=Mark.choices, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    check_in_code = models.CharField(max_length=6, blank=True)
    checked_in_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["placement", "day"]
        constraints = [
            models.UniqueConstraint(fields=["placement", "day"], name="internships_attendance_once_a_day"),
            models.CheckConstraint(
                condition=Q(mark__in=["", "present", "late", "absent"]), name="internships_mark_valid"
            ),
        ]

    def __str__(self):
        return f"{self.placement} {self.day}: {self.mark or '—'}"


class CalendarToken(models.Model):
    """The secret in a person's private iCal feed address."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_token"
    )
    token = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"calendar of {self.user}"
