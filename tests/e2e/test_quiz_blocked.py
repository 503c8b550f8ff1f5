"""A student who used every quiz attempt is told to contact the programme office; staff grant an
attempt from the student's progress page; the student can take the quiz again. Chinese first."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from courses import services
from courses.loader import CONTENT_DIR, course_load
from tests.factories import TEST_PASSWORD, StaffFactory, StudentFactory, quiz_answers

pytestmark = pytest.mark.django_db(transaction=True)

SCREENS = Path("/work/screens/courses")

WORDS = {
    "zh-hans": {
        "locale": "zh-CN",
        "email": "电子邮箱",
        "password": "密码",
        "sign_in": "登录",
        "menu": "菜单",
        "sign_out": "退出登录",
        "blocked_home": "您已用完“{title}”测验的全部机会，仍未通过。",
        "blocked_course": "您已用完本测验的全部 1 次机会，仍未通过。",
        "contact": "请联系项目办公室",
        "continue": "继续学习",
        "progress": "课程进度",
        "filter": "测验受阻",
        "extra": "增加次数",
        "reason": "原因",
        "grant": "增加机会",
        "granted": "已为“{title}”增加 1 次测验机会",
        "again": "再次参加测验",
        "quiz_heading": "测验：{title}",
        "passed_heading": "您已通过本测验",
        "passed_score": "您已以 100% 的成绩通过本测验，无需再次参加。",
    },
    "en": {
        "locale": "en-US",
        "email": "E-mail address",
        "password": "Password",
        "sign_in": "Sign in",
        "menu": "Menu",
        "sign_out": "Sign out",
        "blocked_home": "You have used all your attempts at the quiz of “{title}” without passing.",
        "blocked_course": "You have used all 1 attempt at this quiz without passing.",
        "contact": "Contact the programme office",
        "continue": "Continue the course",
        "progress": "Course progress",
        "filter": "Blocked on a quiz",
        "extra": "Extra attempts",
        "reason": "Reason",
        "grant": "Grant attempts",
        "granted": "1 more attempt granted at “{title}”",
        "again": "Take the quiz again",
        "quiz_heading": "Quiz: {title}",
        "passed_heading": "You passed this quiz",
        "passed_score": "You passed this quiz with 100%. There is no need to take it again.",
    },
}


def sign_in(page: Page, base_url: str, email: str, words: dict) -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label(words["email"]).fill(email)
    page.get_by_label(words["password"]).fill(TEST_PASSWORD)
    page.get_by_role("button", name=words["sign_in"], exact=True).click()


def sign_out(page: Page, words: dict) -> None:
    if page.get_by_role("button", name=words["menu"]).is_visible():
        page.get_by_role("button", name=words["menu"]).click()
    page.get_by_role("button", name=words["sign_out"]).click()


def shoot(page: Page, name: str, language: str) -> None:
    """A full-page screenshot at 1280 and 390 px (looked at by hand), and no sideways scrolling."""
    SCREENS.mkdir(parents=True, exist_ok=True)
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(SCREENS / f"{name}-{language}-{width}.png"), full_page=True)
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), (name, width)
    page.set_viewport_size({"width": 1280, "height": 900})


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_a_blocked_student_is_told_staff_grant_an_attempt_and_the_quiz_opens_again(
    browser, live_server, language
):
    words = WORDS[language]
    course = course_load(CONTENT_DIR / "nr101.toml")
    course.quiz_max_attempts = 1
    course.save()
    title = course.title_zh if language == "zh-hans" else course.title_en
    student = StudentFactory(email=f"blocked-{language}@qq.com", full_name="李思远", language=language)
    staff = StaffFactory(email=f"office-{language}@sztu.edu.cn", full_name="陈老师", language=language)
    enrolment = services.enrolment_create(student=student, course=course)
    attempt = services.quiz_attempt_open(enrolment=enrolment)
    services.quiz_attempt_submit(attempt=attempt, answers=quiz_answers(attempt, wrong=attempt.question_order))
    context = browser.new_context(locale=words["locale"], viewport={"width": 1280, "height": 900})
    page = context.new_page()

    # The student: the home and the course page say what happened and what to do.
    sign_in(page, live_server.url, student.email, words)
    expect(page.get_by_text(words["blocked_home"].format(title=title))).to_be_visible()
    expect(page.get_by_text(words["contact"]).first).to_be_visible()
    expect(page.get_by_role("link", name=words["continue"])).to_have_count(0)
    shoot(page, "student-home-blocked", language)
    page.goto(f"{live_server.url}/courses/{course.code}/")
    expect(page.get_by_text(words["blocked_course"])).to_be_visible()
    expect(page.get_by_role("link", name=words["again"])).to_have_count(0)
    shoot(page, "course-blocked", language)
    page.goto(f"{live_server.url}/courses/{course.code}/quiz/")
    expect(page.get_by_text(words["blocked_course"])).to_be_visible()
    shoot(page, "quiz-closed-blocked", language)
    page.goto(f"{live_server.url}/courses/")
    expect(page.get_by_text(words["contact"])).to_be_visible()
    shoot(page, "my-courses-blocked", language)
    sign_out(page, words)

    # Staff: the filter finds the student; one attempt is granted with a reason.
    sign_in(page, live_server.url, staff.email, words)
    page.goto(f"{live_server.url}/courses/progress/")
    page.get_by_role("link", name=words["filter"]).click()
    shoot(page, "progress-overview-blocked", language)
    page.get_by_role("link", name="李思远").click()
    shoot(page, "student-progress-blocked", language)
    page.get_by_label(words["extra"]).fill("1")
    page.get_by_label(words["reason"]).fill("考试时网络中断 / network cut during the quiz")
    page.get_by_role("button", name=words["grant"]).click()
    expect(page.get_by_text(re.compile(re.escape(words["granted"].format(title=title))))).to_be_visible()
    expect(page.get_by_text("考试时网络中断 / network cut during the quiz")).to_be_visible()
    shoot(page, "student-progress-granted", language)
    sign_out(page, words)

    # The student can start the quiz again.
    sign_in(page, live_server.url, student.email, words)
    expect(page.get_by_text(words["blocked_home"].format(title=title))).to_have_count(0)
    page.goto(f"{live_server.url}/courses/{course.code}/")
    page.get_by_role("link", name=words["again"]).click()
    expect(page.get_by_role("heading", name=words["quiz_heading"].format(title=title))).to_be_visible()
    assert enrolment.attempts.count() == 2
    context.close()


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_a_passed_quiz_shows_its_result_instead_of_a_new_attempt(browser, live_server, language):
    words = WORDS[language]
    course = course_load(CONTENT_DIR / "nr101.toml")
    student = StudentFactory(email=f"passed-{language}@163.com", language=language)
    enrolment = services.enrolment_create(student=student, course=course)
    attempt = services.quiz_attempt_open(enrolment=enrolment)
    services.quiz_attempt_submit(attempt=attempt, answers=quiz_answers(attempt))
    context = browser.new_context(locale=words["locale"], viewport={"width": 1280, "height": 900})
    page = context.new_page()

    sign_in(page, live_server.url, student.email, words)
    page.goto(f"{live_server.url}/courses/{course.code}/quiz/")

    expect(page.get_by_role("heading", name=words["passed_heading"])).to_be_visible()
    expect(page.get_by_text(words["passed_score"])).to_be_visible()
    shoot(page, "quiz-passed", language)
    assert enrolment.attempts.count() == 1
    context.close()
