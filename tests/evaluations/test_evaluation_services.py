"""The mentor-evaluation services: open, autosave, submit, change with history, release."""

import threading
from datetime import timedelta
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from evaluations import services
from evaluations.models import COMMENT_MAX_LENGTH, AssessmentSettings, Evaluation, EvaluationChange, Period
from internships.models import Placement
from tests.factories import EvaluationFactory, SubmittedEvaluationFactory

from .evaluation_calendar import ENDS, WEEK_1_OPENS, at, placement_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def intern(mentor):
    return placement_in(mentor=mentor.mentor_profile)


@pytest.fixture
def draft(intern, mentor):
    with at(WEEK_1_OPENS):
        return services.evaluation_open(placement=intern, period=1, by=mentor)


def criteria_of(evaluation):
    return list(evaluation.rubric.criteria.order_by("position"))


def all_scores(evaluation, level=4):
    return {c.pk: level for c in criteria_of(evaluation)}


def messages_of(error: ValidationError) -> dict:
    return error.value.message_dict


# --- open -----------------------------------------------------------------------------------------


def test_a_week_opens_on_its_last_day_on_the_cohorts_current_rubric(intern, mentor):
    with at(WEEK_1_OPENS):
        evaluation = services.evaluation_open(placement=intern, period=1, by=mentor)
        again = services.evaluation_open(placement=intern, period=1, by=mentor)

    assert again == evaluation
    assert evaluation.status == Evaluation.Status.DRAFT
    assert evaluation.rubric == services.rubric_current(cohort=intern.cohort)
    assert evaluation.author == mentor


def test_a_week_that_has_not_ended_cannot_be_opened_and_the_message_names_the_day(intern, mentor):
    with at(WEEK_1_OPENS - timedelta(days=1)), pytest.raises(ValidationError) as error:
        services.evaluation_open(placement=intern, period=1, by=mentor)

    assert "8 Nov 2026" in messages_of(error)["period"][0]
    assert not Evaluation.objects.exists()


def test_the_final_evaluation_opens_on_the_placements_last_day(intern, mentor):
    with at(ENDS - timedelta(days=1)), pytest.raises(ValidationError):
        services.evaluation_open(placement=intern, period=Period.FINAL, by=mentor)
    with at(ENDS):
        assert services.evaluation_open(placement=intern, period=Period.FINAL, by=mentor).is_final


@pytest.mark.parametrize("status", [Placement.Status.PROPOSED, Placement.Status.WITHDRAWN])
def test_a_placement_not_published_is_not_evaluated(intern, mentor, status):
    Placement.objects.filter(pk=intern.pk).update(status=status)
    intern.refresh_from_db()

    with at(WEEK_1_OPENS), pytest.raises(ValidationError, match="not published"):
        services.evaluation_open(placement=intern, period=1, by=mentor)
    assert not Evaluation.objects.exists()


def test_there_is_no_fifth_period(intern, mentor):
    with at(ENDS), pytest.raises(ValidationError):
        services.evaluation_open(placement=intern, period=5, by=mentor)


def test_the_rubric_is_frozen_on_the_evaluation_when_it_opens(draft):
    rubric = draft.rubric
    newer = type(rubric).objects.create(cohort=rubric.cohort, version=2)

    draft.refresh_from_db()

    assert draft.rubric == rubric != newer


# --- autosave -------------------------------------------------------------------------------------


def test_autosave_keeps_a_partial_draft_and_bumps_the_revision(draft, mentor):
    first, second, *_ = criteria_of(draft)

    services.evaluation_autosave(
        evaluation=draft, scores={first.pk: 4}, comment=" 开始不错 ", revision=0, by=mentor
    )
    services.evaluation_autosave(evaluation=draft, scores={second.pk: 2}, revision=1, by=mentor)

    draft.refresh_from_db()
    assert draft.revision == 2
    assert draft.comment == "开始不错"  # kept: the second save did not send it
    assert dict(draft.scores.values_list("criterion_id", "score")) == {first.pk: 4, second.pk: 2}
    assert draft.status == Evaluation.Status.DRAFT


