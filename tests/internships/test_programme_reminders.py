"""The programme's reminder kinds (certification, staff and HR digests) rendered by the engine.

Moved from the engine's tests, which now use a test-only kind of their own.
"""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from accounts.models import Invitation
from internships import reminders as programme
from notifications import services
from notifications.models import Reminder
from tests.emails import assert_sent_email_says
from tests.factories import CohortFactory, HRFactory, InvitationFactory, MentorFactory, StaffFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def expiring_mentor(db):
    """A mentor whose certification expires in 10 days: the certification reminder is due now."""
    return MentorFactory(
        user__full_name="陈志强",
        user__email="chen@xiaomi.com",
        user__language="zh-hans",
        store__name_zh="小米之家 深圳南山海岸城店",
        store__name_en="Xiaomi Store Nanshan Coastal City",
        certification_expires_on=timezone.localdate() + timedelta(days=10),
    )


def plan_certification(mentor, due_at=None):
    return services.reminder_plan(
        recipient=mentor.user,
        kind="mentor_certification_expiring",
        about=mentor,
        due_at=due_at or timezone.now() - timedelta(minutes=1),
        context={"expires_on": mentor.certification_expires_on.isoformat()},
    )


def stale_invitation(**fields):
    """An invitation sent four days ago and still not accepted (created_at is set on insert)."""
    invitation = InvitationFactory(**fields)
    Invitation.objects.filter(pk=invitation.pk).update(created_at=timezone.now() - timedelta(days=4))
    return invitation


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

    assert_sent_email_says(subject_words, body_words, "/mentor/")


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
