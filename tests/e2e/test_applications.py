"""The front door in a browser: a student applies (draft saved and resumed), staff accept, the
courses appear with their due dates; and the application form at phone width."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from django.utils.formats import date_format
from playwright.sync_api import Page, expect

from internships.models import Application, CohortCourse, PlacementWindow
from tests.e2e.helpers import sign_in, sign_out
from tests.factories import (
    PDF_BYTES,
    CohortFactory,
    CourseFactory,
    StaffFactory,
    StoreFactory,
    StudentFactory,
    StudentProfileFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def open_cohort():
    cohort = CohortFactory(name_en="Spring 2027 cohort", name_zh="2027年春季班")
    today = timezone.localdate()
    for i in range(5):
        CohortCourse.objects.create(
            cohort=cohort,
            course=CourseFactory(title_en=f"Course {i + 1}"),
            due_on=today + timedelta(days=40 + 14 * i),
        )
    PlacementWindow.objects.create(
        cohort=cohort, starts_on=today + timedelta(days=120), ends_on=today + timedelta(days=140)
    )
    StoreFactory(name_en="Xiaomi Store Futian COCO Park")
    return cohort


def test_a_student_applies_with_a_draft_staff_accept_and_the_courses_appear(
    page: Page, live_server, open_cohort, tmp_path
):
    student = StudentFactory(email="applicant@qq.com", full_name="赵雨桐")
    staff = StaffFactory(email="office@sztu.edu.cn")
    cv = tmp_path / "cv.pdf"
    cv.write_bytes(PDF_BYTES)

    sign_in(page, live_server.url, student.email)
    page.get_by_role("link", name="Apply now").click()
    # First time: the student profile comes first, then the form.
    page.get_by_label("Student number").fill("2023000777")
    page.get_by_label("Major").fill("市场营销")
    page.get_by_label("Expected graduation year").fill("2027")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", name="Apply to the Spring 2027 cohort")).to_be_visible()

    page.get_by_label("Why do you want to join the programme?").fill(
        "I worked weekends in a Xiaomi Store and want to learn how new retail stores are run, from data to service."
    )
    page.get_by_label("First choice of store or district").select_option(
        label="Xiaomi Store Futian COCO Park · Nanshan"
    )
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_text("Your draft is saved.")).to_be_visible()
    sign_out(page)

    # Later: the draft is still there.
    sign_in(page, live_server.url, student.email)
    page.get_by_role("link", name="Continue my application").click()
    expect(page.get_by_label("Why do you want to join the programme?")).to_have_value(
        re.compile("Xiaomi Store")
    )
    page.get_by_label("Placement window", exact=True).select_option(index=1)
    page.get_by_label("I am available on every working day").check()
    page.get_by_label("CV (PDF, at most 5 MB)").set_input_files(str(cv))
    page.get_by_label("I have read the privacy notice").check()
    page.get_by_label("I agree that my application, progress and results are shared with Xiaomi").check()
    page.get_by_role("button", name="Submit application").click()
    expect(page.get_by_text("Your application is submitted.")).to_be_visible()
    expect(page.get_by_text("Xiaomi Store Futian COCO Park")).to_be_visible()
    sign_out(page)

    sign_in(page, live_server.url, staff.email)
    page.get_by_role("link", name="Applications", exact=True).click()
    page.get_by_role("link", name="赵雨桐").click()
    page.get_by_label("Accept").check()
    page.get_by_label("Note to the student (optional)").fill("Welcome aboard!")
    page.get_by_role("button", name="Record the decision").click()
    expect(page.get_by_text("Decision recorded.")).to_be_visible()
    sign_out(page)

    sign_in(page, live_server.url, student.email)
    expect(page.get_by_text("Continue “Course 1”")).to_be_visible()
    page.get_by_role("link", name="My courses", exact=True).click()
    expect(page.get_by_text("0 of 5 courses complete")).to_be_visible()
    first_due = CohortCourse.objects.filter(cohort=open_cohort).order_by("due_on").first().due_on
    expect(page.get_by_text(f"Due {date_format(first_due, 'DATE_FORMAT')}")).to_be_visible()
    assert Application.objects.get(student=student).status == Application.Status.ACCEPTED


def test_the_application_form_works_at_phone_width(browser, live_server, open_cohort):
    student = StudentFactory(email="phone@163.com")
    StudentProfileFactory(user=student)
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="en-US")
    page = context.new_page()
    sign_in(page, live_server.url, student.email)
    page.get_by_role("link", name="Apply now").click()
    page.get_by_label("Why do you want to join the programme?").fill("Short for now.")
    page.get_by_label("First choice of store or district").select_option(index=1)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.get_by_role("button", name="Submit application").click()
    expect(page.get_by_text("Still missing:")).to_be_visible()
    assert Application.objects.get(student=student).status == Application.Status.DRAFT
    context.close()
