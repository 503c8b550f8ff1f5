"""The programme result: its three components computed by hand, the bands at their thresholds, the
pending cases, overrides kept, and results frozen once staff confirm them."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from evaluations.models import FINAL, AssessmentSettings, Band, ProgrammeResult, ResultOverride
from evaluations.services import (
    result_override,
    result_refresh,
    results_confirm,
    results_refresh,
)
from internships.models import Attendance, Placement
from notifications import kinds
from tests.factories import StudentFactory

from .results_world import (
    DURING,
    attend,
    cohort_with_plan,
    complete_placement,
    evaluate,
    not_complete,
    placed,
    settings_for,
    travel,
)

pytestmark = pytest.mark.django_db


def result_of(placement) -> ProgrammeResult:
    return ProgrammeResult.objects.get(placement=placement)


def test_each_component_total_and_band_match_a_hand_computation():
    with travel():
        cohort = cohort_with_plan()
        placement = placed(cohort, course_scores=(90, 80, 70, 60, 100))  # mean 80
        evaluate(placement, 1, [3] * 6)  # mean 3 → 50 points
        evaluate(placement, 2, [4] * 6)  # mean 4 → 75
        evaluate(placement, 3, [5, 5, 4, 4, 3, 3])  # mean 4 → 75; weekly: 66.67
        evaluate(placement, FINAL, [5, 5, 5, 5, 4, 4])  # mean 4.667 → 91.67
        attend(placement, ["present"] * 12 + ["late"] * 2 + ["absent"])  # 13 of 15 → 86.67

        result_refresh(placement=placement)

    result = result_of(placement)
    assert result.course_score == Decimal("80.00")
    # the final counts as much as the three weeks together: (91.67 + 66.67) / 2
    assert result.evaluation_score == Decimal("79.17")
    assert result.attendance_rate == Decimal("86.67")
    # default weights 40 / 50 / 10: 32 + 39.585 + 8.667
    assert result.total == Decimal("80.25")
    assert result.computed_band == result.band == Band.MERIT
    assert result.completed_on.isoformat() == "2026-12-11"  # the last working day (a Friday)


def test_without_weekly_evaluations_the_final_one_alone_counts():
    with travel():
        placement = placed(cohort_with_plan())
        evaluate(placement, FINAL, [5] * 6)
        attend(placement, ["present"])
        result_refresh(placement=placement)

    assert result_of(placement).evaluation_score == Decimal("100.00")


def test_days_without_a_mark_count_neither_for_nor_against_the_student():
    with travel():
        placement = complete_placement(cohort_with_plan())
        Attendance.objects.filter(placement=placement).exclude(
            day__in=placement.working_days()[:4]
        ).delete()  # four days marked present, eleven never marked
        Attendance.objects.filter(placement=placement, day=placement.working_days()[0]).update(mark="late")
        result_refresh(placement=placement)

    assert result_of(placement).attendance_rate == Decimal("87.50")  # 3.5 of 4


@pytest.mark.parametrize(
    "score, band",
    [
        (100, Band.DISTINCTION),
        (85, Band.DISTINCTION),
        (84, Band.MERIT),
        (75, Band.MERIT),
        (74, Band.PASS),
        (60, Band.PASS),
        (59, Band.NOT_PASSED),
    ],
)
def test_the_band_starts_exactly_at_its_threshold(score, band):
    with travel():
        cohort = cohort_with_plan()
        settings_for(cohort, course_weight=100, evaluation_weight=0, attendance_weight=0)
        placement = complete_placement(cohort, course_scores=(score,) * 5)
        result_refresh(placement=placement)

    assert result_of(placement).total == Decimal(score)
    assert result_of(placement).band == band


def test_a_course_not_complete_means_not_passed_whatever_the_total():
    with travel():
        placement = complete_placement(cohort_with_plan(), course_scores=(100, 100, 100, 100, None))
        not_complete(placement, course_index=4)
        result_refresh(placement=placement)

    result = result_of(placement)
    assert result.course_score == Decimal("80.00")  # never attempted: 0
    assert result.total > 75
    assert result.band == Band.NOT_PASSED


def test_the_result_is_pending_until_the_placement_is_over():
    with travel(DURING):
        placement = complete_placement(cohort_with_plan())
        result_refresh(placement=placement)

    result = result_of(placement)
    assert result.band == Band.PENDING
    assert result.total is None
    assert result.course_score == Decimal("80.00")  # the components known so far are kept


def test_a_placement_marked_completed_is_over_even_on_its_last_day():
    with travel(DURING):
        placement = complete_placement(cohort_with_plan())
        Placement.objects.filter(pk=placement.pk).update(status=Placement.Status.COMPLETED)
        placement.refresh_from_db()
        result_refresh(placement=placement)

    assert result_of(placement).band == Band.MERIT  # 79.5 points


def test_the_result_is_pending_without_a_submitted_final_evaluation():
    with travel():
        placement = placed(cohort_with_plan())
        evaluate(placement, 1, [5] * 6)
        attend(placement, ["present"] * 15)
        result_refresh(placement=placement)

    result = result_of(placement)
    assert result.band == Band.PENDING
    assert result.evaluation_score is None


def test_the_result_is_pending_while_no_day_has_an_attendance_mark():
    with travel():
        placement = placed(cohort_with_plan())
        evaluate(placement, FINAL, [5] * 6)
        result_refresh(placement=placement)

    assert result_of(placement).band == Band.PENDING


def test_refreshing_twice_keeps_one_row_with_the_same_values():
    with travel():
        placement = complete_placement(cohort_with_plan())
        result_refresh(placement=placement)
        first = ProgrammeResult.objects.filter(placement=placement).values("total", "band").get()
        result_refresh(placement=placement)

    assert ProgrammeResult.objects.filter(placement=placement).count() == 1
    assert ProgrammeResult.objects.filter(placement=placement).values("total", "band").get() == first


def test_a_withdrawn_placement_gets_no_result():
    with travel():
        placement = complete_placement(cohort_with_plan(), status=Placement.Status.WITHDRAWN)
        result_refresh(placement=placement)
        results_refresh(cohort=placement.cohort)

    assert not ProgrammeResult.objects.filter(placement=placement).exists()


@pytest.mark.parametrize("size", [2, 12])
def test_refreshing_a_cohort_takes_the_same_number_of_queries_whatever_its_size(
    size, django_assert_num_queries
):
    with travel():
        cohort = cohort_with_plan()
        placements = [complete_placement(cohort) for _ in range(size)]
        result_refresh(placement=placements[0])  # one result exists, the others are created
        with django_assert_num_queries(15):  # savepoints included
            assert results_refresh(cohort=cohort) == size

    assert ProgrammeResult.objects.filter(band=Band.MERIT).count() == size


def test_the_daily_planner_refreshes_ended_cohorts_not_yet_confirmed():
    with travel():
        ended = complete_placement(cohort_with_plan())
        confirmed_cohort = cohort_with_plan()
        frozen = complete_placement(confirmed_cohort)
        settings_for(confirmed_cohort, results_confirmed_at=timezone.now())

        assert kinds.planners()["results_refresh"]() == 0  # it plans no reminder itself

    assert result_of(ended).band == Band.MERIT
    assert not ProgrammeResult.objects.filter(placement=frozen).exists()


# --- Overrides ---------------------------------------------------------------------------------


@pytest.fixture
def merit(db):
    with travel():
        placement = complete_placement(cohort_with_plan())
        result_refresh(placement=placement)
    return result_of(placement)


def test_an_override_sets_the_band_and_is_kept_with_its_reason(merit, staff):
    result_override(result=merit, band=Band.DISTINCTION, reason="Outstanding sales contest winner", by=staff)

    merit.refresh_from_db()
    assert merit.band == Band.DISTINCTION
    assert merit.computed_band == Band.MERIT
    assert merit.is_overridden
    [log] = ResultOverride.objects.filter(result=merit)
    assert (log.from_band, log.to_band, log.reason, log.by) == (
        Band.MERIT,
        Band.DISTINCTION,
        "Outstanding sales contest winner",
        staff,
    )


def test_an_override_without_a_reason_is_refused_and_changes_nothing(merit, staff):
    with pytest.raises(ValidationError) as error:
        result_override(result=merit, band=Band.PASS, reason="  ", by=staff)

    assert "reason" in error.value.message_dict
    merit.refresh_from_db()
    assert merit.band == Band.MERIT
    assert not ResultOverride.objects.exists()


def test_removing_an_override_goes_back_to_the_computed_band_and_is_logged(merit, staff):
    result_override(result=merit, band=Band.PASS, reason="Complaint from a customer", by=staff)
    result_override(result=merit, band="", reason="Complaint withdrawn", by=staff)

    merit.refresh_from_db()
    assert merit.band == Band.MERIT and not merit.is_overridden and merit.override_reason == ""
    assert list(ResultOverride.objects.values_list("from_band", "to_band", "reason")) == [
        (Band.MERIT, Band.PASS, "Complaint from a customer"),
        (Band.PASS, Band.MERIT, "Complaint withdrawn"),
    ]


def test_an_override_survives_a_recomputation(merit, staff):
    result_override(result=merit, band=Band.PASS, reason="Late twice without notice", by=staff)
    with travel():
        result_refresh(placement=merit.placement)

    merit.refresh_from_db()
    assert merit.band == Band.PASS and merit.computed_band == Band.MERIT


# --- Confirmation -----------------------------------------------------------------------------


def test_confirmed_results_are_frozen_when_an_input_changes(merit, staff):
    with travel():
        results_confirm(cohort=merit.placement.cohort, by=staff)
        Attendance.objects.filter(placement=merit.placement).update(mark="absent")
        result_refresh(placement=merit.placement)
        assert results_refresh(cohort=merit.placement.cohort) == 0

    frozen = result_of(merit.placement)
    assert frozen.attendance_rate == Decimal("100.00") and frozen.band == Band.MERIT
    assessment = AssessmentSettings.objects.get(cohort=merit.placement.cohort)
    assert assessment.results_confirmed_by == staff


def test_confirming_is_refused_while_a_result_is_pending_and_names_the_students(staff):
    with travel():
        cohort = cohort_with_plan()
        complete_placement(cohort)
        waiting = placed(cohort, application__student=StudentFactory(full_name="赵晓燕"))
        attend(waiting, ["present"] * 15)  # no final evaluation yet

        with pytest.raises(ValidationError) as error:
            results_confirm(cohort=cohort, by=staff)

    assert "赵晓燕" in error.value.messages[0]
    assert not AssessmentSettings.objects.filter(cohort=cohort, results_confirmed_at__isnull=False).exists()


def test_an_overridden_pending_result_may_be_confirmed(staff):
    with travel():
        cohort = cohort_with_plan()
        waiting = placed(cohort)
        result_refresh(placement=waiting)
        result_override(result=result_of(waiting), band=Band.NOT_PASSED, reason="Left after week 1", by=staff)

        results_confirm(cohort=cohort, by=staff)

    assert AssessmentSettings.objects.get(cohort=cohort).results_confirmed
