"""Reminders about mentor evaluations: due, overdue, escalated, final due; released to the student."""

__all__ = ["plan_evaluation_released"]


def plan_evaluation_released(*, evaluations) -> int:
    """Tell each student that an evaluation of theirs can now be read (called in the transaction
    that releases them: on submission, or when staff release a cohort's evaluations). Returns how
    many notices were planned."""
    return 0
