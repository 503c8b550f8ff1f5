"""The engine's attachments hook: a kind may attach files to its e-mail, computed at send time."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from notifications import kinds
from notifications.models import Reminder
from notifications.services import reminder_plan, reminders_deliver_due
from tests.notifications.conftest import TEST_KIND

pytestmark = pytest.mark.django_db

ATTACHING = kinds.register(
    kinds.Kind(
        key="test_notice_with_file",
        label="Test notice with a file",
        template="tests/notice",
        audience=(),
        context=lambda reminder: {"note": "附件"},
        attachments=lambda reminder: [("plan.ics", f"UID:{reminder.subject_id}".encode(), "text/calendar")],
    )
)


def test_a_kind_without_attachments_sends_none(recipient):
    reminder_plan(recipient=recipient, kind=TEST_KIND.key, about=recipient, due_at=timezone.now())

    reminders_deliver_due()

    [message] = mail.outbox
    assert message.attachments == []


def test_the_kinds_files_are_attached_to_the_email_it_sends(recipient):
    reminder_plan(
        recipient=recipient, kind=ATTACHING.key, about=recipient, due_at=timezone.now() - timedelta(seconds=1)
    )

    report = reminders_deliver_due()

    assert report.sent == 1
    [message] = mail.outbox
    [(name, content, mimetype)] = message.attachments
    assert name == "plan.ics" and mimetype == "text/calendar"
    assert content == f"UID:{recipient.pk}"  # text attachments are decoded by Django
    assert Reminder.objects.get().status == Reminder.Status.SENT
