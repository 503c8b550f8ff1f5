"""Staff set up a cohort: dates, the five courses' due dates and the placement windows."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from courses.models import Enrolment
from internships import services
from internships.models import Cohort, CohortCourse, PlacementWindow
from tests.factories import CourseFactory, SubmittedApplicationFactory


@pytest.fixture
def courses(db):
    return [CourseFactory(order=i) for i in range(1, 6)]


def day(offset: int):
    return timezone.localdate() + timedelta(days=offset)


def cohort_data(courses, **changes):
    """A valid cohort form: applications open for a month, courses due one a week, one window."""
    data = {
        "code": "spring-2027",
        "name_zh": "二〇二七春季班",
        "name_en": "Spring 2027 cohort",
        "status": Cohort.Status.OPEN,
        "applications_open_on": day(0),
        "applications_close_on": day(30),
        "target_size": 30,
        "window_1_start": day(80),
        "window_1_end": day(100),
    }
    data.update({f"due_{course.pk}": day(40 + 7 * i) for i, course in enumerate(courses)})
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def nothing_saved():
    return not (Cohort.objects.exists() or CohortCourse.objects.exists() or PlacementWindow.objects.exists())


def test_staff_create_a_cohort_with_its_course_plan_and_placement_window(client, staff, courses):
    client.force_login(staff)

    response = client.post(reverse("internships:cohort_create"), cohort_data(courses))

    assert response.status_code == 302
    assert response["Location"] == reverse("internships:cohort_list")
    cohort = Cohort.objects.get()
    assert (cohort.code, cohort.name_en, cohort.status) == ("spring-2027", "Spring 2027 cohort", "open")
    plan = {cc.course_id: cc.due_on for cc in cohort.course_plan.all()}
    assert plan == {course.pk: day(40 + 7 * i) for i, course in enumerate(courses)}
    assert list(cohort.placement_windows.values_list("starts_on", "ends_on")) == [(day(80), day(100))]


def test_the_cohort_form_offers_a_due_date_for_each_course(client, staff, courses):
    client.force_login(staff)

    html = client.get(reverse("internships:cohort_create")).content.decode()

    for course in courses:
        assert f'name="due_{course.pk}"' in html
        assert course.title_en in html


def test_moving_a_due_date_moves_the_accepted_students_enrolments(client, staff, courses):
    client.force_login(staff)
    client.post(reverse("internships:cohort_create"), cohort_data(courses))
    cohort = Cohort.objects.get()
    accepted = SubmittedApplicationFactory(cohort=cohort)
    services.application_decide(application=accepted, decision="accepted", note="", by=staff)
    waiting = SubmittedApplicationFactory(cohort=cohort)

    response = client.post(
        reverse("internships:cohort_edit", args=[cohort.pk]),
        cohort_data(courses, **{f"due_{courses[0].pk}": day(45)}),
    )

    assert response.status_code == 302
    assert CohortCourse.objects.get(cohort=cohort, course=courses[0]).due_on == day(45)
    enrolments = dict(Enrolment.objects.filter(student=accepted.student).values_list("course_id", "due_on"))
    assert enrolments == {
        course.pk: day(45) if i == 0 else day(40 + 7 * i) for i, course in enumerate(courses)
    }
    assert not Enrolment.objects.filter(student=waiting.student).exists()
    assert Cohort.objects.count() == 1 and CohortCourse.objects.count() == 5


def test_the_edit_form_shows_the_saved_plan(client, staff, courses):
    client.force_login(staff)
    client.post(reverse("internships:cohort_create"), cohort_data(courses))
    cohort = Cohort.objects.get()

    html = client.get(reverse("internships:cohort_edit", args=[cohort.pk])).content.decode()

    assert f'name="due_{courses[2].pk}" value="{day(54).isoformat()}"' in html
    assert f'name="window_1_start" value="{day(80).isoformat()}"' in html


def test_editing_a_cohort_keeps_its_placement_window_and_the_applications_that_chose_it(
    client, staff, courses
):
    client.force_login(staff)
    client.post(reverse("internships:cohort_create"), cohort_data(courses))
    cohort = Cohort.objects.get()
    window = cohort.placement_windows.get()
    application = SubmittedApplicationFactory(cohort=cohort, window=window)

    client.post(
        reverse("internships:cohort_edit", args=[cohort.pk]),
        cohort_data(courses, window_1_start=day(81), window_1_end=day(101)),
    )

    application.refresh_from_db()
    assert application.window_id == window.pk
    window.refresh_from_db()
    assert (window.starts_on, window.ends_on) == (day(81), day(101))


@pytest.mark.parametrize(
    "changes, field, says",
    [
        (
            {"applications_open_on": day(10), "applications_close_on": day(9)},
            "applications_close_on",
            "Applications must close on or after the day they open.",
        ),
        (
            {"window_1_start": day(80), "window_1_end": day(93)},
            "window_1_end",
            "A placement window lasts three weeks: at least 15 days from start to end.",
        ),
        (
            {"window_1_start": day(30), "window_1_end": day(50)},
            "window_1_start",
            "The placement starts after applications close.",
        ),
        (
            {"window_2_start": day(110)},
            "window_2_end",
            "Give both the first and the last day of the window.",
        ),
        ({"window_1_start": None, "window_1_end": None}, "window_1_start", "This field is required."),
        ("missing-due-date", "due", "This field is required."),
    ],
    ids=[
        "closes-before-it-opens",
        "window-of-14-days",
        "window-before-applications-close",
        "window-with-only-a-start",
        "no-window",
        "missing-course-due-date",
    ],
)
def test_a_cohort_with_bad_dates_is_refused_and_nothing_is_saved(
    client, staff, courses, changes, field, says
):
    if changes == "missing-due-date":
        changes, field = {f"due_{courses[3].pk}": None}, f"due_{courses[3].pk}"
    client.force_login(staff)

    response = client.post(reverse("internships:cohort_create"), cohort_data(courses, **changes))

    assert response.status_code == 400
    assert says in response.context["form"].errors[field]
    assert nothing_saved()


def test_a_window_of_exactly_fifteen_days_is_accepted(client, staff, courses):
    client.force_login(staff)

    response = client.post(
        reverse("internships:cohort_create"),
        cohort_data(courses, window_1_start=day(80), window_1_end=day(94)),
    )

    assert response.status_code == 302
    assert PlacementWindow.objects.count() == 1


def test_a_bad_edit_leaves_the_cohort_as_it_was(client, staff, courses):
    client.force_login(staff)
    client.post(reverse("internships:cohort_create"), cohort_data(courses))
    cohort = Cohort.objects.get()

    response = client.post(
        reverse("internships:cohort_edit", args=[cohort.pk]),
        cohort_data(courses, name_en="Renamed", **{f"due_{courses[0].pk}": day(45)}, window_1_end=day(85)),
    )

    assert response.status_code == 400
    cohort.refresh_from_db()
    assert cohort.name_en == "Spring 2027 cohort"
    assert CohortCourse.objects.get(cohort=cohort, course=courses[0]).due_on == day(40)
    assert cohort.placement_windows.get().ends_on == day(100)


# --- The course plan fits the placement: validated in the service --------------------------------


def plan_args(courses, *, dues, windows=None, cutoff=None):
    windows = windows or [(day(80), day(100))]
    return {
        "cohort": None,
        "fields": {
            "code": "spring-2027",
            "name_zh": "二〇二七春季班",
            "name_en": "Spring 2027 cohort",
            "status": Cohort.Status.OPEN,
            "applications_open_on": day(0),
            "applications_close_on": day(30),
            "target_size": 30,
            "placement_cutoff_on": cutoff,
        },
        "course_due_dates": {course: day(offset) for course, offset in zip(courses, dues, strict=True)},
        "windows": list(windows),
    }


@pytest.mark.parametrize(
    "dues, cutoff, field_of, says",
    [
        ([40, 54, 47, 61, 68], None, 2, "Due on or after"),
        ([40, 47, 54, 61, 80], None, 4, "Due before the first placement window starts"),
        ([40, 47, 54, 61, 95], None, 4, "Due before the first placement window starts"),
        ([40, 47, 54, 61, 68], 80, "placement_cutoff_on", "Before the first placement window starts"),
        ([40, 47, 54, 61, 68], 65, "placement_cutoff_on", "On or after the last course due date"),
    ],
    ids=[
        "third-course-due-before-the-second",
        "last-course-due-the-day-the-placement-starts",
        "last-course-due-during-the-placement",
        "cut-off-on-the-first-placement-day",
        "cut-off-before-the-last-due-date",
    ],
)
def test_the_service_refuses_a_course_plan_that_does_not_fit_the_placement(
    db, courses, dues, cutoff, field_of, says
):
    field = field_of if isinstance(field_of, str) else f"due_{courses[field_of].pk}"

    with pytest.raises(ValidationError) as raised:
        services.cohort_save(**plan_args(courses, dues=dues, cutoff=day(cutoff) if cutoff else None))

    assert list(raised.value.message_dict) == [field]
    assert says in raised.value.message_dict[field][0]
    assert nothing_saved()


def test_the_first_window_is_the_earliest_whatever_the_order_given(db, courses):
    windows = [(day(120), day(140)), (day(70), day(90))]

    with pytest.raises(ValidationError) as raised:
        services.cohort_save(**plan_args(courses, dues=[40, 47, 54, 61, 75], windows=windows))

    assert list(raised.value.message_dict) == [f"due_{courses[4].pk}"]


def test_courses_due_on_the_same_day_and_a_cut_off_on_the_last_due_date_are_accepted(db, courses):
    cohort = services.cohort_save(**plan_args(courses, dues=[40, 47, 47, 61, 79], cutoff=day(79)))

    assert sorted(cohort.course_plan.values_list("due_on", flat=True)) == [
        day(40), day(47), day(47), day(61), day(79)
    ]  # fmt: skip


def test_the_form_shows_the_services_message_next_to_the_due_date_and_saves_nothing(client, staff, courses):
    client.force_login(staff)
    data = cohort_data(courses, **{f"due_{courses[1].pk}": day(39)})  # before the first course's day(40)

    response = client.post(reverse("internships:cohort_create"), data)

    assert response.status_code == 400
    errors = response.context["form"].errors
    assert list(errors) == [f"due_{courses[1].pk}"]
    assert "Due on or after" in errors[f"due_{courses[1].pk}"][0]
    assert nothing_saved()


def test_an_edit_with_a_due_date_after_the_placement_starts_leaves_the_cohort_as_it_was(
    client, staff, courses
):
    client.force_login(staff)
    client.post(reverse("internships:cohort_create"), cohort_data(courses))
    cohort = Cohort.objects.get()

    response = client.post(
        reverse("internships:cohort_edit", args=[cohort.pk]),
        cohort_data(courses, name_en="Renamed", **{f"due_{courses[4].pk}": day(85)}),
    )

    assert response.status_code == 400
    assert (
        "Due before the first placement window starts"
        in response.context["form"].errors[f"due_{courses[4].pk}"][0]
    )
    cohort.refresh_from_db()
    assert cohort.name_en == "Spring 2027 cohort"
    assert CohortCourse.objects.get(cohort=cohort, course=courses[4]).due_on == day(68)


@pytest.mark.django_db
def test_accepting_applications_is_the_same_rule_for_one_cohort_and_in_the_database():
    from itertools import product

    from tests.factories import CohortFactory

    today = timezone.localdate()
    cohorts = [
        CohortFactory(
            status=status,
            applications_open_on=today + timedelta(days=opens),
            applications_close_on=today + timedelta(days=closes),
        )
        for status, (opens, closes) in product(
            Cohort.Status.values, [(-5, 5), (0, 0), (1, 9), (-9, -1), (-3, 0), (0, 3)]
        )
    ]

    in_database = set(Cohort.objects.accepting_applications().values_list("pk", flat=True))

    assert {c.pk for c in cohorts if c.accepting_applications} == in_database
    assert len(in_database) == 4  # open, with today inside its dates (bounds included)
