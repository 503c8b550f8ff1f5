"""After a student checks in, both sides see the new state without reloading: each page polls a
small HTML fragment while a check-in is pending (static/js/check-in.js; no inline script)."""

import re
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse

from tests.factories import CohortFactory, MentorFactory, PlacementFactory, PlacementWindowFactory

pytestmark = pytest.mark.django_db

MONDAY = date(2027, 3, 1)
TODAY = MONDAY + timedelta(days=9)
SCRIPT = "/static/js/check-in.js"


@pytest.fixture
def working_today():
    with time_machine.travel(datetime.combine(TODAY, time(10), tzinfo=ZoneInfo("Asia/Shanghai")), tick=False):
        window = PlacementWindowFactory(
            cohort=CohortFactory(), starts_on=MONDAY, ends_on=MONDAY + timedelta(days=20)
        )
        yield PlacementFactory(window=window, application__student__full_name="王小明")


def state_of(html: str) -> str:
    states = re.findall(r'data-check-in-state="(\w+)"', html)
    assert len(states) == 1, html
    return states[0]


def polls(html: str) -> bool:
    return "data-poll-url=" in html


def test_the_student_sees_the_code_then_the_mentors_confirmation_without_reloading(client, working_today):
    placement = working_today
    client.force_login(placement.student)
    status_url = reverse("internships:check_in_status")

    before = client.get(status_url).content.decode()
    client.post(reverse("internships:check_in"))
    home = client.get(reverse("dashboards:student_home")).content.decode()
    pending = client.get(status_url).content.decode()
    code = placement.attendance.get().check_in_code
    client.force_login(placement.mentor.user)
    client.post(reverse("internships:check_in_confirm", args=[placement.pk]), {"code": code})
    client.force_login(placement.student)
    confirmed = client.get(status_url).content.decode()

    assert state_of(before) == "none" and not polls(before)
    assert f"Show this code to your mentor: {code}" in home
    assert f'data-poll-url="{status_url}"' in home and SCRIPT in home
    assert state_of(pending) == "code" and polls(pending) and code in pending
    assert state_of(confirmed) == "present" and not polls(confirmed)
    assert "Your mentor confirmed: Present" in confirmed


def test_the_mentor_sees_the_students_check_in_appear_then_stop_polling(client, working_today):
    placement = working_today
    card_url = reverse("internships:attendance_card", args=[placement.pk])
    client.force_login(placement.mentor.user)

    page = client.get(reverse("internships:mentor_attendance")).content.decode()
    before = client.get(card_url).content.decode()
    client.force_login(placement.student)
    client.post(reverse("internships:check_in"))
    client.force_login(placement.mentor.user)
    checked_in = client.get(card_url).content.decode()
    code = placement.attendance.get().check_in_code
    client.post(reverse("internships:check_in_confirm", args=[placement.pk]), {"code": code})
    confirmed = client.get(card_url).content.decode()

    assert f'data-poll-url="{card_url}"' in page and SCRIPT in page
    assert state_of(before) == "none" and polls(before)
    assert "The student checked in: type the code on their phone" not in before
    assert state_of(checked_in) == "code" and polls(checked_in)
    assert "The student checked in: type the code on their phone" in checked_in
    assert state_of(confirmed) == "present" and not polls(confirmed)


def test_a_mentor_cannot_poll_another_mentors_intern(client, working_today):
    other = MentorFactory().user
    client.force_login(other)

    assert client.get(reverse("internships:attendance_card", args=[working_today.pk])).status_code == 404


def test_a_student_without_a_placement_has_no_check_in_to_poll(client, student):
    client.force_login(student)

    assert client.get(reverse("internships:check_in_status")).status_code == 404


def test_the_polling_fragments_run_a_bounded_number_of_queries(
    client, working_today, django_assert_max_num_queries
):
    placement = working_today
    client.force_login(placement.student)
    with django_assert_max_num_queries(5):
        assert client.get(reverse("internships:check_in_status")).status_code == 200
    client.force_login(placement.mentor.user)
    with django_assert_max_num_queries(5):
        assert client.get(reverse("internships:attendance_card", args=[placement.pk])).status_code == 200


def test_the_polling_script_is_a_static_file():
    script = (settings.BASE_DIR / "static" / "js" / "check-in.js").read_text()

    assert "data-poll-url" in script
    assert "document.hidden" in script  # no polling from a tab nobody looks at
