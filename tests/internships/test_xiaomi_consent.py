"""Xiaomi (the coordinator/HR role) sees a student's data only when the student agreed, on their
application in that cohort, to share it with Xiaomi; the student's own mentor still sees them."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from icalendar import Calendar

from internships.models import Attendance, Placement
from internships.services import calendar_token_for
from tests.factories import CohortFactory, MentorFactory, PlacementFactory, PlacementWindowFactory

pytestmark = pytest.mark.django_db

MONDAY = date(2027, 3, 1)
TODAY = MONDAY + timedelta(days=9)


@pytest.fixture
def on_wednesday():
    with time_machine.travel(datetime.combine(TODAY, time(10), tzinfo=ZoneInfo("Asia/Shanghai")), tick=False):
        yield


@pytest.fixture
def two_interns(on_wednesday):
    """Two interns of one mentor, this week: 王同意 shares with Xiaomi, 李不同意 does not."""
    window = PlacementWindowFactory(
        cohort=CohortFactory(), starts_on=MONDAY, ends_on=MONDAY + timedelta(days=20)
    )
    mentor = MentorFactory(user__full_name="陈导师")
    sharing = PlacementFactory(window=window, mentor=mentor, application__student__full_name="王同意")
    private = PlacementFactory(
        window=window,
        mentor=mentor,
        application__student__full_name="李不同意",
        application__shares_with_xiaomi=False,
    )
    for placement in (sharing, private):
        Attendance.objects.create(placement=placement, day=MONDAY, mark="present")
    return sharing, private


def test_xiaomi_sees_only_consenting_students_in_placements(hr, two_interns):
    sharing, _private = two_interns

    assert list(Placement.objects.visible_to(hr)) == [sharing]
    assert set(Placement.objects.shared_with_xiaomi()) == {sharing}


def test_the_attendance_gaps_page_hides_students_who_did_not_consent_from_xiaomi(client, hr, two_interns):
    sharing, _private = two_interns
    client.force_login(hr)

    html = client.get(reverse("internships:attendance_gaps", args=[sharing.cohort_id])).content.decode()

    assert "王同意" in html
    assert "李不同意" not in html


def test_staff_see_every_student_on_the_attendance_gaps_page(client, staff, two_interns):
    sharing, _private = two_interns
    client.force_login(staff)

    html = client.get(reverse("internships:attendance_gaps", args=[sharing.cohort_id])).content.decode()

    assert "王同意" in html and "李不同意" in html


def test_a_coordinators_calendar_feed_leaves_out_students_who_did_not_consent(client, hr, two_interns):
    sharing, _private = two_interns

    response = client.get(reverse("internships:calendar_feed", args=[calendar_token_for(hr)]))

    events = Calendar.from_ical(response.content).walk("VEVENT")
    assert {str(e["UID"]).split("-")[1] for e in events} == {str(sharing.pk)}


def test_the_mentor_still_sees_their_own_intern_who_did_not_consent(client, two_interns):
    _sharing, private = two_interns
    client.force_login(private.mentor.user)

    home = client.get(reverse("dashboards:mentor_home")).content.decode()
    register = client.get(reverse("internships:mentor_attendance")).content.decode()

    assert "李不同意" in home and "李不同意" in register
    feed = client.get(reverse("internships:calendar_feed", args=[calendar_token_for(private.mentor.user)]))
    assert "李不同意" in {
        str(e["SUMMARY"]).split("(")[1].rstrip(")") for e in Calendar.from_ical(feed.content).walk("VEVENT")
    }


def test_the_xiaomi_digest_names_no_student_who_did_not_consent(hr, two_interns):
    from internships.reminders import hr_digest_sections

    text = repr(hr_digest_sections())

    assert "李不同意" not in text
