"""A person's first minutes: sign in per role, switch language, accept an invitation, use a phone."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core import mail
from playwright.sync_api import Page, expect

from accounts.models import User
from tests.e2e.helpers import sign_in
from tests.factories import (
    TEST_PASSWORD,
    AdminFactory,
    CohortFactory,
    CourseFactory,
    HRFactory,
    MentorFactory,
    StaffFactory,
    StudentFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)

HOMES = {
    "student": ("/student/", "Your 5+3 journey"),
    "staff": ("/staff/", "Programme office"),
    "mentor": ("/mentor/", "My interns"),
    "hr": ("/xiaomi/", "Xiaomi coordination"),
    "admin": ("/accounts/system/", "Administration"),
}


def make_person(role: str) -> User:
    if role == "mentor":
        return MentorFactory(user__email="mentor@xiaomi.com").user
    factory = {"student": StudentFactory, "staff": StaffFactory, "hr": HRFactory, "admin": AdminFactory}[role]
    return factory(email=f"{role}@example.cn")


@pytest.mark.parametrize("role", list(HOMES))
def test_each_role_signs_in_lands_on_its_home_and_signs_out(page: Page, live_server, role):
    CohortFactory()
    person = make_person(role)
    sign_in(page, live_server.url, person.email.upper())  # e-mail is not case-sensitive

    path, text = HOMES[role]
    expect(page).to_have_url(f"{live_server.url}{path}")
    expect(page.get_by_text(text).first).to_be_visible()

    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    page.goto(f"{live_server.url}{path}")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next="))


def test_a_wrong_password_gets_a_clear_message(page: Page, live_server):
    person = make_person("student")
    sign_in(page, live_server.url, person.email, "not-the-password")
    expect(page.get_by_text("The e-mail address or the password is not correct.")).to_be_visible()


def test_a_chinese_browser_sees_chinese_and_the_switch_is_remembered(browser, live_server):
    person = make_person("student")
    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    expect(page.get_by_role("heading", name="登录")).to_be_visible()

    page.get_by_role("button", name="English").click()
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    page.get_by_role("button", name="中文").click()
    expect(page.get_by_role("heading", name="登录")).to_be_visible()

    page.get_by_label("电子邮箱").fill(person.email)
    page.get_by_label("密码").fill(TEST_PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.get_by_role("button", name="English").click()
    expect(page.get_by_role("heading", name="Your 5+3 journey")).to_be_visible()
    person.refresh_from_db()
    assert person.language == "en"
    context.close()

    # The choice follows the person to a new device whose browser asks for Chinese.
    other = browser.new_context(locale="zh-CN")
    page = other.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("电子邮箱").fill(person.email)
    page.get_by_label("密码").fill(TEST_PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("heading", name="Your 5+3 journey")).to_be_visible()
    other.close()


def test_an_invited_student_receives_the_email_sets_a_password_and_signs_in(page: Page, live_server):
    staff = make_person("staff")
    sign_in(page, live_server.url, staff.email)
    page.get_by_role("link", name="Invitations").click()
    page.get_by_label("E-mail address").fill("newcomer@163.com")
    page.get_by_label("Full name").fill("赵雨桐")
    page.get_by_label("Role").select_option(label="Student")
    page.get_by_label("Language of the invitation").select_option(label="English")
    page.get_by_role("button", name="Send the invitation").click()
    expect(page.get_by_text("Invitation sent to newcomer@163.com.")).to_be_visible()
    expect(page.get_by_text("newcomer@163.com", exact=True)).to_be_visible()
    page.get_by_role("button", name="Sign out").click()

    assert len(mail.outbox) == 1
    link = re.search(r"https?://\S+/accounts/invite/\S+/", mail.outbox[0].body).group(0)
    path = link.split("/accounts/", 1)[1]
    page.goto(f"{live_server.url}/accounts/{path}")
    expect(page.get_by_text("You are joining as Student")).to_be_visible()
    page.get_by_label("Choose a password").fill("Shenzhen-2027-retail")
    page.get_by_label("Repeat the password").fill("Shenzhen-2027-retail")
    page.get_by_role("button", name="Set my password and sign in").click()
    expect(page).to_have_url(f"{live_server.url}/student/")
    expect(page.get_by_text("Welcome! Your password is set and you are signed in.")).to_be_visible()

    # The link works once.
    page.get_by_role("button", name="Sign out").click()
    page.goto(f"{live_server.url}/accounts/{path}")
    expect(page.get_by_text("This invitation link has already been used.")).to_be_visible()


def test_the_student_home_works_at_phone_width(browser, live_server):
    CohortFactory()
    for _ in range(5):
        CourseFactory()
    person = make_person("student")
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="en-US")
    page = context.new_page()
    sign_in(page, live_server.url, person.email)
    expect(page.get_by_role("heading", name="Your 5+3 journey")).to_be_visible()

    no_sideways_scroll = page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert no_sideways_scroll, "the page scrolls sideways at 390 px"
    expect(page.get_by_role("button", name="Sign out")).to_be_hidden()
    page.get_by_role("button", name="Menu").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    context.close()


@pytest.mark.parametrize("role", ["anonymous", "student", "staff"])
def test_pages_have_no_accessibility_violations(page: Page, live_server, role):
    CohortFactory()
    if role == "anonymous":
        page.goto(f"{live_server.url}/accounts/login/")
    else:
        sign_in(page, live_server.url, make_person(role).email)
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()
