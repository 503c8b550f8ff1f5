"""Reads of weekly reflections for the student and the mentor."""

from django.db.models import F, QuerySet
from django.utils import timezone

from accounts.models import User
from internships.models import Placement
from internships.selectors import placement_of

from ..models import WEEKS, Reflection
from .schedule import period_opens_on

__all__ = [
    "reflection_weeks",
    "reflections_awaiting_reply",
    "reflections_for_mentor",
    "student_reflection_week",
    "student_reflections",
]


def reflection_weeks(placement: Placement, reflections: list[Reflection]) -> list[dict]:
    """Weeks 1–3 of the placement, each written, open to write, or not yet open (with its date)."""
    today = timezone.localdate()
    by_week = {r.week: r for r in reflections}
    weeks = []
    for week in WEEKS:
        opens_on = period_opens_on(placement, week)
        reflection = by_week.get(week)
        if reflection is not None:
            state = "written"
        elif today >= opens_on:
            state = "open"
        else:
            state = "not_open"
        weeks.append({"week": week, "opens_on": opens_on, "state": state, "reflection": reflection})
    return weeks


def student_reflections(user: User) -> dict:
    """The student's current placement and its three weeks of reflections (none: no placement)."""
    placement = placement_of(user)
    if placement is None:
        return {"placement": None, "weeks": []}
    reflections = list(Reflection.objects.filter(placement=placement).select_related("replied_by"))
    return {"placement": placement, "weeks": reflection_weeks(placement, reflections)}


def student_reflection_week(user: User, week: int) -> dict | None:
    """What the student's page for one week shows: the placement, when the week's reflection
    opens, and the reflection if written. None without a placement or for a week that is not 1–3."""
    placement = placement_of(user)
    if placement is None or week not in WEEKS:
        return None
    opens_on = period_opens_on(placement, week)
    reflection = (
        Reflection.objects.filter(placement=placement, week=week).select_related("replied_by").first()
    )
    return {
        "placement": placement,
        "week": week,
        "opens_on": opens_on,
        "is_open": timezone.localdate() >= opens_on,
        "reflection": reflection,
    }


def reflections_for_mentor(user: User) -> QuerySet[Reflection]:
    """Reflections of the mentor's interns: those waiting for a reply first (oldest first), then
    the answered ones, the latest reply first."""
    return (
        Reflection.objects.visible_to(user)
        .exclude(placement__status=Placement.Status.WITHDRAWN)
        .select_related("placement__student", "placement__window")
        .order_by(F("replied_at").desc(nulls_first=True), "submitted_at", "pk")
    )


def reflections_awaiting_reply(user: User) -> QuerySet[Reflection]:
    """The mentor's interns' reflections without a reply yet, oldest first."""
    return reflections_for_mentor(user).filter(replied_at__isnull=True).order_by("submitted_at", "pk")
