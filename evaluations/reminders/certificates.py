"""Reminders about certificates: "your certificate is issued" to the student (e-mail + bell), and
the daily refresh of results whose placement has ended (attendance is kept in `internships`,
which cannot call up into this app)."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Role
from accounts.navigation import home_url_name
from notifications import kinds
from notifications.services import reminder_plan

__all__ = ["CERTIFICATE_ISSUED", "plan_certificate_issued", "refresh_finished_results"]

CERTIFICATE_ISSUED = "certificate_issued"


def _certificate(reminder):
    from ..models import Certificate

    return Certificate.objects.filter(pk=reminder.subject_id).first()


def _still_due(reminder) -> bool:
    certificate = _certificate(reminder)
    return certificate is not None and not certificate.is_revoked


def _context(reminder) -> dict:
    from ..selectors.certificates import code_display

    certificate = _certificate(reminder)
    return {"certificate": certificate, "code": code_display(certificate.code)}


kinds.register(
    kinds.Kind(
        key=CERTIFICATE_ISSUED,
        label=_("My programme certificate is issued"),
        template=f"evaluations/{CERTIFICATE_ISSUED}",
        audience=(Role.STUDENT,),
        still_due=_still_due,
        context=_context,
        link=lambda reminder: reverse(home_url_name(Role.STUDENT)),
    )
)


def plan_certificate_issued(*, certificate, student) -> None:
    """Tell the student at once (called in the transaction that issues the certificate)."""
    reminder_plan(recipient=student, kind=CERTIFICATE_ISSUED, about=certificate, due_at=timezone.now())


def refresh_finished_results() -> int:
    """The daily planner: recompute the results of unconfirmed cohorts whose placements ended.
    It plans no reminder itself, so it returns 0."""
    from ..services.results import results_refresh_finished

    results_refresh_finished()
    return 0


kinds.register_planner("results_refresh", refresh_finished_results)
