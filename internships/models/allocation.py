"""Allocation: staff's eligibility exceptions and the recorded runs of the allocation."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sztu_xiaomi.models import TimeStampedModel

from .applications import Application
from .cohorts import Cohort


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
