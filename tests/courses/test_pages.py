"""The student's course pages, the quiz through the browser's form, and staff's progress pages."""

import re
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from courses import services
from courses.models import AttemptAnswer, Enrolment, LessonCompletion, QuizAttempt
from tests.factories import (
    EnrolmentFactory,
    StudentFactory,
    course_with_content,
    quiz_answers,
)

pytestmark = pytest.mark.django_db


def formatted(day) -> str:
    """A date as the English pages write it (sztu_xiaomi/formats/en: "j M Y")."""
    return f"{day.day} {day:%b} {day.year}"


def form_data(attempt, answers) -> dict:
    return {"attempt": attempt.pk, **{f"q{qid}": choices for qid, choices in answers.items()}}


@pytest.fixture
def course():
    return course_with_content(lessons=3, single=2, multiple=1, pass_mark=60, quiz_max_attempts=3)


@pytest.fixture
def enrolment(student, course):
    return EnrolmentFactory(student=student, course=course, due_on=timezone.localdate() + timedelta(days=30))


@pytest.fixture
def signed_in(client, student):
    client.force_login(student)
    return client


def open_quiz(client, course):
    """GET the quiz page (which opens an attempt) and return the response and the attempt."""
    response = client.get(reverse("courses:quiz", args=[course.code]))
    return response, response.context["attempt"]


# --- my courses --------------------------------------------------------------------------------


def test_my_courses_shows_each_course_with_its_progress_and_the_overall_count(signed_in, student):
    courses = [course_with_content(lessons=2, single=1, multiple=0, order=n) for n in range(1, 6)]
    enrolments = [EnrolmentFactory(student=student, course=c) for c in courses]
    for lesson in courses[0].lessons.all():
        services.lesson_complete(enrolment=enrolments[0], lesson=lesson)
    attempt = services.quiz_attempt_open(enrolment=enrolments[0])
    services.quiz_attempt_submit(attempt=attempt, answers=quiz_answers(attempt))
    services.lesson_complete(enrolment=enrolments[1], lesson=courses[1].lessons.first())

    response = signed_in.get(reverse("courses:my_courses"))

    html = response.content.decode()
    assert response.status_code == 200
    assert "1 of 5 courses complete" in html
    assert f'aria-label="{courses[0].title_en}" aria-valuenow="100"' in html
    assert f'aria-label="{courses[1].title_en}" aria-valuenow="33"' in html  # 1 of 2 lessons + quiz
    assert f'aria-label="{courses[2].title_en}" aria-valuenow="0"' in html
    assert "1 of 2 lessons" in html
    assert 'aria-valuenow="27"' in html  # overall: (100 + 33 + 0 + 0 + 0) / 5
    for c in courses:
        assert reverse("courses:course", args=[c.code]) in html


def test_my_courses_tells_a_student_without_courses_that_they_come_on_acceptance(signed_in):
    response = signed_in.get(reverse("courses:my_courses"))

    assert "You are not enrolled in any course yet" in response.content.decode()


# --- course page -------------------------------------------------------------------------------


def test_the_course_page_ticks_done_lessons_and_shows_the_due_date_and_the_quiz(signed_in, course, enrolment):
    first, second, third = course.lessons.order_by("order")
    services.lesson_complete(enrolment=enrolment, lesson=second)

    response = signed_in.get(reverse("courses:course", args=[course.code]))

    html = response.content.decode()
    assert response.status_code == 200
    items = re.findall(r'<li class="list-group-item.*?</li>', html, flags=re.S)
    assert len(items) == 3
    assert [
        (lesson.title_en in item, "Done" in item)
        for item, lesson in zip(items, [first, second, third], strict=True)
    ] == [
        (True, False),
        (True, True),
        (True, False),
    ]
    assert f"Due {formatted(enrolment.due_on)}" in html
    assert "Pass mark 60%, at most 3 attempts." in html
    assert "3 attempts left" in html
    assert reverse("courses:quiz", args=[course.code]) in html


