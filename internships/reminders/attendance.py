"""Mentors: the reminder that yesterday's attendance of an intern was not recorded, and its planner."""

from datetime import date, timedelta

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from accounts.models import Role
from notifications import kinds
from notifications.services import at_nine, reminder_plan

from ..models import Attendance, Placement
from ._subjects import _placement


def _attendance_still_missing(reminder) -> bool:
    day = reminder.context.get("day")
    return not Attendance.objects.filter(placement_id=reminder.subject_id, day=day).exclude(mark="").exists()


ATTENDANCE_MISSING = kinds.register(
    kinds.Kind(
        key="attendance_missing",
        label=_("Attendance of my intern was not recorded yesterday"),
        template="internships/attendance_missing",
        audience=(Role.MENTOR,),
        still_due=_attendance_still_missing,
        context=lambda reminder: {
            "placement": _placement(reminder),
            "day": date_format(date.fromisoformat(reminder.context["day"])),
        },
        link=lambda reminder: "/mentor/attendance/",
    )
)


def plan_attendance_reminders() -> int:
    """Yesterday was a working day without an attendance mark: remind the mentor this morning."""
    yesterday = timezone.localdate() - timedelta(days=1)
    placements = Placement.objects.filter(
        status__in=Placement.IN_PROGRESS,
        window__starts_on__lte=yesterday,
        window__ends_on__gte=yesterday,
    ).select_related("mentor__user", "window", "cohort")
    marked = set(
        Attendance.objects.filter(placement__in=placements, day=yesterday)
        .exclude(mark="")
        .values_list("placement_id", flat=True)
    )
    planned = 0
    for placement in placements:
        if placement.pk in marked or yesterday not in placement.working_days():
            continue
        reminder_plan(
            recipient=placement.mentor.user,
            kind=ATTENDANCE_MISSING.key,
            about=placement,
            due_at=at_nine(timezone.localdate()),
            context={"day": yesterday.isoformat()},
        )
        planned += 1
    return planned
