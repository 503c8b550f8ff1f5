"""Factories of the assessment: rubrics, evaluations, scores, reflections, results."""

import factory
from django.utils import timezone

from evaluations.models import Evaluation, ProgrammeResult, Reflection, Score
from evaluations.services import rubric_current

from .internships import PlacementFactory


class EvaluationFactory(factory.django.DjangoModelFactory):
    """A draft week-1 evaluation on the cohort's current rubric, written straight to the database
    (use `evaluations.services` for the rules)."""

    class Meta:
        model = Evaluation

    placement = factory.SubFactory(PlacementFactory)
    period = 1
    rubric = factory.LazyAttribute(lambda e: rubric_current(cohort=e.placement.cohort))
    author = factory.LazyAttribute(lambda e: e.placement.mentor.user)


class SubmittedEvaluationFactory(EvaluationFactory):
    """Submitted and released, every criterion scored: `scores=[5, 4, ...]` in criterion order,
    or 3 for each when not given."""

    status = Evaluation.Status.SUBMITTED
    submitted_at = factory.LazyFunction(timezone.now)
    released_at = factory.LazyFunction(timezone.now)
    comment = "Good progress on the shop floor."

    class Meta:
        skip_postgeneration_save = True

    @factory.post_generation
    def scores(evaluation, create, extracted, **kwargs):
        if not create:
            return
        criteria = list(evaluation.rubric.criteria.all())
        levels = extracted or [3] * len(criteria)
        Score.objects.bulk_create(
            Score(evaluation=evaluation, criterion=criterion, score=level)
            for criterion, level in zip(criteria, levels, strict=True)
        )


class ReflectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Reflection

    placement = factory.SubFactory(PlacementFactory)
    week = 1
    learned = "我学会了如何向顾客介绍小米手机的主要卖点和参数。" * 2
    difficult = "高峰时段顾客很多，我不知道先接待哪一位，需要更好地安排。" * 2
    goal = "下周我希望能独立完成一次完整的销售流程，包括开单与收银。" * 2
    submitted_at = factory.LazyFunction(timezone.now)


class ProgrammeResultFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProgrammeResult

    placement = factory.SubFactory(PlacementFactory)
