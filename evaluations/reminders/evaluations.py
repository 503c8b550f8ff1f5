"""Reminders about mentor evaluations: due, overdue, escalated, final due; released to the student.

Each stops the moment its evaluation is submitted (checked again at send time). The daily planner
plans, from dates, the reminders whose day is today (or was yesterday, if a run was missed): a
planner that runs twice or late plans each one once (the engine's unique key).
"""

from datetime import date, timedelta

from django.urls import reverse
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from accounts.models import Role, User
from accounts.navigation import home_url_name
from internships.models import Placement
from notifications import kinds
from notifications.services import at_nine, reminders_plan_many

from ..models import FINAL, Evaluation
from ..selectors.outstanding import (
    ASSESSED_STATUSES,
    Outstanding,
    assessed_placements,
    evaluation_statuses,
    evaluations_outstanding,
)
from ..selectors.schedule import ESCALATE_AFTER_DAYS

__all__ = [
    "CATCH_UP_DAYS",
    "EVALUATION_DUE",
    "EVALUATION_ESCALATED",
    "EVALUATION_FINAL_DUE",
    "EVALUATION_OVERDUE",
    "EVALUATION_RELEASED",
    "plan_evaluation_released",
    "plan_evaluation_reminders",
]

# A reminder whose day was missed by this many days (beat down) is still planned, late.
CATCH_UP_DAYS = 1


# --- Loading at send time ------------------------------------------------------------------------


def _placement(reminder) -> Placement | None:
    return (
        Placement.objects.select_related("student", "mentor__user", "store", "window", "cohort")
        .filter(pk=reminder.subject_id)
        .first()
    )


def _periods(reminder) -> list[int]:
    return [int(p) for p in reminder.context.get("periods", [])]


def _still_outstanding(reminder) -> list[int]:
    """The reminder's periods still not submitted, if the placement is still assessed."""
    if not assessed_placements().filter(pk=reminder.subject_id).exists():
        return []
    submitted = set(
        Evaluation.objects.filter(
            placement_id=reminder.subject_id, status=Evaluation.Status.SUBMITTED
        ).values_list("period", flat=True)
    )
    return [period for period in _periods(reminder) if period not in submitted]


def _to_mentor_still_due(reminder) -> bool:
    placement = _placement(reminder)
    return (
        placement is not None
        and placement.mentor.user_id == reminder.recipient_id
        and bool(_still_outstanding(reminder))
    )


def _to_coordinator_still_due(reminder) -> bool:
    return reminder.recipient.has_role(Role.HR) and bool(_still_outstanding(reminder))


def _joined_labels(periods: list[int]) -> str:
    return lazy(lambda: " · ".join(str(Evaluation.Period(p).label) for p in periods), str)()


def _context(reminder) -> dict:
    placement = _placement(reminder)
    periods = _still_outstanding(reminder) or _periods(reminder)
    due_on = date.fromisoformat(reminder.context["due_on"])
    return {
        "placement": placement,
        "student": placement.student.full_name,
        "mentor": placement.mentor.user.full_name,
        "store": placement.store.name,
        # lazy: written in the language each copy (e-mail, bell) is rendered in
        "periods": _joined_labels(periods),
        "period": Evaluation.Period(periods[0]).label,
        "due_on": due_on,
        "overdue_days": (timezone.localdate() - due_on).days,
        # the coordinator sees the student's name only if the student agreed to share with Xiaomi
        "shared_with_xiaomi": placement.application.shares_with_xiaomi,
    }


def _mentor_link(reminder) -> str:
    periods = _still_outstanding(reminder) or _periods(reminder)
    return reverse("evaluations:evaluation_form", args=[reminder.subject_id, periods[0]])


def _mentor_kind(key: str, label) -> kinds.Kind:
    return kinds.register(
        kinds.Kind(
            key=key,
            label=label,
            template=f"evaluations/{key}",
            audience=(Role.MENTOR,),
            still_due=_to_mentor_still_due,
            context=_context,
            link=_mentor_link,
        )
    )


EVALUATION_DUE = _mentor_kind("evaluation_due", _("A weekly evaluation of my intern is due"))
EVALUATION_FINAL_DUE = _mentor_kind("evaluation_final_due", _("The final evaluation of my intern is due"))
EVALUATION_OVERDUE = _mentor_kind("evaluation_overdue", _("An evaluation of my intern is overdue"))
EVALUATION_ESCALATED = kinds.register(
    kinds.Kind(
        key="evaluation_escalated",
        label=_("A mentor's evaluation is long overdue"),
        template="evaluations/evaluation_escalated",
        audience=(Role.HR,),
        still_due=_to_coordinator_still_due,
        context=_context,
        link=lambda reminder: reverse(home_url_name(Role.HR)),
    )
)


