"""System checks of the reminder engine: its time budget and claim lease against Celery's limits."""

from django.conf import settings
from django.core.checks import Error, register

# "Comfortably longer": a claim must outlive the longest a task can run, twice over.
LEASE_OVER_HARD_LIMIT = 2


@register()
def sender_limits(app_configs, **kwargs) -> list[Error]:
    errors = []
    lease = settings.REMINDER_CLAIM_LEASE_SECONDS
    hard = settings.CELERY_TASK_TIME_LIMIT
    if hard and lease < LEASE_OVER_HARD_LIMIT * hard:
        errors.append(
            Error(
                f"REMINDER_CLAIM_LEASE_SECONDS ({lease}) is shorter than twice CELERY_TASK_TIME_LIMIT "
                f"({hard}): a live sender's rows could be taken over and sent twice.",
                hint=f"Set REMINDER_CLAIM_LEASE_SECONDS to at least {LEASE_OVER_HARD_LIMIT * hard}.",
                id="notifications.E001",
            )
        )
    budget = settings.REMINDER_SENDER_TIME_BUDGET_SECONDS
    soft = settings.CELERY_TASK_SOFT_TIME_LIMIT
    if soft and budget >= soft:
        errors.append(
            Error(
                f"REMINDER_SENDER_TIME_BUDGET_SECONDS ({budget}) does not end before "
                f"CELERY_TASK_SOFT_TIME_LIMIT ({soft}): sender runs would be cut off mid-batch.",
                hint="Keep the budget at about half the soft time limit.",
                id="notifications.E002",
            )
        )
    return errors
