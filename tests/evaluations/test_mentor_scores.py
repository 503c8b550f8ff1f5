"""Each mentor's score distribution against the cohort's: lenient and harsh mentors stand out."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from evaluations.selectors import mentor_score_spread
from tests.factories import (
    EvaluationFactory,
    MentorFactory,
    PlacementFactory,
    PlacementWindowFactory,
    SubmittedEvaluationFactory,
)

pytestmark = pytest.mark.django_db


def _evaluated(window, mentor, *evaluations, shares=True):
    """One intern of `mentor` in `window` per list of six scores, each a submitted evaluation."""
    for scores in evaluations:
        placement = PlacementFactory(window=window, mentor=mentor, application__shares_with_xiaomi=shares)
        SubmittedEvaluationFactory(placement=placement, scores=scores)


@pytest.fixture
def cohort():
    """Two mentors, two evaluations each (six criteria), plus what must not count: a draft, and a
    submitted evaluation in another cohort.

    lenient: 5 5 5 5 5 5 / 4 4 5 5 4 4 → four 4s, eight 5s, mean 56/12 = 4.67
    harsh:   2 2 2 2 2 2 / 1 3 3 2 2 2 → one 1, nine 2s, two 3s, mean 25/12 = 2.08
    cohort:  1×1, 2×9, 3×2, 4×4, 5×8, mean 81/24 = 3.375 → 3.38
    """
    window = PlacementWindowFactory()
    lenient = MentorFactory(user__full_name="宽松导师")
    harsh = MentorFactory(user__full_name="严格导师")
    _evaluated(window, lenient, [5, 5, 5, 5, 5, 5], [4, 4, 5, 5, 4, 4])
    _evaluated(window, harsh, [2, 2, 2, 2, 2, 2], [1, 3, 3, 2, 2, 2])
    EvaluationFactory(placement=PlacementFactory(window=window, mentor=harsh))  # a draft
    SubmittedEvaluationFactory(placement=PlacementFactory(mentor=harsh), scores=[5] * 6)  # elsewhere
    return window.cohort


def test_the_distributions_and_means_are_those_of_the_submitted_scores(cohort, staff):
    spread = mentor_score_spread(cohort=cohort, viewer=staff)

    assert spread.cohort.counts == {1: 1, 2: 9, 3: 2, 4: 4, 5: 8}
    assert spread.cohort.mean == Decimal("3.38")
    assert spread.cohort.evaluations == 4
    by_name = {row.mentor.user.full_name: row for row in spread.page}
    lenient, harsh = by_name["宽松导师"], by_name["严格导师"]
    assert lenient.scores.counts == {1: 0, 2: 0, 3: 0, 4: 4, 5: 8}
    assert lenient.scores.mean == Decimal("4.67") and lenient.scores.evaluations == 2
    assert harsh.scores.counts == {1: 1, 2: 9, 3: 2, 4: 0, 5: 0}
    assert harsh.scores.mean == Decimal("2.08") and harsh.scores.evaluations == 2
    assert lenient.lenient and not lenient.harsh
    assert harsh.harsh and not harsh.lenient
    assert lenient.levels()[4] == (5, (8, 67), (8, 33))


def test_each_mentors_mean_per_criterion_stands_beside_the_cohorts(cohort, staff):
    with translation.override("en"):
        spread = mentor_score_spread(cohort=cohort, viewer=staff)

    lenient = next(row for row in spread.page if row.mentor.user.full_name == "宽松导师")
    assert lenient.by_criterion[:2] == [
        ("Product knowledge", Decimal("4.50"), Decimal("3.00")),  # 5 4 | cohort 5 4 2 1
        ("Customer service", Decimal("4.50"), Decimal("3.50")),  # 5 4 | cohort 5 4 2 3
    ]
    assert [name for name, _mine, _whole in lenient.by_criterion][-1] == "Learning attitude"


def test_a_mentor_within_the_margin_is_not_flagged(staff):
    window = PlacementWindowFactory()
    _evaluated(window, MentorFactory(), [3, 3, 4, 4, 3, 3])
    _evaluated(window, MentorFactory(), [4, 4, 3, 3, 4, 4])

    spread = mentor_score_spread(cohort=window.cohort, viewer=staff)

    assert [(row.lenient, row.harsh) for row in spread.page] == [(False, False), (False, False)]


def test_the_mentors_furthest_from_the_cohort_come_first_25_to_a_page(cohort, staff, monkeypatch):
    monkeypatch.setattr("evaluations.selectors.rubrics.MENTORS_PER_PAGE", 1)

    first = mentor_score_spread(cohort=cohort, viewer=staff)
    second = mentor_score_spread(cohort=cohort, viewer=staff, page_number=2)

    # harsh is 1.30 below the cohort's 3.375, lenient 1.29 above
    assert [row.mentor.user.full_name for row in first.page] == ["严格导师"]
    assert [row.mentor.user.full_name for row in second.page] == ["宽松导师"]
    assert first.page.paginator.num_pages == 2


def test_xiaomis_coordinator_counts_only_students_who_consented(cohort, hr, staff):
    window = cohort.placement_windows.get()
    _evaluated(window, MentorFactory(user__full_name="未授权导师"), [1] * 6, shares=False)

    seen_by_hr = mentor_score_spread(cohort=cohort, viewer=hr)
    seen_by_staff = mentor_score_spread(cohort=cohort, viewer=staff)

    assert seen_by_hr.cohort.counts == {1: 1, 2: 9, 3: 2, 4: 4, 5: 8}
    assert "未授权导师" not in [row.mentor.user.full_name for row in seen_by_hr.page]
    assert seen_by_staff.cohort.counts[1] == 7


@pytest.mark.parametrize(
    "language, says",
    [
        (
            "zh-hans",
            ["<h1>导师评分分布 <span", "偏松", "偏严", "平均分 4.67（全班 3.38，+1.29），共 2 份评价"],
        ),
        (
            "en",
            [
                "<h1>Mentors&#x27; scoring <span",
                "Lenient",
                "Harsh",
                "Mean 4.67 (cohort 3.38, +1.29) from 2 evaluations",
            ],
        ),
    ],
)
def test_the_page_shows_the_numbers_and_the_flags_in_words(client, cohort, staff, language, says):
    staff.language = language
    staff.save()
    client.force_login(staff)

    response = client.get(reverse("evaluations:mentor_scores", args=[cohort.pk]))

    page = response.content.decode()
    assert response.status_code == 200
    for text in says:
        assert text in page
    assert (
        "8 次 · 67%" if language == "zh-hans" else "8 · 67%"
    ) in page  # the lenient mentor's 5s, and the cohort's
    assert 'width="67%"' in page


def test_a_cohort_without_submitted_evaluations_says_what_will_appear(client, staff):
    window = PlacementWindowFactory()
    EvaluationFactory(placement=PlacementFactory(window=window))
    client.force_login(staff)

    response = client.get(reverse("evaluations:mentor_scores", args=[window.cohort_id]))

    assert "No evaluation has been submitted in this cohort yet." in response.content.decode()


@pytest.mark.parametrize("mentors, interns", [(2, 1), (6, 4)])
def test_the_page_query_count_does_not_grow_with_mentors_or_evaluations(
    client, staff, django_assert_num_queries, mentors, interns
):
    window = PlacementWindowFactory()
    for m in range(mentors):
        _evaluated(window, MentorFactory(), *([1 + (m + i) % 5] * 6 for i in range(interns)))
    client.force_login(staff)

    # session, user, unread notices, cohort, the cohort's distribution, the page count, the page
    # of mentors' distributions, those mentors, the cohort's and the mentors' means per criterion
    with django_assert_num_queries(10):
        response = client.get(reverse("evaluations:mentor_scores", args=[window.cohort_id]))
    assert response.status_code == 200
