"""Celery tasks of the programme: thin wrappers around services."""

from celery import shared_task

from . import placements


@shared_task
def complete_finished_placements_task() -> int:
    return placements.placements_complete_finished()