# --- The daily planner ---------------------------------------------------------------------------


def _in_reach(day: date, today: date) -> bool:
    return today - timedelta(days=CATCH_UP_DAYS) <= day <= today


def plan_evaluation_reminders() -> int:
    """Plan today's due, final-due, overdue and escalation reminders, set-based: three queries to
    read, one INSERT per kind. Periods due the same day about one intern (week 3 and the final
    evaluation) make one overdue message and one escalation, listing both."""
    today = timezone.localdate()
    horizon = today - timedelta(days=ESCALATE_AFTER_DAYS + CATCH_UP_DAYS)
    placements = list(
        assessed_placements()
        .filter(window__starts_on__lte=today, window__ends_on__gte=horizon)
        .select_related("window", "cohort", "mentor")
    )
    statuses = evaluation_statuses([p.pk for p in placements])
    coordinators = list(User.objects.filter(role=Role.HR, is_active=True).values_list("pk", flat=True))
    due: dict[str, list] = {EVALUATION_DUE.key: [], EVALUATION_FINAL_DUE.key: []}
    overdue: dict[tuple[int, date], list[Outstanding]] = {}
    escalated: dict[tuple[int, date], list[Outstanding]] = {}
    for item in evaluations_outstanding(placements, statuses, today):
        if _in_reach(item.due_on, today):
            kind = EVALUATION_FINAL_DUE if item.period == FINAL else EVALUATION_DUE
            due[kind.key].append(item)
        if _in_reach(item.overdue_on, today):
            overdue.setdefault((item.placement.pk, item.overdue_on), []).append(item)
        if _in_reach(item.escalated_on, today):
            escalated.setdefault((item.placement.pk, item.escalated_on), []).append(item)

    def context(items: list[Outstanding]) -> dict:
        return {"periods": [i.period for i in items], "due_on": items[0].due_on.isoformat()}

    planned = 0
    for key, items in due.items():
        planned += reminders_plan_many(
            kind=key,
            plans=[(i.placement.mentor.user_id, i.placement, at_nine(i.due_on), context([i])) for i in items],
        )
    planned += reminders_plan_many(
        kind=EVALUATION_OVERDUE.key,
        plans=[
            (items[0].placement.mentor.user_id, items[0].placement, at_nine(day), context(items))
            for (_pk, day), items in overdue.items()
        ],
    )
    planned += reminders_plan_many(
        kind=EVALUATION_ESCALATED.key,
        plans=[
            (coordinator, items[0].placement, at_nine(day), context(items))
            for (_pk, day), items in escalated.items()
            for coordinator in coordinators
        ],
    )
    return planned


kinds.register_planner("evaluations_due", plan_evaluation_reminders)


# --- Released to the student ---------------------------------------------------------------------


def _evaluation(reminder) -> Evaluation | None:
    return (
        Evaluation.objects.select_related("placement__store", "placement__mentor__user")
        .filter(pk=reminder.subject_id)
        .first()
    )


def _released_still_due(reminder) -> bool:
    evaluation = _evaluation(reminder)
    return (
        evaluation is not None
        and evaluation.is_submitted
        and evaluation.released_at is not None
        and evaluation.placement.student_id == reminder.recipient_id
        and evaluation.placement.status in ASSESSED_STATUSES
    )


def _released_context(reminder) -> dict:
    evaluation = _evaluation(reminder)
    return {
        "evaluation": evaluation,
        "period": evaluation.get_period_display(),
        "mentor": evaluation.placement.mentor.user.full_name,
        "store": evaluation.placement.store.name,
    }


EVALUATION_RELEASED = kinds.register(
    kinds.Kind(
        key="evaluation_released",
        label=_("My mentor's evaluation can be read"),
        template="evaluations/evaluation_released",
        audience=(Role.STUDENT,),
        still_due=_released_still_due,
        context=_released_context,
        link=lambda reminder: reverse("evaluations:my_evaluations"),
    )
)


def plan_evaluation_released(*, evaluations) -> int:
    """Tell each student that an evaluation of theirs can now be read (called in the transaction
    that releases them: on submission, or when staff release a cohort's evaluations). Returns how
    many notices were planned. Set-based: one query for the students, one INSERT."""
    evaluations = list(evaluations)
    if not evaluations:
        return 0
    students = dict(
        Evaluation.objects.filter(pk__in=[e.pk for e in evaluations]).values_list(
            "pk", "placement__student_id"
        )
    )
    now = timezone.now()
    return reminders_plan_many(
        kind=EVALUATION_RELEASED.key,
        plans=[(students[e.pk], e, now, None) for e in evaluations if e.pk in students],
    )
