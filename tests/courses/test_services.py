"""Enrolment, lesson completion, quiz attempts graded on the server, completion, deadline reminders."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from courses import services
from courses.models import AttemptAnswer, Enrolment, LessonCompletion, Question, QuizAttempt
from notifications.models import Notification, Reminder
from notifications.services import reminders_deliver_due
from tests.factories import (
    LessonFactory,
    StudentFactory,
    course_with_content,
    quiz_answers,
)

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
# A Monday morning in Shenzhen; deadlines below are counted from it.
MONDAY = datetime(2026, 3, 2, 10, 0, tzinfo=SHANGHAI)


def nine_am(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 9, 0, tzinfo=SHANGHAI)


def finish_lessons(enrolment):
    for lesson in enrolment.course.lessons.all():
        services.lesson_complete(enrolment=enrolment, lesson=lesson)


def take_quiz(enrolment, wrong=()):
    """Open an attempt and submit it, answering the questions in `wrong` (by kind order) wrongly."""
    attempt = services.quiz_attempt_open(enrolment=enrolment)
    wrong_ids = {q.id for q in enrolment.course.questions.all() if q.order in wrong}
    return services.quiz_attempt_submit(attempt=attempt, answers=quiz_answers(attempt, wrong=wrong_ids))


def deadline_reminders(enrolment):
    return Reminder.objects.filter(kind=services.DEADLINE_KIND, subject_id=enrolment.pk).order_by("due_at")


# --- enrolment ---------------------------------------------------------------------------------


def test_enrolling_twice_keeps_one_enrolment_and_takes_the_new_due_date(student):
    course = course_with_content()
    today = timezone.localdate()

    first = services.enrolment_create(student=student, course=course, due_on=today + timedelta(days=20))
    second = services.enrolment_create(student=student, course=course, due_on=today + timedelta(days=30))

    assert first.pk == second.pk
    assert Enrolment.objects.filter(student=student, course=course).count() == 1
    first.refresh_from_db()
    assert first.due_on == today + timedelta(days=30)


# --- lessons and completion --------------------------------------------------------------------


def test_completing_a_lesson_twice_records_it_once(student):
    course = course_with_content(lessons=2)
    enrolment = services.enrolment_create(student=student, course=course)
    lesson = course.lessons.first()

    services.lesson_complete(enrolment=enrolment, lesson=lesson)
    services.lesson_complete(enrolment=enrolment, lesson=lesson)

    assert LessonCompletion.objects.filter(enrolment=enrolment).count() == 1


def test_a_lesson_of_another_course_cannot_be_ticked_off(student):
    enrolment = services.enrolment_create(student=student, course=course_with_content())
    stranger = LessonFactory()

    with pytest.raises(ValueError):
        services.lesson_complete(enrolment=enrolment, lesson=stranger)

    assert not LessonCompletion.objects.exists()


def test_a_course_is_complete_only_when_every_lesson_is_done_and_the_quiz_passed(student):
    course = course_with_content(lessons=2)
    enrolment = services.enrolment_create(student=student, course=course)

    finish_lessons(enrolment)
    enrolment.refresh_from_db()
    assert enrolment.completed_at is None  # the quiz is still to pass

    take_quiz(enrolment)
    enrolment.refresh_from_db()
    assert enrolment.completed_at is not None


def test_passing_the_quiz_before_the_lessons_completes_the_course_with_the_last_lesson(student):
    course = course_with_content(lessons=2)
    enrolment = services.enrolment_create(student=student, course=course)
    first, last = course.lessons.order_by("order")

    take_quiz(enrolment)
    services.lesson_complete(enrolment=enrolment, lesson=first)
    enrolment.refresh_from_db()
    assert enrolment.completed_at is None

    assert services.lesson_complete(enrolment=enrolment, lesson=last) is True
    enrolment.refresh_from_db()
    assert enrolment.completed_at is not None


def test_a_failed_quiz_does_not_complete_the_course(student):
    course = course_with_content(lessons=1, single=2, multiple=0, pass_mark=60)
    enrolment = services.enrolment_create(student=student, course=course)
    finish_lessons(enrolment)

    take_quiz(enrolment, wrong={1})  # 50 %

    enrolment.refresh_from_db()
    assert enrolment.completed_at is None
    assert enrolment.quiz_passed_at is None


def test_completion_is_recorded_once(student):
    course = course_with_content(lessons=2, quiz_max_attempts=3)
    with time_machine.travel(MONDAY, tick=False):
        enrolment = services.enrolment_create(student=student, course=course)
        finish_lessons(enrolment)
        take_quiz(enrolment)
    enrolment.refresh_from_db()
    assert enrolment.completed_at == MONDAY

    with time_machine.travel(MONDAY + timedelta(days=3), tick=False):
        assert services.lesson_complete(enrolment=enrolment, lesson=course.lessons.first()) is False

    enrolment.refresh_from_db()
    assert enrolment.completed_at == MONDAY
    assert enrolment.quiz_passed_at == MONDAY


def test_a_course_without_questions_completes_on_lessons_alone(student):
    course = course_with_content(lessons=2, single=0, multiple=0)
    enrolment = services.enrolment_create(student=student, course=course)
    first, last = course.lessons.order_by("order")

    assert services.lesson_complete(enrolment=enrolment, lesson=first) is False
    assert services.lesson_complete(enrolment=enrolment, lesson=last) is True

    enrolment.refresh_from_db()
    assert enrolment.completed_at is not None


# --- opening attempts --------------------------------------------------------------------------


def test_opening_the_quiz_twice_returns_the_same_attempt(student):
    enrolment = services.enrolment_create(student=student, course=course_with_content())

    first = services.quiz_attempt_open(enrolment=enrolment)
    second = services.quiz_attempt_open(enrolment=enrolment)

    assert first.pk == second.pk
    assert first.number == 1
    assert QuizAttempt.objects.filter(enrolment=enrolment).count() == 1


def test_an_attempt_shows_the_questions_in_a_shuffled_order(student, monkeypatch):
    course = course_with_content(single=4, multiple=2)
    enrolment = services.enrolment_create(student=student, course=course)
    in_course_order = list(course.questions.order_by("order").values_list("id", flat=True))
    monkeypatch.setattr(services.random, "shuffle", lambda items: items.reverse())

    attempt = services.quiz_attempt_open(enrolment=enrolment)

    assert attempt.question_order == in_course_order[::-1]


def test_attempts_get_different_question_orders(student):
    course = course_with_content(single=8, multiple=2, quiz_max_attempts=6)
    enrolment = services.enrolment_create(student=student, course=course)
    orders = []
    for _ in range(6):
        attempt = services.quiz_attempt_open(enrolment=enrolment)
        orders.append(tuple(attempt.question_order))
        services.quiz_attempt_submit(
            attempt=attempt, answers=quiz_answers(attempt, wrong=set(attempt.question_order))
        )

    assert all(sorted(order) == sorted(orders[0]) for order in orders)
    assert len(set(orders)) > 1  # 10! orders: six identical ones would be a broken shuffle


def test_the_quiz_closes_after_the_allowed_attempts(student):
    course = course_with_content(quiz_max_attempts=2)
    enrolment = services.enrolment_create(student=student, course=course)
    take_quiz(enrolment, wrong={1, 2, 3})
    take_quiz(enrolment, wrong={1, 2, 3})

    with pytest.raises(services.QuizClosed, match="You have used all 2 attempts"):
        services.quiz_attempt_open(enrolment=enrolment)

    assert QuizAttempt.objects.filter(enrolment=enrolment).count() == 2


# --- grading -----------------------------------------------------------------------------------


def test_a_fully_correct_submission_scores_100_and_passes(student):
    course = course_with_content(single=2, multiple=1)
    enrolment = services.enrolment_create(student=student, course=course)

    attempt = take_quiz(enrolment)

    assert attempt.score == 100
    assert attempt.passed is True
    assert attempt.submitted_at is not None
    assert AttemptAnswer.objects.filter(attempt=attempt).count() == 4  # 1 + 1 + 2 choices


def test_a_multiple_answer_question_counts_only_when_exactly_the_correct_choices_are_chosen(student):
    course = course_with_content(single=0, multiple=1, quiz_max_attempts=3)
    question = course.questions.get()
    right = list(question.choices.filter(is_correct=True).values_list("id", flat=True))
    wrong = question.choices.filter(is_correct=False).values_list("id", flat=True).get()
    assert len(right) == 2
    enrolment = services.enrolment_create(student=student, course=course)
    submissions = {
        "one of two correct": right[:1],
        "both correct plus a wrong one": [*right, wrong],
        "exactly the correct ones": right,
    }

    scores = {}
    for label, chosen in submissions.items():
        attempt = services.quiz_attempt_open(enrolment=enrolment)
        scores[label] = services.quiz_attempt_submit(attempt=attempt, answers={question.id: chosen}).score

    assert scores == {
        "one of two correct": 0,
        "both correct plus a wrong one": 0,
        "exactly the correct ones": 100,
    }


@pytest.mark.parametrize(
    "wrong, score",
    [(set(), 100), ({3}, 67), ({1, 3}, 33), ({1, 2, 3}, 0)],
)
def test_the_score_is_the_rounded_percentage_of_right_answers(student, wrong, score):
    course = course_with_content(single=2, multiple=1)
    enrolment = services.enrolment_create(student=student, course=course)

    attempt = take_quiz(enrolment, wrong=wrong)

    assert attempt.score == score
    attempt.refresh_from_db()
    assert attempt.score == score


@pytest.mark.parametrize("pass_mark, passed", [(66, True), (67, True), (68, False)])
def test_an_attempt_passes_when_its_score_reaches_the_pass_mark(student, pass_mark, passed):
    course = course_with_content(single=2, multiple=1, pass_mark=pass_mark)
    enrolment = services.enrolment_create(student=student, course=course)

    attempt = take_quiz(enrolment, wrong={2})  # 2 of 3: 67 %

    assert attempt.score == 67
    assert attempt.passed is passed
    enrolment.refresh_from_db()
    assert (enrolment.quiz_passed_at is not None) is passed


def test_the_best_score_keeps_the_highest_attempt(student):
    course = course_with_content(single=2, multiple=1, quiz_max_attempts=3, pass_mark=90)
    enrolment = services.enrolment_create(student=student, course=course)

    take_quiz(enrolment, wrong={1})  # 67
    take_quiz(enrolment, wrong={1, 2})  # 33
    enrolment.refresh_from_db()
    assert enrolment.best_score == 67

    take_quiz(enrolment)  # 100
    enrolment.refresh_from_db()
    assert enrolment.best_score == 100


def test_a_passed_quiz_keeps_its_pass_time_and_is_not_taken_again(student):
    course = course_with_content(single=2, multiple=0, quiz_max_attempts=3, pass_mark=50)
    enrolment = services.enrolment_create(student=student, course=course)

    with time_machine.travel(MONDAY, tick=False):
        take_quiz(enrolment, wrong={1})  # 50: passes
    with (
        time_machine.travel(MONDAY + timedelta(days=1), tick=False),
        pytest.raises(services.QuizClosed, match="You passed this quiz with 50%"),
    ):
        take_quiz(enrolment)

    enrolment.refresh_from_db()
    assert enrolment.quiz_passed_at == MONDAY
    assert enrolment.best_score == 50
    assert QuizAttempt.objects.filter(enrolment=enrolment).count() == 1


# --- tampered or incomplete submissions ------------------------------------------------------------


@pytest.fixture
def open_attempt(student):
    """An open attempt at a two-single, one-multiple quiz; a second course with its own quiz."""
    course = course_with_content(single=2, multiple=1)
    other_course = course_with_content(single=3, multiple=0)
    enrolment = services.enrolment_create(student=student, course=course)
    attempt = services.quiz_attempt_open(enrolment=enrolment)
    return attempt, course, other_course


def _unknown_question(attempt, course, other_course):
    answers = quiz_answers(attempt)
    answers[999_999] = [1]
    return answers


def _unknown_choice(attempt, course, other_course):
    answers = quiz_answers(attempt)
    answers[attempt.question_order[0]] = [999_999]
    return answers


def _choice_of_another_question(attempt, course, other_course):
    answers = quiz_answers(attempt)
    first, second = (q for q in attempt.question_order if Question.objects.get(pk=q).kind == "single")
    answers[first] = answers[second]
    return answers


def _another_courses_quiz(attempt, course, other_course):
    return {q.id: [q.choices.filter(is_correct=True).first().id] for q in other_course.questions.all()}


def _another_courses_choice(attempt, course, other_course):
    answers = quiz_answers(attempt)
    single = next(q for q in attempt.question_order if Question.objects.get(pk=q).kind == "single")
    answers[single] = [other_course.questions.first().choices.first().id]
    return answers


def _a_missing_answer(attempt, course, other_course):
    answers = quiz_answers(attempt)
    del answers[attempt.question_order[-1]]
    return answers


def _an_empty_answer(attempt, course, other_course):
    answers = quiz_answers(attempt)
    answers[attempt.question_order[0]] = []
    return answers


def _two_choices_for_a_single_answer_question(attempt, course, other_course):
    answers = quiz_answers(attempt)
    single = Question.objects.filter(pk__in=attempt.question_order, kind="single").first()
    answers[single.id] = list(single.choices.values_list("id", flat=True)[:2])
    return answers


@pytest.mark.parametrize(
    "tamper",
    [
        _unknown_question,
        _unknown_choice,
        _choice_of_another_question,
        _another_courses_quiz,
        _another_courses_choice,
        _a_missing_answer,
        _an_empty_answer,
        _two_choices_for_a_single_answer_question,
    ],
    ids=lambda f: f.__name__.strip("_"),
)
def test_a_tampered_or_incomplete_submission_is_refused_and_changes_nothing(open_attempt, tamper):
    attempt, course, other_course = open_attempt
    enrolment = Enrolment.objects.get(pk=attempt.enrolment_id)
    answers = tamper(attempt, course, other_course)

    with pytest.raises(services.QuizSubmissionError):
        services.quiz_attempt_submit(attempt=attempt, answers=answers)

    assert not AttemptAnswer.objects.exists()
    attempt.refresh_from_db()
    assert (attempt.submitted_at, attempt.score, attempt.passed) == (None, None, False)
    after = Enrolment.objects.get(pk=enrolment.pk)
    assert (after.best_score, after.quiz_passed_at, after.completed_at, after.updated_at) == (
        enrolment.best_score,
        enrolment.quiz_passed_at,
        enrolment.completed_at,
        enrolment.updated_at,
    )


def test_an_attempt_cannot_be_submitted_twice(open_attempt):
    attempt = open_attempt[0]
    services.quiz_attempt_submit(
        attempt=attempt, answers=quiz_answers(attempt, wrong=set(attempt.question_order))
    )
    enrolment = Enrolment.objects.get(pk=attempt.enrolment_id)
    answers_before = list(AttemptAnswer.objects.values_list("id", "choice_id"))

    with pytest.raises(services.QuizSubmissionError, match="already submitted"):
        services.quiz_attempt_submit(attempt=attempt, answers=quiz_answers(attempt))

    assert list(AttemptAnswer.objects.values_list("id", "choice_id")) == answers_before
    attempt.refresh_from_db()
    assert (attempt.score, attempt.passed) == (0, False)
    after = Enrolment.objects.get(pk=enrolment.pk)
    assert (after.best_score, after.quiz_passed_at, after.updated_at) == (0, None, enrolment.updated_at)


# --- deadline reminders ------------------------------------------------------------------------


def test_a_course_due_in_ten_days_plans_reminders_seven_and_two_days_before(student):
    course = course_with_content()
    with time_machine.travel(MONDAY, tick=False):
        enrolment = services.enrolment_create(student=student, course=course, due_on=date(2026, 3, 12))

    reminders = list(deadline_reminders(enrolment))
    assert [r.due_at for r in reminders] == [nine_am(date(2026, 3, 5)), nine_am(date(2026, 3, 10))]
    assert [r.context["days"] for r in reminders] == [7, 2]
    assert {r.status for r in reminders} == {Reminder.Status.PENDING}
    assert {r.recipient_id for r in reminders} == {student.pk}


def test_enrolling_again_with_the_same_due_date_plans_nothing_new(student):
    course = course_with_content()
    with time_machine.travel(MONDAY, tick=False):
        enrolment = services.enrolment_create(student=student, course=course, due_on=date(2026, 3, 12))
        services.enrolment_create(student=student, course=course, due_on=date(2026, 3, 12))

    assert deadline_reminders(enrolment).count() == 2


def test_a_course_due_in_three_days_plans_only_the_two_day_reminder(student):
    course = course_with_content()
    with time_machine.travel(MONDAY, tick=False):
        enrolment = services.enrolment_create(student=student, course=course, due_on=date(2026, 3, 5))

    reminders = list(deadline_reminders(enrolment))
    assert [(r.due_at, r.context["days"]) for r in reminders] == [(nine_am(date(2026, 3, 3)), 2)]


def test_completing_the_course_cancels_its_deadline_reminders(student):
    course = course_with_content(lessons=1, single=0, multiple=0)
    with time_machine.travel(MONDAY, tick=False):
        enrolment = services.enrolment_create(student=student, course=course, due_on=date(2026, 3, 12))
        services.lesson_complete(enrolment=enrolment, lesson=course.lessons.get())

    assert [r.status for r in deadline_reminders(enrolment)] == [Reminder.Status.CANCELLED] * 2
    assert {r.cancelled_reason for r in deadline_reminders(enrolment)} == {"course completed"}

    with time_machine.travel(nine_am(date(2026, 3, 10)) + timedelta(minutes=1), tick=False):
        reminders_deliver_due()
    assert mail.outbox == []


def test_a_moved_due_date_plans_new_reminders_and_the_old_ones_are_cancelled_when_due(student):
    course = course_with_content()
    with time_machine.travel(MONDAY, tick=False):
        enrolment = services.enrolment_create(student=student, course=course, due_on=date(2026, 3, 12))
        services.enrolment_create(student=student, course=course, due_on=date(2026, 3, 22))

    reminders = deadline_reminders(enrolment)
    assert [(r.due_at, r.context["due_on"]) for r in reminders] == [
        (nine_am(date(2026, 3, 5)), "2026-03-12"),
        (nine_am(date(2026, 3, 10)), "2026-03-12"),
        (nine_am(date(2026, 3, 15)), "2026-03-22"),
        (nine_am(date(2026, 3, 20)), "2026-03-22"),
    ]

    with time_machine.travel(nine_am(date(2026, 3, 5)) + timedelta(minutes=1), tick=False):
        report = reminders_deliver_due()

    assert report.sent == 0
    assert mail.outbox == []
    old = reminders.get(due_at=nine_am(date(2026, 3, 5)))
    assert old.status == Reminder.Status.CANCELLED
    assert set(reminders.filter(context__due_on="2026-03-22").values_list("status", flat=True)) == {
        Reminder.Status.PENDING
    }


def test_moving_the_due_date_by_five_days_still_sends_the_new_seven_day_reminder(student):
    course = course_with_content()
    with time_machine.travel(MONDAY, tick=False):
        enrolment = services.enrolment_create(student=student, course=course, due_on=date(2026, 3, 12))
        services.enrolment_create(student=student, course=course, due_on=date(2026, 3, 17))

    # the old 2-day reminder and the new 7-day one are both for 10 March
    with time_machine.travel(nine_am(date(2026, 3, 10)) + timedelta(minutes=1), tick=False):
        reminders_deliver_due()

    assert len(mail.outbox) == 1
    assert "17 Mar 2026" in mail.outbox[0].subject
    assert deadline_reminders(enrolment).filter(status=Reminder.Status.SENT).count() == 1


def _deliver_the_seven_day_reminder(student):
    course = course_with_content(
        lessons=2, title_zh="新零售基础", title_en="New Retail Fundamentals", code="NR901"
    )
    with time_machine.travel(MONDAY, tick=False):
        enrolment = services.enrolment_create(student=student, course=course, due_on=date(2026, 3, 12))
        services.lesson_complete(enrolment=enrolment, lesson=course.lessons.order_by("order").first())
    with time_machine.travel(nine_am(date(2026, 3, 5)) + timedelta(minutes=1), tick=False):
        first = reminders_deliver_due()
        second = reminders_deliver_due()
    assert (first.sent, second.sent) == (1, 0)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [student.email]
    return enrolment, mail.outbox[0]


def test_a_deadline_reminder_is_sent_once_in_english_to_an_english_student(student):
    enrolment, message = _deliver_the_seven_day_reminder(student)

    assert message.subject == "“New Retail Fundamentals” is due on 12 Mar 2026"
    assert "The online course “New Retail Fundamentals” is due on 12 Mar 2026" in message.body
    assert "1 of 2 lessons done; the quiz is still to pass." in message.body
    assert "/courses/NR901/" in message.body
    notification = Notification.objects.get(user=student)
    assert notification.title == message.subject
    assert notification.link == "/courses/NR901/"
    assert deadline_reminders(enrolment).first().status == Reminder.Status.SENT


def test_a_deadline_reminder_is_sent_once_in_chinese_to_a_chinese_student():
    student = StudentFactory(full_name="王小明", language="zh-hans")

    enrolment, message = _deliver_the_seven_day_reminder(student)

    # locale/zh_Hans: "“%(course)s”将于 %(date)s 截止"
    assert "新零售基础" in message.subject
    assert "2026年3月12日" in message.subject
    assert "截止" in message.subject
    assert "New Retail" not in message.subject
    assert "已完成 1 / 2 课时" in message.body
    assert deadline_reminders(enrolment).first().language == "zh-hans"
