"""Students: the reminder to write the weekly reflection, on the week's last working day."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Role
from internships.models import Placement
from notifications import kinds
from notifications.services import at_nine, reminders_plan_many

from ..models import WEEKS, Reflection
from ..selectors.schedule import period_opens_on
from ..services.reflections import REFLECTION_OPEN_STATUSES
from .evaluations import CATCH_UP_DAYS

__all__ = ["REFLECTION_DUE", "plan_reflection_reminders"]


def _placement(reminder) -> Placement | None:
    return (
        Placement.objects.select_related("store", "mentor__user", "window", "cohort")
        .filter(pk=reminder.subject_id)
        .first()
    )


def _reflection_still_due(reminder) -> bool:
    week = reminder.context.get("week")
    return (
        Placement.objects.filter(
            pk=reminder.subject_id, student_id=reminder.recipient_id, status__in=REFLECTION_OPEN_STATUSES
        ).exists()
        and not Reflection.objects.filter(placement_id=reminder.subject_id, week=week).exists()
    )


def _reflection_context(reminder) -> dict:
    placement = _placement(reminder)
    week = reminder.context["week"]
    return {
        "placement": placement,
        "week": week,
        "opens_on": period_opens_on(placement, week),
        "mentor": placement.mentor.user.full_name,
    }


REFLECTION_DUE = kinds.register(
    kinds.Kind(
        key="reflection_due",
        label=_("My weekly reflection is due"),
        template="evaluations/reflection_due",
        audience=(Role.STUDENT,),
        still_due=_reflection_still_due,
        context=_reflection_context,
        link=lambda reminder: reverse("evaluations:reflection_write", args=[reminder.context["week"]]),
    )
)


def plan_reflection_reminders() -> int:
    """On the last working day of each placement week (09:00), the students who have not written
    that week's reflection yet are reminded. Set-based: two queries to read, one INSERT."""
    today = timezone.localdate()
    placements = list(
        Placement.objects.filter(
            status__in=REFLECTION_OPEN_STATUSES,
            window__starts_on__lte=today,
            window__ends_on__gte=today - timedelta(days=CATCH_UP_DAYS),
        ).select_related("window", "cohort")
    )
    written = set(
        Reflection.objects.filter(placement__in=[p.pk for p in placements]).values_list(
            "placement_id", "week"
        )
    )
    plans = []
    for placement in placements:
        for week in WEEKS:
            opens_on = period_opens_on(placement, week)
            if (placement.pk, week) in written:
                continue
            if today - timedelta(days=CATCH_UP_DAYS) <= opens_on <= today:
                plans.append((placement.student_id, placement, at_nine(opens_on), {"week": week}))
    return reminders_plan_many(kind=REFLECTION_DUE.key, plans=plans)


kinds.register_planner("reflections_due", plan_reflection_reminders)
