"""Delivering due reminders: claim a batch, re-check, render, send, record; retries and time limits."""

import logging
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from time import monotonic

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext_noop

from accounts.emails import RenderedEmail, render_email

from .. import kinds
from ..channels import EmailChannel, PermanentDeliveryError, TransientDeliveryError
from ..models import Notification, NotificationPreference, Reminder

logger = logging.getLogger(__name__)


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
    attachments: list = field(default_factory=list)  # [(filename, content, mimetype)]
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
        attachments = list(kind.attachments(reminder))
    rendered = _Rendered(email=email, link=link, attachments=attachments)
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
        channel.send(
            rendered.email,
            to=reminder.recipient.email,
            message_id=reminder.message_id,
            attachments=rendered.attachments,
        )
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
