"""Reads of weekly reflections for the student and the mentor."""

__all__: list[str] = []
