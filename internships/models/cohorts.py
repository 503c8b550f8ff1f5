"""Cohorts and their plan: the five courses' due dates and the placement windows."""

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sztu_xiaomi.models import Bilingual, TimeStampedModel


class CohortStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    OPEN = "open", _("Open for applications")
    RUNNING = "running", _("Running")
    FINISHED = "finished", _("Finished")


class CohortQuerySet(models.QuerySet):
    def accepting_applications(self):
        """Open, and today within its application dates: the rule `Cohort.accepting_applications`
        says for one cohort (a test keeps the two the same)."""
        today = timezone.localdate()
        return self.filter(
            status=CohortStatus.OPEN, applications_open_on__lte=today, applications_close_on__gte=today
        )


class Cohort(Bilingual, TimeStampedModel):
    Status = CohortStatus

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

    objects = CohortQuerySet.as_manager()

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
                condition=models.Q(status__in=CohortStatus.values),
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
