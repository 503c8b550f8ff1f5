"""Celery tasks of the reminder engine: thin wrappers around services."""

import logging
from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from . import services

logger = logging.getLogger(__name__)


@shared_task
def deliver_due_reminders_task() -> dict:
    report = services.reminders_deliver_due()
    if report.handled:
        logger.info(
            "reminders: %s sent, %s cancelled, %s retrying, %s failed",
            report.sent,
            report.cancelled,
            report.retrying,
            report.failed,
        )
    if report.more_due:
        # The run ended at its time budget (or the soft limit) with rows still due: carry on in a
        # fresh task, with fresh time limits.
        deliver_due_reminders_task.delay()
    elif not deliver_due_reminders_task.app.conf.task_always_eager:
        # A retry due before beat's next run goes out at its back-off time, not up to a beat
        # interval later. (Eagerly, "later" would run at once, so this is for real workers only.)
        next_beat = timezone.now() + timedelta(seconds=settings.REMINDER_SENDER_EVERY_SECONDS)
        retry_at = services.reminder_next_retry_before(next_beat)
        if retry_at is not None:
            deliver_due_reminders_task.apply_async(eta=retry_at)
    return {"sent": report.sent, "cancelled": report.cancelled, "failed": report.failed}


@shared_task
def plan_daily_reminders_task() -> dict:
    planned = services.reminders_plan_daily()
    deliver_due_reminders_task.delay()
    return planned
