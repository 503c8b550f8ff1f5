"""Reads of the placement phase: eligibility, the staff placement board and a student's placement."""

from collections import Counter
from datetime import datetime, time

from django.db.models import Max
from django.utils import timezone

from accounts.models import User
from courses.selectors import completed_course_counts

from .. import allocation
from ..models import AllocationRun, Application, Cohort, Placement


def placement_cutoff(cohort: Cohort):
    """The day by which the five courses must be passed: set on the cohort, else the last due date."""
    if cohort.placement_cutoff_on:
        return cohort.placement_cutoff_on
    return cohort.course_plan.aggregate(last=Max("due_on"))["last"]


def eligibility(cohort: Cohort) -> list[dict]:
    """Every accepted application with whether it may be placed, and what is missing."""
    applications = list(
        cohort.applications.filter(status=Application.Status.ACCEPTED)
        .select_related("student", "student__student_profile", "eligibility_exception")
        .order_by("student__full_name")
    )
    course_ids = list(cohort.course_plan.values_list("course_id", flat=True))
    cutoff = placement_cutoff(cohort)
    by = timezone.make_aware(datetime.combine(cutoff, time.max)) if cutoff else timezone.now()
    done = completed_course_counts([a.student_id for a in applications], course_ids, by)
    rows = []
    for application in applications:
        exception = getattr(application, "eligibility_exception", None)
        passed = done.get(application.student_id, 0)
        rows.append(
            {
                "application": application,
                "passed": passed,
                "total": len(course_ids),
                "exception": exception,
                "eligible": passed >= len(course_ids) or exception is not None,
            }
        )
    return rows


def eligible_applications(cohort: Cohort) -> list[Application]:
    return [row["application"] for row in eligibility(cohort) if row["eligible"]]


def placement_board(cohort: Cohort) -> dict:
    """Everything the staff placement board shows, as it is now (not as the last run left it):
    eligibility, the placements, a summary counted from the placements themselves (moves and
    students placed by hand included), and the eligible students without a placement, each with
    the reason the last run gave (or that the run did not consider them)."""
    rows = eligibility(cohort)
    placements = list(
        cohort.placements.select_related(
            "student", "store", "mentor__user", "window", "application"
        ).order_by("window__starts_on", "store__district", "store__code", "student__full_name")
    )
    run = AllocationRun.objects.filter(cohort=cohort).first()
    holding = [p for p in placements if p.status in Placement.HOLDS_SEAT]
    ranks = Counter(p.preference_rank for p in holding)
    eligible = [row["application"] for row in rows if row["eligible"]]
    unplaced = []
    if run:
        reasons = {u["application"]: u["reason"] for u in run.unplaced}
        with_placement = {p.application_id for p in placements}
        unplaced = [
            (a, allocation.UNPLACED_REASONS.get(reasons.get(a.pk), allocation.NOT_IN_LAST_RUN))
            for a in eligible
            if a.pk not in with_placement
        ]
    return {
        "eligibility": rows,
        "eligible_count": len(eligible),
        "cutoff": placement_cutoff(cohort),
        "placements": placements,
        "proposed": [p for p in placements if p.status == Placement.Status.PROPOSED],
        "run": run,
        "algorithm": allocation.algorithm_label(run.algorithm) if run else "",
        "summary": {
            "placed": len(holding),
            "candidates": len(eligible),
            "by_rank": sorted((rank, n) for rank, n in ranks.items() if rank is not None),
            "not_wished": ranks.get(None, 0),
        },
        "unplaced": unplaced,
    }


def placement_of(student: User) -> Placement | None:
    """The student's current published placement, if any."""
    return (
        Placement.objects.visible_to(student)
        .exclude(status=Placement.Status.WITHDRAWN)
        .select_related("store", "mentor__user", "window", "cohort")
        .order_by("-window__starts_on")
        .first()
    )
