"""Writes of the programme: cohorts, student profiles, applications and staff decisions."""

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from courses.models import Course
from courses.services import enrolment_create
from notifications.services import reminder_plan

from .models import (
    Application,
    ApplicationEvent,
    ApplicationPreference,
    Cohort,
    CohortCourse,
    PlacementWindow,
    StudentProfile,
)


class ApplicationError(Exception):
    """An application change that is not allowed now; the message is shown to the person."""


# --- Cohorts -------------------------------------------------------------------------------------


def course_due_field(course: Course) -> str:
    """The name under which a course's due date is given (and its errors reported)."""
    return f"due_{course.pk}"


def cohort_plan_errors(
    *,
    course_due_dates: dict[Course, date],
    windows: list[tuple[date, date]],
    placement_cutoff_on: date | None,
) -> dict[str, str]:
    """What is wrong with a cohort's course plan, by field name; empty when it fits.

    - The courses are taken in their programme order, so each is due on or after the one
      before it (the same day is allowed: two short courses may share a deadline).
    - Every course is due before the first placement window starts (strictly: on the first
      placement day the student is already in the store).
    - A placement cut-off, if set, lies on or after the last due date (otherwise a student on
      time would not be eligible) and before the first placement day.
    """
    errors: dict[str, str] = {}
    first_day = min((starts_on for starts_on, _ends_on in windows), default=None)
    previous = None
    for course in sorted(course_due_dates, key=lambda c: (c.order, c.pk)):
        due_on = course_due_dates[course]
        if previous is not None and due_on < course_due_dates[previous]:
            errors[course_due_field(course)] = _(
                "Due on or after “%(course)s” (%(date)s): the courses are taken in this order."
            ) % {"course": previous.title, "date": date_format(course_due_dates[previous], "DATE_FORMAT")}
        elif first_day is not None and due_on >= first_day:
            errors[course_due_field(course)] = _(
                "Due before the first placement window starts (%(date)s)."
            ) % {"date": date_format(first_day, "DATE_FORMAT")}
        previous = course
    last_due = max(course_due_dates.values(), default=None)
    if placement_cutoff_on is not None:
        if first_day is not None and placement_cutoff_on >= first_day:
            errors["placement_cutoff_on"] = _("Before the first placement window starts (%(date)s).") % {
                "date": date_format(first_day, "DATE_FORMAT")
            }
        elif last_due is not None and placement_cutoff_on < last_due:
            errors["placement_cutoff_on"] = _(
                "On or after the last course due date (%(date)s), or students on time would not be eligible."
            ) % {"date": date_format(last_due, "DATE_FORMAT")}
    return errors


@transaction.atomic
def cohort_save(
    *,
    cohort: Cohort | None,
    fields: dict,
    course_due_dates: dict[Course, date],
    windows: list[tuple[date, date]],
) -> Cohort:
    """Create or update a cohort with its course due dates and placement windows.

    A plan that does not fit (see cohort_plan_errors) raises ValidationError keyed by field,
    before anything is written. Students already accepted keep their enrolments; a changed due
    date is passed on to them (courses re-plans the deadline reminders).
    """
    cutoff = (
        fields["placement_cutoff_on"]
        if "placement_cutoff_on" in fields
        else getattr(cohort, "placement_cutoff_on", None)
    )
    errors = cohort_plan_errors(
        course_due_dates=course_due_dates, windows=windows, placement_cutoff_on=cutoff
    )
    if errors:
        raise ValidationError(errors)
    cohort = cohort or Cohort()
    for name, value in fields.items():
        setattr(cohort, name, value)
    cohort.save()
    for course, due_on in course_due_dates.items():
        CohortCourse.objects.update_or_create(cohort=cohort, course=course, defaults={"due_on": due_on})
    cohort.course_plan.exclude(course__in=list(course_due_dates)).delete()
    existing = list(cohort.placement_windows.order_by("starts_on"))
    for index, (starts_on, ends_on) in enumerate(windows):
        if index < len(existing):
            window = existing[index]
            window.starts_on, window.ends_on = starts_on, ends_on
            window.save()
        else:
            PlacementWindow.objects.create(cohort=cohort, starts_on=starts_on, ends_on=ends_on)
    for window in existing[len(windows) :]:
        window.delete()
    accepted = cohort.applications.filter(status=Application.Status.ACCEPTED).select_related("student")
    for application in accepted:
        _enrol(application)
    return cohort


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
    placement_window: PlacementWindow | None,
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
    application.placement_window = placement_window
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
    if application.cohort.placement_windows.exists() and not application.placement_window_id:
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


def _enrol(application: Application) -> None:
    for planned in application.cohort.course_plan.select_related("course"):
        enrolment_create(student=application.student, course=planned.course, due_on=planned.due_on)


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
