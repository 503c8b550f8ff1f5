"""The placement phase's reminder kind keys, and the "starts in 3 days" reminders of a placement."""

from datetime import timedelta

from django.utils import timezone

from notifications.services import at_nine, reminder_plan, reminders_plan_many

from ..models import Placement

START_REMINDER_DAYS = 3
# Reminder kinds of the placement phase (registered in internships/reminders/placements.py).
START_STUDENT, START_MENTOR = "placement_starts_student", "placement_starts_mentor"
START_KINDS = (START_STUDENT, START_MENTOR)
PUBLISHED_STUDENT, PUBLISHED_MENTOR = "placement_published_student", "placement_published_mentor"
NOT_PLACED = "placement_not_placed"


def _start_due_at(placement: Placement):
    """When "starts in 3 days" goes out: 09:00 three days before, at once if that has passed;
    None when the placement is already under way (it would only confuse)."""
    if placement.window.starts_on <= timezone.localdate():
        return None
    return max(at_nine(placement.window.starts_on - timedelta(days=START_REMINDER_DAYS)), timezone.now())


def _start_context(placement: Placement) -> dict:
    return {"starts_on": placement.window.starts_on.isoformat(), "store": placement.store_id}


def _plan_start_reminders(placement: Placement) -> None:
    due_at = _start_due_at(placement)
    if due_at is None:
        return
    for recipient, kind in (
        (placement.student, START_STUDENT),
        (placement.mentor.user, START_MENTOR),
    ):
        reminder_plan(
            recipient=recipient, kind=kind, about=placement, due_at=due_at, context=_start_context(placement)
        )


def _plan_start_reminders_many(placements: list[Placement]) -> None:
    """The start reminders of freshly published placements, in a few bulk inserts (a placement is
    published once, so none of these rows exists yet)."""
    due = [(p, _start_due_at(p)) for p in placements]
    due = [(p, due_at) for p, due_at in due if due_at is not None]
    reminders_plan_many(
        kind=START_STUDENT, plans=[(p.student_id, p, due_at, _start_context(p)) for p, due_at in due]
    )
    reminders_plan_many(
        kind=START_MENTOR, plans=[(p.mentor.user_id, p, due_at, _start_context(p)) for p, due_at in due]
    )
