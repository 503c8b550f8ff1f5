"""The staff's candidates: the transparent score computed in SQL, the order, each filter, and a
cohort's own weights."""

import pytest
from pytest import approx

from evaluations.models import FINAL, Band
from internships.models import ApplicationPreference, District
from recommendations.models import HiringSettings
from recommendations.selectors import candidate_majors, candidates
from tests.factories import (
    CohortFactory,
    EvaluationFactory,
    GraduateResultFactory,
    HiringConsentFactory,
    PlacementFactory,
    PlacementWindowFactory,
    ProgrammeResultFactory,
    RecommendationFactory,
    StoreFactory,
    SubmittedEvaluationFactory,
)

pytestmark = pytest.mark.django_db


def graduate(cohort=None, hiring=None, **result_fields):
    """A passing result in `cohort`, with the mentor's final answer `hiring` (submitted) if given."""
    window = PlacementWindowFactory(cohort=cohort) if cohort else PlacementWindowFactory()
    result = GraduateResultFactory(placement=PlacementFactory(window=window), **result_fields)
    if hiring is not None:
        SubmittedEvaluationFactory(placement=result.placement, period=FINAL, recommends_hiring=hiring)
    return result


def test_the_score_is_the_weighted_sum_of_the_components_by_default_weights():
    result = graduate(hiring="yes", course_score=82, evaluation_score=78, attendance_rate=96)
    row = candidates().get(pk=result.pk)
    # (82×30 + 78×40 + 100×20 + 96×10) / 100 = (2460 + 3120 + 2000 + 960) / 100
    assert row.hire_points == 100
    assert row.score == approx(85.40)


@pytest.mark.parametrize(("answer", "points"), [("yes", 100), ("not_sure", 50), ("no", 0), (None, 0)])
def test_the_mentors_final_answer_gives_its_points(answer, points):
    result = graduate(hiring=answer, course_score=80, evaluation_score=80, attendance_rate=80)
    row = candidates().get(pk=result.pk)
    assert row.hire_points == points
    assert row.score == approx((80 * 80 + points * 20) / 100)


def test_a_draft_final_evaluation_gives_no_points():
    result = graduate()
    EvaluationFactory(placement=result.placement, period=FINAL, recommends_hiring="yes")
    assert candidates().get(pk=result.pk).hire_points == 0


def test_a_cohorts_own_weights_are_used():
    cohort = CohortFactory()
    HiringSettings.objects.create(
        cohort=cohort, course_weight=10, evaluation_weight=20, recommendation_weight=60, attendance_weight=10
    )
    own = graduate(cohort, hiring="not_sure", course_score=90, evaluation_score=70, attendance_rate=100)
    default = graduate(hiring="not_sure", course_score=90, evaluation_score=70, attendance_rate=100)
    rows = {r.pk: r.score for r in candidates()}
    # (90×10 + 70×20 + 50×60 + 100×10) / 100 ; (90×30 + 70×40 + 50×20 + 100×10) / 100
    assert rows[own.pk] == approx(63.00)
    assert rows[default.pk] == approx(75.00)


def test_only_passing_results_of_every_cohort_are_candidates():
    old, new = graduate(CohortFactory(code="2025")), graduate(CohortFactory(code="2026"))
    ProgrammeResultFactory(band=Band.NOT_PASSED, computed_band=Band.NOT_PASSED)
    ProgrammeResultFactory()  # pending
    assert {r.pk for r in candidates()} == {old.pk, new.pk}


def test_missing_components_count_as_zero():
    result = graduate(course_score=None, evaluation_score=50, attendance_rate=None)
    assert candidates().get(pk=result.pk).score == approx(20.00)


