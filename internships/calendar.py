"""The private iCal feed of a person's placement days (students, mentors, and what HR may see).

Each working day is an event timed with the store's opening hours when they can be read
("10:00–22:00", "周一至周日 10:00-22:00"), in Asia/Shanghai with its VTIMEZONE. When a store's
hours are missing or unreadable the day is an all-day event: a made-up time in someone's
calendar reads like an instruction, while an all-day entry only says "at the store that day"
and the placement page gives the details.
"""

import re
from datetime import datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, Timezone

from accounts.models import Role, User

from .models import Placement

_HOURS = re.compile(r"(\d{1,2})\s*[:：]\s*(\d{2})\s*(?:-|–|—|~|～|至|到)\s*(\d{1,2})\s*[:：]\s*(\d{2})")


def opening_hours(text: str) -> tuple[time, time] | None:
    """(opens, closes) read from a store's free-text hours, or None when they cannot be read."""
    match = _HOURS.search(text or "")
    if not match:
        return None
    h1, m1, h2, m2 = (int(group) for group in match.groups())
    if h1 > 23 or h2 > 23 or m1 > 59 or m2 > 59:
        return None
    opens, closes = time(h1, m1), time(h2, m2)
    return (opens, closes) if opens < closes else None


@cache
def _vtimezone(tzid: str) -> Timezone:
    # The offsets since 2020 are enough for a calendar of placements (Shanghai has had none to
    # change since 1991); icalendar computes them from zoneinfo.
    return Timezone.from_tzid(
        tzid, first_date=datetime(2020, 1, 1).date(), last_date=datetime(2040, 1, 1).date()
    )


def calendar_feed(owner: User) -> bytes:
    """The feed of the placements `owner` may see (withdrawn ones left out), as iCal bytes."""
    zone = ZoneInfo(settings.TIME_ZONE)
    placements = (
        Placement.objects.visible_to(owner)
        .exclude(status=Placement.Status.WITHDRAWN)
        .select_related("store", "student", "mentor__user", "window", "cohort")
    )
    calendar = Calendar()
    calendar.add("prodid", "-//SZTU x Xiaomi//New Retail Talent Programme//")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", _("Store placement"))
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    calendar.add_component(_vtimezone(settings.TIME_ZONE))
    stamp = timezone.now()
    for placement in placements:
        hours = opening_hours(placement.store.opening_hours)
        who = placement.student.full_name if owner.role == Role.MENTOR else placement.mentor.user.full_name
        for day in placement.working_days():
            event = Event()
            event.add("uid", f"placement-{placement.pk}-{day:%Y%m%d}@sztu-xiaomi")
            event.add(
                "summary", _("Placement at %(store)s (%(who)s)") % {"store": placement.store.name, "who": who}
            )
            if hours:
                event.add("dtstart", datetime.combine(day, hours[0], tzinfo=zone))
                event.add("dtend", datetime.combine(day, hours[1], tzinfo=zone))
            else:
                event.add("dtstart", day)
                event.add("dtend", day + timedelta(days=1))
            event.add("location", placement.store.address)
            event.add("dtstamp", stamp)
            calendar.add_component(event)
    return calendar.to_ical()
