"""Celery tasks of the programme: thin wrappers around services."""

from celery import shared_task

from . import services


@shared_task
def complete_finished_placements_task() -> int:
    return services.placements_complete_finished()
