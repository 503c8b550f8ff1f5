"""A finished placement with every input of a programme result, for the results and certificate
tests: five courses with their best scores, evaluations with their levels, attendance marks."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import time_machine
from django.utils import timezone

from courses.models import Enrolment
from evaluations.models import FINAL, AssessmentSettings
from internships.models import Attendance
from tests.factories import (
    CohortCourseFactory,
    CohortFactory,
    CourseFactory,
    EnrolmentFactory,
    PlacementFactory,
    PlacementWindowFactory,
    SubmittedEvaluationFactory,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")
# The window: Monday 23 Nov – Sunday 13 Dec 2026, fifteen working days (Mon–Fri).
STARTS, ENDS = date(2026, 11, 23), date(2026, 12, 13)
AFTER = datetime.combine(date(2026, 12, 16), time(10, 0), tzinfo=SHANGHAI)  # the placement is over
DURING = datetime.combine(date(2026, 12, 9), time(10, 0), tzinfo=SHANGHAI)  # week 3


def travel(moment=AFTER):
    return time_machine.travel(moment, tick=False)


def cohort_with_plan(courses=5, **fields):
    cohort = CohortFactory(
        applications_open_on=date(2026, 9, 1), applications_close_on=date(2026, 9, 30), **fields
    )
    for i in range(courses):
        CohortCourseFactory(
            cohort=cohort, course=CourseFactory(), due_on=date(2026, 11, 1) + timedelta(days=i)
        )
    PlacementWindowFactory(cohort=cohort, starts_on=STARTS, ends_on=ENDS)
    return cohort


def placed(cohort, *, course_scores=(80, 80, 80, 80, 80), complete=True, **placement_fields):
    """A student of `cohort` placed in its window, with a best score per course of the plan
    (None: enrolled, never attempted) and the courses complete or not."""
    placement = PlacementFactory(window=cohort.placement_windows.get(), **placement_fields)
    plan = list(cohort.course_plan.select_related("course"))
    for item, score in zip(plan, course_scores, strict=True):
        EnrolmentFactory(
            student=placement.student,
            course=item.course,
            best_score=score,
            completed_at=timezone.now() if complete else None,
        )
    return placement


def evaluate(placement, period, levels):
    """A submitted evaluation with these levels (one per criterion of the default rubric: six)."""
    return SubmittedEvaluationFactory(placement=placement, period=period, scores=list(levels))


def attend(placement, marks):
    """Attendance marks on the placement's first working days, in order."""
    for day, mark in zip(placement.working_days(), marks, strict=False):
        Attendance.objects.create(placement=placement, day=day, mark=mark)


def complete_placement(cohort, **kwargs):
    """A finished placement: courses as given, weekly levels all 4, final all 4, every day present."""
    placement = placed(cohort, **kwargs)
    for week in (1, 2, 3):
        evaluate(placement, week, [4] * 6)
    evaluate(placement, FINAL, [4] * 6)
    attend(placement, ["present"] * 15)
    return placement


def settings_for(cohort, **values):
    return AssessmentSettings.objects.update_or_create(cohort=cohort, defaults=values)[0]


def not_complete(placement, course_index=0):
    Enrolment.objects.filter(
        student=placement.student, course=placement.cohort.course_plan.all()[course_index].course
    ).update(completed_at=None)
