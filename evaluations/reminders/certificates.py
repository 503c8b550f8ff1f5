"""Reminders about certificates."""
