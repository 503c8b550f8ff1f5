"""Placements: "starts in 3 days" (essential), and the notices of publication to students and mentors."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.models import Role
from accounts.navigation import home_url_name
from notifications import kinds

from ..models import Application, Placement
from ..services import NOT_PLACED, PUBLISHED_MENTOR, PUBLISHED_STUDENT, START_MENTOR, START_STUDENT
from ._subjects import _application, _placement


def _placement_still_due(reminder) -> bool:
    p = _placement(reminder)
    return (
        p is not None
        and reminder.recipient_id in (p.student_id, p.mentor.user_id)
        and p.status == Placement.Status.PLANNED
        and p.window.starts_on.isoformat() == reminder.context.get("starts_on")
        and p.store_id == reminder.context.get("store")
    )


def _placement_kind(key: str, label, audience: str) -> kinds.Kind:
    return kinds.register(
        kinds.Kind(
            key=key,
            label=label,
            template=f"internships/{key}",
            essential=True,
            audience=(audience,),
            still_due=_placement_still_due,
            context=lambda reminder: {"placement": _placement(reminder)},
            link=lambda reminder: reverse(home_url_name(audience)),
        )
    )


_placement_kind(START_STUDENT, _("My store placement starts in 3 days"), Role.STUDENT)
_placement_kind(START_MENTOR, _("My intern arrives in 3 days"), Role.MENTOR)


# --- Publication (essential, due at once): placed students, their mentors, students not placed ---

PUBLISHED_STATUSES = Placement.IN_PROGRESS


def _published_still_due(reminder) -> bool:
    p = _placement(reminder)
    return p is not None and p.student_id == reminder.recipient_id and p.status in PUBLISHED_STATUSES


def _mentors_new_interns(reminder) -> list[Placement]:
    """The interns the publication gave this mentor, still theirs and still coming (at send time)."""
    return list(
        Placement.objects.filter(
            pk__in=reminder.context.get("placements", []),
            mentor__user_id=reminder.recipient_id,
            status__in=PUBLISHED_STATUSES,
        )
        .select_related("student", "store", "window", "cohort")
        .order_by("window__starts_on", "student__full_name")
    )


def _not_placed_still_due(reminder) -> bool:
    application = _application(reminder)
    return (
        application is not None
        and application.status == Application.Status.ACCEPTED
        and not Placement.objects.filter(cohort_id=application.cohort_id, student_id=application.student_id)
        .exclude(status=Placement.Status.WITHDRAWN)
        .exists()
    )


kinds.register(
    kinds.Kind(
        key=PUBLISHED_STUDENT,
        label=_("My store placement is published"),
        template=f"internships/{PUBLISHED_STUDENT}",
        essential=True,
        audience=(Role.STUDENT,),
        still_due=_published_still_due,
        context=lambda reminder: {"placement": _placement(reminder)},
        link=lambda reminder: reverse(home_url_name(Role.STUDENT)),
    )
)
kinds.register(
    kinds.Kind(
        key=PUBLISHED_MENTOR,
        label=_("Interns are assigned to me"),
        template=f"internships/{PUBLISHED_MENTOR}",
        essential=True,
        audience=(Role.MENTOR,),
        still_due=lambda reminder: bool(_mentors_new_interns(reminder)),
        context=lambda reminder: {"interns": _mentors_new_interns(reminder)},
        link=lambda reminder: reverse(home_url_name(Role.MENTOR)),
    )
)
kinds.register(
    kinds.Kind(
        key=NOT_PLACED,
        label=_("I was not placed in a store (yet)"),
        template=f"internships/{NOT_PLACED}",
        essential=True,
        audience=(Role.STUDENT,),
        still_due=_not_placed_still_due,
        context=lambda reminder: {"application": (a := _application(reminder)), "cohort": a.cohort},
        link=lambda reminder: reverse(home_url_name(Role.STUDENT)),
    )
)
