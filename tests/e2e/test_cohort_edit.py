"""Staff edit a cohort in a browser and save it unchanged: in Chinese (the site's first language)
and then in English, every date stays and no placement window is lost."""

import os
from datetime import date
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import expect

from internships import services
from internships.models import Cohort
from tests.factories import TEST_PASSWORD, CourseFactory, StaffFactory

pytestmark = pytest.mark.django_db(transaction=True)

SCREENS = os.environ.get("SCREENS_DIR", "")


@pytest.fixture
def cohort():
    courses = [CourseFactory(order=i, title_en=f"Course {i}", title_zh=f"课程{i}") for i in range(1, 6)]
    return services.cohort_save(
        cohort=None,
        fields={
            "code": "spring-2027",
            "name_zh": "2027年春季班",
            "name_en": "Spring 2027 cohort",
            "status": Cohort.Status.OPEN,
            "applications_open_on": date(2026, 11, 1),
            "applications_close_on": date(2026, 11, 20),
            "target_size": 30,
            "placement_weekdays": "12345",
            "placement_cutoff_on": date(2027, 1, 8),
            "what_to_bring_zh": "学生证",
            "what_to_bring_en": "Student card",
        },
        course_due_dates={course: date(2026, 12, 1 + 7 * i) for i, course in enumerate(courses)},
        windows=[(date(2027, 1, 11), date(2027, 1, 31)), (date(2027, 2, 15), date(2027, 3, 7))],
    )


def plan(cohort):
    cohort.refresh_from_db()
    return (
        cohort.applications_open_on,
        cohort.applications_close_on,
        cohort.placement_cutoff_on,
        sorted(cohort.course_plan.values_list("course_id", "due_on")),
        list(cohort.placement_windows.order_by("starts_on").values_list("pk", "starts_on", "ends_on")),
    )


@pytest.mark.parametrize(
    "language, locale", [("zh-hans", "zh-CN"), ("en", "en-US")], ids=["chinese", "english"]
)
def test_saving_a_cohort_unchanged_keeps_every_date_and_window(
    browser, live_server, cohort, language, locale
):
    staff = StaffFactory(email=f"office-{language}@sztu.edu.cn", language=language)
    before = plan(cohort)
    with translation.override(language):
        words = {
            text: gettext(text)
            for text in (
                "E-mail address",
                "Password",
                "Sign in",
                "Save the cohort",
                "Placement window %(n)s starts",
            )
        }
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale=locale)
    page = context.new_page()
    page.goto(f"{live_server.url}{reverse('accounts:login')}")
    page.get_by_label(words["E-mail address"]).fill(staff.email)
    page.get_by_label(words["Password"]).fill(TEST_PASSWORD)
    page.get_by_role("button", name=words["Sign in"]).click()

    page.goto(f"{live_server.url}{reverse('internships:cohort_edit', args=[cohort.pk])}")
    second_window = page.get_by_label(words["Placement window %(n)s starts"] % {"n": 2})
    expect(second_window).to_have_value("2027-02-15")
    expect(page.locator("input[name=placement_cutoff_on]")).to_have_value("2027-01-08")
    if SCREENS:
        page.screenshot(path=str(Path(SCREENS) / f"cohort-edit-{language}-1280.png"), full_page=True)
        page.set_viewport_size({"width": 390, "height": 844})
        page.screenshot(path=str(Path(SCREENS) / f"cohort-edit-{language}-390.png"), full_page=True)
    page.get_by_role("button", name=words["Save the cohort"]).click()

    expect(page).to_have_url(f"{live_server.url}{reverse('internships:cohort_list')}")
    after = plan(cohort)
    assert after == before
    assert len(after[4]) == 2
    context.close()
