"""Reads of mentor evaluations for the mentor, the student, staff and Xiaomi."""

__all__: list[str] = []
