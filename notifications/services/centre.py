"""The notification centre: marking notifications read, and each person's settings."""

from django.db import transaction
from django.utils import timezone

from accounts.models import User

from .. import kinds
from ..models import Notification, NotificationPreference


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
