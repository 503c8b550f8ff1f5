"""The private calendar feed: events timed with the store's opening hours, the Asia/Shanghai
VTIMEZONE, and an address the owner can replace."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from icalendar import Calendar

from internships.calendar import opening_hours
from internships.services import calendar_token_for
from tests.factories import (
    CohortFactory,
    MentorFactory,
    PlacementFactory,
    PlacementWindowFactory,
    StoreFactory,
)

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
MONDAY = date(2027, 3, 1)


def placement_at(hours: str):
    window = PlacementWindowFactory(
        cohort=CohortFactory(), starts_on=MONDAY, ends_on=MONDAY + timedelta(days=20)
    )
    return PlacementFactory(window=window, mentor=MentorFactory(store=StoreFactory(opening_hours=hours)))


def feed_of(client, user) -> Calendar:
    response = client.get(reverse("internships:calendar_feed", args=[calendar_token_for(user)]))
    assert response.status_code == 200
    return Calendar.from_ical(response.content)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("10:00–22:00", (time(10), time(22))),
        ("10:00-22:00", (time(10), time(22))),
        ("9:30 - 21:30", (time(9, 30), time(21, 30))),
        ("10：00～22：00", (time(10), time(22))),
        ("周一至周日 10:00-22:00", (time(10), time(22))),
        ("10:00至21:00", (time(10), time(21))),
        ("", None),
        ("every day", None),
        ("22:00–02:00", None),  # past midnight: not a shop's day
        ("25:00–26:00", None),
    ],
)
def test_opening_hours_are_read_where_they_can_be(text, expected):
    assert opening_hours(text) == expected


def test_events_are_timed_with_the_stores_opening_hours_in_shanghai_time(client):
    placement = placement_at("10:00–22:00")

    events = feed_of(client, placement.student).walk("VEVENT")

    first = min(events, key=lambda e: e.decoded("DTSTART"))
    assert first.decoded("DTSTART") == datetime(2027, 3, 1, 10, tzinfo=SHANGHAI)
    assert first.decoded("DTEND") == datetime(2027, 3, 1, 22, tzinfo=SHANGHAI)
    assert first["DTSTART"].params["TZID"] == "Asia/Shanghai"


def test_a_store_without_readable_hours_gets_all_day_events(client):
    placement = placement_at("call the store")

    events = feed_of(client, placement.student).walk("VEVENT")

    assert len(events) == 15
    first = min(events, key=lambda e: e.decoded("DTSTART"))
    assert first.decoded("DTSTART") == MONDAY  # a date, not a time
    assert first.decoded("DTEND") == MONDAY + timedelta(days=1)


def test_the_feed_describes_the_asia_shanghai_time_zone(client):
    placement = placement_at("10:00–22:00")

    calendar = feed_of(client, placement.student)

    zones = calendar.walk("VTIMEZONE")
    assert [str(zone["TZID"]) for zone in zones] == ["Asia/Shanghai"]
    assert "TZOFFSETTO:+0800" in zones[0].to_ical().decode()


# --- A new address ------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["student", "mentor"])
def test_the_owner_replaces_the_address_and_the_old_one_stops_working(client, who):
    placement = placement_at("10:00–22:00")
    user = placement.student if who == "student" else placement.mentor.user
    old = reverse("internships:calendar_feed", args=[calendar_token_for(user)])
    client.force_login(user)
    home = reverse("dashboards:student_home" if who == "student" else "dashboards:mentor_home")
    assert reverse("internships:calendar_reset") in client.get(home).content.decode()

    response = client.post(reverse("internships:calendar_reset"), follow=True)

    new = reverse("internships:calendar_feed", args=[calendar_token_for(user)])
    assert new != old
    assert response.redirect_chain[-1][0] == home
    html = response.content.decode()
    assert "The old calendar address no longer works" in html
    assert f"http://testserver{new}" in html
    client.logout()
    assert client.get(old).status_code == 404
    assert client.get(new).status_code == 200


def test_the_address_is_replaced_by_post_only(client, student):
    calendar_token_for(student)
    token = student.calendar_token.token
    client.force_login(student)

    assert client.get(reverse("internships:calendar_reset")).status_code == 405

    student.calendar_token.refresh_from_db()
    assert student.calendar_token.token == token
