"""In English, at laptop width: the final evaluation with the hiring recommendation, then a change
after submission, which needs a reason and shows in the evaluation's history."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from evaluations.models import Evaluation, EvaluationChange
from tests.factories import (
    TEST_PASSWORD,
    CohortFactory,
    MentorFactory,
    PlacementFactory,
    PlacementWindowFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def last_day_today():
    """A placement whose last working day is today: the final evaluation is open."""
    today = timezone.localdate()
    window = PlacementWindowFactory(
        cohort=CohortFactory(placement_weekdays="1234567"),
        starts_on=today - timedelta(days=20),
        ends_on=today,
    )
    mentor = MentorFactory(user__full_name="林晓燕", user__language="en")
    return PlacementFactory(window=window, mentor=mentor, application__student__full_name="李思雨")


def sign_in(page, base_url, email):
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def choose(page, criterion: int, level: int):
    card = page.get_by_role("group", name=re.compile(rf"^{criterion}\. "))
    card.get_by_role("radio", name=re.compile(rf"^{level}\b")).check()


def test_a_mentor_submits_the_final_evaluation_then_changes_it_with_a_reason(
    browser, live_server, last_day_today
):
    placement = last_day_today
    context = browser.new_context(locale="en-US", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    try:
        sign_in(page, live_server.url, placement.mentor.user.email)
        page.goto(f"{live_server.url}/mentor/evaluations/{placement.pk}/4/")
        expect(page.get_by_role("heading", name=re.compile("李思雨 · Final evaluation"))).to_be_visible()

        for criterion in range(1, 6):  # one criterion left without a level
            choose(page, criterion, 4)
        page.get_by_label("Comment").fill("Reliable and friendly; ready for a sales role.")
        page.get_by_role("button", name="Submit").click()
        expect(
            page.get_by_text("Nothing was submitted: please correct the fields marked below.")
        ).to_be_visible()
        assert not Evaluation.objects.filter(status=Evaluation.Status.SUBMITTED).exists()

        choose(page, 6, 5)
        page.get_by_label("Yes", exact=True).check()
        page.get_by_label("Reason for the recommendation").fill("Sold as well as our own staff in week 3.")
        page.get_by_role("button", name="Submit").click()
        expect(page.get_by_text("Final evaluation of 李思雨 is submitted.")).to_be_visible()
        evaluation = Evaluation.objects.get()
        assert evaluation.is_submitted and evaluation.recommends_hiring == "yes"

        page.goto(f"{live_server.url}/mentor/evaluations/{placement.pk}/4/")
        choose(page, 1, 5)
        page.get_by_role("button", name="Save change").click()  # no reason given
        expect(page.get_by_text("Say why you change a submitted evaluation.")).to_be_visible()
        assert not EvaluationChange.objects.exists()

        page.get_by_label("Reason for the change").fill("Forgot the customer praise from Saturday.")
        page.get_by_role("button", name="Save change").click()
        expect(page.get_by_text("The change is saved and kept in the evaluation's history.")).to_be_visible()
        change = EvaluationChange.objects.get()
        assert change.reason == "Forgot the customer praise from Saturday."

        page.goto(f"{live_server.url}/evaluations/{evaluation.pk}/")
        history = page.get_by_role("region", name="Changes after submission")
        expect(history.get_by_text("Forgot the customer praise from Saturday.")).to_be_visible()
        expect(history.get_by_text("林晓燕")).to_be_visible()
    finally:
        context.close()