def test_the_course_page_lists_past_attempts_and_the_attempts_left(signed_in, course, enrolment):
    attempt = services.quiz_attempt_open(enrolment=enrolment)
    services.quiz_attempt_submit(
        attempt=attempt, answers=quiz_answers(attempt, wrong=attempt.question_order[:2])
    )

    html = signed_in.get(reverse("courses:course", args=[course.code])).content.decode()

    assert "Attempt 1: 33%" in html
    assert "Best score so far 33%" in html
    assert "2 attempts left" in html
    assert "Take the quiz again" in html


def test_a_course_the_student_is_not_enrolled_in_is_not_found(signed_in, enrolment, other_student):
    elsewhere = EnrolmentFactory(student=other_student, course=course_with_content())
    code = elsewhere.course.code

    for url in [
        reverse("courses:course", args=[code]),
        reverse("courses:lesson", args=[code, 1]),
        reverse("courses:quiz", args=[code]),
        reverse("courses:quiz_result", args=[code, 1]),
    ]:
        assert signed_in.get(url).status_code == 404, url
    assert signed_in.post(reverse("courses:lesson_complete", args=[code, 1])).status_code == 404
    assert not LessonCompletion.objects.exists()
    assert not QuizAttempt.objects.exists()


# --- lesson page -------------------------------------------------------------------------------


def test_a_middle_lesson_links_to_the_previous_and_the_next_lesson(signed_in, course, enrolment):
    response = signed_in.get(reverse("courses:lesson", args=[course.code, 2]))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Lesson 2 of 3" in html
    assert f'href="{reverse("courses:lesson", args=[course.code, 1])}"' in html
    assert f'href="{reverse("courses:lesson", args=[course.code, 3])}"' in html
    assert f'action="{reverse("courses:lesson_complete", args=[course.code, 2])}"' in html


def test_the_first_lesson_has_no_previous_link_and_the_last_leads_back_to_the_course(
    signed_in, course, enrolment
):
    first = signed_in.get(reverse("courses:lesson", args=[course.code, 1])).content.decode()
    last = signed_in.get(reverse("courses:lesson", args=[course.code, 3])).content.decode()

    assert "Previous" not in first
    assert "Next" in first
    assert "Next" not in last
    assert "Back to the course" in last
    assert f'href="{reverse("courses:lesson", args=[course.code, 2])}"' in last


def test_a_lesson_that_does_not_exist_is_not_found(signed_in, course, enrolment):
    assert signed_in.get(reverse("courses:lesson", args=[course.code, 99])).status_code == 404


def test_marking_a_lesson_complete_leads_to_the_next_lesson(signed_in, course, enrolment):
    response = signed_in.post(reverse("courses:lesson_complete", args=[course.code, 1]))

    assert response.status_code == 302
    assert response["Location"] == reverse("courses:lesson", args=[course.code, 2])
    assert list(enrolment.lesson_completions.values_list("lesson__order", flat=True)) == [1]
    html = signed_in.get(reverse("courses:lesson", args=[course.code, 1])).content.decode()
    assert "Mark as complete" not in html


def test_marking_the_last_lesson_complete_leads_to_the_course_page(signed_in, course, enrolment):
    response = signed_in.post(reverse("courses:lesson_complete", args=[course.code, 3]))

    assert response.status_code == 302
    assert response["Location"] == reverse("courses:course", args=[course.code])
    assert enrolment.lesson_completions.count() == 1


def test_the_last_lesson_of_a_course_without_quiz_completes_it(signed_in, student):
    course = course_with_content(lessons=1, single=0, multiple=0)
    enrolment = EnrolmentFactory(student=student, course=course)

    response = signed_in.post(reverse("courses:lesson_complete", args=[course.code, 1]), follow=True)

    assert "Course complete. Well done!" in response.content.decode()
    enrolment.refresh_from_db()
    assert enrolment.completed_at is not None


