"""A student works through a course in the browser: lessons, a failed quiz, a passed quiz."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from courses.loader import CONTENT_DIR, course_load
from courses.services import enrolment_create
from tests.e2e.helpers import sign_in
from tests.factories import StudentFactory

pytestmark = pytest.mark.django_db(transaction=True)


def answer(page: Page, course, correct: bool) -> None:
    for question in course.questions.prefetch_related("choices"):
        choices = list(question.choices.all())
        if correct:
            picks = [c for c in choices if c.is_correct]
        else:
            picks = [next(c for c in choices if not c.is_correct)]
        for choice in picks:
            page.get_by_label(choice.text_en, exact=True).check()
    page.get_by_role("button", name="Submit my answers").click()


def test_a_student_completes_lessons_fails_then_passes_the_quiz(page: Page, live_server):
    course = course_load(CONTENT_DIR / "nr101.toml")
    student = StudentFactory(email="learner@qq.com")
    enrolment_create(student=student, course=course, due_on=timezone.localdate() + timedelta(days=20))
    sign_in(page, live_server.url, student.email)

    page.get_by_role("link", name="My courses", exact=True).click()
    expect(page.get_by_text("0 of 1 courses complete")).to_be_visible()
    page.get_by_role("link", name=re.compile(course.title_en)).click()
    expect(page.get_by_role("heading", name=course.title_en)).to_be_visible()
    expect(page.get_by_text(re.compile(r"^Due \d+ \w+ \d{4}$"))).to_be_visible()

    lessons = list(course.lessons.order_by("order"))
    page.get_by_role("link", name=lessons[0].title_en).click()
    for lesson in lessons:
        expect(page.get_by_role("heading", name=lesson.title_en)).to_be_visible()
        page.get_by_role("button", name="Mark as complete").click()
    expect(page.get_by_role("heading", name=course.title_en)).to_be_visible()
    expect(page.get_by_text("Done")).to_have_count(len(lessons))
    bar = page.get_by_role("progressbar", name=course.title_en)
    assert int(bar.get_attribute("aria-valuenow")) > 50

    page.get_by_role("link", name="Take the quiz").click()
    answer(page, course, correct=False)
    expect(page.get_by_text("Not passed")).to_be_visible()
    expect(page.get_by_text(f"{course.quiz_max_attempts - 1} attempts left.")).to_be_visible()

    page.get_by_role("link", name="Try again").click()
    answer(page, course, correct=True)
    expect(page.get_by_text("100%", exact=True)).to_be_visible()
    expect(page.get_by_text("Passed", exact=True)).to_be_visible()

    page.get_by_role("link", name="My courses", exact=True).click()
    expect(page.get_by_text("1 of 1 courses complete")).to_be_visible()
    expect(page.get_by_role("progressbar", name="Overall progress")).to_have_attribute("aria-valuenow", "100")


def test_beyond_the_attempt_limit_the_quiz_is_closed_with_a_clear_message(page: Page, live_server):
    course = course_load(CONTENT_DIR / "nr101.toml")
    course.quiz_max_attempts = 1
    course.save()
    student = StudentFactory(email="once@163.com")
    enrolment_create(student=student, course=course)
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, live_server.url, student.email)

    page.goto(f"{live_server.url}/courses/{course.code}/quiz/")
    answer(page, course, correct=False)
    expect(page.get_by_text("0 attempts left.")).to_be_visible()
    expect(page.get_by_role("link", name="Try again")).to_have_count(0)

    page.goto(f"{live_server.url}/courses/{course.code}/quiz/")
    expect(page.get_by_role("heading", name="The quiz is closed")).to_be_visible()
    expect(page.get_by_text("You have used all 1 attempt at this quiz without passing.")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
