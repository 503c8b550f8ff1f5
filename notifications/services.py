"""Planning, delivering and cancelling reminders; marking notifications read.

Delivery is at-least-once by design. Handing a message to a mail server and committing to the
database cannot be one atomic step, so we chose this order: claim the row (committed), send the
e-mail, then mark the row sent. A worker killed between the send and the commit leaves the row
"sending"; once its claim lease runs out, the next sender delivers it again, with the same
Message-ID, so the copy is recognisable. The opposite order (mark sent, then send) would lose the
message on such a crash, which is worse for "your placement starts on Monday".
"""

import logging
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from time import monotonic

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext_noop

from accounts.emails import RenderedEmail, render_email
from accounts.models import User

from . import kinds
from .channels import EmailChannel, PermanentDeliveryError, TransientDeliveryError
from .models import Notification, NotificationPreference, Reminder

logger = logging.getLogger(__name__)


def at_nine(day: date) -> datetime:
    """09:00 Asia/Shanghai on `day`: when daily reminders and digests go out."""
    return timezone.make_aware(datetime.combine(day, time(9, 0)))


def _kick_sender() -> None:
    from .tasks import deliver_due_reminders_task

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


@dataclass
class DeliveryReport:
    sent: int = 0
    cancelled: int = 0
    retrying: int = 0
    failed: int = 0
    skipped: int = 0  # claimed by another sender first, or taken over by one
    # The run stopped at its time budget or the soft time limit with rows still due.
    more_due: bool = False
    errors: list[str] = field(default_factory=list)

    @property
    def handled(self) -> int:
        return self.sent + self.cancelled + self.retrying + self.failed


# The sender's clock for its time budget (monotonic: a frozen or shifted wall clock cannot stretch it).
_clock = monotonic


def _retry_delay(attempts: int) -> timedelta:
    """1, 4, 16, 64 minutes… capped: growing delays, bounded by REMINDER_MAX_ATTEMPTS."""
    base = settings.REMINDER_RETRY_BASE_SECONDS
    return timedelta(seconds=min(base * 4 ** max(attempts - 1, 0), settings.REMINDER_RETRY_MAX_SECONDS))


def _due(now: datetime) -> Q:
    lease = timedelta(seconds=settings.REMINDER_CLAIM_LEASE_SECONDS)
    return Q(status=Reminder.Status.PENDING, not_before__lte=now) | Q(
        # a sender that died mid-batch: its claim expires and the row is taken over
        status=Reminder.Status.SENDING,
        claimed_at__lt=now - lease,
    )


def _claim_batch(limit: int) -> tuple[uuid.UUID, list[Reminder], int]:
    """Claim up to `limit` due rows in one compare-and-swap UPDATE.

    The UPDATE repeats the "due" condition, so a row another sender claimed in the meantime no
    longer matches and is left to it (PostgreSQL re-checks the condition after the other
    transaction commits): every row is claimed by exactly one sender, on any database.
    """
    now = timezone.now()
    ids = list(
        Reminder.objects.filter(_due(now)).order_by("not_before", "pk").values_list("pk", flat=True)[:limit]
    )
    token = uuid.uuid4()
    if ids:
        Reminder.objects.filter(_due(now), pk__in=ids).update(
            status=Reminder.Status.SENDING, claim_token=token, claimed_at=now, attempts=F("attempts") + 1
        )
    rows = list(Reminder.objects.filter(claim_token=token).select_related("recipient").order_by("pk"))
    return token, rows, len(ids)


def _finish(reminder: Reminder, token, **fields) -> bool:
    fields.setdefault("claim_token", None)
    return Reminder.objects.filter(pk=reminder.pk, claim_token=token).update(**fields) == 1


def _renew(token, pk: int | None = None) -> int:
    """Renew this sender's claim (on one row, or on every row of its batch still unsent).

    True only while the claim is still ours: a row another sender took over after our lease ran
    out is not sent by us again.
    """
    rows = Reminder.objects.filter(claim_token=token, status=Reminder.Status.SENDING)
    if pk is not None:
        rows = rows.filter(pk=pk)
    return rows.update(claimed_at=timezone.now())


