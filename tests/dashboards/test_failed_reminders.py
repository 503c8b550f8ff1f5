"""The programme office's home warns about e-mails that could not be delivered."""

from django.urls import reverse

from notifications.models import Reminder
from tests.factories import UserFactory
from tests.notifications.conftest import plan_notice


def test_the_staff_home_warns_about_failed_reminders_and_links_to_them(client, staff):
    reminder = plan_notice(UserFactory(full_name="陈志强", email="chen@xiaomi.com", language="en"))
    client.force_login(staff)
    assert "could not be delivered" not in client.get(reverse("dashboards:staff_home")).content.decode()

    Reminder.objects.filter(pk=reminder.pk).update(status=Reminder.Status.FAILED, last_error="boom")
    html = client.get(reverse("dashboards:staff_home")).content.decode()

    assert "1 reminder could not be delivered." in html
    assert reverse("notifications:outbox") + "?status=failed" in html
