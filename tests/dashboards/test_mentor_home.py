"""The mentor's home answers "what needs me now": today's attendance, the evaluations due and
overdue, the reflections waiting for a reply — in that order — then the interns, in a fixed number
of queries."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from evaluations.models import AssessmentSettings, Evaluation
from internships.models import Attendance
from tests.factories import (
    CohortFactory,
    EvaluationFactory,
    NotificationFactory,
    PlacementFactory,
    PlacementWindowFactory,
    ReflectionFactory,
)

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
# Wednesday of week 2 of a Monday 30 Nov – Friday 18 Dec placement worked Monday to Friday:
# week 1 was due Friday 4 Dec (overdue since Sunday 6 Dec), week 2 is due Friday 11 Dec.
WEDNESDAY_WEEK_2 = datetime(2026, 12, 9, 10, 0, tzinfo=SHANGHAI)


@pytest.fixture
def window():
    return PlacementWindowFactory(
        cohort=CohortFactory(placement_weekdays="12345"),
        starts_on=date(2026, 11, 30),
        ends_on=date(2026, 12, 18),
    )


def intern(window, mentor, name):
    return PlacementFactory(window=window, mentor=mentor.mentor_profile, application__student__full_name=name)


def section(html: str, title_id: str) -> str:
    return html.split(f'id="{title_id}"')[1].split("</section>")[0]


@time_machine.travel(WEDNESDAY_WEEK_2, tick=False)
def test_the_home_lists_attendance_then_evaluations_then_reflections_then_the_interns(client, mentor, window):
    marked = intern(window, mentor, "王小明")
    unmarked = intern(window, mentor, "李思雨")
    Attendance.objects.create(placement=marked, day=timezone.localdate(), mark="present", recorded_by=mentor)
    waiting = ReflectionFactory(placement=marked, week=1)
    ReflectionFactory(placement=unmarked, week=1, reply="很好", replied_at=timezone.now())
    client.force_login(mentor)

    html = client.get(reverse("dashboards:mentor_home")).content.decode()

    order = [
        html.index(f'id="{t}"')
        for t in ("attendance-title", "evaluations-title", "reflections-title", "interns-title")
    ]
    assert order == sorted(order)
    attendance = section(html, "attendance-title")
    assert "王小明" in attendance and "Present" in attendance
    assert "李思雨" in attendance and "Not recorded" in attendance
    assert reverse("internships:mentor_attendance") in attendance
    evaluations = section(html, "evaluations-title")
    assert evaluations.count("Overdue") == 2  # week 1 of each intern; week 2 is not due yet
    assert "Week 2" not in evaluations
    assert (
        reverse("evaluations:evaluation_form", args=[marked.pk, 1]) in evaluations
        and reverse("evaluations:evaluation_form", args=[unmarked.pk, 1]) in evaluations
    )
    reflections = section(html, "reflections-title")
    assert reverse("evaluations:reflection_reply", args=[waiting.pk]) in reflections
    assert "李思雨" not in reflections  # answered already


@time_machine.travel(datetime(2026, 12, 4, 10, 0, tzinfo=SHANGHAI), tick=False)
def test_a_submitted_evaluation_leaves_the_list_and_a_draft_says_so(client, mentor, window):
    done = intern(window, mentor, "王小明")
    drafting = intern(window, mentor, "李思雨")
    EvaluationFactory(
        placement=done, period=1, status=Evaluation.Status.SUBMITTED, submitted_at=timezone.now()
    )
    EvaluationFactory(placement=drafting, period=1)
    client.force_login(mentor)

    evaluations = section(client.get(reverse("dashboards:mentor_home")).content.decode(), "evaluations-title")

    assert "王小明" not in evaluations
    assert "李思雨" in evaluations and "Draft saved" in evaluations and "Overdue" not in evaluations


@time_machine.travel(WEDNESDAY_WEEK_2, tick=False)
def test_no_evaluation_is_asked_for_once_the_cohorts_results_are_confirmed(client, mentor, window):
    intern(window, mentor, "王小明")
    AssessmentSettings.objects.create(cohort=window.cohort, results_confirmed_at=timezone.now())
    client.force_login(mentor)

    evaluations = section(client.get(reverse("dashboards:mentor_home")).content.decode(), "evaluations-title")

    assert "王小明" not in evaluations and "No evaluation is due." in evaluations


@time_machine.travel(datetime(2026, 11, 28, 10, 0, tzinfo=SHANGHAI), tick=False)
def test_before_the_placement_each_card_says_what_will_appear_and_when(client, mentor, window):
    intern(window, mentor, "王小明")
    client.force_login(mentor)

    html = client.get(reverse("dashboards:mentor_home")).content.decode()

    assert "None of your interns works today." in section(html, "attendance-title")
    assert "Each week's evaluation opens on the last working day" in section(html, "evaluations-title")
    assert "No reflection is waiting for you." in section(html, "reflections-title")
    assert "王小明" in section(html, "interns-title")


@pytest.mark.parametrize("size", [2, 12])
@time_machine.travel(WEDNESDAY_WEEK_2, tick=False)
def test_the_busy_home_makes_the_same_number_of_queries_at_any_size(
    client, django_assert_num_queries, mentor, window, size
):
    for n in range(size):
        placement = intern(window, mentor, f"实习生{n}")
        Attendance.objects.create(placement=placement, day=timezone.localdate(), mark="present")
        EvaluationFactory(placement=placement, period=1)
        ReflectionFactory(placement=placement, week=1)
    NotificationFactory.create_batch(size, user=mentor)
    client.force_login(mentor)

    # session, user, bell, mentor, interns, today's attendance, evaluations' states, reflections
    # waiting, calendar token (read, then the reset form's check) — whatever the number of interns
    with django_assert_num_queries(12):
        response = client.get(reverse("dashboards:mentor_home"))

    html = response.content.decode()
    assert section(html, "evaluations-title").count("Draft saved") == size
    waiting = section(html, "reflections-title")
    assert waiting.count("Written on") == min(size, 10)
    assert ("More are waiting" in waiting) is (size > 10)