def _release(token) -> int:
    """Give back the rows of a batch this run will not try after all: due again at once, and the
    claim's attempt is not counted (nothing was tried)."""
    return Reminder.objects.filter(claim_token=token, status=Reminder.Status.SENDING).update(
        status=Reminder.Status.PENDING, claim_token=None, claimed_at=None, attempts=F("attempts") - 1
    )


def _switched_off(rows: list[Reminder]) -> set[tuple[int, str]]:
    """(user, kind) pairs of the batch that the recipients have switched off, in one query."""
    return set(
        NotificationPreference.objects.filter(
            enabled=False, user_id__in={r.recipient_id for r in rows}, kind__in={r.kind for r in rows}
        ).values_list("user_id", "kind")
    )


@dataclass
class _Rendered:
    email: RenderedEmail  # in the recipient's language
    link: str
    texts: dict = field(default_factory=dict)  # {language: {"title", "body"}} for the bell


def _render(reminder: Reminder, kind: kinds.Kind) -> _Rendered:
    """The e-mail in the recipient's language, and the in-app text in every site language.

    The context is computed once (it may cost queries, e.g. a digest); lazily translated values
    in it render in each language. Every language is stored, so the bell shows a notification in
    the language its reader uses now, not only the one it was sent in.
    """
    recipient = reminder.recipient
    with translation.override(recipient.language):
        link = kind.link(reminder)
        context = {"recipient": recipient, "reminder": reminder, "link": link, **kind.context(reminder)}
        email = render_email(kind.template, context, recipient.language)
    rendered = _Rendered(email=email, link=link)
    if kind.in_app:
        for language, _name in settings.LANGUAGES:
            with translation.override(language):
                context = {"site_url": settings.SITE_URL.rstrip("/"), **context}
                rendered.texts[language] = {
                    "title": " ".join(
                        render_to_string(f"emails/{kind.template}_subject.txt", context).split()
                    ),
                    "body": " ".join(render_to_string(f"emails/{kind.template}_short.txt", context).split()),
                }
    return rendered


def _deliver_one(reminder: Reminder, token, channel, report: DeliveryReport, switched_off: set) -> None:
    kind = kinds.get(reminder.kind)
    now = timezone.now()
    reason = None
    if kind is None:
        reason = gettext_noop("unknown kind")
    elif not reminder.recipient.is_active and not kind.reaches_inactive:
        reason = gettext_noop("recipient account is inactive")
    elif not kind.still_due(reminder):
        reason = gettext_noop("no longer due")
    elif not kind.essential and (reminder.recipient_id, reminder.kind) in switched_off:
        reason = gettext_noop("switched off by the recipient")
    if reason:
        _finish(reminder, token, status=Reminder.Status.CANCELLED, cancelled_reason=reason)
        report.cancelled += 1
        return

    rendered = _render(reminder, kind)
    if not _renew(token, reminder.pk):
        report.skipped += 1  # our lease ran out and another sender took the row over
        return
    try:
        channel.send(rendered.email, to=reminder.recipient.email, message_id=reminder.message_id)
    except TransientDeliveryError as error:
        report.errors.append(str(error))
        if reminder.attempts >= settings.REMINDER_MAX_ATTEMPTS:
            _finish(reminder, token, status=Reminder.Status.FAILED, last_error=str(error)[:2000])
            report.failed += 1
        else:
            _finish(
                reminder,
                token,
                status=Reminder.Status.PENDING,
                not_before=now + _retry_delay(reminder.attempts),
                last_error=str(error)[:2000],
            )
            report.retrying += 1
        return
    except PermanentDeliveryError as error:
        report.errors.append(str(error))
        _finish(reminder, token, status=Reminder.Status.FAILED, last_error=str(error)[:2000])
        report.failed += 1
        return

    with transaction.atomic():
        if _finish(
            reminder,
            token,
            status=Reminder.Status.SENT,
            sent_at=timezone.now(),
            language=reminder.recipient.language,
        ):
            # Same transaction as "sent": after a crash before this commit, neither exists.
            if kind.in_app:
                own = rendered.texts.get(reminder.recipient.language) or {}
                Notification.objects.update_or_create(
                    reminder=reminder,
                    defaults={
                        "user_id": reminder.recipient_id,
                        "kind": reminder.kind,
                        "title": rendered.email.subject[:300],
                        "body": own.get("body", ""),
                        "texts": rendered.texts,
                        "link": rendered.link,
                    },
                )
            if kind.on_sent is not None:
                kind.on_sent(reminder)
    report.sent += 1


