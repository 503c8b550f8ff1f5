"""The mentor-evaluation pages: the mentor's overview and form (with autosave), the student's
evaluations, one evaluation's read view and the cohort's grid; their query counts at two sizes."""

import json
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from evaluations import services
from evaluations.models import AssessmentSettings, Evaluation, EvaluationChange, Period
from internships.models import Placement
from tests.factories import EvaluationFactory, MentorFactory, SubmittedEvaluationFactory

from .evaluation_calendar import ENDS, WEEK_1_OPENS, at, placement_in, window_of_november

pytestmark = pytest.mark.django_db


@pytest.fixture
def intern(mentor):
    return placement_in(mentor=mentor.mentor_profile)


def form_url(placement, period=1):
    return reverse("evaluations:evaluation_form", args=[placement.pk, period])


def autosave_url(placement, period=1):
    return reverse("evaluations:evaluation_autosave", args=[placement.pk, period])


def full_form(placement, level="4", **extra):
    rubric = services.rubric_current(cohort=placement.cohort)
    return {
        "revision": "0",
        "comment": "顾客很满意",
        **{f"criterion_{c.pk}": level for c in rubric.criteria.all()},
        **extra,
    }


def chinese(user):
    user.language = "zh-hans"
    user.save(update_fields=["language"])
    return user


# --- the mentor's overview ------------------------------------------------------------------------


def test_the_mentor_sees_each_intern_and_what_each_period_needs_in_chinese(client, mentor, intern):
    client.force_login(chinese(mentor))
    with at(WEEK_1_OPENS):
        page = client.get(reverse("evaluations:mentor_evaluations")).content.decode()

    assert intern.student.full_name in page
    assert "第 1 周" in page and "待填写" in page  # week 1 open today
    assert "尚未开放" in page and "2026年11月15日" in page  # week 2 opens on the 15th
    assert page.count(form_url(intern)) == 1
    assert form_url(intern, 2) not in page  # not open: no button


def test_the_mentors_overview_shows_drafts_submissions_and_overdue_weeks(client, mentor, intern):
    with at(WEEK_1_OPENS):
        week_1 = services.evaluation_open(placement=intern, period=1, by=mentor)
        services.evaluation_submit(
            evaluation=week_1, by=mentor, scores={c.pk: 3 for c in week_1.rubric.criteria.all()}
        )
    with at(WEEK_1_OPENS + timedelta(days=7)):
        services.evaluation_open(placement=intern, period=2, by=mentor)
    client.force_login(mentor)

    with at(ENDS + timedelta(days=2)):  # week 3 and the final one were due 2 days ago
        page = client.get(reverse("evaluations:mentor_evaluations")).content.decode()

    assert page.count("Submitted") >= 1
    assert page.count("Overdue") == 3  # week 2 is a draft, but overdue too
    assert "View or change" in page


def test_the_mentors_overview_leaves_out_another_mentors_intern(client, mentor, intern):
    other = placement_in(mentor=MentorFactory(store=mentor.mentor_profile.store))
    client.force_login(mentor)
    with at(WEEK_1_OPENS):
        page = client.get(reverse("evaluations:mentor_evaluations")).content.decode()
    assert other.student.full_name not in page


# --- the form -------------------------------------------------------------------------------------


def test_the_form_shows_each_criterion_as_a_fieldset_with_five_described_levels_in_chinese(
    client, mentor, intern
):
    client.force_login(chinese(mentor))
    with at(WEEK_1_OPENS):
        page = client.get(form_url(intern)).content.decode()

    assert page.count("<fieldset") == 6
    assert "<legend" in page and "产品知识" in page
    assert page.count('type="radio"') == 30
    assert "提交" in page
    assert 'data-autosave-url="' + autosave_url(intern) in page
    assert "离线" in page  # the offline message, translated, for the script
    assert not Evaluation.objects.exists()  # a GET writes no evaluation


def test_before_the_week_ends_the_page_says_when_it_opens_and_shows_no_form(client, mentor, intern):
    client.force_login(chinese(mentor))
    with at(WEEK_1_OPENS - timedelta(days=1)):
        response = client.get(form_url(intern))

    page = response.content.decode()
    assert response.status_code == 200
    assert "2026年11月8日" in page
    assert '<form method="post" novalidate' not in page


