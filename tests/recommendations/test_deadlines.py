"""Xiaomi's response deadline, under a frozen clock: the HR digest lists what is waiting (priority
first, overdue marked), the escalation goes once, and a status change or a withdrawn consent stops
both; the staff home counts the overdue ones."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from accounts.models import User
from notifications import digests
from notifications.models import Reminder
from notifications.services import reminders_deliver_due, reminders_plan_daily
from recommendations import services
from recommendations.models import Recommendation
from recommendations.reminders import plan_overdue_escalations
from tests.factories import HRFactory, RecommendationFactory, StaffFactory, StudentFactory

pytestmark = pytest.mark.django_db
S = Recommendation.Status
SHANGHAI = ZoneInfo("Asia/Shanghai")
SENT_ON = datetime(2026, 12, 1, 10, 0, tzinfo=SHANGHAI)  # respond by 2026-12-08


def at(day: date, hour=10):
    return time_machine.travel(datetime(day.year, day.month, day.day, hour, 0, tzinfo=SHANGHAI), tick=False)


def student(name):
    return StudentFactory(full_name=name)


def active_hr() -> set[int]:
    return set(User.objects.filter(role="hr", is_active=True).values_list("pk", flat=True))


@pytest.fixture
def waiting():
    """Three recommendations sent on 1 December: a standard one, a priority one, one answered."""
    with at(SENT_ON.date()):
        standard = RecommendationFactory(
            result__placement__student=student("Standard Student"), sent_at=SENT_ON
        )
        priority = RecommendationFactory(
            result__placement__student=student("Priority Student"),
            sent_at=SENT_ON + timedelta(hours=1),
            priority=Recommendation.Priority.PRIORITY,
        )
        answered = RecommendationFactory(
            result__placement__student=student("Answered Student"), sent_at=SENT_ON
        )
        services.recommendation_move(
            by=HRFactory(), recommendation_id=answered.pk, to_status=S.REVIEWING, version=answered.version
        )
    return standard, priority


def hr_section():
    return next(
        (s for s in digests.sections_for("hr") if s["key"] == "recommendations.waiting_for_xiaomi"), None
    )


def test_the_hr_digest_lists_the_waiting_ones_priority_first_and_marks_the_overdue(waiting):
    with at(date(2026, 12, 5)):
        section = hr_section()
        assert section["total"] == 2
        assert "Priority Student" in section["lines"][0] and "Standard Student" in section["lines"][1]
        assert "OVERDUE" not in " ".join(section["lines"])
    with at(date(2026, 12, 9)):
        assert all("OVERDUE" in line for line in hr_section()["lines"])


def test_the_hr_digest_goes_out_with_the_section_in_the_readers_language(waiting):
    hr = HRFactory(full_name="Coordinator", language="en")
    with at(date(2026, 12, 9), hour=8):
        reminders_plan_daily()
    with at(date(2026, 12, 9), hour=9):
        mail.outbox.clear()
        reminders_deliver_due()
    digest = next(m for m in mail.outbox if m.to == [hr.email] and "Recommendations waiting" in m.body)
    assert "Priority Student" in digest.body and "OVERDUE" in digest.body


def test_a_status_change_or_a_withdrawn_consent_takes_a_recommendation_out_of_the_digest(waiting):
    standard, priority = waiting
    with at(date(2026, 12, 9)):
        services.recommendation_move(
            by=HRFactory(), recommendation_id=priority.pk, to_status=S.REVIEWING, version=priority.version
        )
        assert hr_section()["total"] == 1
        services.consent_withdraw(student=standard.student)
        assert hr_section() is None


def test_the_escalation_is_planned_the_day_after_respond_by_once_to_every_hr_user(waiting):
    HRFactory(), HRFactory()
    HRFactory(is_active=False)
    hr_users = active_hr()  # these two and the one who moved the answered recommendation
    with at(date(2026, 12, 8)):  # the deadline day: not overdue yet
        assert plan_overdue_escalations() == 0
    with at(date(2026, 12, 9), hour=7):
        planned = plan_overdue_escalations()
        plan_overdue_escalations()  # run twice: planned once
    rows = Reminder.objects.filter(kind="recommendation_overdue")
    assert planned == 6 and rows.count() == 6
    assert {r.recipient_id for r in rows} == hr_users
    with at(date(2026, 12, 10), hour=7):
        plan_overdue_escalations()  # the next day, still overdue: no second escalation
    assert rows.count() == 6
    with at(date(2026, 12, 9), hour=9):
        mail.outbox.clear()
        reminders_deliver_due()
    assert rows.filter(status=Reminder.Status.SENT).count() == 6
    assert len([m for m in mail.outbox if m.subject.startswith("Overdue")]) == 6
    with at(date(2026, 12, 11), hour=7):
        plan_overdue_escalations()
    with at(date(2026, 12, 11), hour=9):
        mail.outbox.clear()
        reminders_deliver_due()
    assert not [m for m in mail.outbox if m.subject.startswith("Overdue")]  # sent once, never again


def test_a_status_change_before_the_send_stops_the_escalation(waiting):
    standard, priority = waiting
    HRFactory()
    with at(date(2026, 12, 9), hour=7):
        plan_overdue_escalations()
        services.recommendation_move(
            by=HRFactory(), recommendation_id=priority.pk, to_status=S.REVIEWING, version=priority.version
        )
    with at(date(2026, 12, 9), hour=9):
        reminders_deliver_due()
    rows = Reminder.objects.filter(kind="recommendation_overdue")
    assert set(rows.filter(subject_id=priority.pk).values_list("status", flat=True)) == {"cancelled"}
    assert set(rows.filter(subject_id=standard.pk).values_list("status", flat=True)) == {"sent"}


def test_a_withdrawn_consent_stops_the_escalation(waiting):
    standard, _priority = waiting
    HRFactory()
    with at(date(2026, 12, 9), hour=7):
        plan_overdue_escalations()
        services.consent_withdraw(student=standard.student)
    with at(date(2026, 12, 9), hour=9):
        reminders_deliver_due()
    rows = Reminder.objects.filter(kind="recommendation_overdue", subject_id=standard.pk)
    assert set(rows.values_list("status", flat=True)) == {"cancelled"}


def test_the_planner_is_registered_with_the_engine(waiting):
    HRFactory()
    with at(date(2026, 12, 9), hour=7):
        planned = reminders_plan_daily()
    assert planned["recommendations_overdue"] == 2 * len(active_hr())


def test_the_escalation_says_who_waits_since_when_and_leads_to_xiaomi(waiting):
    hr = HRFactory(language="zh-hans", full_name="钱HR")
    with at(date(2026, 12, 9), hour=7):
        plan_overdue_escalations()
    with at(date(2026, 12, 9), hour=9):
        mail.outbox.clear()
        reminders_deliver_due()
    message = next(m for m in mail.outbox if m.to == [hr.email] and "Priority Student" in m.subject)
    assert "钱HR，您好" in message.body and "Priority Student" in message.body


# --- The staff home ---------------------------------------------------------------------------------


def test_the_staff_home_counts_the_recommendations_overdue_at_xiaomi(client, waiting):
    staff = StaffFactory()
    with at(date(2026, 12, 5)):
        client.force_login(staff)
        assert (
            "Recommendations overdue at Xiaomi"
            not in client.get(reverse("dashboards:staff_home")).content.decode()
        )
    with at(date(2026, 12, 9)):
        client.force_login(staff)
        html = client.get(reverse("dashboards:staff_home")).content.decode()
    assert "Recommendations overdue at Xiaomi" in html
    assert "2 recommendations are still waiting for Xiaomi" in html


@pytest.mark.parametrize("size", [2, 20])
def test_the_staff_home_makes_the_same_number_of_queries_with_overdue_recommendations(
    client, django_assert_num_queries, size
):
    with at(SENT_ON.date()):
        RecommendationFactory.create_batch(size, sent_at=SENT_ON)
    with at(date(2026, 12, 20)):
        client.force_login(StaffFactory())
        with django_assert_num_queries(9):
            response = client.get(reverse("dashboards:staff_home"))
    assert f"{size} recommendations are still waiting" in response.content.decode()
