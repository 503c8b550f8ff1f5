"""Writes of mentor evaluations: draft, autosave, submit, change with history, release."""

__all__: list[str] = []
