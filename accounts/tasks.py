"""Celery tasks of the accounts app: thin wrappers that load by id and call a service."""

import smtplib

from celery import shared_task
from django.core.management import call_command

from . import services
from .emails import RenderedEmail, send_rendered_email

TRANSIENT_MAIL_ERRORS = (smtplib.SMTPException, ConnectionError, TimeoutError, OSError)
RETRY = {
    "autoretry_for": TRANSIENT_MAIL_ERRORS,
    "retry_backoff": 30,
    "retry_backoff_max": 30 * 60,
    "retry_jitter": True,
    "max_retries": 6,
}


@shared_task(**RETRY)
def send_invitation_email_task(invitation_id: int, token: str) -> None:
    services.invitation_send_email(invitation_id=invitation_id, token=token)


@shared_task(**RETRY)
def send_email_task(subject: str, text: str, html: str, to: str) -> None:
    send_rendered_email(RenderedEmail(subject=subject, text=text, html=html), to)


@shared_task
def clear_expired_sessions_task() -> None:
    call_command("clearsessions")