def test_a_lesson_attachment_is_downloaded(signed_in, course, enrolment, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    lesson = course.lessons.get(order=1)
    lesson.attachment = SimpleUploadedFile("checklist.pdf", b"%PDF-1.4 checklist")
    lesson.save()

    page = signed_in.get(reverse("courses:lesson", args=[course.code, 1])).content.decode()
    response = signed_in.get(reverse("courses:lesson_attachment", args=[course.code, 1]))

    assert reverse("courses:lesson_attachment", args=[course.code, 1]) in page
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 checklist"
    assert "attachment" in response["Content-Disposition"]
    assert signed_in.get(reverse("courses:lesson_attachment", args=[course.code, 2])).status_code == 404


# --- quiz --------------------------------------------------------------------------------------


def test_the_quiz_page_shows_the_attempts_questions_in_its_order(signed_in, course, enrolment, monkeypatch):
    monkeypatch.setattr(services.random, "shuffle", lambda items: items.reverse())

    response, attempt = open_quiz(signed_in, course)

    html = response.content.decode()
    assert response.status_code == 200
    questions = {q.id: q for q in course.questions.all()}
    positions = [html.index(questions[qid].text_en) for qid in attempt.question_order]
    assert positions == sorted(positions)
    assert attempt.question_order == sorted(questions, key=lambda qid: -questions[qid].order)
    assert f'name="attempt" value="{attempt.pk}"' in html
    assert "After this one, 2 attempts are left." in html


def test_the_quiz_page_does_not_give_away_the_correct_answers(signed_in, course, enrolment):
    response, _ = open_quiz(signed_in, course)

    html = response.content.decode()
    assert "is_correct" not in html
    form = re.search(r"<form method=\"post\" novalidate>.*?</form>", html, flags=re.S).group(0)
    assert "Submit my answers" in form
    assert "correct" not in form.lower()
    for question in course.questions.prefetch_related("choices"):
        markup = set()
        for choice in question.choices.all():
            block = re.search(
                rf'<div class="form-check[^"]*">\s*(<input[^>]*value="{choice.pk}"[^>]*>)\s*<label[^>]*>',
                html,
            )
            assert block, choice
            pk = choice.pk
            markup.add(
                block.group(0)
                .replace(f'value="{pk}"', 'value="ID"')
                .replace(f'id="c{pk}"', 'id="cID"')
                .replace(f'for="c{pk}"', 'for="cID"')
            )
        # correct and incorrect choices are written exactly alike
        assert len(markup) == 1, markup
        assert {c.is_correct for c in question.choices.all()} == {True, False}


def test_a_correct_submission_leads_to_the_result_page_with_a_pass(signed_in, course, enrolment):
    _, attempt = open_quiz(signed_in, course)

    response = signed_in.post(
        reverse("courses:quiz", args=[course.code]), form_data(attempt, quiz_answers(attempt))
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("courses:quiz_result", args=[course.code, 1])
    html = signed_in.get(response["Location"]).content.decode()
    assert "100%" in html
    assert "Passed" in html
    assert "Not passed" not in html
    enrolment.refresh_from_db()
    assert (enrolment.best_score, enrolment.quiz_passed_at is not None) == (100, True)


def test_a_failing_submission_shows_the_attempts_left(signed_in, course, enrolment):
    _, attempt = open_quiz(signed_in, course)
    answers = quiz_answers(attempt, wrong=attempt.question_order[:2])

    response = signed_in.post(
        reverse("courses:quiz", args=[course.code]), form_data(attempt, answers), follow=True
    )

    html = response.content.decode()
    assert "33%" in html
    assert "Not passed" in html
    assert "You need 60% to pass." in html
    assert "2 attempts left." in html
    assert "Try again" in html


def test_the_quiz_is_closed_once_every_attempt_is_used(signed_in, student):
    course = course_with_content(quiz_max_attempts=1)
    EnrolmentFactory(student=student, course=course)
    _, attempt = open_quiz(signed_in, course)
    answers = quiz_answers(attempt, wrong=attempt.question_order)
    signed_in.post(reverse("courses:quiz", args=[course.code]), form_data(attempt, answers))

    response = signed_in.get(reverse("courses:quiz", args=[course.code]))

    html = response.content.decode()
    assert response.status_code == 200
    assert "You have used all 1 attempt at this quiz without passing." in html
    assert "Your best score: 0%." in html
    assert QuizAttempt.objects.filter(enrolment__course=course).count() == 1
    course_page = signed_in.get(reverse("courses:course", args=[course.code])).content.decode()
    assert "You have used all 1 attempt at this quiz without passing." in course_page


def test_a_second_submission_of_the_same_attempt_changes_nothing(signed_in, course, enrolment):
    _, attempt = open_quiz(signed_in, course)
    url = reverse("courses:quiz", args=[course.code])
    signed_in.post(url, form_data(attempt, quiz_answers(attempt, wrong=attempt.question_order)))

    response = signed_in.post(url, form_data(attempt, quiz_answers(attempt)), follow=True)

    assert "This attempt was already submitted." in response.content.decode()
    attempt.refresh_from_db()
    assert attempt.score == 0
    enrolment.refresh_from_db()
    assert (enrolment.best_score, enrolment.quiz_passed_at) == (0, None)


def _unknown_question(attempt, answers, other):
    return {**form_data(attempt, answers), "q999999": "1"}


def _unknown_choice(attempt, answers, other):
    return {**form_data(attempt, answers), f"q{attempt.question_order[0]}": "999999"}


def _non_numeric_choice(attempt, answers, other):
    return {**form_data(attempt, answers), f"q{attempt.question_order[0]}": "abc"}


def _non_numeric_question(attempt, answers, other):
    return {**form_data(attempt, answers), "qabc": "1"}


def _missing_answer(attempt, answers, other):
    data = form_data(attempt, answers)
    del data[f"q{attempt.question_order[0]}"]
    return data


@pytest.mark.parametrize(
    "tamper",
    [_unknown_question, _unknown_choice, _non_numeric_choice, _non_numeric_question, _missing_answer],
    ids=lambda f: f.__name__.strip("_"),
)
def test_a_tampered_quiz_form_is_refused_and_changes_nothing(signed_in, course, enrolment, tamper):
    _, attempt = open_quiz(signed_in, course)

    response = signed_in.post(
        reverse("courses:quiz", args=[course.code]), tamper(attempt, quiz_answers(attempt), None)
    )

    assert response.status_code == 400
    assert not AttemptAnswer.objects.exists()
    attempt.refresh_from_db()
    assert attempt.submitted_at is None
    enrolment.refresh_from_db()
    assert (enrolment.best_score, enrolment.quiz_passed_at) == (None, None)


def test_submitting_another_students_attempt_is_not_found(signed_in, course, enrolment):
    stranger = EnrolmentFactory(student=StudentFactory(), course=course)
    theirs = services.quiz_attempt_open(enrolment=stranger)
    open_quiz(signed_in, course)

    response = signed_in.post(
        reverse("courses:quiz", args=[course.code]), form_data(theirs, quiz_answers(theirs))
    )

    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.submitted_at is None
    assert not AttemptAnswer.objects.exists()


def test_submitting_without_an_attempt_is_not_found(signed_in, course, enrolment):
    _, attempt = open_quiz(signed_in, course)
    data = form_data(attempt, quiz_answers(attempt))
    del data["attempt"]

    assert signed_in.post(reverse("courses:quiz", args=[course.code]), data).status_code == 404
    assert not AttemptAnswer.objects.exists()


def test_a_non_numeric_attempt_id_is_refused(signed_in, course, enrolment):
    _, attempt = open_quiz(signed_in, course)
    data = {**form_data(attempt, quiz_answers(attempt)), "attempt": "abc"}

    response = signed_in.post(reverse("courses:quiz", args=[course.code]), data)

    assert response.status_code in (400, 404)
    assert not AttemptAnswer.objects.exists()


# --- staff -------------------------------------------------------------------------------------


def test_staff_see_every_enrolled_students_progress(client, staff, student, enrolment, course):
    services.lesson_complete(enrolment=enrolment, lesson=course.lessons.first())
    StudentFactory(full_name="未报名")  # not enrolled: not listed
    client.force_login(staff)

    html = client.get(reverse("courses:progress_overview")).content.decode()

    assert student.full_name in html
    assert "未报名" not in html
    assert "0 of 1" in html
    assert f'aria-label="{student.full_name}" aria-valuenow="25"' in html  # 1 of 3 lessons + quiz
    assert reverse("courses:student_progress", args=[student.pk]) in html


def test_staff_see_one_students_progress_per_course(client, staff, student, enrolment, course):
    services.lesson_complete(enrolment=enrolment, lesson=course.lessons.first())
    client.force_login(staff)

    response = client.get(reverse("courses:student_progress", args=[student.pk]))

    html = response.content.decode()
    assert response.status_code == 200
    assert course.title_en in html
    assert "1 / 3" in html
    assert "In progress" in html
    assert formatted(enrolment.due_on) in html
    assert "0 of 1 courses complete" in html


def test_staff_cannot_open_a_non_student_as_a_student(client, staff, mentor):
    client.force_login(staff)

    assert client.get(reverse("courses:student_progress", args=[mentor.pk])).status_code == 404


@pytest.mark.parametrize("role", ["mentor", "hr"])
def test_mentors_and_hr_are_refused_every_course_page(client, request, role, enrolment, course, student):
    client.force_login(request.getfixturevalue(role))
    code = course.code
    gets = [
        reverse("courses:my_courses"),
        reverse("courses:progress_overview"),
        reverse("courses:student_progress", args=[student.pk]),
        reverse("courses:course", args=[code]),
        reverse("courses:lesson", args=[code, 1]),
        reverse("courses:lesson_attachment", args=[code, 1]),
        reverse("courses:quiz", args=[code]),
        reverse("courses:quiz_result", args=[code, 1]),
    ]

    assert [client.get(url).status_code for url in gets] == [403] * len(gets)
    assert client.post(reverse("courses:lesson_complete", args=[code, 1])).status_code == 403
    assert client.post(reverse("courses:quiz", args=[code]), {"attempt": "1"}).status_code == 403


# --- queries -----------------------------------------------------------------------------------

MY_COURSES_QUERIES = 7
COURSE_PAGE_QUERIES = 12
PROGRESS_OVERVIEW_QUERIES = 9


@pytest.mark.parametrize("lessons", [2, 40])
def test_my_courses_takes_the_same_queries_for_few_or_many_lessons(
    signed_in, student, lessons, django_assert_max_num_queries
):
    for order in range(1, 6):
        enrolment = EnrolmentFactory(
            student=student, course=course_with_content(lessons=lessons, single=2, multiple=0, order=order)
        )
        LessonCompletion.objects.bulk_create(
            LessonCompletion(enrolment=enrolment, lesson=lesson)
            for lesson in list(enrolment.course.lessons.all())[:-1]
        )

    with django_assert_max_num_queries(MY_COURSES_QUERIES):
        response = signed_in.get(reverse("courses:my_courses"))

    assert response.status_code == 200
    assert f"{lessons - 1} of {lessons} lessons" in response.content.decode()


@pytest.mark.parametrize("lessons", [2, 40])
def test_the_course_page_takes_the_same_queries_for_few_or_many_lessons(
    signed_in, student, lessons, django_assert_max_num_queries
):
    course = course_with_content(lessons=lessons, single=2, multiple=0, quiz_max_attempts=3)
    enrolment = EnrolmentFactory(student=student, course=course)
    LessonCompletion.objects.bulk_create(
        LessonCompletion(enrolment=enrolment, lesson=lesson) for lesson in course.lessons.all()
    )
    for _ in range(2):
        attempt = services.quiz_attempt_open(enrolment=enrolment)
        services.quiz_attempt_submit(
            attempt=attempt, answers=quiz_answers(attempt, wrong=attempt.question_order)
        )

    with django_assert_max_num_queries(COURSE_PAGE_QUERIES):
        response = signed_in.get(reverse("courses:course", args=[course.code]))

    html = response.content.decode()
    assert html.count("Done</span>") == lessons
    assert "Attempt 2: 0%" in html


@pytest.mark.parametrize("students", [2, 40])
def test_the_progress_overview_takes_the_same_queries_for_few_or_many_students(
    client, staff, students, django_assert_max_num_queries
):
    courses = [course_with_content(lessons=3, single=1, multiple=0, order=n) for n in range(1, 6)]
    people = StudentFactory.create_batch(students)
    Enrolment.objects.bulk_create(Enrolment(student=s, course=c) for s in people for c in courses)
    LessonCompletion.objects.bulk_create(
        LessonCompletion(enrolment=e, lesson=e.course.lessons.first())
        for e in Enrolment.objects.select_related("course")
    )
    client.force_login(staff)

    with django_assert_max_num_queries(PROGRESS_OVERVIEW_QUERIES):
        response = client.get(reverse("courses:progress_overview"))

    html = response.content.decode()
    assert html.count(reverse("courses:student_progress", args=[people[0].pk]) + '"') == 1
    assert html.count("0 of 5") == students
