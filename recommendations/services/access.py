"""The PIPL access log: a row each time a Xiaomi user opens a student's personal data."""

from accounts.models import Role, User

from ..models import DataAccess, Recommendation

__all__ = ["access_log", "access_log_many"]


def access_log(*, viewer: User, recommendation: Recommendation, what: str) -> DataAccess | None:
    """Record that `viewer` opened `what` of the recommended student. Only Xiaomi's views are
    logged: the university's own staff hold the data already."""
    if not viewer.has_role(Role.HR):
        return None
    return DataAccess.objects.create(
        viewer=viewer, student_id=recommendation.student_id, recommendation=recommendation, what=what
    )


def access_log_many(*, viewer: User, recommendations, what: str) -> int:
    """One row per recommendation, in a few INSERTs (an export of thousands)."""
    if not viewer.has_role(Role.HR):
        return 0
    rows = [
        DataAccess(viewer=viewer, student_id=r.student_id, recommendation_id=r.pk, what=what)
        for r in recommendations
    ]
    DataAccess.objects.bulk_create(rows, batch_size=2000)
    return len(rows)
