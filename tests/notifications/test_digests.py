"""Daily digests: sections registered by the apps, one digest per role, sent only with something in it."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail

from accounts.models import Role, User
from notifications import digests
from notifications.models import Reminder
from notifications.services import reminders_deliver_due
from tests.factories import StaffFactory

pytestmark = pytest.mark.django_db

TEN_AM = datetime(2026, 12, 2, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
SEVEN_AM = datetime(2026, 12, 2, 7, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture
def waiting_people(monkeypatch):
    """A test-only section in the staff digest: people whose name starts with "Waiting"."""
    monkeypatch.setattr(digests, "_SECTIONS", dict(digests._SECTIONS))
    digests.register_section(
        digests.Section(
            key="tests.waiting_people",
            role=Role.STAFF,
            title="People waiting",
            rows=lambda: User.objects.filter(full_name__startswith="Waiting").order_by("full_name"),
            line=lambda user: user.full_name,
            order=0,
        )
    )


def test_a_registered_section_lists_what_is_waiting_with_its_total(waiting_people):
    for n in range(12):
        StaffFactory(full_name=f"Waiting {n:02d}")

    section = next(s for s in digests.sections_for(Role.STAFF) if s["key"] == "tests.waiting_people")

    assert section["total"] == 12
    assert section["lines"] == [f"Waiting {n:02d}" for n in range(digests.LIST_LIMIT)]
    assert all(s["key"] != "tests.waiting_people" for s in digests.sections_for(Role.HR))


def test_a_section_with_nothing_waiting_is_left_out(waiting_people):
    assert all(s["key"] != "tests.waiting_people" for s in digests.sections_for(Role.STAFF))


def test_the_digest_is_planned_for_nine_and_sent_once_when_a_section_has_something(waiting_people):
    staff = StaffFactory(full_name="Ms Li", email="li@sztu.edu.cn")
    StaffFactory(full_name="Waiting Zhang", email="zhang@sztu.edu.cn")

    with time_machine.travel(SEVEN_AM, tick=False):
        digests.plan_daily_digests()
        digests.plan_daily_digests()  # a beat that fires twice plans once
        reminders_deliver_due()
        assert mail.outbox == []  # 09:00 has not come
    with time_machine.travel(TEN_AM, tick=False):
        reminders_deliver_due()
        reminders_deliver_due()

    to_li = [m for m in mail.outbox if m.to == [staff.email]]
    assert len(to_li) == 1
    assert "Waiting Zhang" in to_li[0].body
    assert Reminder.objects.filter(recipient=staff, status=Reminder.Status.SENT).count() == 1


def test_a_section_registered_twice_differently_is_refused(waiting_people):
    with pytest.raises(ValueError, match="registered twice"):
        digests.register_section(
            digests.Section(key="tests.waiting_people", role=Role.HR, title="x", rows=list, line=str)
        )
