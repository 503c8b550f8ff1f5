"""Writes of applications: student profiles, drafts, submission, withdrawal and staff decisions."""

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from notifications.services import reminder_plan

from ..models import (
    Application,
    ApplicationEvent,
    ApplicationPreference,
    Cohort,
    PlacementWindow,
    StudentProfile,
)
from ._enrolment import _enrol


class ApplicationError(Exception):
    """An application change that is not allowed now; the message is shown to the person."""


# --- Student profile -----------------------------------------------------------------------------


@transaction.atomic
def student_profile_save(
    *, user: User, student_number: str, major: str, class_name: str, graduation_year: int, phone: str = ""
) -> StudentProfile:
    profile, _created = StudentProfile.objects.update_or_create(
        user=user,
        defaults={
            "student_number": student_number,
            "major": major,
            "class_name": class_name,
            "graduation_year": graduation_year,
        },
    )
    if phone and user.phone != phone:
        user.phone = phone
        user.save(update_fields=["phone"])
    return profile


# --- Applications --------------------------------------------------------------------------------


def _event(application: Application, actor: User | None, from_status: str, note: str = "") -> None:
    ApplicationEvent.objects.create(
        application=application, actor=actor, from_status=from_status, to_status=application.status, note=note
    )


def _require_open(cohort: Cohort) -> None:
    if not cohort.accepting_applications:
        raise ApplicationError(_("This cohort is not taking applications."))


@transaction.atomic
def application_save_draft(
    *,
    student: User,
    cohort: Cohort,
    motivation: str,
    window: PlacementWindow | None,
    confirms_availability: bool,
    preferences: list[dict],
    cv: UploadedFile | None = None,
) -> Application:
    """Create or update the student's draft; nothing is checked for completeness yet."""
    _require_open(cohort)
    application, created = Application.objects.select_for_update().get_or_create(
        student=student, cohort=cohort
    )
    if application.status == Application.Status.WITHDRAWN:
        # Changed their mind while the cohort is still open: the withdrawn application becomes a draft.
        application.status, application.withdrawn_at = Application.Status.DRAFT, None
        application.submitted_at = application.consent_at = application.share_consent_at = None
        application.consent_version, application.shares_with_xiaomi = "", False
        _event(application, student, Application.Status.WITHDRAWN)
    if application.status != Application.Status.DRAFT:
        raise ApplicationError(_("This application has been submitted and can no longer be changed."))
    application.motivation = motivation
    application.window = window
    application.confirms_availability = confirms_availability
    if cv is not None:
        if application.cv:
            application.cv.delete(save=False)
        application.cv = cv
    application.save()
    application.preferences.all().delete()
    ApplicationPreference.objects.bulk_create(
        ApplicationPreference(application=application, rank=rank, **pref)
        for rank, pref in enumerate(preferences, start=1)
    )
    if created:
        _event(application, student, "")
    return application


def missing_for_submission(application: Application) -> list[str]:
    missing = []
    if not hasattr(application.student, "student_profile"):
        missing.append(_("your student profile"))
    if len(application.motivation.strip()) < 50:
        missing.append(_("a motivation of at least 50 characters"))
    if not application.preferences.exists():
        missing.append(_("at least one store or district preference"))
    if application.cohort.placement_windows.exists() and not application.window_id:
        missing.append(_("the placement window"))
    if not application.confirms_availability:
        missing.append(_("confirmation that you are available for the placement"))
    if not application.cv:
        missing.append(_("your CV as a PDF"))
    return missing


@transaction.atomic
def application_submit(*, application: Application, consents: bool, shares_with_xiaomi: bool) -> Application:
    """Submit a complete draft, recording the privacy notice version and the consents."""
    application = (
        Application.objects.select_for_update().select_related("cohort", "student").get(pk=application.pk)
    )
    if application.status != Application.Status.DRAFT:
        raise ApplicationError(_("This application has already been submitted."))
    _require_open(application.cohort)
    missing = missing_for_submission(application)
    if not consents:
        missing.append(_("your acceptance of the privacy notice"))
    if missing:
        raise ApplicationError(_("Still missing: %(items)s.") % {"items": "; ".join(str(m) for m in missing)})
    now = timezone.now()
    application.status = Application.Status.SUBMITTED
    application.submitted_at = now
    application.consent_version = settings.PRIVACY_NOTICE_VERSION
    application.consent_at = now
    application.shares_with_xiaomi = shares_with_xiaomi
    application.share_consent_at = now if shares_with_xiaomi else None
    application.save()
    _event(application, application.student, Application.Status.DRAFT)
    return application


@transaction.atomic
def application_withdraw(*, application: Application, by: User) -> Application | None:
    """Withdraw a submitted or waitlisted application.

    A draft was never submitted (no consent, nothing for staff to see), so it cannot become a
    withdrawn application: it is discarded instead, with its CV, and None is returned. The
    student may start again while the cohort is open.
    """
    application = Application.objects.select_for_update().get(pk=application.pk)
    if application.can_discard:
        cv_name, storage = application.cv.name, application.cv.storage
        application.delete()
        if cv_name:
            transaction.on_commit(lambda: storage.delete(cv_name))
        return None
    if not application.can_withdraw:
        raise ApplicationError(_("A decided application cannot be withdrawn. Contact the programme office."))
    previous = application.status
    application.status = Application.Status.WITHDRAWN
    application.withdrawn_at = timezone.now()
    application.save(update_fields=["status", "withdrawn_at", "updated_at"])
    _event(application, by, previous)
    return application


DECISION_KINDS = {
    Application.Status.ACCEPTED: "application_accepted",
    Application.Status.WAITLISTED: "application_waitlisted",
    Application.Status.REJECTED: "application_rejected",
}


@transaction.atomic
def application_decide(*, application: Application, decision: str, note: str, by: User) -> Application:
    """Accept, waitlist or reject a submitted (or waitlisted) application; accepting enrols."""
    if decision not in DECISION_KINDS:
        raise ValueError(f"not a decision: {decision}")
    application = (
        Application.objects.select_for_update().select_related("cohort", "student").get(pk=application.pk)
    )
    if application.status not in Application.WAITING:
        raise ApplicationError(
            _("%(student)s: only submitted or waitlisted applications can be decided.")
            % {"student": application.student.full_name}
        )
    if application.status == decision:
        return application
    previous = application.status
    application.status = decision
    application.decided_at = timezone.now()
    application.decided_by = by
    application.decision_note = note
    application.save(update_fields=["status", "decided_at", "decided_by", "decision_note", "updated_at"])
    _event(application, by, previous, note)
    if decision == Application.Status.ACCEPTED:
        _enrol(application)
    reminder_plan(
        recipient=application.student, kind=DECISION_KINDS[decision], about=application, due_at=timezone.now()
    )
    return application


def applications_decide(*, applications, decision: str, note: str, by: User) -> tuple[int, list[str]]:
    """Bulk decision: each application in its own transaction; returns (done, problems)."""
    done, problems = 0, []
    for application in applications:
        try:
            application_decide(application=application, decision=decision, note=note, by=by)
            done += 1
        except ApplicationError as error:
            problems.append(str(error))
    return done, problems