def test_autosave_from_an_older_tab_is_refused_and_changes_nothing(draft, mentor):
    first = criteria_of(draft)[0]
    services.evaluation_autosave(evaluation=draft, scores={first.pk: 5}, revision=0, by=mentor)

    with pytest.raises(services.EvaluationConflict, match="another tab"):
        services.evaluation_autosave(
            evaluation=Evaluation.objects.get(pk=draft.pk),
            scores={first.pk: 1},
            comment="x",
            revision=0,
            by=mentor,
        )

    draft.refresh_from_db()
    assert draft.revision == 1
    assert draft.comment == ""
    assert draft.scores.get().score == 5


@pytest.mark.parametrize("level", [0, 6, "5"])
def test_a_score_outside_1_to_5_is_refused_next_to_its_criterion(draft, mentor, level):
    first, second, *_ = criteria_of(draft)

    with pytest.raises(ValidationError) as error:
        services.evaluation_autosave(
            evaluation=draft, scores={second.pk: 3, first.pk: level}, revision=0, by=mentor
        )

    assert "Choose a level from 1 to 5" in messages_of(error)[services.criterion_field(first.pk)][0]
    assert not draft.scores.exists()  # nothing half-saved: not even the good score
    assert Evaluation.objects.get(pk=draft.pk).revision == 0


def test_a_score_for_a_criterion_of_another_rubric_is_refused(draft, mentor):
    other = EvaluationFactory().rubric.criteria.first()

    with pytest.raises(ValidationError, match="not in this evaluation's rubric"):
        services.evaluation_autosave(evaluation=draft, scores={other.pk: 3}, revision=0, by=mentor)


def test_a_comment_too_long_is_refused_next_to_the_comment(draft, mentor):
    with pytest.raises(ValidationError) as error:
        services.evaluation_autosave(
            evaluation=draft, comment="好" * (COMMENT_MAX_LENGTH + 1), revision=0, by=mentor
        )

    assert f"at most {COMMENT_MAX_LENGTH} characters" in messages_of(error)["comment"][0]
    assert Evaluation.objects.get(pk=draft.pk).comment == ""


def test_a_weekly_evaluation_takes_no_hiring_recommendation(draft, mentor):
    with pytest.raises(ValidationError) as error:
        services.evaluation_autosave(evaluation=draft, recommends_hiring="yes", revision=0, by=mentor)
    assert "recommends_hiring" in messages_of(error)


def test_score_writes_are_bounded_whatever_the_number_of_criteria(
    draft, mentor, django_assert_max_num_queries
):
    with django_assert_max_num_queries(8):
        services.evaluation_autosave(evaluation=draft, scores=all_scores(draft, 2), revision=0, by=mentor)
    with django_assert_max_num_queries(9):
        services.evaluation_autosave(evaluation=draft, scores=all_scores(draft, 3), revision=1, by=mentor)
    assert set(draft.scores.values_list("score", flat=True)) == {3}


# --- submit ---------------------------------------------------------------------------------------


def test_submitting_needs_every_criterion_scored_and_saves_nothing_otherwise(draft, mentor):
    criteria = criteria_of(draft)
    partial = {c.pk: 4 for c in criteria[:-1]}

    with pytest.raises(ValidationError) as error:
        services.evaluation_submit(evaluation=draft, by=mentor, scores=partial, comment="好")

    assert messages_of(error) == {
        services.criterion_field(criteria[-1].pk): ["Choose a level for this criterion."]
    }
    draft.refresh_from_db()
    assert draft.status == Evaluation.Status.DRAFT
    assert not draft.scores.exists()
    assert draft.comment == ""


def test_submitting_on_release_on_submit_releases_it_and_tells_the_student(draft, mentor):
    with (
        mock.patch("evaluations.reminders.evaluations.plan_evaluation_released") as released,
        mock.patch("evaluations.services.results.result_refresh") as refresh,
    ):
        services.evaluation_submit(evaluation=draft, by=mentor, scores=all_scores(draft), comment="认真")

    draft.refresh_from_db()
    assert draft.status == Evaluation.Status.SUBMITTED
    assert draft.submitted_at is not None and draft.released_at == draft.submitted_at
    released.assert_called_once_with(evaluations=[draft])
    refresh.assert_called_once_with(placement=draft.placement)
    assert Evaluation.objects.released().filter(pk=draft.pk).exists()


