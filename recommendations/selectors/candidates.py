"""The staff's candidates: every graduate who passed the programme, ranked by a transparent score.

The score is computed in SQL (an annotation), so the table sorts and pages in the database:
score = (courses × w_course + evaluations × w_eval + hire points × w_rec + attendance × w_att) / 100,
where the hire points are the mentor's answer in the submitted final evaluation (yes 100, not sure
50, no or none 0) and the weights are the cohort's `HiringSettings` or, without a row, the defaults.
"""

from django.db.models import (
    Case,
    Exists,
    ExpressionWrapper,
    F,
    FilteredRelation,
    FloatField,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce

from evaluations.models import FINAL, Evaluation, HiringRecommendation, ProgrammeResult
from evaluations.services import PASSING_BANDS
from internships.models import ApplicationPreference, StudentProfile

from ..models import HiringConsent, HiringSettings

__all__ = ["CANDIDATE_ORDERS", "HIRE_POINTS", "candidate_majors", "candidates", "results_for_batch"]

HIRE_POINTS = {HiringRecommendation.YES: 100, HiringRecommendation.NOT_SURE: 50, HiringRecommendation.NO: 0}

# The orderings offered: the key in the address → the fields (the id breaks ties, so pages are stable).
CANDIDATE_ORDERS = {
    "score": ("-score", "-pk"),
    "course": ("-course_score", "-pk"),
    "evaluation": ("-evaluation_score", "-pk"),
    "recommendation": ("-hire_points", "-score", "-pk"),
    "attendance": ("-attendance_rate", "-pk"),
    "name": ("placement__student__full_name", "pk"),
}

# A float: SQLite would otherwise do integer arithmetic on whole-number decimals.
_SCORE = FloatField()


def _weight(name: str):
    default = HiringSettings._meta.get_field(name).default
    return Coalesce(F(f"placement__cohort__hiring__{name}"), Value(default), output_field=IntegerField())


def _component(name: str):
    return Cast(Coalesce(F(name), Value(0)), output_field=_SCORE)


def candidates(
    *,
    cohort=None,
    band: str = "",
    major: str = "",
    graduation_year: int | None = None,
    district: str = "",
    order: str = "score",
) -> QuerySet[ProgrammeResult]:
    """Programme results that passed, across all cohorts, each annotated with `hire_points`,
    `score`, `has_consent` (an open hiring consent) and joined to the student, their profile, the
    cohort and any recommendation made from it."""
    # The mentor's answer in the submitted final evaluation, as points. A LEFT JOIN on the one
    # final evaluation of the placement (unique per placement and period), not a correlated
    # subquery: at 100,000 graduates PostgreSQL sorts by the score in a fraction of the time.
    rows = (
        ProgrammeResult.objects.filter(band__in=PASSING_BANDS)
        .select_related("placement__student__student_profile", "placement__cohort", "recommendation")
        .annotate(
            final_evaluation=FilteredRelation(
                "placement__evaluations",
                condition=Q(
                    placement__evaluations__period=FINAL,
                    placement__evaluations__status=Evaluation.Status.SUBMITTED,
                ),
            ),
        )
        .annotate(
            hire_points=Case(
                *(
                    When(final_evaluation__recommends_hiring=value, then=Value(n))
                    for value, n in HIRE_POINTS.items()
                ),
                default=Value(0),
                output_field=IntegerField(),
            )
        )
        .annotate(
            score=ExpressionWrapper(
                (
                    _component("course_score") * _weight("course_weight")
                    + _component("evaluation_score") * _weight("evaluation_weight")
                    + F("hire_points") * _weight("recommendation_weight")
                    + _component("attendance_rate") * _weight("attendance_weight")
                )
                / Value(100.0),
                output_field=_SCORE,
            ),
            has_consent=Exists(
                HiringConsent.objects.active().filter(student_id=OuterRef("placement__student_id"))
            ),
        )
    )
    if cohort:
        rows = rows.filter(placement__cohort=cohort)
    if band:
        rows = rows.filter(band=band)
    if major:
        rows = rows.filter(placement__student__student_profile__major=major)
    if graduation_year:
        rows = rows.filter(placement__student__student_profile__graduation_year=graduation_year)
    if district:
        rows = rows.filter(
            Exists(
                ApplicationPreference.objects.filter(
                    application_id=OuterRef("placement__application_id")
                ).filter(Q(district=district) | Q(store__district=district))
            )
        )
    return rows.order_by(*CANDIDATE_ORDERS.get(order, CANDIDATE_ORDERS["score"]))


def candidate_majors() -> list[str]:
    """The majors of the students who passed, for the filter's choices."""
    return list(
        StudentProfile.objects.filter(user__placements__result__band__in=PASSING_BANDS)
        .order_by("major")
        .values_list("major", flat=True)
        .distinct()
    )


def results_for_batch(ids) -> list[ProgrammeResult]:
    """The results chosen for a batch, passed or not (the page says why one is left out), with
    what the batch form and `recommendations_send` read: the student, the profile, the cohort and
    its hiring settings, any recommendation, and `has_consent`. One query."""
    return list(
        ProgrammeResult.objects.filter(pk__in=list(ids))
        .select_related("placement__student__student_profile", "placement__cohort__hiring", "recommendation")
        .annotate(
            has_consent=Exists(
                HiringConsent.objects.active().filter(student_id=OuterRef("placement__student_id"))
            )
        )
        .order_by("placement__student__full_name", "pk")
    )
