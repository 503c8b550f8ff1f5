"""Writes of cohorts: the cohort with its course due dates and placement windows."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from courses.models import Course

from ..models import Application, Cohort, CohortCourse, PlacementWindow
from ._enrolment import _enrol


def course_due_field(course: Course) -> str:
    """The name under which a course's due date is given (and its errors reported)."""
    return f"due_{course.pk}"


def cohort_plan_errors(
    *,
    course_due_dates: dict[Course, date],
    windows: list[tuple[date, date]],
    placement_cutoff_on: date | None,
) -> dict[str, str]:
    """What is wrong with a cohort's course plan, by field name; empty when it fits.

    - The courses are taken in their programme order, so each is due on or after the one
      before it (the same day is allowed: two short courses may share a deadline).
    - Every course is due before the first placement window starts (strictly: on the first
      placement day the student is already in the store).
    - A placement cut-off, if set, lies on or after the last due date (otherwise a student on
      time would not be eligible) and before the first placement day.
    """
    errors: dict[str, str] = {}
    first_day = min((starts_on for starts_on, _ends_on in windows), default=None)
    previous = None
    for course in sorted(course_due_dates, key=lambda c: (c.order, c.pk)):
        due_on = course_due_dates[course]
        if previous is not None and due_on < course_due_dates[previous]:
            errors[course_due_field(course)] = _(
                "Due on or after “%(course)s” (%(date)s): the courses are taken in this order."
            ) % {"course": previous.title, "date": date_format(course_due_dates[previous], "DATE_FORMAT")}
        elif first_day is not None and due_on >= first_day:
            errors[course_due_field(course)] = _(
                "Due before the first placement window starts (%(date)s)."
            ) % {"date": date_format(first_day, "DATE_FORMAT")}
        previous = course
    last_due = max(course_due_dates.values(), default=None)
    if placement_cutoff_on is not None:
        if first_day is not None and placement_cutoff_on >= first_day:
            errors["placement_cutoff_on"] = _("Before the first placement window starts (%(date)s).") % {
                "date": date_format(first_day, "DATE_FORMAT")
            }
        elif last_due is not None and placement_cutoff_on < last_due:
            errors["placement_cutoff_on"] = _(
                "On or after the last course due date (%(date)s), or students on time would not be eligible."
            ) % {"date": date_format(last_due, "DATE_FORMAT")}
    return errors


@transaction.atomic
def cohort_save(
    *,
    cohort: Cohort | None,
    fields: dict,
    course_due_dates: dict[Course, date],
    windows: list[tuple[date, date]],
) -> Cohort:
    """Create or update a cohort with its course due dates and placement windows.

    A plan that does not fit (see cohort_plan_errors) raises ValidationError keyed by field,
    before anything is written. Students already accepted keep their enrolments; a changed due
    date is passed on to them (courses re-plans the deadline reminders).
    """
    cutoff = (
        fields["placement_cutoff_on"]
        if "placement_cutoff_on" in fields
        else getattr(cohort, "placement_cutoff_on", None)
    )
    errors = cohort_plan_errors(
        course_due_dates=course_due_dates, windows=windows, placement_cutoff_on=cutoff
    )
    if errors:
        raise ValidationError(errors)
    cohort = cohort or Cohort()
    for name, value in fields.items():
        setattr(cohort, name, value)
    cohort.save()
    for course, due_on in course_due_dates.items():
        CohortCourse.objects.update_or_create(cohort=cohort, course=course, defaults={"due_on": due_on})
    cohort.course_plan.exclude(course__in=list(course_due_dates)).delete()
    existing = list(cohort.placement_windows.order_by("starts_on"))
    for index, (starts_on, ends_on) in enumerate(windows):
        if index < len(existing):
            window = existing[index]
            window.starts_on, window.ends_on = starts_on, ends_on
            window.save()
        else:
            PlacementWindow.objects.create(cohort=cohort, starts_on=starts_on, ends_on=ends_on)
    for window in existing[len(windows) :]:
        window.delete()
    accepted = cohort.applications.filter(status=Application.Status.ACCEPTED).select_related("student")
    for application in accepted:
        _enrol(application)
    return cohort
