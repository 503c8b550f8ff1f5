"""A mentor's reminder, from the sender to the bell, the notification list and the settings."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from notifications.models import NotificationPreference
from notifications.services import reminder_plan, reminders_deliver_due
from tests.factories import TEST_PASSWORD, MentorFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_mentor_sees_the_reminder_in_the_bell_opens_it_and_switches_the_kind_off(page: Page, live_server):
    mentor = MentorFactory(
        user__email="mentor@xiaomi.com",
        store__name_en="Xiaomi Store Futian COCO Park",
        certification_expires_on=timezone.localdate() + timedelta(days=12),
    )
    reminder_plan(
        recipient=mentor.user,
        kind="mentor_certification_expiring",
        about=mentor,
        due_at=timezone.now(),
        context={"expires_on": mentor.certification_expires_on.isoformat()},
    )
    reminders_deliver_due()

    page.set_viewport_size({"width": 390, "height": 844})  # mentors read this on the shop floor
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("E-mail address").fill(mentor.user.email)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    bell = page.get_by_role("link", name="1 unread notification")
    expect(bell).to_be_visible()
    bell.click()
    expect(page.get_by_text("Your mentor certification expires on")).to_be_visible()
    expect(page.get_by_text("Xiaomi Store Futian COCO Park")).to_be_visible()
    page.get_by_role("button", name="Open and mark read").click()
    expect(page).to_have_url(re.compile(r"/mentor/$"))
    expect(page.get_by_role("link", name="Notifications, none unread")).to_be_visible()

    page.goto(f"{live_server.url}/notifications/settings/")
    checkbox = page.get_by_label("My mentor certification is about to expire")
    expect(checkbox).to_be_checked()
    checkbox.uncheck()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Your notification settings are saved.")).to_be_visible()
    assert (
        NotificationPreference.objects.get(user=mentor.user, kind="mentor_certification_expiring").enabled
        is False
    )
