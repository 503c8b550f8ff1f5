"""The staff's list of the recommendations sent, and the PIPL access log of one student."""

from django.db.models import QuerySet

from ..models import DataAccess, Recommendation

__all__ = ["recommendations_sent", "student_accesses"]


def recommendations_sent(*, cohort=None, status: str = "", priority: str = "") -> QuerySet[Recommendation]:
    """Every recommendation, the newest first (ids grow with `sent_at`, so the primary key orders
    them by an index), with the student, the cohort and who sent it."""
    rows = Recommendation.objects.select_related("student", "cohort", "recommended_by")
    if cohort:
        rows = rows.filter(cohort=cohort)
    if status:
        rows = rows.filter(status=status)
    if priority:
        rows = rows.filter(priority=priority)
    return rows.order_by("-pk")


def student_accesses(*, student) -> QuerySet[DataAccess]:
    """Every time someone at Xiaomi opened the student's data, the newest first."""
    return DataAccess.objects.filter(student=student).select_related("viewer").order_by("-at", "-id")
