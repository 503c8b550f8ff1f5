"""Reads of rubrics and how mentors use them (score distributions)."""

__all__: list[str] = []
