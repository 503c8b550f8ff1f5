"""Progress for one student and for many at once (a constant number of queries)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import Role, User
from courses import services
from courses.models import Enrolment, LessonCompletion
from courses.selectors import StudentProgress, progress_for_student, progress_for_students
from dashboards.selectors import student_journey
from tests.factories import EnrolmentFactory, course_with_content, quiz_answers

pytestmark = pytest.mark.django_db


def pass_quiz(enrolment):
    attempt = services.quiz_attempt_open(enrolment=enrolment)
    services.quiz_attempt_submit(attempt=attempt, answers=quiz_answers(attempt))


def tick(enrolment, count):
    for lesson in enrolment.course.lessons.order_by("order")[:count]:
        services.lesson_complete(enrolment=enrolment, lesson=lesson)


@pytest.fixture
def five_courses_in_progress(student):
    """One course complete, four at different stages, due on different days."""
    today = timezone.localdate()

    def enrol(course, days):
        due_on = None if days is None else today + timedelta(days=days)
        return EnrolmentFactory(student=student, course=course, due_on=due_on)

    complete = enrol(course_with_content(lessons=1, single=1, multiple=0, order=1), 5)
    tick(complete, 1)
    pass_quiz(complete)
    quiz_passed = enrol(course_with_content(lessons=3, single=1, multiple=0, order=2), 20)
    tick(quiz_passed, 1)
    pass_quiz(quiz_passed)
    lessons_done = enrol(course_with_content(lessons=2, single=1, multiple=0, order=3), 10)
    tick(lessons_done, 2)
    no_quiz = enrol(course_with_content(lessons=4, single=0, multiple=0, order=4), None)
    tick(no_quiz, 1)
    untouched = enrol(course_with_content(lessons=2, single=1, multiple=0, order=5), 15)
    return [complete, quiz_passed, lessons_done, no_quiz, untouched]


def test_progress_for_a_student_counts_lessons_quiz_and_completed_courses(student, five_courses_in_progress):
    progress = progress_for_student(student)

    assert [c.enrolment_id for c in progress.courses] == [e.pk for e in five_courses_in_progress]
    rows = [
        (c.lessons_done, c.lessons_total, c.has_quiz, c.quiz_passed, c.is_complete, c.percent)
        for c in progress.courses
    ]
    assert rows == [
        (1, 1, True, True, True, 100),
        (1, 3, True, True, False, 50),  # 2 of 4 steps
        (2, 2, True, False, False, 67),  # 2 of 3 steps
        (1, 4, False, False, False, 25),
        (0, 2, True, False, False, 0),
    ]
    assert progress.courses[1].best_score == 100
    assert progress.courses[4].best_score is None
    assert (progress.completed, progress.total) == (1, 5)
    assert progress.percent == 48  # (100 + 50 + 67 + 25 + 0) / 5


def test_the_next_course_is_the_unfinished_one_due_first(student, five_courses_in_progress):
    lessons_done = five_courses_in_progress[2]  # due in 10 days; the complete one is due in 5

    assert progress_for_student(student).next_course.enrolment_id == lessons_done.pk


def test_a_course_without_a_due_date_comes_after_the_dated_ones(student):
    undated = EnrolmentFactory(student=student, course=course_with_content(order=1), due_on=None)
    dated = EnrolmentFactory(
        student=student, course=course_with_content(order=2), due_on=timezone.localdate() + timedelta(days=60)
    )

    assert progress_for_student(student).next_course.enrolment_id == dated.pk
    Enrolment.objects.filter(pk=dated.pk).update(completed_at=timezone.now())
    assert progress_for_student(student).next_course.enrolment_id == undated.pk


def test_a_student_with_every_course_complete_has_no_next_course(student):
    enrolment = EnrolmentFactory(student=student, course=course_with_content(lessons=1, single=0, multiple=0))
    tick(enrolment, 1)

    progress = progress_for_student(student)

    assert progress.next_course is None
    assert (progress.completed, progress.total, progress.percent) == (1, 1, 100)


def test_an_unfinished_course_past_its_due_date_is_overdue(student):
    EnrolmentFactory(student=student, due_on=timezone.localdate() - timedelta(days=1))

    assert progress_for_student(student).courses[0].is_overdue is True


def test_a_student_without_enrolments_gets_empty_progress(student, other_student):
    EnrolmentFactory(student=other_student)

    progress = progress_for_students([student.pk, other_student.pk])

    assert progress[student.pk] == StudentProgress()
    assert (progress[student.pk].total, progress[student.pk].percent) == (0, 0)
    assert progress[student.pk].next_course is None
    assert progress[other_student.pk].total == 1


def test_the_journey_marks_the_courses_step_with_completed_courses(student, five_courses_in_progress):
    steps = {step["key"]: step for step in student_journey(student)}

    assert steps["apply"]["state"] == steps["accepted"]["state"] == "done"
    assert steps["courses"]["state"] == "current"
    assert steps["courses"]["detail"] == "1/5"

    Enrolment.objects.filter(student=student).update(completed_at=timezone.now())
    steps = {step["key"]: step for step in student_journey(student)}
    assert steps["courses"]["state"] == "done"
    assert steps["placement"]["state"] == "current"


def _many_students(count):
    """`count` students in five courses of three lessons, each with (index % 4) lessons done in
    every course; bulk-created."""
    courses = [course_with_content(lessons=3, single=1, multiple=0, order=n) for n in range(1, 6)]
    lessons = {course.pk: list(course.lessons.order_by("order")) for course in courses}
    User.objects.bulk_create(
        User(email=f"bulk{i}@qq.com", full_name=f"学生{i}", role=Role.STUDENT, password="!")
        for i in range(count)
    )
    students = list(User.objects.filter(email__startswith="bulk").order_by("pk"))
    today = timezone.localdate()
    Enrolment.objects.bulk_create(
        Enrolment(student=s, course=c, due_on=today + timedelta(days=7 * c.order))
        for s in students
        for c in courses
    )
    done_by_student = {s.pk: i % 4 for i, s in enumerate(students)}
    LessonCompletion.objects.bulk_create(
        LessonCompletion(enrolment=e, lesson=lesson)
        for e in Enrolment.objects.filter(student__in=students)
        for lesson in lessons[e.course_id][: done_by_student[e.student_id]]
    )
    return students, done_by_student


@pytest.mark.parametrize("count", [10, 500])
def test_progress_for_many_students_takes_four_queries_whatever_their_number(
    django_assert_num_queries, student, count
):
    students, done_by_student = _many_students(count)
    ids = [s.pk for s in students] + [student.pk]  # the last one is not enrolled

    with django_assert_num_queries(4):
        progress = progress_for_students(ids)

    assert list(progress) == ids
    assert progress[student.pk].courses == []
    for s in students:
        courses = progress[s.pk].courses
        assert [c.course.order for c in courses] == [1, 2, 3, 4, 5]
        assert {(c.lessons_done, c.lessons_total, c.has_quiz) for c in courses} == {
            (done_by_student[s.pk], 3, True)
        }
