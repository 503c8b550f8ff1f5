"""The interview as an iCalendar file: attached to the invitation e-mail (METHOD:REQUEST) and
downloadable from the student's page (METHOD:PUBLISH).

One UID per recommendation's interview: a rescheduled interview is the same calendar entry with a
higher SEQUENCE, so calendar apps move it instead of adding a second one.
"""

from datetime import datetime, timedelta
from functools import cache
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, Timezone, vCalAddress, vText

from accounts.models import User

from ..models import Recommendation

INTERVIEW_LENGTH = timedelta(hours=1)


@cache
def _vtimezone(tzid: str) -> Timezone:
    # As the internships calendar feed: the offsets since 2020 are enough (none since 1991).
    return Timezone.from_tzid(
        tzid, first_date=datetime(2020, 1, 1).date(), last_date=datetime(2040, 1, 1).date()
    )


def interview_uid(recommendation: Recommendation) -> str:
    return f"recommendation-{recommendation.pk}-interview@sztu-xiaomi"


def _address(user: User, role: str | None = None) -> vCalAddress:
    address = vCalAddress(f"mailto:{user.email}")
    address.params["cn"] = vText(user.full_name)
    if role:
        address.params["role"] = vText(role)
        address.params["partstat"] = vText("NEEDS-ACTION")
        address.params["rsvp"] = vText("TRUE")
    return address


def interview_calendar(
    *,
    recommendation: Recommendation,
    at: datetime,
    place: str,
    interviewer: User,
    organizer: User | None,
    sequence: int = 0,
    method: str = "REQUEST",
) -> bytes:
    """The interview of `recommendation` (at `at`, in `place`, with `interviewer`) as iCal bytes.
    Written in the active language (call it under the recipient's)."""
    zone = ZoneInfo(settings.TIME_ZONE)
    student = recommendation.student
    calendar = Calendar()
    calendar.add("prodid", "-//SZTU x Xiaomi//New Retail Talent Programme//")
    calendar.add("version", "2.0")
    calendar.add("method", method)
    calendar.add_component(_vtimezone(settings.TIME_ZONE))
    event = Event()
    event.add("uid", interview_uid(recommendation))
    event.add("sequence", sequence)
    event.add("dtstamp", timezone.now())
    start = at.astimezone(zone)
    event.add("dtstart", start)
    event.add("dtend", start + INTERVIEW_LENGTH)
    event.add(
        "summary",
        _("Xiaomi interview: %(student)s with %(interviewer)s")
        % {"student": student.full_name, "interviewer": interviewer.full_name},
    )
    event.add("location", place)
    event.add(
        "description",
        _("Interview for the priority hiring of SZTU × Xiaomi graduates. Place: %(place)s.")
        % {"place": place},
    )
    event["organizer"] = _address(organizer or interviewer)
    event.add("attendee", _address(student, "REQ-PARTICIPANT"), encode=0)
    event.add("attendee", _address(interviewer, "REQ-PARTICIPANT"), encode=0)
    event.add("status", "CONFIRMED")
    calendar.add_component(event)
    return calendar.to_ical()
