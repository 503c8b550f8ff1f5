"""The assessment's rules that the database itself enforces (these tests bypass every form)."""

from datetime import date

import pytest
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.utils import timezone

from evaluations.models import AssessmentSettings, Criterion, Evaluation, ProgrammeResult, Reflection, Score
from evaluations.selectors import current_week, period_opens_on, week_days
from evaluations.services import rubric_current
from tests.factories import (
    CohortFactory,
    EvaluationFactory,
    PlacementFactory,
    PlacementWindowFactory,
    ReflectionFactory,
    SubmittedEvaluationFactory,
)

pytestmark = pytest.mark.django_db


def _rejected(create):
    with pytest.raises(IntegrityError), transaction.atomic():
        create()


def test_a_new_cohort_gets_the_six_criterion_new_retail_rubric_once():
    cohort = CohortFactory()
    rubric = rubric_current(cohort=cohort)
    assert rubric_current(cohort=cohort) == rubric
    names = list(rubric.criteria.values_list("name_en", flat=True))
    assert names == [
        "Product knowledge",
        "Customer service",
        "Sales skills",
        "Teamwork",
        "Professionalism and punctuality",
        "Learning attitude",
    ]
    criterion = rubric.criteria.first()
    assert all(criterion.level_5_zh and criterion.level_1_en for criterion in rubric.criteria.all())
    assert [level for level, _text in criterion.levels()] == [1, 2, 3, 4, 5]


def test_the_database_rejects_a_second_evaluation_of_the_same_placement_and_week():
    evaluation = EvaluationFactory(period=2)
    _rejected(lambda: EvaluationFactory(placement=evaluation.placement, period=2))
    EvaluationFactory(placement=evaluation.placement, period=Evaluation.Period.FINAL)
    assert evaluation.placement.evaluations.count() == 2


@pytest.mark.parametrize("period", [0, 5])
def test_the_database_rejects_a_period_other_than_weeks_1_to_3_and_final(period):
    _rejected(lambda: EvaluationFactory(period=period))


@pytest.mark.parametrize("level", [0, 6])
def test_the_database_rejects_a_score_outside_1_to_5(level):
    evaluation = EvaluationFactory()
    criterion = evaluation.rubric.criteria.first()
    _rejected(lambda: Score.objects.create(evaluation=evaluation, criterion=criterion, score=level))
    Score.objects.create(evaluation=evaluation, criterion=criterion, score=5)


def test_the_database_rejects_a_second_score_for_one_criterion():
    evaluation = EvaluationFactory()
    criterion = evaluation.rubric.criteria.first()
    Score.objects.create(evaluation=evaluation, criterion=criterion, score=4)
    _rejected(lambda: Score.objects.create(evaluation=evaluation, criterion=criterion, score=2))


def test_a_draft_cannot_be_released_and_a_submission_needs_its_time():
    _rejected(lambda: EvaluationFactory(released_at=timezone.now()))
    _rejected(lambda: EvaluationFactory(status=Evaluation.Status.SUBMITTED, submitted_at=None))


def test_only_the_final_evaluation_carries_a_hiring_recommendation():
    _rejected(lambda: EvaluationFactory(period=1, recommends_hiring="yes"))
    _rejected(lambda: EvaluationFactory(period=Evaluation.Period.FINAL, recommends_hiring="maybe"))
    EvaluationFactory(period=Evaluation.Period.FINAL, recommends_hiring="not_sure")


def test_the_database_rejects_a_second_reflection_for_a_week_and_a_week_4():
    reflection = ReflectionFactory(week=1)
    _rejected(lambda: ReflectionFactory(placement=reflection.placement, week=1))
    _rejected(lambda: ReflectionFactory(week=4))
    assert Reflection.objects.count() == 1


def test_assessment_weights_sum_to_100_and_bands_are_ordered():
    _rejected(lambda: AssessmentSettings.objects.create(cohort=CohortFactory(), course_weight=50))
    _rejected(lambda: AssessmentSettings.objects.create(cohort=CohortFactory(), merit_from=90))
    AssessmentSettings.objects.create(cohort=CohortFactory())


def test_a_result_override_needs_a_reason_and_is_the_band():
    placement = PlacementFactory()
    _rejected(lambda: ProgrammeResult.objects.create(placement=placement, override_band="pass", band="pass"))
    _rejected(
        lambda: ProgrammeResult.objects.create(
            placement=placement, override_band="pass", override_reason="Illness", band="merit"
        )
    )
    ProgrammeResult.objects.create(
        placement=placement, override_band="pass", override_reason="Illness", band="pass"
    )


def test_a_rubric_used_by_an_evaluation_cannot_lose_a_criterion():
    evaluation = SubmittedEvaluationFactory()
    criterion = evaluation.rubric.criteria.first()
    with pytest.raises(ProtectedError), transaction.atomic():  # the scores refer to it
        Criterion.objects.filter(pk=criterion.pk).delete()
    assert evaluation.rubric.in_use


def test_weeks_open_on_their_last_working_day_and_the_final_on_the_last_day():
    # a Monday-to-Friday cohort; the window runs Monday 2027-03-01 to Sunday 2027-03-21
    window = PlacementWindowFactory(
        cohort=CohortFactory(placement_weekdays="12345"),
        starts_on=date(2027, 3, 1),
        ends_on=date(2027, 3, 21),
    )
    placement = PlacementFactory(window=window)
    assert week_days(placement, 1) == [date(2027, 3, day) for day in range(1, 6)]
    assert [period_opens_on(placement, week) for week in (1, 2, 3)] == [
        date(2027, 3, 5),
        date(2027, 3, 12),
        date(2027, 3, 19),
    ]
    assert period_opens_on(placement, Evaluation.Period.FINAL) == date(2027, 3, 19)
    assert current_week(placement, date(2027, 3, 8)) == 2
    assert current_week(placement, date(2027, 3, 22)) is None
