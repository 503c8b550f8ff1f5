"""What came of the recommendations, per cohort: how many reached each step, and how fast Xiaomi
answered."""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from statistics import median

from django.db.models import Count, Exists, OuterRef, Q

from internships.models import Cohort

from ..models import Recommendation, RecommendationEvent, RecommendationStatus

__all__ = ["INTERVIEWED_STATUSES", "OFFERED_STATUSES", "CohortOutcome", "outcome_cohorts", "outcomes"]

S = RecommendationStatus
# A recommendation "reached" a step when its history has a move to that step or beyond.
INTERVIEWED_STATUSES = (S.INTERVIEW, S.OFFER, S.HIRED)
OFFERED_STATUSES = (S.OFFER, S.HIRED)


def _rate(part: int, whole: int) -> Decimal | None:
    """A percentage with one decimal, or None when there is nothing to divide by."""
    if not whole:
        return None
    return (Decimal(part) * 100 / whole).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass
class CohortOutcome:
    cohort: Cohort
    recommended: int = 0
    interviewed: int = 0
    offered: int = 0
    hired: int = 0
    median_days_to_response: Decimal | None = None
    responded: int = 0

    @property
    def interview_rate(self):
        return _rate(self.interviewed, self.recommended)

    @property
    def offer_rate(self):
        return _rate(self.offered, self.interviewed)

    @property
    def hire_rate(self):
        return _rate(self.hired, self.offered)

    @property
    def overall_rate(self):
        return _rate(self.hired, self.recommended)


def outcome_cohorts():
    """The cohorts with at least one recommendation, the newest first (the rows to page over)."""
    return Cohort.objects.filter(Exists(Recommendation.objects.filter(cohort=OuterRef("pk")))).order_by(
        "-applications_open_on", "-pk"
    )


def _reached(statuses) -> Exists:
    return Exists(RecommendationEvent.objects.filter(recommendation=OuterRef("pk"), to_status__in=statuses))


def outcomes(cohorts) -> list[CohortOutcome]:
    """The outcome of each of `cohorts` (a page of them), in their order: three queries in all."""
    cohorts = list(cohorts)
    by_cohort = {c.pk: CohortOutcome(cohort=c) for c in cohorts}
    counts = (
        Recommendation.objects.filter(cohort__in=by_cohort)
        .annotate(was_interviewed=_reached(INTERVIEWED_STATUSES), was_offered=_reached(OFFERED_STATUSES))
        .values("cohort_id")
        .annotate(
            recommended=Count("pk"),
            interviewed=Count("pk", filter=Q(was_interviewed=True)),
            offered=Count("pk", filter=Q(was_offered=True)),
            hired=Count("pk", filter=Q(status=S.HIRED)),
        )
        .order_by()
    )
    for row in counts:
        outcome = by_cohort[row["cohort_id"]]
        for name in ("recommended", "interviewed", "offered", "hired"):
            setattr(outcome, name, row[name])
    # The median in Python over one query's rows: the same on SQLite and PostgreSQL.
    days: dict[int, list[float]] = {}
    for cohort_id, sent_at, first_response_at in Recommendation.objects.filter(
        cohort__in=by_cohort, first_response_at__isnull=False
    ).values_list("cohort_id", "sent_at", "first_response_at"):
        days.setdefault(cohort_id, []).append((first_response_at - sent_at).total_seconds() / 86400)
    for cohort_id, values in days.items():
        outcome = by_cohort[cohort_id]
        outcome.responded = len(values)
        outcome.median_days_to_response = Decimal(str(median(values))).quantize(
            Decimal("0.1"), rounding=ROUND_HALF_UP
        )
    return [by_cohort[c.pk] for c in cohorts]
