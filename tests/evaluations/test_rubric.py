"""The cohort's rubric: staff edit it in place until an evaluation uses it, then it gets a new version."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from evaluations.defaults import DEFAULT_CRITERIA
from evaluations.models import Criterion, Evaluation, Rubric
from evaluations.selectors import CRITERION_TEXT_FIELDS, criterion_fields
from evaluations.services import rubric_current, rubric_save
from tests.factories import CohortFactory, EvaluationFactory, PlacementFactory, PlacementWindowFactory

pytestmark = pytest.mark.django_db


def _criteria(n=6) -> list[dict]:
    """n criteria with every text filled: the defaults first, then made-up ones."""
    items = [criterion_fields(item) for item in DEFAULT_CRITERIA][:n]
    for i in range(len(items), n):
        items.append({name: f"标准{i} {name}" for name in CRITERION_TEXT_FIELDS})
    return items


def _rows() -> tuple[int, int]:
    return Rubric.objects.count(), Criterion.objects.count()


def _placed_cohort():
    window = PlacementWindowFactory()
    PlacementFactory(window=window)
    return window.cohort


def _form_data(criteria: list[dict], *, positions=None, delete=(), extra: dict | None = None) -> dict:
    """What the browser posts: one card per criterion (as on the page), then the empty extra card."""
    cards = [*criteria, extra or {}]
    data = {
        "criteria-TOTAL_FORMS": str(len(cards)),
        "criteria-INITIAL_FORMS": str(len(criteria)),
        "criteria-MIN_NUM_FORMS": "0",
        "criteria-MAX_NUM_FORMS": "10",
    }
    for index, card in enumerate(cards):
        for name in CRITERION_TEXT_FIELDS:
            data[f"criteria-{index}-{name}"] = card.get(name, "")
        position = (positions or {}).get(index, index + 1 if index < len(criteria) else "")
        data[f"criteria-{index}-position"] = str(position)
        if index in delete:
            data[f"criteria-{index}-DELETE"] = "on"
    return data


# --- The service ---------------------------------------------------------------------------------


def test_saving_an_unused_rubric_edits_the_current_version_in_place(staff):
    cohort = CohortFactory()
    rubric = rubric_current(cohort=cohort)
    criteria = _criteria(4)
    criteria[1]["level_3_en"] = "Greets every customer within ten seconds."

    saved = rubric_save(cohort=cohort, criteria=criteria, by=staff)

    assert saved.pk == rubric.pk and saved.version == 1
    assert Rubric.objects.filter(cohort=cohort).count() == 1
    assert list(saved.criteria.values_list("position", "name_en")) == [
        (1, "Product knowledge"),
        (2, "Customer service"),
        (3, "Sales skills"),
        (4, "Teamwork"),
    ]
    assert saved.criteria.get(position=2).level_3_en == "Greets every customer within ten seconds."


def test_the_first_save_creates_version_1_from_the_criteria_given(staff):
    cohort = CohortFactory()

    saved = rubric_save(cohort=cohort, criteria=_criteria(3), by=staff)

    assert saved.version == 1
    assert saved.criteria.count() == 3
    assert rubric_current(cohort=cohort) == saved


def test_saving_a_used_rubric_makes_the_next_version_and_leaves_the_used_one_untouched(staff):
    cohort = _placed_cohort()
    placement = cohort.placements.get()
    evaluation = EvaluationFactory(placement=placement, period=1)
    used = evaluation.rubric
    before = list(used.criteria.values())
    criteria = _criteria(5)
    criteria[0]["name_zh"] = "产品与生态链知识"

    saved = rubric_save(cohort=cohort, criteria=criteria, by=staff)

    assert saved.version == 2 and saved.pk != used.pk
    assert list(used.criteria.values()) == before
    evaluation.refresh_from_db()
    assert evaluation.rubric == used
    assert rubric_current(cohort=cohort) == saved
    assert EvaluationFactory(placement=placement, period=2).rubric == saved
    assert saved.criteria.count() == 5
    assert saved.criteria.get(position=1).name_zh == "产品与生态链知识"


@pytest.mark.parametrize(
    "change, key",
    [
        (lambda c: c[1].update(level_3_en=""), "1.level_3_en"),
        (lambda c: c[0].update(name_zh="   "), "0.name_zh"),
        (lambda c: c[2].update(level_5_zh="长" * 301), "2.level_5_zh"),
        (lambda c: c[0].update(name_en="N" * 101), "0.name_en"),
        (lambda c: c.pop(), "criteria"),  # too few (2)
        (lambda c: c.extend(_criteria(8)), "criteria"),  # too many (11)
    ],
)
def test_bad_criteria_are_rejected_with_the_field_named_and_nothing_saved(staff, change, key):
    cohort = CohortFactory()
    rubric = rubric_current(cohort=cohort)
    criteria = _criteria(3)
    change(criteria)
    rows, texts = _rows(), list(rubric.criteria.values())

    with pytest.raises(ValidationError) as error:
        rubric_save(cohort=cohort, criteria=criteria, by=staff)

    assert key in error.value.message_dict
    assert _rows() == rows
    assert list(rubric.criteria.values()) == texts


# --- The page ------------------------------------------------------------------------------------


def test_opening_the_page_shows_the_defaults_and_writes_nothing(client, staff):
    cohort = CohortFactory()
    client.force_login(staff)

    response = client.get(reverse("evaluations:rubric", args=[cohort.pk]))

    assert response.status_code == 200
    assert _rows() == (0, 0)
    page = response.content.decode()
    assert "<h1>Rubric <span" in page
    assert "The default new-retail rubric" in page
    assert "产品知识" in page and "Learning attitude" in page
    assert DEFAULT_CRITERIA[5]["levels_en"][4] in page
    assert 'name="criteria-0-level_1_zh"' in page


def test_staff_change_a_descriptor_and_the_page_shows_it(client, staff):
    cohort = CohortFactory()
    client.force_login(staff)
    criteria = _criteria(6)
    criteria[2]["level_4_en"] = "Suggests a care plan with every phone sold."

    response = client.post(reverse("evaluations:rubric", args=[cohort.pk]), _form_data(criteria))

    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "Suggests a care plan with every phone sold." in page
    assert "saved as version 1" in page
    assert rubric_current(cohort=cohort).criteria.get(position=3).level_4_en == (
        "Suggests a care plan with every phone sold."
    )


def test_staff_reorder_remove_and_add_criteria_in_one_save(client, staff):
    cohort = CohortFactory()
    client.force_login(staff)
    criteria = _criteria(4)
    new = {name: f"新 {name}" for name in CRITERION_TEXT_FIELDS}

    response = client.post(
        reverse("evaluations:rubric", args=[cohort.pk]),
        _form_data(criteria, positions={0: 3, 3: 1, 4: 2}, delete={1}, extra=new),
    )

    assert response.status_code == 302
    names = list(rubric_current(cohort=cohort).criteria.values_list("position", "name_en"))
    # removed: customer service; positions 1 teamwork, 2 the new one, 3 product knowledge, then sales
    assert names == [(1, "Teamwork"), (2, "新 name_en"), (3, "Product knowledge"), (4, "Sales skills")]


def test_the_page_says_the_current_version_is_used_and_lists_the_earlier_one(client, staff):
    cohort = _placed_cohort()
    EvaluationFactory(placement=cohort.placements.get())
    rubric_save(cohort=cohort, criteria=_criteria(3), by=staff)
    EvaluationFactory(placement=cohort.placements.get(), period=2)
    client.force_login(staff)

    page = client.get(reverse("evaluations:rubric", args=[cohort.pk])).content.decode()

    assert "Version 2 (current)" in page
    assert "Used by 1 evaluation: saving makes version 3; evaluations already started keep theirs." in page
    assert "Earlier versions" in page and "Version 1 · used by 1 evaluation" in page


@pytest.mark.parametrize(
    "language, required, too_few",
    [
        ("zh-hans", "这个字段是必填项。", "评价标准须有 3 至 10 个评价项目，当前为 2 个。"),
        ("en", "This field is required.", "A rubric has from 3 to 10 criteria; this one has 2."),
    ],
)
def test_bad_input_on_the_page_is_explained_in_the_users_language_and_nothing_saved(
    client, staff, language, required, too_few
):
    staff.language = language
    staff.save()
    cohort = CohortFactory()
    client.force_login(staff)
    url = reverse("evaluations:rubric", args=[cohort.pk])
    criteria = _criteria(3)
    criteria[1]["level_2_zh"] = ""

    missing = client.post(url, _form_data(criteria))
    removed = client.post(url, _form_data(_criteria(3), delete={0}))

    assert missing.status_code == 400
    form = missing.context["formset"].forms[1]
    assert form.errors["level_2_zh"] == [required]
    assert required in missing.content.decode()
    assert removed.status_code == 400
    assert too_few in removed.content.decode()
    assert _rows() == (0, 0)


def test_a_card_filled_in_half_is_refused(client, staff):
    cohort = CohortFactory()
    client.force_login(staff)

    response = client.post(
        reverse("evaluations:rubric", args=[cohort.pk]), _form_data(_criteria(3), extra={"name_zh": "陈列"})
    )

    assert response.status_code == 400
    assert "name_en" in response.context["formset"].forms[3].errors
    assert _rows() == (0, 0)


def test_xiaomis_coordinator_reads_the_rubric_but_cannot_change_it(client, hr):
    cohort = CohortFactory()
    client.force_login(hr)

    page = client.get(reverse("evaluations:rubric", args=[cohort.pk]))
    post = client.post(reverse("evaluations:rubric", args=[cohort.pk]), _form_data(_criteria(3)))

    assert page.status_code == 200
    assert "产品知识" in page.content.decode()
    assert "criteria-TOTAL_FORMS" not in page.content.decode()
    assert post.status_code == 403
    assert _rows() == (0, 0)


@pytest.mark.parametrize("versions, evaluations", [(1, 1), (4, 6)])
def test_the_rubric_page_query_count_does_not_grow_with_versions_or_evaluations(
    client, staff, django_assert_num_queries, versions, evaluations
):
    cohort = _placed_cohort()
    window = cohort.placement_windows.get()
    for _version in range(versions):
        for _evaluation in range(evaluations):
            EvaluationFactory(placement=PlacementFactory(window=window))
        rubric_save(cohort=cohort, criteria=_criteria(6), by=staff)
    assert Evaluation.objects.count() == versions * evaluations
    client.force_login(staff)

    # session, user, unread notices (the bell), cohort, the versions with their use, their criteria
    with django_assert_num_queries(6):
        response = client.get(reverse("evaluations:rubric", args=[cohort.pk]))
    assert response.status_code == 200
