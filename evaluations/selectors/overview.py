"""Reads of the assessment overview: the cohorts whose placements are assessed."""

from django.db.models import Count, Min, Q, QuerySet

from internships.models import Cohort, Placement

__all__ = ["cohorts_assessed"]


def cohorts_assessed() -> QuerySet[Cohort]:
    """Cohorts with published placements, the latest placement window first, with how many
    students are placed."""
    published = ~Q(placements__status__in=[Placement.Status.PROPOSED, Placement.Status.WITHDRAWN])
    return (
        Cohort.objects.annotate(
            placed=Count("placements", filter=published),
            placement_starts_on=Min("placement_windows__starts_on"),
        )
        .filter(placed__gt=0)
        .order_by("-placement_starts_on", "-pk")
    )
