"""Enrolling an accepted student in the cohort's courses (on acceptance, and when the plan changes)."""

from courses.services import enrolment_create

from ..models import Application


def _enrol(application: Application) -> None:
    for planned in application.cohort.course_plan.select_related("course"):
        enrolment_create(student=application.student, course=planned.course, due_on=planned.due_on)
