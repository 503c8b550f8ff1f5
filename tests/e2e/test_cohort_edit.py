"""Staff edit a cohort in a browser and save it unchanged: in Chinese (the site's first language)
and then in English, every date stays and no placement window is lost."""

import os
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import expect

from tests.factories import TEST_PASSWORD, StaffFactory
from tests.internships.test_date_inputs import plan, spring_cohort

pytestmark = pytest.mark.django_db(transaction=True)

SCREENS = os.environ.get("SCREENS_DIR", "")


@pytest.fixture
def cohort():
    return spring_cohort()


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
