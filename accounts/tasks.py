"""Celery tasks of the accounts app: thin wrappers that load by id and call a service.

Its e-mails have no task of their own: they are rows of the reminder engine's outbox.
"""

from celery import shared_task
from django.core.management import call_command


@shared_task
def clear_expired_sessions_task() -> None:
    call_command("clearsessions")
