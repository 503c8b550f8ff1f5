"""Placements: a student at a store with a mentor in one window, and the private calendar token."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sztu_xiaomi.models import TimeStampedModel

from .allocation import AllocationRun
from .applications import Application
from .cohorts import Cohort, PlacementWindow
from .registry import Mentor, Store


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


class PlacementStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed (not published)")
    PLANNED = "planned", _("Planned")
    ACTIVE = "active", _("Active")
    COMPLETED = "completed", _("Completed")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Placement(TimeStampedModel):
    Status = PlacementStatus

    HOLDS_SEAT = (Status.PROPOSED, Status.PLANNED, Status.ACTIVE, Status.COMPLETED)
    # Published and not over yet: attendance is kept, reminders go out, the student sees it.
    IN_PROGRESS = (Status.PLANNED, Status.ACTIVE)

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
                condition=Q(status__in=PlacementStatus.values),
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


class CalendarToken(models.Model):
    """The secret in a person's private iCal feed address."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_token"
    )
    token = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"calendar of {self.user}"
