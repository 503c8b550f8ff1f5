"""Staff's outbox: every reminder with its fate, filters, and sending a failed one again."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from notifications.models import Notification, Reminder
from notifications.services import reminder_plan
from tests.factories import StaffFactory, UserFactory
from tests.notifications.conftest import TEST_KIND, plan_notice

NOTICE_LABEL = TEST_KIND.label

# The same bound whatever the number of reminders: no query per row.
OUTBOX_QUERY_BOUND = 5


def person(name="陈志强", email="chen@xiaomi.com"):
    return UserFactory(full_name=name, email=email, language="en")


def plan_due(user):
    """The test notice, due a minute ago. Its on-commit kick to the sender is dropped with the
    test's transaction, so the row stays as the test sets it."""
    return plan_notice(user)


def set_status(reminder, status, **fields):
    if status == Reminder.Status.SENT:
        fields.setdefault("sent_at", timezone.now())
    Reminder.objects.filter(pk=reminder.pk).update(status=status, **fields)
    reminder.refresh_from_db()
    return reminder


def failed_notice(user):
    return set_status(plan_due(user), Reminder.Status.FAILED, last_error="boom", attempts=5)


def shown_reminders(response) -> list[Reminder]:
    assert response.status_code == 200
    return list(response.context["page"].object_list)


@pytest.mark.parametrize("persona", ["staff", "admin"], indirect=True)
def test_staff_and_admin_see_each_reminder_with_recipient_kind_status_and_problem(client, persona):
    reminder = failed_notice(person())
    client.force_login(persona)

    response = client.get(reverse("notifications:outbox"))

    html = response.content.decode()
    assert shown_reminders(response) == [reminder]
    assert "陈志强" in html
    assert "chen@xiaomi.com" in html
    assert NOTICE_LABEL in html
    assert ">Failed</span>" in html
    assert "boom" in html
    assert reverse("notifications:outbox_retry", args=[reminder.pk]) in html


def test_only_failed_reminders_offer_a_retry_button(client, staff):
    failed = failed_notice(person())
    pending = plan_due(person("林晓燕", "lin@xiaomi.com"))
    client.force_login(staff)

    html = client.get(reverse("notifications:outbox")).content.decode()

    assert reverse("notifications:outbox_retry", args=[failed.pk]) in html
    assert reverse("notifications:outbox_retry", args=[pending.pk]) not in html
    assert ">Pending</span>" in html


def test_the_outbox_filters_by_status(client, staff):
    failed = failed_notice(person())
    plan_due(person("林晓燕", "lin@xiaomi.com"))
    client.force_login(staff)

    response = client.get(reverse("notifications:outbox"), {"status": "failed"})

    assert shown_reminders(response) == [failed]
    assert "lin@xiaomi.com" not in response.content.decode()


def test_the_outbox_finds_reminders_by_recipient_email(client, staff):
    failed_notice(person())
    lin = plan_due(person("林晓燕", "lin@xiaomi.com"))
    client.force_login(staff)

    response = client.get(reverse("notifications:outbox"), {"q": "LIN@xiaomi"})

    assert shown_reminders(response) == [lin]
    assert "chen@xiaomi.com" not in response.content.decode()


def test_the_outbox_combines_the_status_filter_with_the_search(client, staff):
    failed = failed_notice(person("陈志强", "chen@xiaomi.com"))
    set_status(plan_due(person("陈志明", "chen.ming@xiaomi.com")), "sent")
    plan_due(person("林晓燕", "lin@xiaomi.com"))
    client.force_login(staff)

    response = client.get(reverse("notifications:outbox"), {"status": "failed", "q": "chen"})

    assert shown_reminders(response) == [failed]


def test_retry_puts_a_failed_reminder_back_in_the_queue_with_a_fresh_attempt_budget(client, staff):
    reminder = failed_notice(person())
    client.force_login(staff)

    response = client.post(reverse("notifications:outbox_retry", args=[reminder.pk]), follow=True)

    assert response.redirect_chain == [(reverse("notifications:outbox"), 302)]
    assert "The reminder is queued again and goes out within a few minutes." in response.content.decode()
    reminder.refresh_from_db()
    assert reminder.status == Reminder.Status.PENDING
    assert reminder.attempts == 0
    assert reminder.not_before <= timezone.now()


def test_a_retried_reminder_is_delivered_once_the_retry_is_committed(
    client, staff, django_capture_on_commit_callbacks
):
    mentor = person()
    reminder = failed_notice(mentor)
    client.force_login(staff)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        client.post(reverse("notifications:outbox_retry", args=[reminder.pk]))

    assert len(callbacks) == 1
    reminder.refresh_from_db()
    assert reminder.status == Reminder.Status.SENT
    assert reminder.attempts == 1
    assert [message.to for message in mail.outbox] == [["chen@xiaomi.com"]]
    assert Notification.objects.get(reminder=reminder).user == mentor


@pytest.mark.parametrize("status", ["pending", "sent", "cancelled"])
def test_retrying_a_reminder_that_has_not_failed_changes_nothing(
    client, staff, django_capture_on_commit_callbacks, status
):
    reminder = set_status(plan_due(person()), status, attempts=2)
    before = Reminder.objects.values().get(pk=reminder.pk)
    client.force_login(staff)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(reverse("notifications:outbox_retry", args=[reminder.pk]), follow=True)

    assert "Only failed reminders can be retried." in response.content.decode()
    assert Reminder.objects.values().get(pk=reminder.pk) == before
    assert callbacks == []
    assert mail.outbox == []


def test_retrying_an_unknown_reminder_is_not_found(client, staff):
    client.force_login(staff)

    response = client.post(reverse("notifications:outbox_retry", args=[987654]))

    assert response.status_code == 404


@pytest.mark.parametrize("size", [3, 80])
def test_the_outbox_makes_a_bounded_number_of_queries(client, django_assert_max_num_queries, staff, size):
    statuses = ["pending", "failed", "sent", "cancelled"]
    future = timezone.now() + timedelta(days=1)
    for i, someone in enumerate(StaffFactory.create_batch(size)):
        reminder = reminder_plan(recipient=someone, kind=TEST_KIND.key, about=someone, due_at=future)
        set_status(reminder, statuses[i % len(statuses)], last_error="boom" if i % 4 == 1 else "")
    client.force_login(staff)

    with django_assert_max_num_queries(OUTBOX_QUERY_BOUND):
        response = client.get(reverse("notifications:outbox"))

    assert len(shown_reminders(response)) == min(50, size)


# --- The Django admin's retry action ------------------------------------------------------------


def test_the_admin_retry_action_sends_the_selected_failed_reminders_again(
    client, admin_user, django_capture_on_commit_callbacks
):
    failed = failed_notice(person())
    sent = set_status(
        plan_due(person("林晓燕", "lin@xiaomi.com")),
        "sent",
        sent_at=timezone.now() - timedelta(days=1),
        attempts=1,
    )
    client.force_login(admin_user)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:notifications_reminder_changelist"),
            {"action": "retry", "_selected_action": [failed.pk, sent.pk]},
            follow=True,
        )

    assert response.status_code == 200
    assert "1 reminder queued again." in response.content.decode()
    failed.refresh_from_db()
    assert failed.status == Reminder.Status.SENT
    assert [message.to for message in mail.outbox] == [["chen@xiaomi.com"]]
    assert Reminder.objects.values().get(pk=sent.pk)["sent_at"] == sent.sent_at
