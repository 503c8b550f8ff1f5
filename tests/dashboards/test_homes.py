"""Each role's home page shows what that person needs, in a bounded number of queries."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import formats, timezone

from accounts.models import Role
from internships.models import Cohort
from tests.factories import (
    CohortFactory,
    CourseFactory,
    EnrolmentFactory,
    InvitationFactory,
    MentorFactory,
    MentorUserFactory,
    NotificationFactory,
    PlacementFactory,
    PlacementWindowFactory,
    StoreFactory,
    StudentFactory,
    SubmittedApplicationFactory,
)


def today():
    return timezone.localdate()


def shown(day) -> str:
    """A date as the English pages write it, e.g. 25 Nov 2026."""
    return formats.date_format(day, "DATE_FORMAT")


def stat(html: str, label: str) -> int:
    """The number shown on the statistic card with `label`."""
    match = re.search(r'<div class="stat-value">(\d+)</div><div[^>]*>' + re.escape(label) + "</div>", html)
    assert match, f"no statistic {label!r}"
    return int(match.group(1))


@pytest.fixture
def five_courses(db):
    return [
        CourseFactory(code=f"NR10{i}", title_en=title, order=i)
        for i, title in enumerate(
            [
                "New Retail Fundamentals",
                "Consumer Insight",
                "Store Operations",
                "Omnichannel Marketing",
                "Smart Products",
            ],
            start=1,
        )
    ]


def test_the_student_home_shows_the_open_cohort_the_courses_and_the_journey(client, student, five_courses):
    closes = today() + timedelta(days=20)
    CohortFactory(name_en="Spring 2027 cohort", applications_close_on=closes)
    CohortFactory(name_en="Draft cohort", status=Cohort.Status.DRAFT)
    CohortFactory(name_en="Closed cohort", applications_close_on=today() - timedelta(days=1))
    client.force_login(student)

    html = client.get(reverse("dashboards:student_home")).content.decode()

    assert "Spring 2027 cohort" in html
    assert f"Applications are open until {shown(closes)}." in html
    assert "Draft cohort" not in html and "Closed cohort" not in html
    titles = re.findall(r"<li>([^<]+)</li>", html.split('id="courses-title"')[1])
    assert titles == [course.title_en for course in five_courses]
    current = re.findall(r'<li class="journey-step is-current"[^>]*aria-current="step">\s*([^<]+?)\s*<', html)
    assert current == ["Apply"]
    assert html.count("journey-step is-upcoming") == 6


def test_the_student_home_says_when_no_cohort_is_open(client, student):
    client.force_login(student)

    html = client.get(reverse("dashboards:student_home")).content.decode()

    assert "No cohort is taking applications right now." in html


def test_the_staff_home_counts_students_and_open_cohorts(client, staff):
    StudentFactory.create_batch(3)
    InvitationFactory.create_batch(2)  # invited students who have not signed in yet
    CohortFactory.create_batch(2)
    CohortFactory(status=Cohort.Status.DRAFT, name_en="Autumn draft")
    CohortFactory(status=Cohort.Status.FINISHED, name_en="Finished long ago")
    client.force_login(staff)

    html = client.get(reverse("dashboards:staff_home")).content.decode()

    assert stat(html, "cohorts taking applications") == 2
    assert stat(html, "students with an account") == 3
    assert stat(html, "students invited, not signed in yet") == 2
    assert "Autumn draft" in html
    assert "Finished long ago" not in html


def test_the_mentor_home_shows_the_store_and_a_valid_certification(client, db):
    expires = today() + timedelta(days=200)
    mentor = MentorFactory(store__name_en="Xiaomi Store Coastal City", certification_expires_on=expires)
    client.force_login(mentor.user)

    html = client.get(reverse("dashboards:mentor_home")).content.decode()

    assert "Xiaomi Store Coastal City" in html
    assert "Certified mentor" in html
    assert f"until {shown(expires)}" in html
    assert "Certification expired" not in html


def test_the_mentor_home_shows_an_expired_certification(client, db):
    mentor = MentorFactory(
        certified_on=today() - timedelta(days=800), certification_expires_on=today() - timedelta(days=1)
    )
    client.force_login(mentor.user)

    html = client.get(reverse("dashboards:mentor_home")).content.decode()

    assert "Certification expired" in html
    assert "Certified mentor" not in html


def test_the_mentor_home_says_when_the_mentor_is_not_linked_to_a_store(client, db):
    client.force_login(MentorUserFactory())

    response = client.get(reverse("dashboards:mentor_home"))

    assert response.status_code == 200
    assert "Not linked to a store yet" in response.content.decode()
    assert "My store" not in response.content.decode()


def test_the_hr_home_lists_expiring_and_expired_certifications(client, hr):
    MentorFactory(
        user__full_name="过期导师",
        certified_on=today() - timedelta(days=800),
        certification_expires_on=today() - timedelta(days=5),
    )
    MentorFactory(user__full_name="将到期导师", certification_expires_on=today() + timedelta(days=30))
    MentorFactory(user__full_name="长期导师", certification_expires_on=today() + timedelta(days=300))
    StoreFactory(is_training_store=False)
    client.force_login(hr)

    html = client.get(reverse("dashboards:hr_home")).content.decode()

    listed = html.split('id="expiring-title"')[1]
    assert listed.index("过期导师") < listed.index("将到期导师")  # soonest first
    assert "长期导师" not in listed
    assert listed.count("text-bg-danger") == 1  # only the lapsed one is marked expired
    assert stat(html, "approved training stores") == 3
    assert stat(html, "certified mentors") == 2
    assert stat(html, "expired certifications") == 1


def test_the_hr_home_says_when_nothing_expires_soon(client, hr):
    MentorFactory(certification_expires_on=today() + timedelta(days=300))
    client.force_login(hr)

    html = client.get(reverse("dashboards:hr_home")).content.decode()

    assert "No certification expires in the next 30 days." in html


def test_one_horizon_flags_a_certification_on_the_hr_home_in_the_digest_and_to_the_mentor(client, hr):
    """CERTIFICATION_WARNING_DAYS is the only "about to expire" horizon (it was 30 here, 60 there)."""
    from internships.models import CERTIFICATION_WARNING_DAYS
    from internships.reminders import hr_digest_sections, plan_certification_reminders

    inside = MentorFactory(certification_expires_on=today() + timedelta(days=CERTIFICATION_WARNING_DAYS))
    outside = MentorFactory(certification_expires_on=today() + timedelta(days=CERTIFICATION_WARNING_DAYS + 1))
    client.force_login(hr)

    html = client.get(reverse("dashboards:hr_home")).content.decode()
    digest = repr(hr_digest_sections())

    assert inside.user.full_name in html and outside.user.full_name not in html
    assert inside.user.full_name in digest and outside.user.full_name not in digest
    assert plan_certification_reminders() == 1


def fill_programme(n: int) -> None:
    """n of everything a home page could list or count."""
    StudentFactory.create_batch(n)
    CourseFactory.create_batch(n)
    CohortFactory.create_batch(n)
    for _ in range(n):
        MentorFactory(certification_expires_on=today() + timedelta(days=10))
        InvitationFactory(user=MentorUserFactory(is_active=False, password=None))
        InvitationFactory()


# The most queries each page may make, whatever the amount of data
# (session + user + the bell's unread count + the page's own).
QUERY_BOUNDS = [
    ("hr", "dashboards:hr_home", 9),  # + the cohorts in progress with their windows
    ("admin", "dashboards:staff_home", 9),  # + the recommendations overdue at Xiaomi
    ("admin", "dashboards:hr_home", 9),
    ("admin", "accounts:admin_home", 5),
]
# The main homes make exactly this many, at any size: a change here is a change to the page.
QUERY_COUNTS = [
    ("student", "dashboards:student_home", 11),  # + the recommendation in the journey
    ("staff", "dashboards:staff_home", 9),
    ("mentor", "dashboards:mentor_home", 5),  # no intern yet: see the test below
]


@pytest.mark.parametrize("size", [2, 40])
@pytest.mark.parametrize(
    "persona, url_name, bound",
    QUERY_BOUNDS,
    indirect=["persona"],
    ids=[f"{r}-{u}" for r, u, _ in QUERY_BOUNDS],
)
def test_home_pages_make_a_bounded_number_of_queries(
    client, django_assert_max_num_queries, persona, url_name, bound, size
):
    fill_programme(size)
    client.force_login(persona)

    with django_assert_max_num_queries(bound):
        response = client.get(reverse(url_name))

    assert response.status_code == 200


@pytest.mark.parametrize("size", [2, 40])
@pytest.mark.parametrize(
    "persona, url_name, count",
    QUERY_COUNTS,
    indirect=["persona"],
    ids=[f"{r}-{u}" for r, u, _ in QUERY_COUNTS],
)
def test_the_main_home_pages_make_an_exact_number_of_queries(
    client, django_assert_num_queries, persona, url_name, count, size
):
    fill_programme(size)
    client.force_login(persona)

    with django_assert_num_queries(count):
        response = client.get(reverse(url_name))

    assert response.status_code == 200


@pytest.mark.parametrize("size", [2, 12])
def test_the_mentor_home_with_interns_makes_an_exact_number_of_queries(
    client, django_assert_num_queries, mentor, size
):
    window = PlacementWindowFactory(
        cohort=CohortFactory(placement_weekdays="1234567"),
        starts_on=today() - timedelta(days=1),
        ends_on=today() + timedelta(days=19),
    )
    interns = PlacementFactory.create_batch(size, window=window, mentor=mentor.mentor_profile)
    NotificationFactory.create_batch(size, user=mentor)
    client.force_login(mentor)

    # + today's attendance, the evaluations' states and the reflections waiting (one query each)
    with django_assert_num_queries(12):
        response = client.get(reverse("dashboards:mentor_home"))

    assert response.status_code == 200
    html = response.content.decode()
    assert all(placement.student.full_name in html for placement in interns)


@pytest.mark.parametrize("size", [2, 12])
def test_the_student_home_with_an_application_and_courses_makes_an_exact_number_of_queries(
    client, django_assert_num_queries, student, size
):
    SubmittedApplicationFactory(student=student)
    EnrolmentFactory.create_batch(size, student=student)
    NotificationFactory.create_batch(size, user=student)
    client.force_login(student)

    with django_assert_num_queries(13):  # 12 + the recommendation in the journey
        response = client.get(reverse("dashboards:student_home"))

    assert response.status_code == 200


@pytest.mark.parametrize("size", [2, 60])
@pytest.mark.parametrize("persona", ["staff", "hr", "admin"], indirect=True)
def test_the_invitations_page_makes_a_bounded_number_of_queries(
    client, django_assert_max_num_queries, persona, size
):
    for _ in range(size):
        InvitationFactory()
        InvitationFactory(user=MentorUserFactory(is_active=False, password=None))
    client.force_login(persona)

    with django_assert_max_num_queries(5):
        response = client.get(reverse("accounts:invitations"))

    assert response.status_code == 200
    assert len(response.context["page"].object_list) == min(
        25, size * (2 if persona.role == Role.ADMIN else 1)
    )


def test_an_unknown_page_shows_the_friendly_404(client, db, settings):
    settings.DEBUG = False

    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert "Page not found" in response.content.decode()
    assert "Go to my home page" in response.content.decode()


def test_a_page_of_another_role_shows_the_friendly_403(client, student, settings):
    settings.DEBUG = False
    client.force_login(student)

    response = client.get(reverse("dashboards:staff_home"))

    assert response.status_code == 403
    assert "This page is not for your role" in response.content.decode()


def test_an_enrolled_student_sees_the_courses_step_and_the_course_to_continue(client, student):
    from courses.services import enrolment_create, lesson_complete
    from tests.factories import CourseFactory

    first = CourseFactory(title_en="New Retail Fundamentals")
    second = CourseFactory(title_en="Store Operations")
    done = enrolment_create(student=student, course=first, due_on=today() + timedelta(days=3))
    enrolment_create(student=student, course=second, due_on=today() + timedelta(days=20))
    lesson_complete(
        enrolment=done,
        lesson=first.lessons.create(order=1, title_en="L1", title_zh="一", body_en="x", body_zh="x"),
    )
    CohortFactory()  # an open cohort is not the student's business once they are taking the courses
    client.force_login(student)

    html = client.get(reverse("dashboards:student_home")).content.decode()

    assert html.count("journey-step is-done") == 2  # applied, accepted
    assert 'is-current" data-index="3"' in html
    assert "(1/2)" in html
    assert "Continue “Store Operations”" in html
    assert "Applications are open until" not in html


def test_the_hr_home_links_the_seats_and_attendance_of_each_cohort_in_progress(client, hr):
    running = CohortFactory(name_en="Summer 2027", status="running")
    window = PlacementWindowFactory(cohort=running)
    finished = CohortFactory(name_en="Summer 2025", status="finished")
    client.force_login(hr)

    html = client.get(reverse("dashboards:hr_home")).content.decode()

    section = html.split('id="cohorts-title"')[1].split("</section>")[0]
    assert "Summer 2027" in section and "Summer 2025" not in section
    assert reverse("internships:seats_grid", args=[running.pk]) in section
    assert reverse("internships:attendance_gaps", args=[running.pk]) in section
    assert formats.date_format(window.starts_on, "DATE_FORMAT") in section
    assert reverse("internships:seats_grid", args=[finished.pk]) not in section
