"""The daily digests for the programme office and the Xiaomi coordinator, and their planner."""

from datetime import timedelta

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from accounts.models import Invitation, Role, User
from courses.selectors import enrolments_blocked_on_quiz
from notifications import kinds
from notifications.services import at_nine, reminder_plan

from ..models import Application, Cohort, Mentor
from .registry import CERTIFICATION_NOTICE_DAYS

INVITATION_STALE_DAYS = 3
APPLICATION_WAITING_DAYS = 3
COHORT_CLOSING_DAYS = 7
DIGEST_LIST_LIMIT = 10


def _stale_invitations(role: str):
    cutoff = timezone.now() - timedelta(days=INVITATION_STALE_DAYS)
    return Invitation.objects.filter(
        user__role=role, accepted_at__isnull=True, created_at__lte=cutoff, expires_at__gt=timezone.now()
    ).select_related("user")


def _section(title, rows, line) -> list[dict]:
    """A digest section (title, total, up to ten lines), or nothing when there is nothing waiting."""
    total = rows.count()
    if not total:
        return []
    return [{"title": title, "total": total, "lines": [line(row) for row in rows[:DIGEST_LIST_LIMIT]]}]


def _invitee(invitation) -> str:
    return f"{invitation.user.full_name} <{invitation.user.email}>"


def staff_digest_sections() -> list[dict]:
    """What waits for the programme office today. Later features add their sections."""
    today = timezone.localdate()
    waiting = Application.objects.filter(
        status=Application.Status.SUBMITTED,
        submitted_at__lte=timezone.now() - timedelta(days=APPLICATION_WAITING_DAYS),
    ).select_related("student", "cohort")
    closing = Cohort.objects.filter(
        status=Cohort.Status.OPEN,
        applications_close_on__gte=today,
        applications_close_on__lte=today + timedelta(days=COHORT_CLOSING_DAYS),
    )
    return [
        *_section(
            _("Applications waiting for a decision for more than 3 days"),
            waiting.order_by("submitted_at"),
            lambda a: (
                f"{a.student.full_name} · {a.cohort.name} · {date_format(timezone.localdate(a.submitted_at))}"
            ),
        ),
        *_section(
            _("Students invited more than 3 days ago who have not signed in"),
            _stale_invitations(Role.STUDENT),
            _invitee,
        ),
        *_section(
            _("Cohorts whose applications close within 7 days"),
            closing.order_by("applications_close_on"),
            lambda c: f"{c.name} · {date_format(c.applications_close_on)}",
        ),
        *_section(
            _("Students blocked after their last quiz attempt"),
            enrolments_blocked_on_quiz(),
            lambda e: f"{e.student.full_name} · {e.course.code} {e.course.title} · {e.best_score}%",
        ),
    ]


def hr_digest_sections() -> list[dict]:
    """What waits for the Xiaomi coordinator today."""
    soon = timezone.localdate() + timedelta(days=CERTIFICATION_NOTICE_DAYS)
    expiring = Mentor.objects.filter(certification_expires_on__lte=soon).select_related("user", "store")
    return [
        *_section(
            _("Mentor certifications expired or expiring within 30 days"),
            expiring.order_by("certification_expires_on"),
            lambda m: f"{m.user.full_name} · {m.store.name} · {date_format(m.certification_expires_on)}",
        ),
        *_section(
            _("Mentors invited more than 3 days ago who have not signed in"),
            _stale_invitations(Role.MENTOR),
            _invitee,
        ),
    ]


def _digest_kind(key: str, label, audience: str, sections, title, link: str) -> kinds.Kind:
    """A daily digest: sent only on days when one of its sections has something waiting."""
    return kinds.register(
        kinds.Kind(
            key=key,
            label=label,
            template="internships/daily_digest",
            audience=(audience,),
            still_due=lambda reminder: bool(sections()),
            context=lambda reminder: {"sections": sections(), "digest_title": title},
            link=lambda reminder: link,
        )
    )


STAFF_DIGEST = _digest_kind(
    "staff_daily_digest",
    _("Daily digest of what is waiting for the programme office"),
    Role.STAFF,
    staff_digest_sections,
    _("Programme office: what is waiting today"),
    "/staff/",
)
HR_DIGEST = _digest_kind(
    "hr_daily_digest",
    _("Daily digest of stores and mentors needing attention"),
    Role.HR,
    hr_digest_sections,
    _("Xiaomi coordination: what is waiting today"),
    "/xiaomi/",
)


def plan_daily_digests() -> int:
    """Today's digest for every active staff member and coordinator; sent only if it has items."""
    due_at = at_nine(timezone.localdate())
    planned = 0
    for kind, role in ((STAFF_DIGEST, Role.STAFF), (HR_DIGEST, Role.HR)):
        for user in User.objects.filter(role=role, is_active=True):
            reminder_plan(recipient=user, kind=kind.key, about=user, due_at=due_at)
            planned += 1
    return planned
