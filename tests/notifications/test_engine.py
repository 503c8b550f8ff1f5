"""The reminder engine: planning, exactly-once delivery, cancellation by state, retries, rendering."""

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from notifications import kinds, services
from notifications.models import Notification, NotificationPreference, Reminder
from notifications.services import delivery
from notifications.tasks import deliver_due_reminders_task, plan_daily_reminders_task
from tests.emails import assert_sent_email_says
from tests.factories import UserFactory
from tests.notifications.conftest import NO_LONGER_DUE, TEST_KIND, plan_notice

pytestmark = pytest.mark.django_db


def test_it_plans_the_same_reminder_once(recipient):
    first = plan_notice(recipient)
    second = plan_notice(recipient)
    assert first.pk == second.pk
    assert Reminder.objects.count() == 1


def test_the_database_rejects_a_second_row_with_the_same_key(recipient):
    reminder = plan_notice(recipient)
    duplicate = Reminder(
        recipient=reminder.recipient,
        kind=reminder.kind,
        subject_type=reminder.subject_type,
        subject_id=reminder.subject_id,
        due_on=reminder.due_on,
        due_at=reminder.due_at + timedelta(hours=3),
        not_before=reminder.not_before,
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save()


def test_the_database_rejects_a_sent_reminder_without_a_time(recipient):
    reminder = plan_notice(recipient)
    with pytest.raises(IntegrityError), transaction.atomic():
        Reminder.objects.filter(pk=reminder.pk).update(status=Reminder.Status.SENT, sent_at=None)


def test_it_refuses_an_unknown_kind(recipient):
    with pytest.raises(ValueError, match="unknown reminder kind"):
        services.reminder_plan(
            recipient=recipient, kind="no_such_kind", about=recipient, due_at=timezone.now()
        )


def test_a_reminder_planned_in_a_rolled_back_transaction_is_never_sent(recipient):
    with pytest.raises(RuntimeError), transaction.atomic():
        plan_notice(recipient)
        raise RuntimeError("the change that made it due failed")

    report = services.reminders_deliver_due()

    assert Reminder.objects.count() == 0
    assert report.sent == 0
    assert mail.outbox == []


def test_a_due_reminder_is_sent_once_with_an_in_app_notification(recipient):
    reminder = plan_notice(recipient)

    first = services.reminders_deliver_due()
    second = services.reminders_deliver_due()

    assert (first.sent, second.sent) == (1, 0)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["chen@xiaomi.com"]
    assert message.extra_headers["Message-ID"] == reminder.message_id
    reminder.refresh_from_db()
    assert reminder.status == Reminder.Status.SENT
    assert reminder.sent_at is not None
    assert reminder.language == "zh-hans"
    assert reminder.attempts == 1
    notification = Notification.objects.get(reminder=reminder)
    assert notification.user == recipient
    assert notification.title == message.subject
    assert notification.link == "/notifications/"


def test_beat_firing_twice_and_the_planner_running_twice_deliver_once(
    recipient, django_capture_on_commit_callbacks, monkeypatch
):
    def planner():
        plan_notice(recipient, due_at=services.at_nine(timezone.localdate()))
        return 1

    monkeypatch.setattr(kinds, "_PLANNERS", {"test": planner})
    with time_machine.travel(timezone.now().replace(hour=1), tick=False):  # 09:00 Shanghai
        with django_capture_on_commit_callbacks(execute=True):
            plan_daily_reminders_task.delay()
            plan_daily_reminders_task.delay()
        deliver_due_reminders_task.delay()
        deliver_due_reminders_task.delay()

    assert list(Reminder.objects.filter(status="sent").values_list("kind", flat=True)) == [TEST_KIND.key]
    assert len(mail.outbox) == 1


def test_a_reminder_is_not_sent_before_it_is_due(recipient):
    plan_notice(recipient, due_at=timezone.now() + timedelta(hours=2))

    assert services.reminders_deliver_due().sent == 0
    with time_machine.travel(timezone.now() + timedelta(hours=2, minutes=1)):
        assert services.reminders_deliver_due().sent == 1
    assert len(mail.outbox) == 1


def test_a_reminder_whose_reason_has_gone_is_cancelled_not_sent(recipient):
    reminder = plan_notice(recipient)
    NO_LONGER_DUE.add(recipient.pk)  # e.g. the course was completed after planning

    report = services.reminders_deliver_due()

    reminder.refresh_from_db()
    assert report.cancelled == 1
    assert reminder.status == Reminder.Status.CANCELLED
    assert reminder.cancelled_reason == "no longer due"
    assert mail.outbox == []
    assert not Notification.objects.exists()


def test_a_cancelled_reminder_is_cancelled_by_the_caller_too(recipient):
    reminder = plan_notice(recipient)
    count = services.reminders_cancel(kind=TEST_KIND.key, about=recipient, reason="course completed")
    services.reminders_deliver_due()
    reminder.refresh_from_db()
    assert count == 1
    assert reminder.status == Reminder.Status.CANCELLED
    assert mail.outbox == []


def test_a_kind_switched_off_by_the_recipient_is_not_sent(recipient):
    NotificationPreference.objects.create(user=recipient, kind=TEST_KIND.key, enabled=False)
    reminder = plan_notice(recipient)
    services.reminders_deliver_due()
    reminder.refresh_from_db()
    assert reminder.status == Reminder.Status.CANCELLED
    assert reminder.cancelled_reason == "switched off by the recipient"
    assert mail.outbox == []


def test_an_inactive_recipient_gets_nothing(recipient):
    reminder = plan_notice(recipient)
    recipient.is_active = False
    recipient.save()
    services.reminders_deliver_due()
    reminder.refresh_from_db()
    assert reminder.status == Reminder.Status.CANCELLED
    assert mail.outbox == []


def test_a_sender_that_died_mid_send_is_taken_over_after_its_lease_with_the_same_message_id(
    recipient, settings
):
    reminder = plan_notice(recipient)
    # A worker claimed the row and died before recording the result.
    Reminder.objects.filter(pk=reminder.pk).update(
        status=Reminder.Status.SENDING, claimed_at=timezone.now(), attempts=1
    )
    assert services.reminders_deliver_due().sent == 0  # its lease still holds

    with time_machine.travel(timezone.now() + timedelta(seconds=settings.REMINDER_CLAIM_LEASE_SECONDS + 1)):
        assert services.reminders_deliver_due().sent == 1
    assert [m.extra_headers["Message-ID"] for m in mail.outbox] == [reminder.message_id]
    reminder.refresh_from_db()
    assert reminder.status == Reminder.Status.SENT
    assert reminder.attempts == 2


def test_a_broken_template_does_not_stop_the_batch(recipient, monkeypatch):
    other = UserFactory()
    broken = plan_notice(recipient)
    fine = plan_notice(other)
    real_render = delivery._render

    def render(reminder, kind):
        if reminder.pk == broken.pk:
            raise KeyError("missing context")
        return real_render(reminder, kind)

    monkeypatch.setattr(delivery, "_render", render)
    services.reminders_deliver_due()

    broken.refresh_from_db()
    fine.refresh_from_db()
    assert fine.status == Reminder.Status.SENT
    assert broken.status == Reminder.Status.PENDING
    assert broken.not_before > timezone.now()
    assert "internal error" in broken.last_error


@pytest.mark.parametrize(
    ("language", "subject_words", "body_words"),
    [
        ("zh-hans", ["通知"], ["陈志强，您好", "记得带工牌"]),
        ("en", ["Notifications"], ["Dear 陈志强", "记得带工牌"]),
    ],
)
def test_a_reminder_renders_in_the_recipients_language(recipient, language, subject_words, body_words):
    recipient.language = language
    recipient.save()
    plan_notice(recipient)
    services.reminders_deliver_due()

    assert_sent_email_says(subject_words, body_words, "/notifications/")


@pytest.mark.parametrize(
    ("reader_language", "shown", "not_shown"),
    [
        ("en", "Notifications: 记得带工牌", "通知: 记得带工牌"),
        ("zh-hans", "通知: 记得带工牌", "Notifications: 记得带工牌"),
    ],
)
def test_a_notification_is_shown_in_the_language_its_reader_uses_now(
    client, recipient, reader_language, shown, not_shown
):
    recipient.language = "zh-hans" if reader_language == "en" else "en"  # sent in the other one
    recipient.save()
    reminder = plan_notice(recipient)
    services.reminders_deliver_due()
    recipient.language = reader_language  # the person switched language afterwards
    recipient.save()

    client.force_login(recipient)
    html = client.get(reverse("notifications:list")).content.decode()

    assert shown in html
    assert not_shown not in html
    title = {"en": "Notifications", "zh-hans": "通知"}[reader_language]
    assert f"{title} {reminder.pk}" in html