def test_submitting_with_a_missing_criterion_says_so_next_to_it_in_chinese_and_saves_nothing(
    client, mentor, intern
):
    client.force_login(chinese(mentor))
    data = full_form(intern)
    missing = next(key for key in data if key.startswith("criterion_"))
    del data[missing]

    with at(WEEK_1_OPENS):
        response = client.post(form_url(intern), data)

    page = response.content.decode()
    assert response.status_code == 400
    assert "请为此项选择一个等级" in page
    assert f'id="id_{missing}_error"' in page
    evaluation = Evaluation.objects.get()  # opened, still a draft, nothing of the post kept
    assert evaluation.status == Evaluation.Status.DRAFT and not evaluation.scores.exists()
    assert evaluation.comment == ""


def test_a_score_of_6_through_the_form_is_refused(client, mentor, intern):
    client.force_login(mentor)
    data = full_form(intern)
    key = next(key for key in data if key.startswith("criterion_"))
    data[key] = "6"

    with at(WEEK_1_OPENS):
        response = client.post(form_url(intern), data)

    assert response.status_code == 400
    assert "Choose a level from 1 to 5." in response.content.decode()
    assert not Evaluation.objects.exists()


def test_a_comment_too_long_through_the_form_is_refused_next_to_the_comment(client, mentor, intern):
    client.force_login(mentor)
    with at(WEEK_1_OPENS):
        response = client.post(form_url(intern), full_form(intern, comment="好" * 2001))
    assert response.status_code == 400
    assert 'id="id_comment_error"' in response.content.decode()
    assert not Evaluation.objects.filter(status="submitted").exists()


def test_the_mentor_submits_week_1_in_english(client, mentor, intern):
    client.force_login(mentor)
    with at(WEEK_1_OPENS):
        response = client.post(form_url(intern), full_form(intern), follow=True)

    assert response.redirect_chain[-1][0] == reverse("evaluations:mentor_evaluations")
    assert "Week 1 of" in response.content.decode()
    evaluation = Evaluation.objects.get()
    assert evaluation.is_submitted and evaluation.released_at is not None
    assert evaluation.scores.count() == 6


def test_a_submitted_evaluation_is_changed_only_with_a_reason(client, mentor, intern):
    client.force_login(mentor)
    with at(WEEK_1_OPENS):
        client.post(form_url(intern), full_form(intern))
        page = client.get(form_url(intern)).content.decode()
        refused = client.post(form_url(intern), full_form(intern, level="5", revision="1"))
        changed = client.post(form_url(intern), full_form(intern, level="5", revision="1", reason="看错了"))

    assert "Reason for the change" in page and "Save change" in page
    assert refused.status_code == 400
    assert "Say why you change a submitted evaluation." in refused.content.decode()
    assert changed.status_code == 302
    change = EvaluationChange.objects.get()
    assert change.reason == "看错了" and change.changed_by == mentor


def test_the_final_evaluation_asks_for_the_recommendation_and_its_reason(client, mentor, intern):
    client.force_login(mentor)
    with at(ENDS):
        page = client.get(form_url(intern, Period.FINAL)).content.decode()
        refused = client.post(form_url(intern, Period.FINAL), full_form(intern))
        done = client.post(
            form_url(intern, Period.FINAL),
            full_form(intern, recommends_hiring="not_sure", recommendation_reason="还需观察"),
        )

    assert "I recommend this intern for hiring" in page and "Not sure" in page
    assert refused.status_code == 400
    assert done.status_code == 302
    assert Evaluation.objects.get(period=Period.FINAL).recommends_hiring == "not_sure"


def test_a_period_number_that_does_not_exist_is_not_found(client, mentor, intern):
    client.force_login(mentor)
    with at(ENDS):
        assert client.get(form_url(intern, 5)).status_code == 404
        assert client.get(form_url(intern, 0)).status_code == 404


def test_a_withdrawn_intern_is_not_found(client, mentor, intern):
    Placement.objects.filter(pk=intern.pk).update(status=Placement.Status.WITHDRAWN)
    client.force_login(mentor)
    with at(WEEK_1_OPENS):
        assert client.get(form_url(intern)).status_code == 404


# --- autosave -------------------------------------------------------------------------------------


