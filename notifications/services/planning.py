"""Planning reminders (one row per recipient, kind, subject and due day), cancelling and re-arming them."""

from collections.abc import Iterable
from datetime import date, datetime, time

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.db.models import F
from django.utils import timezone

from accounts.models import User

from .. import kinds
from ..models import Reminder


def at_nine(day: date) -> datetime:
    """09:00 Asia/Shanghai on `day`: when daily reminders and digests go out."""
    return timezone.make_aware(datetime.combine(day, time(9, 0)))


def _kick_sender() -> None:
    from ..tasks import deliver_due_reminders_task

    # robust: a broker that is down must not fail the caller's request. The row is committed,
    # and the beat-driven sender delivers it when the broker is back.
    transaction.on_commit(deliver_due_reminders_task.delay, robust=True)


def reminder_plan(
    *,
    recipient: User,
    kind: str,
    about: models.Model,
    due_at: datetime,
    context: dict | None = None,
) -> Reminder:
    """Plan one reminder, idempotently: the same (recipient, kind, subject, due date) is one row.

    Call it inside the transaction of the change that makes the reminder due, so a rolled-back
    change plans nothing.
    """
    registered = kinds.get(kind)
    if registered is None:
        raise ValueError(f"unknown reminder kind {kind!r}")
    reminder, created = Reminder.objects.get_or_create(
        recipient=recipient,
        kind=kind,
        subject_type=ContentType.objects.get_for_model(about),
        subject_id=about.pk,
        due_on=timezone.localdate(due_at),
        defaults={"due_at": due_at, "not_before": due_at, "context": context or {}},
    )
    if not created and registered.repeatable:
        _plan_again(reminder, due_at=due_at, context=context or {})
    elif not created and reminder.status == Reminder.Status.CANCELLED:
        # The reason came back (e.g. a withdrawn application was submitted again): re-arm it.
        Reminder.objects.filter(pk=reminder.pk, status=Reminder.Status.CANCELLED).update(
            status=Reminder.Status.PENDING, not_before=due_at, cancelled_reason="", context=context or {}
        )
        reminder.refresh_from_db()
    if reminder.status == Reminder.Status.PENDING and due_at <= timezone.now():
        _kick_sender()
    return reminder


def reminders_plan_many(
    *, kind: str, plans: Iterable[tuple[User | int, models.Model, datetime, dict | None]]
) -> int:
    """Plan many reminders of one kind in a few INSERTs: (recipient or its id, about, due_at, context).

    Rows whose (recipient, kind, subject, due date) already exists are left exactly as they are
    (ON CONFLICT DO NOTHING on the unique key: planned once, never sent twice; unlike
    `reminder_plan`, a cancelled row is not re-armed). Call it inside the transaction of the
    change that makes the reminders due. Returns the number of plans given.
    """
    if kinds.get(kind) is None:
        raise ValueError(f"unknown reminder kind {kind!r}")
    now = timezone.now()
    rows = [
        Reminder(
            recipient_id=getattr(recipient, "pk", recipient),
            kind=kind,
            subject_type=ContentType.objects.get_for_model(about),
            subject_id=about.pk,
            due_on=timezone.localdate(due_at),
            due_at=due_at,
            not_before=due_at,
            context=context or {},
        )
        for recipient, about, due_at, context in plans
    ]
    Reminder.objects.bulk_create(rows, batch_size=1000, ignore_conflicts=True)
    if any(row.due_at <= now for row in rows):
        _kick_sender()
    return len(rows)


def _plan_again(reminder: Reminder, *, due_at: datetime, context: dict) -> None:
    """A repeatable kind asked for again under the same key (a second reset link the same day).

    Not yet sent: the waiting row takes the new context (one e-mail, the latest link). Sent,
    failed, cancelled or being sent: the row goes out again as a new message (sequence + 1, a
    fresh attempt budget); a sender holding it loses its claim and cannot record the old one.
    """
    waiting = Reminder.objects.filter(pk=reminder.pk, status=Reminder.Status.PENDING)
    if not waiting.update(context=context, not_before=due_at, due_at=due_at):
        Reminder.objects.filter(pk=reminder.pk).update(
            status=Reminder.Status.PENDING,
            sequence=F("sequence") + 1,
            claim_token=None,
            claimed_at=None,
            attempts=0,
            context=context,
            due_at=due_at,
            not_before=due_at,
            last_error="",
            cancelled_reason="",
            sent_at=None,
        )
    reminder.refresh_from_db()


def reminders_cancel(*, kind: str, about: models.Model, recipient: User | None = None, reason: str) -> int:
    """Cancel the pending reminders of a kind about an object (e.g. the course was completed).

    `reason` is stored in English, marked with gettext_noop by the caller; the outbox shows it
    translated.
    """
    rows = Reminder.objects.filter(
        kind=kind,
        subject_type=ContentType.objects.get_for_model(about),
        subject_id=about.pk,
        status=Reminder.Status.PENDING,
    )
    if recipient is not None:
        rows = rows.filter(recipient=recipient)
    return rows.update(status=Reminder.Status.CANCELLED, cancelled_reason=reason[:200])


def reminders_plan_daily() -> dict[str, int]:
    """Run every registered daily planner (idempotent: planning twice plans once)."""
    return {name: planner() for name, planner in kinds.planners().items()}


def reminder_retry(*, reminder: Reminder) -> bool:
    """Staff's "retry": a failed reminder goes back to the queue with a fresh attempt budget."""
    retried = Reminder.objects.filter(pk=reminder.pk, status=Reminder.Status.FAILED).update(
        status=Reminder.Status.PENDING, not_before=timezone.now(), attempts=0
    )
    if retried:
        _kick_sender()
    return bool(retried)


def reminders_release_today() -> int:
    """Make today's pending reminders due now instead of at their hour (for the demo data).

    Real days keep 09:00; a demo built at 06:00 must show the same mail as one built at 10:00.
    """
    now = timezone.now()
    released = Reminder.objects.filter(
        status=Reminder.Status.PENDING, due_on=timezone.localdate(now), not_before__gt=now
    ).update(not_before=now)
    if released:
        _kick_sender()
    return released