def test_submitting_when_staff_release_keeps_it_from_the_student(draft, mentor):
    AssessmentSettings.objects.create(cohort=draft.placement.cohort, release_mode="by_staff")

    with mock.patch("evaluations.reminders.evaluations.plan_evaluation_released") as released:
        services.evaluation_submit(evaluation=draft, by=mentor, scores=all_scores(draft))

    draft.refresh_from_db()
    assert draft.is_submitted and draft.released_at is None
    released.assert_not_called()


def test_a_second_submit_changes_nothing_and_says_so(draft, mentor):
    other_tab = Evaluation.objects.get(pk=draft.pk)  # read as a draft, before the first submit
    services.evaluation_submit(evaluation=draft, by=mentor, scores=all_scores(draft, 4))

    with pytest.raises(services.EvaluationConflict, match="already submitted"):
        services.evaluation_submit(evaluation=other_tab, by=mentor, scores=all_scores(draft, 1))

    assert set(draft.scores.values_list("score", flat=True)) == {4}


def test_the_final_evaluation_needs_the_recommendation_and_its_reason(intern, mentor):
    with at(ENDS):
        final = services.evaluation_open(placement=intern, period=Period.FINAL, by=mentor)

    with pytest.raises(ValidationError) as error:
        services.evaluation_submit(evaluation=final, by=mentor, scores=all_scores(final))
    assert set(messages_of(error)) == {"recommends_hiring", "recommendation_reason"}

    services.evaluation_submit(
        evaluation=final,
        by=mentor,
        scores=all_scores(final),
        recommends_hiring="yes",
        recommendation_reason="主动学习，顾客评价很好",
    )
    final.refresh_from_db()
    assert final.is_submitted and final.recommends_hiring == "yes"


def test_a_stale_revision_on_submit_is_refused(draft, mentor):
    services.evaluation_autosave(evaluation=draft, comment="a", revision=0, by=mentor)

    with pytest.raises(services.EvaluationConflict):
        services.evaluation_submit(evaluation=draft, by=mentor, scores=all_scores(draft), revision=0)
    assert not Evaluation.objects.get(pk=draft.pk).is_submitted


# --- change after submission ----------------------------------------------------------------------


@pytest.fixture
def submitted(draft, mentor):
    services.evaluation_submit(evaluation=draft, by=mentor, scores=all_scores(draft, 3), comment="一般")
    return draft


def test_a_change_needs_a_reason(submitted, mentor):
    with pytest.raises(ValidationError) as error:
        services.evaluation_change(evaluation=submitted, by=mentor, reason="  ", comment="更好")

    assert messages_of(error) == {"reason": ["Say why you change a submitted evaluation."]}
    assert Evaluation.objects.get(pk=submitted.pk).comment == "一般"
    assert not EvaluationChange.objects.exists()


def test_a_change_keeps_who_when_why_and_before_and_after(submitted, mentor):
    first = criteria_of(submitted)[0]

    with mock.patch("evaluations.services.results.result_refresh") as refresh:
        change = services.evaluation_change(
            evaluation=submitted, by=mentor, reason="看错了学生", scores={first.pk: 5}, comment="很好"
        )

    assert change.changed_by == mentor and change.reason == "看错了学生" and change.changed_at
    assert change.before["comment"] == "一般" and change.after["comment"] == "很好"
    assert change.before["scores"][0] == {
        "criterion": first.pk,
        "name_zh": first.name_zh,
        "name_en": first.name_en,
        "score": 3,
    }
    assert change.after["scores"][0]["score"] == 5
    assert submitted.scores.get(criterion=first).score == 5
    refresh.assert_called_once_with(placement=submitted.placement)