def test_autosave_saves_a_partial_draft_and_answers_the_new_revision(client, mentor, intern):
    client.force_login(mentor)
    criterion = services.rubric_current(cohort=intern.cohort).criteria.first()

    with at(WEEK_1_OPENS, hour=14):
        response = client.post(autosave_url(intern), {"revision": "0", f"criterion_{criterion.pk}": "2"})

    assert response.status_code == 200
    assert response.json() == {"revision": 1, "saved_at": "14:00", "ok": True}
    assert Evaluation.objects.get().scores.get().score == 2


def test_autosave_from_an_older_tab_gets_409_with_a_message(client, mentor, intern):
    client.force_login(chinese(mentor))
    with at(WEEK_1_OPENS):
        client.post(autosave_url(intern), {"revision": "0", "comment": "第一版"})
        response = client.post(autosave_url(intern), {"revision": "0", "comment": "旧标签页"})

    assert response.status_code == 409
    assert "另一个标签页" in response.json()["message"]
    assert Evaluation.objects.get().comment == "第一版"


def test_autosave_with_bad_input_gets_400_with_field_errors(client, mentor, intern):
    client.force_login(mentor)
    criterion = services.rubric_current(cohort=intern.cohort).criteria.first()
    with at(WEEK_1_OPENS):
        response = client.post(autosave_url(intern), {"revision": "0", f"criterion_{criterion.pk}": "6"})

    assert response.status_code == 400
    assert response.json()["errors"] == {f"criterion_{criterion.pk}": ["Choose a level from 1 to 5."]}
    assert not Evaluation.objects.exists()


def test_autosave_before_the_week_ends_gets_400(client, mentor, intern):
    client.force_login(mentor)
    with at(WEEK_1_OPENS - timedelta(days=1)):
        response = client.post(autosave_url(intern), {"revision": "0", "comment": "x"})
    assert response.status_code == 400
    assert "8 Nov 2026" in json.loads(response.content)["message"]


# --- the student, the read view, the cohort grid --------------------------------------------------


def test_the_student_reads_released_evaluations_only(client, student):
    placement = placement_in(application__student=student)
    released = SubmittedEvaluationFactory(placement=placement, comment="服务热情", scores=[5, 4, 3, 2, 1, 5])
    SubmittedEvaluationFactory(placement=placement, period=2, released_at=None, comment="未发布的评语")
    client.force_login(chinese(student))

    page = client.get(reverse("evaluations:my_evaluations")).content.decode()

    assert "服务热情" in page and "未发布的评语" not in page
    assert "5 分（满分 5 分）" in page
    assert reverse("evaluations:evaluation_detail", args=[released.pk]) in page


def test_the_student_with_no_released_evaluation_sees_a_clear_empty_state(client, student):
    client.force_login(student)
    page = client.get(reverse("evaluations:my_evaluations")).content.decode()
    assert "No evaluation to read yet" in page


def test_a_student_cannot_read_an_unreleased_evaluation(client, student):
    evaluation = SubmittedEvaluationFactory(
        placement=placement_in(application__student=student), released_at=None
    )
    client.force_login(student)
    assert client.get(reverse("evaluations:evaluation_detail", args=[evaluation.pk])).status_code == 404


def test_xiaomi_reads_only_consenting_students_submitted_evaluations(client, hr):
    shared = SubmittedEvaluationFactory()
    private = SubmittedEvaluationFactory(placement=placement_in(application__shares_with_xiaomi=False))
    client.force_login(hr)
    assert client.get(reverse("evaluations:evaluation_detail", args=[shared.pk])).status_code == 200
    assert client.get(reverse("evaluations:evaluation_detail", args=[private.pk])).status_code == 404


def test_staff_and_the_mentor_see_the_change_history_the_student_does_not(client, staff, mentor, intern):
    with at(WEEK_1_OPENS):
        evaluation = services.evaluation_open(placement=intern, period=1, by=mentor)
        criteria = list(evaluation.rubric.criteria.all())
        services.evaluation_submit(evaluation=evaluation, by=mentor, scores={c.pk: 3 for c in criteria})
        services.evaluation_change(
            evaluation=evaluation, by=mentor, reason="补充说明", scores={criteria[0].pk: 4}
        )
    url = reverse("evaluations:evaluation_detail", args=[evaluation.pk])

    for reader in (staff, mentor):
        client.force_login(reader)
        page = client.get(url).content.decode()
        assert "补充说明" in page and "Changes after submission" in page
    client.force_login(intern.student)
    page = client.get(url).content.decode()
    assert "补充说明" not in page


