"""Reads of the programme with rules in them: what each role's home shows."""

from collections import Counter
from datetime import datetime, time, timedelta

from django.db.models import Count, Exists, Max, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Invitation, Role, User
from courses.selectors import completed_course_counts, progress_for_student

from . import allocation
from .models import AllocationRun, Application, Attendance, Cohort, Mentor, Placement, Store

CERTIFICATION_WARNING_DAYS = 60


def cohorts_accepting_applications() -> QuerySet[Cohort]:
    today = timezone.localdate()
    return Cohort.objects.filter(
        status=Cohort.Status.OPEN, applications_open_on__lte=today, applications_close_on__gte=today
    ).order_by("applications_close_on")


def cohorts_in_progress() -> QuerySet[Cohort]:
    """Cohorts staff are working on (everything not finished), newest first."""
    return Cohort.objects.exclude(status=Cohort.Status.FINISHED).order_by("-applications_open_on")


def staff_overview() -> dict:
    open_invitation = Invitation.objects.filter(user=OuterRef("pk"), accepted_at__isnull=True)
    students = (
        User.objects.filter(role=Role.STUDENT)
        .annotate(has_open_invitation=Exists(open_invitation))
        .aggregate(
            active=Count("id", filter=Q(is_active=True)),
            invited=Count("id", filter=Q(is_active=False, has_open_invitation=True)),
        )
    )
    return {
        "students_active": students["active"],
        "students_invited": students["invited"],
        "cohorts_open": cohorts_accepting_applications().count(),
    }


def mentor_profile(user: User) -> Mentor | None:
    return Mentor.objects.select_related("store").filter(user=user).first()


def registry_overview() -> dict:
    today = timezone.localdate()
    stores = Store.objects.aggregate(
        active=Count("id", filter=Q(is_active=True)),
        training=Count("id", filter=Q(is_active=True, is_training_store=True)),
    )
    mentors = Mentor.objects.aggregate(
        certified=Count("id", filter=Q(certification_expires_on__gte=today)),
        expired=Count("id", filter=Q(certification_expires_on__lt=today)),
    )
    return {
        "stores_active": stores["active"],
        "stores_training": stores["training"],
        "mentors_certified": mentors["certified"],
        "mentors_expired": mentors["expired"],
        "pending_mentor_invitations": Invitation.objects.filter(
            accepted_at__isnull=True, user__role=Role.MENTOR
        ).count(),
    }


def mentors_with_certification_expiring(limit: int = 10) -> QuerySet[Mentor]:
    today = timezone.localdate()
    soon = today + timedelta(days=CERTIFICATION_WARNING_DAYS)
    return (
        Mentor.objects.filter(certification_expires_on__lte=soon)
        .select_related("user", "store")
        .order_by("certification_expires_on")[:limit]
    )


JOURNEY_STEPS = [
    ("apply", _("Apply")),
    ("accepted", _("Accepted")),
    ("courses", _("Five courses")),
    ("placement", _("Store placement")),
    ("evaluation", _("Evaluation")),
    ("certificate", _("Certificate")),
    ("recommendation", _("Recommendation")),
]


_UNKNOWN = object()


def student_journey(user: User, progress=None, applications=None, placement=_UNKNOWN) -> list[dict]:
    """The 5+3 journey as steps with a state each: done, current or upcoming.

    Applied once an application is submitted; accepted once one is accepted (enrolment in the
    courses happens on acceptance, so enrolled students count as accepted too); the courses step
    is done when every course is complete. Later features (placement, evaluation…) add theirs.
    """
    progress = progress if progress is not None else progress_for_student(user)
    applications = applications if applications is not None else applications_of(user)
    done: set[str] = set()
    placement = placement_of(user) if placement is _UNKNOWN else placement
    statuses = {a.status for a in applications}
    if statuses - {Application.Status.DRAFT, Application.Status.WITHDRAWN}:
        done.add("apply")
    if Application.Status.ACCEPTED in statuses:
        done |= {"apply", "accepted"}
    if progress.total:
        done |= {"apply", "accepted"}
        if progress.completed == progress.total:
            done.add("courses")
    if placement is not None:
        done |= {"apply", "accepted", "courses"}
        if placement.status == Placement.Status.COMPLETED:
            done.add("placement")
    steps, current_found = [], False
    for key, label in JOURNEY_STEPS:
        if key in done:
            state = "done"
        elif not current_found:
            state, current_found = "current", True
        else:
            state = "upcoming"
        step = {"key": key, "label": label, "state": state}
        if key == "courses" and progress.total:
            step["detail"] = f"{progress.completed}/{progress.total}"
            if progress.blocked:
                step["detail"] += " · " + str(_("blocked"))
        steps.append(step)
    return steps


