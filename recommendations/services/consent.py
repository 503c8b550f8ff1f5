"""The student gives or withdraws the consent to be recommended to Xiaomi; staff ask for it."""

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import Role, User
from notifications.services import reminders_plan_many

from ..models import HiringConsent

__all__ = ["consent_give", "consent_request", "consent_withdraw"]


def consent_give(*, student: User) -> HiringConsent:
    """Record the student's consent (idempotent: an open consent is returned as it is)."""
    if not student.has_role(Role.STUDENT):
        raise PermissionError("only a student gives this consent")
    existing = HiringConsent.objects.active().filter(student=student).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            return HiringConsent.objects.create(
                student=student, notice_version=settings.PRIVACY_NOTICE_VERSION, given_at=timezone.now()
            )
    except IntegrityError:
        # Given at the same moment in another tab: the one open consent is that one.
        return HiringConsent.objects.active().get(student=student)


def consent_withdraw(*, student: User) -> HiringConsent | None:
    """Withdraw the open consent: from this moment Xiaomi sees none of the student's
    recommendations (they stay, hidden, for the university's record). None if none was open."""
    with transaction.atomic():
        consent = HiringConsent.objects.select_for_update().active().filter(student=student).first()
        if consent is None:
            return None
        consent.withdrawn_at = timezone.now()
        consent.save(update_fields=["withdrawn_at"])
        return consent


def consent_request(*, requested_by: User, students: list[User]) -> int:
    """Ask students who have not consented to do so (one notice each per day; none to a student
    who already consents). Returns how many were asked."""
    from ..reminders import CONSENT_REQUESTED

    if not requested_by.has_role(Role.STAFF, Role.ADMIN):
        raise PermissionError("only the programme office asks for this consent")
    consenting = set(
        HiringConsent.objects.active()
        .filter(student__in=[s.pk for s in students])
        .values_list("student_id", flat=True)
    )
    asked = [s for s in students if s.pk not in consenting and s.has_role(Role.STUDENT)]
    now = timezone.now()
    with transaction.atomic():
        reminders_plan_many(
            kind=CONSENT_REQUESTED.key,
            plans=[(s.pk, s, now, {"requested_by": requested_by.full_name}) for s in asked],
        )
    return len(asked)
