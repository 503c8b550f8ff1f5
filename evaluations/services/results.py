"""Writes of programme results: compute, recompute, override, confirm the cohort's results."""

from internships.models import Placement

__all__ = ["result_refresh"]


def result_refresh(*, placement: Placement) -> None:
    """Recompute the placement's programme result after one of its inputs changed (an evaluation
    submitted or changed, attendance recorded), unless the cohort's results are confirmed."""
    return None
