"""Reads of the reminder engine: a person's notifications and preferences, staff's outbox."""

from django.db.models import QuerySet

from accounts.models import User

from . import kinds
from .models import Notification, NotificationPreference, Reminder


def unread_count(user: User) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def notifications_for(user: User) -> QuerySet[Notification]:
    return Notification.objects.filter(user=user).order_by("-created_at", "-id")


def preferences_for(user: User) -> list[dict]:
    """Every kind with whether this person receives it, and whether they may switch it off."""
    off = set(NotificationPreference.objects.filter(user=user, enabled=False).values_list("kind", flat=True))
    return [
        {"kind": kind, "enabled": kind.essential or kind.key not in off, "locked": kind.essential}
        for kind in kinds.all_kinds()
        if kind.audience is None or user.role in kind.audience
    ]


def failed_reminder_count() -> int:
    return Reminder.objects.filter(status=Reminder.Status.FAILED).count()


def outbox(*, status: str = "", kind: str = "", query: str = "") -> QuerySet[Reminder]:
    rows = Reminder.objects.select_related("recipient").order_by("-due_at", "-id")
    if status:
        rows = rows.filter(status=status)
    if kind:
        rows = rows.filter(kind=kind)
    if query:
        rows = rows.filter(recipient__email__icontains=query.strip()) | rows.filter(
            recipient__full_name__icontains=query.strip()
        )
    return rows
