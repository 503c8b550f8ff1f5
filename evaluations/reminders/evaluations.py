"""Reminders about evaluations."""
