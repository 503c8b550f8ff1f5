"""The reminder engine: planning, exactly-once delivery, cancellation by state, retries, rendering."""

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import Invitation
from internships import reminders as programme
from notifications import services
from notifications.models import Notification, NotificationPreference, Reminder
from notifications.tasks import deliver_due_reminders_task, plan_daily_reminders_task
from tests.factories import CohortFactory, HRFactory, InvitationFactory, MentorFactory, StaffFactory
from tests.notifications.conftest import plan_certification

pytestmark = pytest.mark.django_db


def stale_invitation(**fields):
    """An invitation sent four days ago and still not accepted (created_at is set on insert)."""
    invitation = InvitationFactory(**fields)
    Invitation.objects.filter(pk=invitation.pk).update(created_at=timezone.now() - timedelta(days=4))
    return invitation


def test_it_plans_the_same_reminder_once(expiring_mentor):
    first = plan_certification(expiring_mentor)
    second = plan_certification(expiring_mentor)
    assert first.pk == second.pk
    assert Reminder.objects.count() == 1


def test_the_database_rejects_a_second_row_with_the_same_key(expiring_mentor):
    reminder = plan_certification(expiring_mentor)
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


def test_the_database_rejects_a_sent_reminder_without_a_time(expiring_mentor):
    reminder = plan_certification(expiring_mentor)
    with pytest.raises(IntegrityError), transaction.atomic():
        Reminder.objects.filter(pk=reminder.pk).update(status=Reminder.Status.SENT, sent_at=None)


def test_it_refuses_an_unknown_kind(expiring_mentor):
    with pytest.raises(ValueError, match="unknown reminder kind"):
        services.reminder_plan(
            recipient=expiring_mentor.user, kind="no_such_kind", about=expiring_mentor, due_at=timezone.now()
        )


def test_a_reminder_planned_in_a_rolled_back_transaction_is_never_sent(expiring_mentor):
    with pytest.raises(RuntimeError), transaction.atomic():
        plan_certification(expiring_mentor)
        raise RuntimeError("the change that made it due failed")

    report = services.reminders_deliver_due()

    assert Reminder.objects.count() == 0
    assert report.sent == 0
    assert mail.outbox == []


def test_a_due_reminder_is_sent_once_with_an_in_app_notification(expiring_mentor):
    reminder = plan_certification(expiring_mentor)

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
    assert notification.user == expiring_mentor.user
    assert notification.title == message.subject
    assert notification.link == "/mentor/"


def test_beat_firing_twice_and_the_planner_running_twice_deliver_once(
    expiring_mentor, django_capture_on_commit_callbacks
):
    staff = StaffFactory(language="en")
    stale_invitation(invited_by=staff)  # gives the staff digest an item
    with time_machine.travel(timezone.now().replace(hour=1), tick=False):  # 09:00 Shanghai
        with django_capture_on_commit_callbacks(execute=True):
            plan_daily_reminders_task.delay()
            plan_daily_reminders_task.delay()
        deliver_due_reminders_task.delay()
        deliver_due_reminders_task.delay()

    kinds_sent = sorted(Reminder.objects.filter(status="sent").values_list("kind", flat=True))
    assert kinds_sent == ["mentor_certification_expiring", "staff_daily_digest"]
    assert len(mail.outbox) == 2


def test_a_reminder_is_not_sent_before_it_is_due(expiring_mentor):
    plan_certification(expiring_mentor, due_at=timezone.now() + timedelta(hours=2))

    assert services.reminders_deliver_due().sent == 0
    with time_machine.travel(timezone.now() + timedelta(hours=2, minutes=1)):
        assert services.reminders_deliver_due().sent == 1
    assert len(mail.outbox) == 1


def test_a_reminder_whose_reason_has_gone_is_cancelled_not_sent(expiring_mentor):
    reminder = plan_certification(expiring_mentor)
    expiring_mentor.certification_expires_on += timedelta(days=730)  # renewed after planning
    expiring_mentor.save()

    report = services.reminders_deliver_due()

    reminder.refresh_from_db()
    assert report.cancelled == 1
    assert reminder.status == Reminder.Status.CANCELLED
    assert reminder.cancelled_reason == "no longer due"
    assert mail.outbox == []
    assert not Notification.objects.exists()


def test_a_cancelled_reminder_is_cancelled_by_the_caller_too(expiring_mentor):
    reminder = plan_certification(expiring_mentor)
    count = services.reminders_cancel(
        kind="mentor_certification_expiring", about=expiring_mentor, reason="certification renewed"
    )
    services.reminders_deliver_due()
    reminder.refresh_from_db()
    assert count == 1
    assert reminder.status == Reminder.Status.CANCELLED
    assert mail.outbox == []


