"""Writes of weekly reflections: the student's submission and the mentor's reply."""

__all__: list[str] = []
