"""The programme's decision and attendance reminders, rendered in each recipient's language."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from internships.models import Application
from internships.reminders import plan_attendance_reminders
from internships.services import application_decide
from notifications.services import reminders_deliver_due
from tests.factories import PlacementFactory, StaffFactory, SubmittedApplicationFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("decision", "language", "subject"),
    [
        (Application.Status.WAITLISTED, "zh-hans", "你已列入 2027年春季班 的候补名单"),
        (Application.Status.WAITLISTED, "en", "You are on the waiting list for the Spring 2027 cohort"),
        (Application.Status.REJECTED, "zh-hans", "你申请 2027年春季班 的结果"),
        (Application.Status.REJECTED, "en", "Your application to the Spring 2027 cohort"),
    ],
)
def test_a_decision_email_is_written_in_the_students_language(decision, language, subject):
    application = SubmittedApplicationFactory(
        student__language=language, cohort__name_zh="2027年春季班", cohort__name_en="Spring 2027 cohort"
    )

    application_decide(application=application, decision=decision, note="谢谢 / Thank you", by=StaffFactory())
    reminders_deliver_due()

    assert [m.subject for m in mail.outbox] == [subject]
    assert "谢谢 / Thank you" in mail.outbox[0].body


@pytest.mark.parametrize(
    ("language", "subject"),
    [("zh-hans", "昨天未记录 {name} 的考勤"), ("en", "Attendance of {name} was not recorded yesterday")],
)
@time_machine.travel(datetime(2026, 12, 2, 7, 30, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False)
def test_the_missing_attendance_reminder_is_written_in_the_mentors_language(language, subject):
    """Planned this morning for 09:00 and sent then (before 09:00 nothing goes out)."""
    today = timezone.localdate()
    placement = PlacementFactory(mentor__user__language=language)
    placement.cohort.placement_weekdays = "1234567"
    placement.cohort.save()
    placement.window.starts_on = today - timedelta(days=4)
    placement.window.ends_on = today + timedelta(days=16)
    placement.window.save()

    assert plan_attendance_reminders() == 1
    reminders_deliver_due()
    assert mail.outbox == []
    with time_machine.travel(datetime(2026, 12, 2, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False):
        reminders_deliver_due()

    assert [m.subject for m in mail.outbox] == [subject.format(name=placement.student.full_name)]
    assert "/mentor/attendance/" in mail.outbox[0].body