def test_staff_release_a_cohorts_evaluations_from_its_grid(client, staff):
    evaluation = SubmittedEvaluationFactory(released_at=None)
    cohort = evaluation.placement.cohort
    AssessmentSettings.objects.create(cohort=cohort, release_mode="by_staff")
    client.force_login(staff)
    url = reverse("evaluations:cohort_evaluations", args=[cohort.pk])

    page = client.get(url).content.decode()
    assert "Release submitted evaluations" in page
    response = client.post(reverse("evaluations:evaluations_release", args=[cohort.pk]), follow=True)

    assert response.redirect_chain[-1][0] == url
    assert "1 evaluation released" in response.content.decode()
    assert Evaluation.objects.get().released_at is not None


def test_xiaomi_sees_only_consenting_students_in_the_grid_and_no_release_button(client, hr):
    window = window_of_november()
    shared = placement_in(window=window)
    private = placement_in(window=window, application__shares_with_xiaomi=False)
    AssessmentSettings.objects.create(cohort=window.cohort, release_mode="by_staff")
    client.force_login(hr)

    page = client.get(reverse("evaluations:cohort_evaluations", args=[window.cohort_id])).content.decode()

    assert shared.student.full_name in page and private.student.full_name not in page
    assert "Release submitted evaluations" not in page


# --- query counts at two sizes --------------------------------------------------------------------


def queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def _interns(mentor, count, window):
    for _ in range(count):
        SubmittedEvaluationFactory(placement=placement_in(window=window, mentor=mentor.mentor_profile))


def test_the_mentors_overview_queries_do_not_grow_with_interns(client, mentor):
    window = window_of_november()
    _interns(mentor, 1, window)
    client.force_login(mentor)
    url = reverse("evaluations:mentor_evaluations")
    with at(WEEK_1_OPENS):
        small = queries(client, url)
        _interns(mentor, 6, window)
        large = queries(client, url)
    assert small == large <= 12


def test_the_form_queries_do_not_grow_with_interns_or_criteria_scored(client, mentor, intern):
    client.force_login(mentor)
    data = full_form(intern)  # the cohort's rubric exists (made once, on the first evaluation)
    with at(WEEK_1_OPENS):
        small = queries(client, form_url(intern))
        client.post(autosave_url(intern), data)
        _interns(mentor, 6, intern.window)
        large = queries(client, form_url(intern))
    assert small <= large <= small + 2  # an existing evaluation: its row and its scores
    assert large <= 14


def test_the_students_page_queries_do_not_grow_with_evaluations(client, student):
    def placed_and_evaluated():
        placement = placement_in(application__student=student)
        for period in range(1, 5):
            SubmittedEvaluationFactory(placement=placement, period=period)

    placed_and_evaluated()
    client.force_login(student)
    url = reverse("evaluations:my_evaluations")
    small = queries(client, url)
    placed_and_evaluated()
    placed_and_evaluated()
    assert queries(client, url) == small <= 10


@pytest.mark.parametrize("reader", ["staff", "hr"])
def test_the_cohort_grid_queries_do_not_grow_with_students(client, request, reader):
    window = window_of_november()
    SubmittedEvaluationFactory(placement=placement_in(window=window))
    client.force_login(request.getfixturevalue(reader))
    url = reverse("evaluations:cohort_evaluations", args=[window.cohort_id])
    with at(WEEK_1_OPENS):
        small = queries(client, url)
        for _ in range(8):
            SubmittedEvaluationFactory(placement=placement_in(window=window))
        assert queries(client, url) == small <= 12


def test_xiaomi_cannot_read_a_draft_even_of_a_consenting_student(client, hr):
    draft = EvaluationFactory()
    client.force_login(hr)
    assert client.get(reverse("evaluations:evaluation_detail", args=[draft.pk])).status_code == 404


def test_a_mentor_reads_their_interns_draft_but_not_a_colleagues(client, mentor, intern):
    own = EvaluationFactory(placement=intern)
    colleague = EvaluationFactory(
        placement=placement_in(mentor=MentorFactory(store=mentor.mentor_profile.store))
    )
    client.force_login(mentor)
    assert client.get(reverse("evaluations:evaluation_detail", args=[own.pk])).status_code == 200
    assert client.get(reverse("evaluations:evaluation_detail", args=[colleague.pk])).status_code == 404
