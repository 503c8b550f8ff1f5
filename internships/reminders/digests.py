"""The programme's sections of the daily digests (programme office, Xiaomi coordinator).

The digests themselves are registered by `dashboards.digests`; the engine (`notifications.digests`)
assembles and sends them; other apps add their own sections (courses: students blocked on a quiz).
"""

from datetime import timedelta

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts.models import Invitation, Role
from notifications import digests

from ..models import CERTIFICATION_WARNING_DAYS, Application, Cohort, Mentor

INVITATION_STALE_DAYS = 3
APPLICATION_WAITING_DAYS = 3
COHORT_CLOSING_DAYS = 7


def _stale_invitations(role: str):
    cutoff = timezone.now() - timedelta(days=INVITATION_STALE_DAYS)
    return Invitation.objects.filter(
        user__role=role, accepted_at__isnull=True, created_at__lte=cutoff, expires_at__gt=timezone.now()
    ).select_related("user")


def _invitee(invitation) -> str:
    return f"{invitation.user.full_name} <{invitation.user.email}>"


def _waiting_applications():
    return (
        Application.objects.filter(
            status=Application.Status.SUBMITTED,
            submitted_at__lte=timezone.now() - timedelta(days=APPLICATION_WAITING_DAYS),
        )
        .select_related("student", "cohort")
        .order_by("submitted_at")
    )


def _closing_cohorts():
    today = timezone.localdate()
    return Cohort.objects.filter(
        status=Cohort.Status.OPEN,
        applications_close_on__gte=today,
        applications_close_on__lte=today + timedelta(days=COHORT_CLOSING_DAYS),
    ).order_by("applications_close_on")


def _expiring_title_now() -> str:
    """Translated when the digest is written, in its reader's language."""
    return ngettext(
        "Mentor certifications expired or expiring within %(days)s day",
        "Mentor certifications expired or expiring within %(days)s days",
        CERTIFICATION_WARNING_DAYS,
    ) % {"days": CERTIFICATION_WARNING_DAYS}


def _expiring_certifications():
    return Mentor.objects.certification_expiring().select_related("user", "store")


for _section in (
    digests.Section(
        key="internships.applications_waiting",
        role=Role.STAFF,
        title=_("Applications waiting for a decision for more than 3 days"),
        rows=_waiting_applications,
        line=lambda a: (
            f"{a.student.full_name} · {a.cohort.name} · {date_format(timezone.localdate(a.submitted_at))}"
        ),
        order=10,
    ),
    digests.Section(
        key="internships.students_not_signed_in",
        role=Role.STAFF,
        title=_("Students invited more than 3 days ago who have not signed in"),
        rows=lambda: _stale_invitations(Role.STUDENT),
        line=_invitee,
        order=20,
    ),
    digests.Section(
        key="internships.cohorts_closing",
        role=Role.STAFF,
        title=_("Cohorts whose applications close within 7 days"),
        rows=_closing_cohorts,
        line=lambda c: f"{c.name} · {date_format(c.applications_close_on)}",
        order=30,
    ),
    digests.Section(
        key="internships.certifications_expiring",
        role=Role.HR,
        title=lazy(_expiring_title_now, str)(),
        rows=_expiring_certifications,
        line=lambda m: f"{m.user.full_name} · {m.store.name} · {date_format(m.certification_expires_on)}",
        order=10,
    ),
    digests.Section(
        key="internships.mentors_not_signed_in",
        role=Role.HR,
        title=_("Mentors invited more than 3 days ago who have not signed in"),
        rows=lambda: _stale_invitations(Role.MENTOR),
        line=_invitee,
        order=20,
    ),
):
    digests.register_section(_section)


def staff_digest_sections() -> list[dict]:
    """What waits for the programme office today (every app's sections)."""
    return digests.sections_for(Role.STAFF)


def hr_digest_sections() -> list[dict]:
    """What waits for the Xiaomi coordinator today."""
    return digests.sections_for(Role.HR)