def test_a_kind_switched_off_by_the_recipient_is_not_sent(expiring_mentor):
    NotificationPreference.objects.create(
        user=expiring_mentor.user, kind="mentor_certification_expiring", enabled=False
    )
    reminder = plan_certification(expiring_mentor)
    services.reminders_deliver_due()
    reminder.refresh_from_db()
    assert reminder.status == Reminder.Status.CANCELLED
    assert reminder.cancelled_reason == "switched off by the recipient"
    assert mail.outbox == []


def test_an_inactive_recipient_gets_nothing(expiring_mentor):
    reminder = plan_certification(expiring_mentor)
    expiring_mentor.user.is_active = False
    expiring_mentor.user.save()
    services.reminders_deliver_due()
    reminder.refresh_from_db()
    assert reminder.status == Reminder.Status.CANCELLED
    assert mail.outbox == []


def test_a_sender_that_died_mid_send_is_taken_over_after_its_lease_with_the_same_message_id(
    expiring_mentor, settings
):
    reminder = plan_certification(expiring_mentor)
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


def test_a_broken_template_does_not_stop_the_batch(expiring_mentor, monkeypatch):
    other = MentorFactory(certification_expires_on=timezone.localdate() + timedelta(days=12))
    broken = plan_certification(expiring_mentor)
    fine = plan_certification(other)
    real_render = services._render

    def render(reminder, kind):
        if reminder.pk == broken.pk:
            raise KeyError("missing context")
        return real_render(reminder, kind)

    monkeypatch.setattr(services, "_render", render)
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
        ("zh-hans", ["导师认证", "到期"], ["陈志强，您好", "小米之家 深圳南山海岸城店"]),
        (
            "en",
            ["Your mentor certification expires on"],
            ["Dear 陈志强", "Xiaomi Store Nanshan Coastal City"],
        ),
    ],
)
def test_the_certification_reminder_renders_in_the_recipients_language(
    expiring_mentor, language, subject_words, body_words
):
    expiring_mentor.user.language = language
    expiring_mentor.user.save()
    plan_certification(expiring_mentor)
    services.reminders_deliver_due()

    message = mail.outbox[0]
    html = message.alternatives[0][0]
    for word in subject_words:
        assert word in message.subject
    for word in body_words:
        assert word in message.body
        assert word in html
    assert "/mentor/" in message.body
    notification = Notification.objects.get()
    assert notification.body and "{%" not in notification.body


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("zh-hans", ["项目办公室", "超过 3 天", "王同学", "2027年春季班"]),
        ("en", ["Programme office", "more than 3 days ago", "王同学", "Spring 2027"]),
    ],
)
def test_the_staff_digest_lists_waiting_items_in_the_recipients_language(language, words):
    staff = StaffFactory(language=language)
    stale_invitation(user__full_name="王同学", user__email="waiting@qq.com")
    CohortFactory(
        name_zh="2027年春季班",
        name_en="Spring 2027",
        applications_close_on=timezone.localdate() + timedelta(days=3),
    )
    services.reminder_plan(recipient=staff, kind="staff_daily_digest", about=staff, due_at=timezone.now())
    services.reminders_deliver_due()

    message = mail.outbox[0]
    for word in words:
        assert word in message.subject + message.body
    assert "waiting@qq.com" in message.body  # plain text: not HTML-escaped
    assert "&lt;" not in message.body


@pytest.mark.parametrize(
    ("language", "words"),
    [("zh-hans", ["小米协调", "认证"]), ("en", ["Xiaomi coordination", "certifications"])],
)
def test_the_hr_digest_lists_expiring_certifications(expiring_mentor, language, words):
    hr = HRFactory(language=language)
    services.reminder_plan(recipient=hr, kind="hr_daily_digest", about=hr, due_at=timezone.now())
    services.reminders_deliver_due()
    message = mail.outbox[0]
    for word in words:
        assert word in message.subject + message.body
    assert "陈志强" in message.body


def test_an_empty_digest_is_not_sent():
    staff = StaffFactory()
    reminder = services.reminder_plan(
        recipient=staff, kind="staff_daily_digest", about=staff, due_at=timezone.now()
    )
    services.reminders_deliver_due()
    reminder.refresh_from_db()
    assert reminder.status == Reminder.Status.CANCELLED
    assert mail.outbox == []


def test_the_certification_planner_is_idempotent_and_plans_from_the_expiry_date():
    soon = MentorFactory(certification_expires_on=timezone.localdate() + timedelta(days=20))
    MentorFactory(certification_expires_on=timezone.localdate() + timedelta(days=200))  # not yet

    assert programme.plan_certification_reminders() == 1
    programme.plan_certification_reminders()

    reminder = Reminder.objects.get()
    assert reminder.subject == soon
    assert reminder.due_on == soon.certification_expires_on - timedelta(days=30)
