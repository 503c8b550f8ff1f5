"""Reminders about reflections."""
