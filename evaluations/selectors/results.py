"""Reads of programme results: the staff results page, one result, and a student's own."""

from django.db.models import Avg, Count, Q, QuerySet

from accounts.models import User
from internships.models import Cohort, Placement

from ..models import Band, Evaluation, ProgrammeResult

__all__ = [
    "cohort_results",
    "cohort_results_summary",
    "released_scores",
    "result_of_placement",
    "results_visible_to",
]

# Placements that get a result: published and not withdrawn (as the results service says).
_ASSESSED = (Placement.Status.PLANNED, Placement.Status.ACTIVE, Placement.Status.COMPLETED)


def cohort_results(*, cohort: Cohort, user: User) -> QuerySet[Placement]:
    """The cohort's placed students the viewer may see (Xiaomi's HR: those who consented to
    share with Xiaomi), by name, each with its result and certificate (None before computed)."""
    return (
        Placement.objects.visible_to(user)
        .filter(cohort=cohort, status__in=_ASSESSED)
        .select_related("student", "store", "result", "result__certificate")
        .order_by("student__full_name", "pk")
    )


def cohort_results_summary(*, cohort: Cohort, user: User) -> dict:
    """How many of the viewer's students are in each band, not computed yet, and certified."""
    placements = cohort_results(cohort=cohort, user=user)
    counts = placements.aggregate(
        students=Count("pk"),
        not_computed=Count("pk", filter=Q(result__isnull=True)),
        certified=Count(
            "pk", filter=Q(result__certificate__isnull=False, result__certificate__revoked_at=None)
        ),
        **{band: Count("pk", filter=Q(result__band=band)) for band in Band.values},
    )
    counts["pending"] += counts.pop("not_computed")
    return counts


def results_visible_to(user: User) -> QuerySet[ProgrammeResult]:
    """Results the viewer may open (staff all; HR of consenting students; a student their own)."""
    return ProgrammeResult.objects.visible_to(user).select_related(
        "placement__student", "placement__cohort", "placement__cohort__assessment"
    )


def result_of_placement(placement: Placement) -> ProgrammeResult | None:
    """The placement's result with its certificate and the cohort's settings (one query)."""
    return (
        ProgrammeResult.objects.filter(placement=placement, computed_at__isnull=False)
        .select_related("certificate", "placement__cohort__assessment")
        .first()
    )


def released_scores(placement: Placement) -> dict[int, float]:
    """The mean criterion score (1–5) of each evaluation the student may read, by period
    (1–3, and FINAL), in one query."""
    rows = (
        Evaluation.objects.released()
        .filter(placement=placement)
        .annotate(mean=Avg("scores__score"))
        .values_list("period", "mean")
    )
    return {period: float(mean) for period, mean in rows if mean is not None}
