"""Decisions on applications (essential: they always reach the student)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.models import Role
from accounts.navigation import home_url_name
from notifications import kinds

from ..models import Application
from ._subjects import _application


def _decision_kind(status: str, key: str, label) -> kinds.Kind:
    return kinds.register(
        kinds.Kind(
            key=key,
            label=label,
            template=f"internships/{key}",
            essential=True,
            audience=(Role.STUDENT,),
            # A decision changed before the e-mail left (a slip corrected) is not announced.
            still_due=lambda reminder: (a := _application(reminder)) is not None and a.status == status,
            context=lambda reminder: {
                "application": _application(reminder),
                "cohort": _application(reminder).cohort,
            },
            link=lambda reminder: reverse(home_url_name(Role.STUDENT)),
        )
    )


_decision_kind(Application.Status.ACCEPTED, "application_accepted", _("My application was accepted"))
_decision_kind(
    Application.Status.WAITLISTED, "application_waitlisted", _("My application was put on the waiting list")
)
_decision_kind(Application.Status.REJECTED, "application_rejected", _("My application was not accepted"))
