"""Writes of programme results: compute, recompute, override, confirm the cohort's results."""

__all__: list[str] = []
