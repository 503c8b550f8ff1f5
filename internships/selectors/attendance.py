"""Reads of attendance: the mentor's register, today's check-in, and the gaps per cohort."""

from django.db.models import Count, Q
from django.utils import timezone

from accounts.models import User

from ..models import Attendance, Cohort, Placement


def attendance_sheet(mentor: User) -> dict:
    """A mentor's register: today's interns with today's record, and earlier unrecorded days."""
    today = timezone.localdate()
    placements = list(
        Placement.objects.visible_to(mentor)
        .filter(status__in=Placement.IN_PROGRESS)
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
