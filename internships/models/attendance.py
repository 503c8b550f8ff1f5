"""Attendance: the mentor's mark for each working day of a placement, and the check-in code."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sztu_xiaomi.models import TimeStampedModel

from .placements import Placement


class AttendanceMark(models.TextChoices):
    PRESENT = "present", _("Present")
    LATE = "late", _("Late")
    ABSENT = "absent", _("Absent")


class Attendance(TimeStampedModel):
    Mark = AttendanceMark

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
                condition=Q(mark__in=["", *AttendanceMark.values]), name="internships_mark_valid"
            ),
        ]

    def __str__(self):
        return f"{self.placement} {self.day}: {self.mark or '—'}"
