"""Invitation and password-reset e-mails are outbox rows of the reminder engine, like every e-mail:
kept when the broker is down, sent once, in the recipient's language, with a working one-time link."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from accounts import outbox
from accounts.models import Invitation, User
from accounts.services import invitation_create, invitation_resend
from notifications import kinds, services
from notifications.models import Notification, NotificationPreference, Reminder
from tests.factories import StudentFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a-fresh-passphrase-2027"


def invite(staff, email="zhou@qq.com", language="zh-hans"):
    return invitation_create(
        email=email, full_name="周宇航", role="student", language=language, invited_by=staff
    )


def link_in(message, pattern) -> str:
    match = re.search(pattern, message.body)
    assert match, message.body
    return match.group(0)


def test_an_invitation_is_a_pending_row_of_the_outbox_until_a_sender_runs(staff):
    invitation = invite(staff)

    [row] = Reminder.objects.all()
    assert (row.kind, row.recipient, row.subject, row.status) == (
        outbox.INVITATION,
        invitation.user,
        invitation,
        Reminder.Status.PENDING,
    )
    assert mail.outbox == []

    services.reminders_deliver_due()
    services.reminders_deliver_due()

    [message] = mail.outbox
    assert message.to == ["zhou@qq.com"]
    assert "邀请" in message.subject
    row.refresh_from_db()
    assert row.status == Reminder.Status.SENT
    assert Invitation.objects.get(pk=invitation.pk).sent_count == 1
    assert not Notification.objects.exists()  # the link is private: no copy in the bell


def test_the_invitation_link_works_and_its_token_is_not_stored_in_the_row(client, staff):
    invite(staff)
    services.reminders_deliver_due()
    path = link_in(mail.outbox[0], r"/accounts/invite/[^/\s]+/")
    token = path.rstrip("/").rsplit("/", 1)[-1]

    row = Reminder.objects.get()
    assert token not in str(row.context)
    assert token not in Invitation.objects.values_list("token_hash", flat=True).get()

    response = client.post(path, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response.status_code == 302
    assert User.objects.get(email="zhou@qq.com").is_active


def test_a_resent_invitation_goes_out_again_and_only_the_new_link_works(client, staff):
    invitation = invite(staff)
    services.reminders_deliver_due()
    invitation_resend(invitation=invitation, by=staff)
    services.reminders_deliver_due()

    first, second = mail.outbox
    old = link_in(first, r"/accounts/invite/[^/\s]+/")
    new = link_in(second, r"/accounts/invite/[^/\s]+/")
    assert old != new
    assert first.extra_headers["Message-ID"] != second.extra_headers["Message-ID"]
    assert client.get(old).status_code == 410
    assert client.get(new).status_code == 200
    assert Invitation.objects.get(pk=invitation.pk).sent_count == 2


def test_a_link_replaced_before_it_was_sent_is_not_sent(client, staff):
    invitation = invite(staff)
    invitation_resend(invitation=invitation, by=staff)  # before any sender ran

    services.reminders_deliver_due()

    [message] = mail.outbox  # one e-mail, with the link that works
    assert client.get(link_in(message, r"/accounts/invite/[^/\s]+/")).status_code == 200
    assert Reminder.objects.get().status == Reminder.Status.SENT


def test_an_invitation_accepted_before_it_was_sent_is_cancelled(client, staff):
    invite(staff)
    services.reminders_deliver_due()
    path = link_in(mail.outbox[0], r"/accounts/invite/[^/\s]+/")
    invitation = Invitation.objects.get()
    invitation_resend(invitation=invitation, by=staff)
    Invitation.objects.filter(pk=invitation.pk).update(accepted_at=invitation.expires_at)

    services.reminders_deliver_due()

    assert len(mail.outbox) == 1
    assert Reminder.objects.get().status == Reminder.Status.CANCELLED
    assert path  # the first e-mail went out


def test_a_password_reset_is_a_row_and_its_link_is_made_at_send_time(client, student):
    response = client.post(reverse("accounts:password_reset"), {"email": student.email})
    assert response.status_code == 302

    [row] = Reminder.objects.all()
    assert (row.kind, row.recipient, row.status) == (outbox.PASSWORD_RESET, student, Reminder.Status.PENDING)
    assert row.context == {}  # nothing secret in the row: the token is made when the e-mail is sent
    assert mail.outbox == []

    services.reminders_deliver_due()
    [message] = mail.outbox
    path = link_in(message, r"/accounts/reset/[^/\s\"]+/[^/\s\"]+/")
    form_page = client.get(path, follow=True)
    assert form_page.context["validlink"]
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        follow=True,
    )
    assert done.redirect_chain[-1][0] == reverse("accounts:password_reset_complete")
    assert not Notification.objects.exists()


def test_asking_twice_sends_twice_and_an_unknown_address_plans_nothing(client, student):
    client.post(reverse("accounts:password_reset"), {"email": student.email})
    services.reminders_deliver_due()
    client.post(reverse("accounts:password_reset"), {"email": student.email})
    client.post(reverse("accounts:password_reset"), {"email": "nobody@163.com"})
    services.reminders_deliver_due()

    assert [m.to for m in mail.outbox] == [[student.email], [student.email]]
    assert Reminder.objects.count() == 1


def test_the_account_emails_are_essential_and_not_on_the_settings_page(client, student):
    for key in (outbox.INVITATION, outbox.PASSWORD_RESET):
        kind = kinds.get(key)
        assert kind is not None and kind.essential
        NotificationPreference.objects.create(user=student, kind=key, enabled=False)
    client.force_login(student)
    form = client.get(reverse("notifications:preferences")).context["form"]
    assert outbox.INVITATION not in form.fields and outbox.PASSWORD_RESET not in form.fields

    client.logout()
    client.post(reverse("accounts:password_reset"), {"email": student.email})
    services.reminders_deliver_due()
    assert len(mail.outbox) == 1  # a stale "off" preference cannot stop it


def test_a_user_without_a_usable_password_gets_no_reset_email(client):
    user = StudentFactory()
    user.set_unusable_password()
    user.save()
    client.post(reverse("accounts:password_reset"), {"email": user.email})
    assert not Reminder.objects.exists()