def _internal_error(reminder: Reminder, token, report: DeliveryReport) -> None:
    """A bug in one kind's template must not stop the others: the row is released for a later
    attempt, counted towards its limit, and failed once it reaches it."""
    logger.exception("reminder %s could not be delivered", reminder.pk)
    last = reminder.attempts >= settings.REMINDER_MAX_ATTEMPTS
    _finish(
        reminder,
        token,
        status=Reminder.Status.FAILED if last else Reminder.Status.PENDING,
        not_before=timezone.now() + _retry_delay(reminder.attempts),
        last_error="internal error while rendering or sending",
    )
    if last:
        report.failed += 1
    else:
        report.retrying += 1


def reminders_deliver_due(*, batch_size: int = 100, time_budget: float | None = None) -> DeliveryReport:
    """Claim and deliver due reminders for at most `time_budget` seconds; safe in several workers.

    A run ends well within the task's time limits: once its budget is spent (checked before each
    message) or when the soft time limit strikes, it gives back the rows of its batch it did not
    try and says `more_due`, and the task enqueues itself again. While it works through a batch it
    renews its claim, so no other sender takes the batch over while this one is alive.
    """
    budget = settings.REMINDER_SENDER_TIME_BUDGET_SECONDS if time_budget is None else time_budget
    renew_every = settings.REMINDER_CLAIM_LEASE_SECONDS / 4
    started = _clock()
    report = DeliveryReport()
    token = None
    try:
        with EmailChannel() as channel:
            while True:
                token, rows, candidates = _claim_batch(batch_size)
                if not candidates:
                    break
                renewed = _clock()
                report.skipped += candidates - len(rows)
                switched_off = _switched_off(rows)
                for reminder in rows:
                    if _clock() - started >= budget:
                        _release(token)
                        report.more_due = True
                        return report
                    if _clock() - renewed >= renew_every:
                        _renew(token)
                        renewed = _clock()
                    try:
                        _deliver_one(reminder, token, channel, report, switched_off)
                    except SoftTimeLimitExceeded:
                        raise
                    except Exception:
                        _internal_error(reminder, token, report)
                token = None
    except SoftTimeLimitExceeded:
        # The worker's soft limit: stop cleanly before the hard limit kills us. The row in hand
        # goes back too (it may have reached the mail server: at least once, same Message-ID).
        logger.warning("reminder sender hit the soft time limit; the rest of its batch is released")
        if token is not None:
            _release(token)
        report.more_due = True
    return report


def reminder_next_retry_before(limit: datetime) -> datetime | None:
    """The earliest retry (or delayed reminder) due after now and before `limit`, if any."""
    return (
        Reminder.objects.filter(
            status=Reminder.Status.PENDING, not_before__gt=timezone.now(), not_before__lt=limit
        )
        .order_by("not_before")
        .values_list("not_before", flat=True)
        .first()
    )


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


def notification_mark_read(*, notification: Notification) -> None:
    if notification.read_at is None:
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=timezone.now())


def notifications_mark_all_read(*, user: User) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).update(read_at=timezone.now())


@transaction.atomic
def preferences_set(*, user: User, enabled: dict[str, bool]) -> None:
    """Save which non-essential kinds a person receives; essential kinds are always on."""
    for key, on in enabled.items():
        kind = kinds.get(key)
        if kind is None or kind.essential:
            continue
        NotificationPreference.objects.update_or_create(user=user, kind=key, defaults={"enabled": on})


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
