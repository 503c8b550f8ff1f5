"""Celery tasks of the reminder engine: thin wrappers around services."""

import logging

from celery import shared_task

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
    return {"sent": report.sent, "cancelled": report.cancelled, "failed": report.failed}


@shared_task
def plan_daily_reminders_task() -> dict:
    planned = services.reminders_plan_daily()
    deliver_due_reminders_task.delay()
    return planned
