"""Placements complete by themselves once their window is over; the student is told what the
placement still needs."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from courses.services import enrolment_create
from internships.models import Application, CohortCourse, Placement
from internships.services import placements_complete_finished
from internships.tasks import complete_finished_placements_task
from tests.factories import CourseFactory, PlacementFactory, SubmittedApplicationFactory

pytestmark = pytest.mark.django_db


def test_placements_whose_window_ended_are_completed_once():
    ended = PlacementFactory()
    window = ended.window
    window.starts_on = timezone.localdate() - timedelta(days=30)
    window.ends_on = timezone.localdate() - timedelta(days=1)
    window.save()
    running = PlacementFactory()
    running.window.starts_on = timezone.localdate() - timedelta(days=5)
    running.window.ends_on = timezone.localdate() + timedelta(days=15)
    running.window.save()
    withdrawn = PlacementFactory(window=window, status=Placement.Status.WITHDRAWN)

    assert complete_finished_placements_task.delay().get() == 1
    assert placements_complete_finished() == 0

    statuses = {p.pk: p.status for p in Placement.objects.all()}
    assert statuses[ended.pk] == Placement.Status.COMPLETED
    assert statuses[running.pk] == Placement.Status.PLANNED
    assert statuses[withdrawn.pk] == Placement.Status.WITHDRAWN


def test_an_accepted_student_is_told_the_courses_must_be_passed_by_the_cutoff(client):
    application = SubmittedApplicationFactory()
    Application.objects.filter(pk=application.pk).update(status=Application.Status.ACCEPTED)
    due = timezone.localdate() + timedelta(days=30)
    course = CourseFactory()
    CohortCourse.objects.create(cohort=application.cohort, course=course, due_on=due)
    enrolment_create(student=application.student, course=course, due_on=due)
    client.force_login(application.student)

    html = client.get(reverse("dashboards:student_home")).content.decode()

    assert "For the store placement, pass all five courses by" in html
    assert "0 of 1 done so far" in html


def test_a_mentor_records_an_earlier_missed_day_from_the_attendance_page(client):
    today = timezone.localdate()
    placement = PlacementFactory()
    placement.cohort.placement_weekdays = "1234567"
    placement.cohort.save()
    placement.window.starts_on = today - timedelta(days=3)
    placement.window.ends_on = today + timedelta(days=17)
    placement.window.save()
    mentor = placement.mentor.user
    client.force_login(mentor)

    html = client.get(reverse("internships:mentor_attendance")).content.decode()
    assert "Earlier days not recorded" in html
    assert html.count('name="day"') == 3  # three days since the start, none recorded

    missed = (today - timedelta(days=2)).isoformat()
    response = client.post(
        reverse("internships:attendance_mark", args=[placement.pk]), {"day": missed, "mark": "absent"}
    )
    assert response.status_code == 302
    assert placement.attendance.get(day=missed).mark == "absent"
    assert client.get(reverse("internships:mentor_attendance")).content.decode().count('name="day"') == 2

    future = (today + timedelta(days=1)).isoformat()
    client.post(
        reverse("internships:attendance_mark", args=[placement.pk]), {"day": future, "mark": "present"}
    )
    client.post(
        reverse("internships:attendance_mark", args=[placement.pk]), {"day": "not-a-day", "mark": "present"}
    )
    assert not placement.attendance.filter(day=future).exists()
    assert placement.attendance.count() == 1
