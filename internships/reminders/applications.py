"""Decisions on applications (essential: they always reach the student)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.models import Role
from accounts.navigation import home_url_name
from notifications import kinds

from ..models import Application
from ..services import DECISION_KINDS
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


for _status, _label in (
    (Application.Status.ACCEPTED, _("My application was accepted")),
    (Application.Status.WAITLISTED, _("My application was put on the waiting list")),
    (Application.Status.REJECTED, _("My application was not accepted")),
):
    # the key is the one the decision service plans (DECISION_KINDS), written there only
    _decision_kind(_status, DECISION_KINDS[_status], _label)