def test_rows_are_ranked_by_score_then_by_any_component_or_name():
    low = graduate(hiring="no", course_score=60, evaluation_score=60, attendance_rate=100)
    high = graduate(hiring="yes", course_score=70, evaluation_score=70, attendance_rate=70)
    mid = graduate(hiring="not_sure", course_score=95, evaluation_score=65, attendance_rate=80)
    for result, name in ((low, "张三"), (high, "李四"), (mid, "王五")):
        result.placement.student.full_name = name
        result.placement.student.save(update_fields=["full_name"])
    assert [r.pk for r in candidates()] == [high.pk, mid.pk, low.pk]
    assert [r.pk for r in candidates(order="course")] == [mid.pk, high.pk, low.pk]
    assert [r.pk for r in candidates(order="evaluation")] == [high.pk, mid.pk, low.pk]
    assert [r.pk for r in candidates(order="recommendation")] == [high.pk, mid.pk, low.pk]
    assert [r.pk for r in candidates(order="attendance")] == [low.pk, mid.pk, high.pk]
    assert [r.pk for r in candidates(order="name")] == sorted(
        [low.pk, high.pk, mid.pk], key=lambda pk: {low.pk: "张三", high.pk: "李四", mid.pk: "王五"}[pk]
    )
    assert [r.pk for r in candidates(order="no-such-order")] == [high.pk, mid.pk, low.pk]


def test_the_cohort_filter():
    cohort = CohortFactory()
    mine, _other = graduate(cohort), graduate()
    assert [r.pk for r in candidates(cohort=cohort)] == [mine.pk]


def test_the_result_filter():
    distinction = graduate(band=Band.DISTINCTION, computed_band=Band.DISTINCTION)
    graduate(band=Band.PASS, computed_band=Band.PASS)
    assert [r.pk for r in candidates(band=Band.DISTINCTION)] == [distinction.pk]


def test_the_major_and_graduation_year_filters_and_the_majors_offered():
    a, b = graduate(), graduate()
    profile = a.placement.student.student_profile
    profile.major, profile.graduation_year = "电子商务", 2026
    profile.save()
    ProgrammeResultFactory()  # not passed (pending): its major is not offered
    assert [r.pk for r in candidates(major="电子商务")] == [a.pk]
    assert [r.pk for r in candidates(graduation_year=2027)] == [b.pk]
    assert candidate_majors() == sorted(["电子商务", "市场营销"])


def test_the_district_filter_matches_a_district_wish_or_a_stores_district():
    by_district, by_store, neither = graduate(), graduate(), graduate()
    ApplicationPreference.objects.create(
        application=by_district.placement.application, rank=1, district=District.FUTIAN
    )
    ApplicationPreference.objects.create(
        application=by_store.placement.application, rank=2, store=StoreFactory(district=District.FUTIAN)
    )
    ApplicationPreference.objects.create(
        application=neither.placement.application, rank=1, district=District.LUOHU
    )
    assert {r.pk for r in candidates(district=District.FUTIAN)} == {by_district.pk, by_store.pk}


def test_consent_and_any_recommendation_are_on_the_row():
    consenting, withdrawn, recommended = graduate(), graduate(), RecommendationFactory()
    HiringConsentFactory(student=consenting.placement.student)
    consent = HiringConsentFactory(student=withdrawn.placement.student)
    consent.withdrawn_at = consent.given_at
    consent.save()
    rows = {r.pk: r for r in candidates()}
    assert rows[consenting.pk].has_consent
    assert not rows[withdrawn.pk].has_consent
    assert rows[recommended.result_id].has_consent
    assert rows[recommended.result_id].recommendation.status == "received"


@pytest.mark.parametrize("size", [3, 12])
def test_the_selector_reads_a_page_in_one_query(django_assert_num_queries, size):
    for _ in range(size):
        result = graduate(hiring="yes")
        HiringConsentFactory(student=result.placement.student)
    with django_assert_num_queries(1):
        rows = list(candidates()[:25])
        for r in rows:
            _ = (r.placement.student.student_profile.major, r.placement.cohort.name, r.has_consent)
            _ = getattr(r, "recommendation", None)
    assert len(rows) == size
