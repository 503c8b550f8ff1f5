"""Writes of rubrics: the cohort's current rubric (the default one the first time)."""

from django.db import IntegrityError, transaction

from internships.models import Cohort

from ..defaults import DEFAULT_CRITERIA
from ..models import LEVELS, Criterion, Rubric

__all__ = ["rubric_current"]


def rubric_current(*, cohort: Cohort) -> Rubric:
    """The cohort's latest rubric version; the first call creates version 1 from the defaults."""
    rubric = Rubric.objects.filter(cohort=cohort).order_by("-version").first()
    if rubric is not None:
        return rubric
    try:
        with transaction.atomic():
            rubric = Rubric.objects.create(cohort=cohort, version=1)
            Criterion.objects.bulk_create(
                Criterion(rubric=rubric, position=position, **_criterion_fields(item))
                for position, item in enumerate(DEFAULT_CRITERIA, start=1)
            )
            return rubric
    except IntegrityError:  # created at the same moment by another request
        return Rubric.objects.filter(cohort=cohort).order_by("-version").first()


def _criterion_fields(item: dict) -> dict:
    fields = {"name_zh": item["name_zh"], "name_en": item["name_en"]}
    for level in LEVELS:
        fields[f"level_{level}_zh"] = item["levels_zh"][level - 1]
        fields[f"level_{level}_en"] = item["levels_en"][level - 1]
    return fields