# --- Applications --------------------------------------------------------------------------------


def application_for(student: User, cohort: Cohort) -> Application | None:
    return (
        Application.objects.filter(student=student, cohort=cohort)
        .prefetch_related("preferences__store")
        .first()
    )


def applications_of(student: User) -> list[Application]:
    return list(
        Application.objects.filter(student=student)
        .select_related("cohort")
        .order_by("-cohort__applications_open_on")
    )


def review_queue(*, cohort=None, status: str = "", major: str = "", q: str = "") -> QuerySet[Application]:
    """Applications for staff review; by default those waiting for a decision, oldest first."""
    rows = Application.objects.exclude(status=Application.Status.DRAFT).select_related(
        "student", "student__student_profile", "cohort"
    )
    if cohort:
        rows = rows.filter(cohort=cohort)
    if status == "all":
        pass
    elif status:
        rows = rows.filter(status=status)
    else:
        rows = rows.filter(status__in=Application.WAITING)
    if major:
        rows = rows.filter(student__student_profile__major__icontains=major.strip())
    if q:
        q = q.strip()
        rows = rows.filter(
            Q(student__full_name__icontains=q)
            | Q(student__english_name__icontains=q)
            | Q(student__student_profile__student_number__iexact=q)
            | Q(student__email__iexact=q)
        )
    return rows.order_by("submitted_at", "id")


# --- Placement eligibility and placements --------------------------------------------------------


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


# --- Attendance ----------------------------------------------------------------------------------


def attendance_sheet(mentor: User) -> dict:
    """A mentor's register: today's interns with today's record, and earlier unrecorded days."""
    today = timezone.localdate()
    placements = list(
        Placement.objects.visible_to(mentor)
        .filter(status__in=[Placement.Status.PLANNED, Placement.Status.ACTIVE])
        .select_related("student", "window", "cohort", "store")
    )
    records = {a.placement_id: a for a in Attendance.objects.filter(placement__in=placements, day=today)}
    recorded = set(
        Attendance.objects.filter(placement__in=placements, day__lt=today)
        .exclude(mark="")
        .values_list("placement_id", "day")
    )
    return {
        "today": today,
        "interns": [(p, records.get(p.pk)) for p in placements if today in p.working_days()],
        "missing": [
            (p, day)
            for p in placements
            for day in p.working_days()
            if day < today and (p.pk, day) not in recorded
        ],
    }


def attendance_today(placement: Placement) -> Attendance | None:
    """Today's record of a placement: a pending check-in code, a mark, or nothing yet."""
    return Attendance.objects.filter(placement=placement, day=timezone.localdate()).first()


def attendance_gaps(cohort: Cohort, viewer: User) -> list[dict]:
    """Per published placement the viewer may see: marks so far and the past working days left
    unrecorded."""
    today = timezone.localdate()
    before_today = Q(attendance__day__lt=today)
    placements = (
        cohort.placements.visible_to(viewer)
        .filter(status__in=[Placement.Status.PLANNED, Placement.Status.ACTIVE, Placement.Status.COMPLETED])
        .select_related("student", "store", "mentor__user", "window", "cohort")
        .annotate(
            present=Count("attendance", filter=before_today & Q(attendance__mark="present")),
            late=Count("attendance", filter=before_today & Q(attendance__mark="late")),
            absent=Count("attendance", filter=before_today & Q(attendance__mark="absent")),
        )
    )
    rows = []
    for p in placements:
        due = sum(1 for day in p.working_days() if day < today)
        rows.append({"placement": p, "due": due, "missing": max(due - (p.present + p.late + p.absent), 0)})
    return rows
