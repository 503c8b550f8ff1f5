"""Database rules of the courses app hold even when the services are bypassed."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from courses.models import Course, Enrolment, Lesson, QuizAttempt, validate_video_host
from tests.factories import (
    CourseFactory,
    EnrolmentFactory,
    LessonFactory,
    QuizAttemptFactory,
)

pytestmark = pytest.mark.django_db


def test_the_database_refuses_a_second_enrolment_in_the_same_course():
    enrolment = EnrolmentFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        Enrolment.objects.create(student=enrolment.student, course=enrolment.course)


def test_the_database_accepts_one_student_in_two_courses():
    enrolment = EnrolmentFactory()

    EnrolmentFactory(student=enrolment.student)

    assert Enrolment.objects.filter(student=enrolment.student).count() == 2


def test_the_database_refuses_two_lessons_with_the_same_order_in_a_course():
    lesson = LessonFactory(order=1)

    with pytest.raises(IntegrityError), transaction.atomic():
        LessonFactory(course=lesson.course, order=1)


def test_two_courses_may_each_have_a_first_lesson():
    LessonFactory(order=1)
    LessonFactory(order=1)

    assert Lesson.objects.filter(order=1).count() == 2


def test_the_database_refuses_two_attempts_with_the_same_number():
    attempt = QuizAttemptFactory(number=1, submitted_at=timezone.now(), score=50)

    with pytest.raises(IntegrityError), transaction.atomic():
        QuizAttemptFactory(enrolment=attempt.enrolment, number=1, submitted_at=timezone.now(), score=80)


def test_the_database_refuses_a_second_open_attempt():
    attempt = QuizAttemptFactory(number=1)

    with pytest.raises(IntegrityError), transaction.atomic():
        QuizAttemptFactory(enrolment=attempt.enrolment, number=2)


def test_a_new_attempt_may_open_once_the_previous_one_is_submitted():
    attempt = QuizAttemptFactory(number=1, submitted_at=timezone.now(), score=40)

    QuizAttemptFactory(enrolment=attempt.enrolment, number=2)

    assert attempt.enrolment.attempts.count() == 2


@pytest.mark.parametrize("score", [-1, 101])
def test_the_database_refuses_an_attempt_score_outside_0_to_100(score):
    attempt = QuizAttemptFactory(number=1)

    with pytest.raises(IntegrityError), transaction.atomic():
        QuizAttempt.objects.filter(pk=attempt.pk).update(submitted_at=timezone.now(), score=score)


def test_the_database_refuses_a_submitted_attempt_without_a_score():
    attempt = QuizAttemptFactory(number=1)

    with pytest.raises(IntegrityError), transaction.atomic():
        QuizAttempt.objects.filter(pk=attempt.pk).update(submitted_at=timezone.now())


def test_the_database_refuses_a_score_on_an_attempt_not_yet_submitted():
    attempt = QuizAttemptFactory(number=1)

    with pytest.raises(IntegrityError), transaction.atomic():
        QuizAttempt.objects.filter(pk=attempt.pk).update(score=70)


def test_the_database_refuses_a_best_score_above_100():
    enrolment = EnrolmentFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        Enrolment.objects.filter(pk=enrolment.pk).update(best_score=101)


def test_the_database_accepts_a_best_score_of_100():
    enrolment = EnrolmentFactory()

    Enrolment.objects.filter(pk=enrolment.pk).update(best_score=100)

    enrolment.refresh_from_db()
    assert enrolment.best_score == 100


@pytest.mark.parametrize("pass_mark", [0, 101])
def test_the_database_refuses_a_pass_mark_outside_1_to_100(pass_mark):
    course = CourseFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        Course.objects.filter(pk=course.pk).update(pass_mark=pass_mark)


def test_the_database_refuses_a_quiz_without_attempts():
    course = CourseFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        Course.objects.filter(pk=course.pk).update(quiz_max_attempts=0)


@pytest.mark.parametrize(
    "url",
    [
        "http://www.bilibili.com/video/BV1xx",  # not https
        "https://www.youtube.com/watch?v=abc",  # not reachable in mainland China
        "https://youtube.com/watch?v=abc",
        "https://www.bilibili.com.evil.example/video/BV1xx",
    ],
)
def test_a_video_link_must_be_https_on_an_allowed_host(url):
    with pytest.raises(ValidationError):
        validate_video_host(url)

    lesson = LessonFactory.build(course=CourseFactory(), video_url=url)
    with pytest.raises(ValidationError) as error:
        lesson.full_clean()
    assert "video_url" in error.value.message_dict


def test_a_bilibili_video_link_is_accepted():
    url = "https://www.bilibili.com/video/BV1xx"
    validate_video_host(url)

    lesson = LessonFactory.build(course=CourseFactory(), video_url=url)
    lesson.full_clean()
