"""The default rubric is complete: every criterion has both names and five described levels in
Chinese and English, the same number of criteria the form allows."""

import pytest

from evaluations.defaults import DEFAULT_CRITERIA
from evaluations.models import LEVELS, Criterion
from evaluations.selectors import CRITERION_TEXT_FIELDS, criterion_fields
from evaluations.services import CRITERIA_MAX, CRITERIA_MIN


def test_the_default_rubric_has_an_allowed_number_of_criteria():
    assert CRITERIA_MIN <= len(DEFAULT_CRITERIA) <= CRITERIA_MAX


@pytest.mark.parametrize("item", DEFAULT_CRITERIA, ids=[item["name_en"] for item in DEFAULT_CRITERIA])
def test_each_default_criterion_has_five_non_empty_levels_in_both_languages(item):
    assert item["name_zh"].strip() and item["name_en"].strip()
    for language in ("zh", "en"):
        levels = item[f"levels_{language}"]
        assert len(levels) == len(LEVELS) == 5
        assert all(isinstance(text, str) and text.strip() for text in levels), language


@pytest.mark.parametrize("item", DEFAULT_CRITERIA, ids=[item["name_en"] for item in DEFAULT_CRITERIA])
def test_each_default_criterion_fits_the_fields_it_is_saved_in(item):
    fields = criterion_fields(item)
    assert set(fields) == set(CRITERION_TEXT_FIELDS)
    for name, text in fields.items():
        assert len(text) <= Criterion._meta.get_field(name).max_length, name


def test_the_default_names_are_distinct_in_each_language():
    for language in ("zh", "en"):
        names = [item[f"name_{language}"] for item in DEFAULT_CRITERIA]
        assert len(set(names)) == len(names)
