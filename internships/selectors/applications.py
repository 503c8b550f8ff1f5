"""Reads of applications: a student's own, and the staff review queue with its filters."""

from django.db.models import Q, QuerySet

from accounts.models import User

from ..models import Application, Cohort


def application_for(student: User, cohort: Cohort) -> Application | None:
    return (
        Application.objects.filter(student=student, cohort=cohort)
        .prefetch_related("preferences__store")
        .first()
    )


def applications_of(student: User) -> list[Application]:
    return list(
        Application.objects.filter(student=student)
        .select_related("cohort")
        .order_by("-cohort__applications_open_on")
    )


def review_queue(*, cohort=None, status: str = "", major: str = "", q: str = "") -> QuerySet[Application]:
    """Applications for staff review; by default those waiting for a decision, oldest first."""
    rows = Application.objects.exclude(status=Application.Status.DRAFT).select_related(
        "student", "student__student_profile", "cohort"
    )
    if cohort:
        rows = rows.filter(cohort=cohort)
    if status == "all":
        pass
    elif status:
        rows = rows.filter(status=status)
    else:
        rows = rows.filter(status__in=Application.WAITING)
    if major:
        rows = rows.filter(student__student_profile__major__icontains=major.strip())
    if q:
        q = q.strip()
        rows = rows.filter(
            Q(student__full_name__icontains=q)
            | Q(student__english_name__icontains=q)
            | Q(student__student_profile__student_number__iexact=q)
            | Q(student__email__iexact=q)
        )
    return rows.order_by("submitted_at", "id")
