"""The student home shows where the student is on the 5+3 journey and what to do next."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from courses.models import Enrolment
from internships import services
from tests.factories import (
    ApplicationFactory,
    CohortCourseFactory,
    CohortFactory,
    CourseFactory,
    StaffFactory,
    StudentProfileFactory,
    SubmittedApplicationFactory,
)


@pytest.fixture
def cohort(db):
    cohort = CohortFactory(code="spring-2027", name_en="Spring 2027 cohort")
    for i in range(5):
        CohortCourseFactory(
            cohort=cohort, course=CourseFactory(), due_on=timezone.localdate() + timedelta(days=40 + 7 * i)
        )
    return cohort


@pytest.fixture
def applicant(student):
    StudentProfileFactory(user=student)
    return student


def journey(html: str) -> list[tuple[int, str, str]]:
    """(step number, state, text) of each journey step, text without the hidden state label."""
    steps = re.findall(
        r'<li class="journey-step is-(\w+)" data-index="(\d+)"[^>]*>(.*?)</li>', html, flags=re.DOTALL
    )
    result = []
    for state, index, body in steps:
        text = re.sub(r'<span class="visually-hidden">.*?</span>', "", body, flags=re.DOTALL)
        text = " ".join(re.sub(r"<[^>]+>", "", text).split())
        result.append((int(index), state, text))
    return result


def states(html: str) -> list[str]:
    return [state for _index, state, _text in journey(html)]


def current(html: str) -> tuple[int, str]:
    [(index, text)] = [(index, text) for index, state, text in journey(html) if state == "current"]
    return index, text


def next_card(html: str) -> str:
    """The 'What needs you now' card."""
    return html.split('id="next-title"')[1].split("</section>")[0]


def home(client, student) -> str:
    client.force_login(student)
    response = client.get(reverse("dashboards:student_home"))
    assert response.status_code == 200
    return response.content.decode()


def test_without_an_application_the_current_step_is_apply_with_an_apply_now_button(client, applicant, cohort):
    html = home(client, applicant)

    assert current(html) == (1, "Apply")
    assert states(html) == ["current"] + ["upcoming"] * 6
    card = next_card(html)
    assert "Spring 2027 cohort" in card
    assert re.search(rf'href="{reverse("internships:apply", args=[cohort.code])}">Apply now</a>', card)


def test_with_a_draft_the_student_is_asked_to_continue_the_application(client, applicant, cohort):
    ApplicationFactory(student=applicant, cohort=cohort)

    html = home(client, applicant)

    assert current(html) == (1, "Apply")
    card = next_card(html)
    assert re.search(
        rf'href="{reverse("internships:apply", args=[cohort.code])}">Continue my application</a>', card
    )
    assert "Apply now" not in card


def test_once_submitted_the_first_step_is_done_and_the_application_is_being_reviewed(
    client, applicant, cohort
):
    application = SubmittedApplicationFactory(student=applicant, cohort=cohort)

    html = home(client, applicant)

    assert states(html)[:3] == ["done", "current", "upcoming"]
    assert current(html) == (2, "Accepted")
    card = next_card(html)
    assert "The programme office is reviewing your application." in card
    assert reverse("internships:application", args=[application.pk]) in card
    assert "Apply now" not in card and "Continue my application" not in card


def test_once_waitlisted_the_student_is_told_about_the_waiting_list(client, applicant, cohort):
    SubmittedApplicationFactory(student=applicant, cohort=cohort, status="waitlisted")

    html = home(client, applicant)

    assert current(html) == (2, "Accepted")
    assert "You are on the waiting list." in next_card(html)


def test_once_accepted_and_enrolled_the_current_step_is_the_five_courses_with_progress(
    client, applicant, cohort
):
    application = SubmittedApplicationFactory(student=applicant, cohort=cohort)
    services.application_decide(application=application, decision="accepted", note="", by=StaffFactory())

    html = home(client, applicant)

    assert states(html)[:3] == ["done", "done", "current"]
    assert current(html) == (3, "Five courses (0/5)")
    assert "Apply now" not in html


def test_the_courses_step_counts_the_completed_courses(client, applicant, cohort):
    application = SubmittedApplicationFactory(student=applicant, cohort=cohort)
    services.application_decide(application=application, decision="accepted", note="", by=StaffFactory())
    first, second = Enrolment.objects.filter(student=applicant).order_by("due_on")[:2]
    Enrolment.objects.filter(pk__in=[first.pk, second.pk]).update(completed_at=timezone.now())

    html = home(client, applicant)

    assert current(html) == (3, "Five courses (2/5)")


def test_after_withdrawing_the_student_can_apply_again(client, applicant, cohort):
    application = SubmittedApplicationFactory(student=applicant, cohort=cohort)
    services.application_withdraw(application=application, by=applicant)

    html = home(client, applicant)

    assert current(html) == (1, "Apply")
    assert states(html) == ["current"] + ["upcoming"] * 6
    assert re.search(
        rf'href="{reverse("internships:apply", args=[cohort.code])}">Apply now</a>', next_card(html)
    )


def test_the_student_home_lists_my_applications_in_the_page(client, applicant, cohort):
    application = SubmittedApplicationFactory(student=applicant, cohort=cohort)

    html = home(client, applicant)

    title = html.split("<title>")[1].split("</title>")[0]
    assert "My applications" not in title
    body = html.split("<body")[1]
    assert "My applications" in body
    assert body.count(reverse("internships:application", args=[application.pk])) >= 1
