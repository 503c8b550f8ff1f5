"""Writes of rubrics: the cohort's current rubric (the default one the first time), and its edits."""

import logging

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from internships.models import Cohort

from ..defaults import DEFAULT_CRITERIA
from ..models import Criterion, Rubric
from ..selectors.rubrics import CRITERION_TEXT_FIELDS, criterion_fields

__all__ = ["CRITERIA_MAX", "CRITERIA_MIN", "rubric_current", "rubric_save"]

logger = logging.getLogger(__name__)

CRITERIA_MIN, CRITERIA_MAX = 3, 10


def rubric_current(*, cohort: Cohort) -> Rubric:
    """The cohort's latest rubric version; the first call creates version 1 from the defaults."""
    rubric = Rubric.objects.filter(cohort=cohort).order_by("-version").first()
    if rubric is not None:
        return rubric
    try:
        with transaction.atomic():
            rubric = Rubric.objects.create(cohort=cohort, version=1)
            Criterion.objects.bulk_create(
                Criterion(rubric=rubric, position=position, **criterion_fields(item))
                for position, item in enumerate(DEFAULT_CRITERIA, start=1)
            )
            return rubric
    except IntegrityError:  # created at the same moment by another request
        return Rubric.objects.filter(cohort=cohort).order_by("-version").first()


def criteria_check(criteria: list[dict]) -> list[Criterion]:
    """Unsaved criteria, positions 1 … N in the order given; a ValidationError when there are too
    few or too many (key "criteria") or a text is missing or too long (key "<index>.<field>", the
    index counting from 0 in `criteria`)."""
    if not CRITERIA_MIN <= len(criteria) <= CRITERIA_MAX:
        raise ValidationError(
            {
                "criteria": _("A rubric has from %(min)s to %(max)s criteria; this one has %(n)s.")
                % {"min": CRITERIA_MIN, "max": CRITERIA_MAX, "n": len(criteria)}
            }
        )
    built, errors = [], {}
    for index, item in enumerate(criteria):
        criterion = Criterion(
            position=index + 1, **{name: (item.get(name) or "").strip() for name in CRITERION_TEXT_FIELDS}
        )
        try:
            criterion.clean_fields(exclude=["rubric"])
        except ValidationError as error:
            errors.update({f"{index}.{name}": messages for name, messages in error.message_dict.items()})
        built.append(criterion)
    if errors:
        raise ValidationError(errors)
    return built


@transaction.atomic
def rubric_save(*, cohort: Cohort, criteria: list[dict], by) -> Rubric:
    """Save the cohort's rubric as `criteria` (dicts of Criterion's texts, in order).

    While no evaluation uses the current version it is edited in place; once one does, the
    criteria become version N+1 and the used version stays as it is (its evaluations keep it).
    All or nothing: bad input raises ValidationError (see `criteria_check`) and saves nothing.
    """
    new_criteria = criteria_check(criteria)
    # One save per cohort at a time; and the rubric row's lock waits for an evaluation being
    # created on it (its foreign key locks the row), so "in use" cannot change under us.
    list(Cohort.objects.select_for_update().filter(pk=cohort.pk).values_list("pk", flat=True))
    rubric = rubric_current(cohort=cohort)
    rubric = Rubric.objects.select_for_update().get(pk=rubric.pk)
    if rubric.in_use:
        rubric = Rubric.objects.create(cohort=cohort, version=rubric.version + 1)
    else:
        rubric.criteria.all().delete()
        rubric.save(update_fields=["updated_at"])
    for criterion in new_criteria:
        criterion.rubric = rubric
    Criterion.objects.bulk_create(new_criteria)
    logger.info("Rubric of %s saved as version %s by %s", cohort, rubric.version, by)
    return rubric
