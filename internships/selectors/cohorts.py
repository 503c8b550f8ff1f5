"""Reads of cohorts: those taking applications now, and those staff are working on."""

from django.db.models import QuerySet

from ..models import Cohort


def cohorts_accepting_applications() -> QuerySet[Cohort]:
    return Cohort.objects.accepting_applications().order_by("applications_close_on")


def cohorts_in_progress() -> QuerySet[Cohort]:
    """Cohorts staff are working on (everything not finished), newest first."""
    return Cohort.objects.exclude(status=Cohort.Status.FINISHED).order_by("-applications_open_on")
