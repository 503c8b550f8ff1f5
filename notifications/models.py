"""Reminders (the outbox, one row per message that must go out once) and in-app notifications."""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from sztu_xiaomi.models import TimeStampedModel


class ReminderStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")
    CANCELLED = "cancelled", _("Cancelled")


class Reminder(TimeStampedModel):
    """Who is told what kind of thing, about which object, due when — and what became of it.

    The unique key (recipient, kind, subject, due date) makes planning idempotent: a planner that
    runs twice, or a beat that fires twice, finds the row already there.
    """

    Status = ReminderStatus

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="reminders",
        verbose_name=_("recipient"),
    )
    kind = models.CharField(_("kind"), max_length=50)
    subject_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    subject_id = models.PositiveBigIntegerField()
    subject = GenericForeignKey("subject_type", "subject_id")
    due_on = models.DateField(_("due date"))
    due_at = models.DateTimeField(_("due at"))
    context = models.JSONField(default=dict, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    not_before = models.DateTimeField(_("next attempt at"))
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    # How many times a repeatable kind was asked for again under the same key (part of the
    # Message-ID, so each new message is a new message to the mail client).
    sequence = models.PositiveIntegerField(default=0, editable=False)
    claim_token = models.UUIDField(null=True, blank=True, editable=False)
    claimed_at = models.DateTimeField(null=True, blank=True)
    language = models.CharField(_("language"), max_length=8, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    cancelled_reason = models.CharField(_("reason for cancelling"), max_length=200, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        ordering = ["-due_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "kind", "subject_type", "subject_id", "due_on"],
                name="notifications_reminder_once",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=ReminderStatus.values),
                name="notifications_reminder_status_valid",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="sent") | models.Q(sent_at__isnull=False),
                name="notifications_reminder_sent_has_time",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "not_before"], name="notif_reminder_due_idx"),
            models.Index(fields=["subject_type", "subject_id", "kind"], name="notif_reminder_subject_idx"),
        ]

    def __str__(self):
        return f"{self.kind} → {self.recipient_id} ({self.due_on}, {self.status})"

    @property
    def message_id(self) -> str:
        """The same Message-ID on every copy of this reminder, so duplicates can be recognised."""
        domain = urlsplit(settings.SITE_URL).hostname or "localhost"
        again = f".{self.sequence}" if self.sequence else ""
        return f"<reminder.{self.pk}.{self.due_on:%Y%m%d}{again}@{domain}>"


class Notification(models.Model):
    """What a person sees in the notification centre."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    reminder = models.OneToOneField(
        Reminder, on_delete=models.SET_NULL, null=True, blank=True, related_name="notification"
    )
    kind = models.CharField(max_length=50)
    # In the recipient's language when it was sent; `texts` holds every site language, so a
    # person who switches language reads their notifications in the new one.
    title = models.CharField(max_length=300)
    body = models.TextField(blank=True)
    texts = models.JSONField(default=dict, blank=True)  # {"en": {"title": …, "body": …}, …}
    link = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "read_at"], name="notif_user_unread_idx")]

    def __str__(self):
        return self.title

    def _in_reader_language(self, part: str) -> str:
        return (self.texts.get(translation.get_language()) or {}).get(part) or getattr(self, part)

    @property
    def shown_title(self) -> str:
        """The title in the language being read (the active one); older rows keep their own."""
        return self._in_reader_language("title")

    @property
    def shown_body(self) -> str:
        return self._in_reader_language("body")


class NotificationPreference(TimeStampedModel):
    """A person's choice to receive (or not) a non-essential kind."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=50)
    enabled = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="notifications_preference_once"),
        ]