def test_a_change_that_changes_nothing_is_refused(submitted, mentor):
    with pytest.raises(ValidationError, match="Nothing was changed"):
        services.evaluation_change(evaluation=submitted, by=mentor, reason="再看一次", comment="一般")
    assert not EvaluationChange.objects.exists()


def test_a_change_cannot_leave_a_score_out_of_scale(submitted, mentor):
    first = criteria_of(submitted)[0]
    with pytest.raises(ValidationError):
        services.evaluation_change(evaluation=submitted, by=mentor, reason="x", scores={first.pk: 6})
    assert submitted.scores.get(criterion=first).score == 3


def test_a_draft_is_not_changed_with_a_reason(draft, mentor):
    with pytest.raises(ValidationError):
        services.evaluation_change(evaluation=draft, by=mentor, reason="x", comment="y")


# --- release --------------------------------------------------------------------------------------


def test_staff_release_every_submitted_unreleased_evaluation_of_the_cohort(staff):
    first = SubmittedEvaluationFactory(released_at=None)
    cohort = first.placement.cohort
    second = SubmittedEvaluationFactory(
        released_at=None, placement=placement_in(window=first.placement.window)
    )
    already = SubmittedEvaluationFactory(placement=first.placement, period=2)
    draft = EvaluationFactory(placement=second.placement, period=2)
    elsewhere = SubmittedEvaluationFactory(released_at=None)

    with mock.patch("evaluations.reminders.evaluations.plan_evaluation_released") as released:
        count = services.evaluations_release(cohort=cohort, by=staff)

    assert count == 2
    assert set(Evaluation.objects.released().filter(placement__cohort=cohort)) == {first, second, already}
    assert Evaluation.objects.get(pk=draft.pk).released_at is None
    assert Evaluation.objects.get(pk=elsewhere.pk).released_at is None
    assert {e.pk for e in released.call_args.kwargs["evaluations"]} == {first.pk, second.pk}
    assert services.evaluations_release(cohort=cohort, by=staff) == 0


# --- concurrency (PostgreSQL) ---------------------------------------------------------------------


def needs_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("row locks and concurrent transactions need PostgreSQL")


def race(calls):
    barrier = threading.Barrier(len(calls))
    results, errors = [], []
    lock = threading.Lock()

    def run(call):
        try:
            barrier.wait(timeout=30)
            result = call()
        except Exception as error:
            with lock:
                errors.append(error)
        else:
            with lock:
                results.append(result)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads)
    return results, errors


@pytest.mark.django_db(transaction=True)
def test_two_tabs_opening_the_same_week_at_once_create_one_evaluation(mentor):
    needs_postgresql()
    intern = placement_in(mentor=mentor.mentor_profile)
    services.rubric_current(cohort=intern.cohort)

    with at(WEEK_1_OPENS):
        opened, errors = race(
            [lambda: services.evaluation_open(placement=intern, period=1, by=mentor) for _ in range(4)]
        )

    assert errors == []
    assert len({e.pk for e in opened}) == 1
    assert Evaluation.objects.filter(placement=intern, period=1).count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_tabs_submitting_at_once_submit_once(mentor):
    needs_postgresql()
    intern = placement_in(mentor=mentor.mentor_profile)
    with at(WEEK_1_OPENS):
        evaluation = services.evaluation_open(placement=intern, period=1, by=mentor)
    scores = all_scores(evaluation)

    with mock.patch("evaluations.reminders.evaluations.plan_evaluation_released") as released:
        submitted, errors = race(
            [
                lambda level=level: services.evaluation_submit(
                    evaluation=Evaluation.objects.get(pk=evaluation.pk),
                    by=mentor,
                    scores=dict.fromkeys(scores, level),
                )
                for level in (2, 4)
            ]
        )

    assert len(submitted) == 1
    assert [type(e) for e in errors] == [services.EvaluationConflict]
    assert released.call_count == 1
    assert Evaluation.objects.filter(placement=intern).count() == 1
    levels = set(Evaluation.objects.get(pk=evaluation.pk).scores.values_list("score", flat=True))
    assert len(levels) == 1
