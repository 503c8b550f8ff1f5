"""In-app notifications."""

import factory

from notifications.models import Notification

from .accounts import StudentFactory


class NotificationFactory(factory.django.DjangoModelFactory):
    """An in-app notification, unread unless read_at is given."""

    class Meta:
        model = Notification

    user = factory.SubFactory(StudentFactory)
    kind = "mentor_certification_expiring"
    title = factory.Sequence(lambda n: f"Reminder number {n}")
    body = "Something needs your attention."
    link = "/"
