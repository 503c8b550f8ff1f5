"""Outcomes per cohort: the counts at each step (read from the history), the conversions, the
median days to Xiaomi's first response, and the same table as an Excel file."""

import io
from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from openpyxl import load_workbook

from recommendations.models import Recommendation, RecommendationEvent
from recommendations.selectors import outcome_cohorts, outcomes
from tests.factories import (
    CohortFactory,
    HRFactory,
    PlacementFactory,
    PlacementWindowFactory,
    RecommendationFactory,
    StudentFactory,
)
from tests.factories.recommendations import GraduateResultFactory

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 12, 1, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
S = Recommendation.Status


@pytest.fixture(autouse=True)
def frozen_clock():
    with time_machine.travel(NOW, tick=False):
        yield


def recommended(cohort, path=(), responded_after_days=None):
    """A recommendation of `cohort` sent ten days ago that went through `path` (events only: the
    outcomes read the history, whatever the status is now)."""
    window = PlacementWindowFactory(cohort=cohort)
    sent_at = NOW - timedelta(days=10)
    rec = RecommendationFactory(
        result=GraduateResultFactory(placement=PlacementFactory(window=window)),
        sent_at=sent_at,
        status_changed_at=sent_at,
    )
    previous = S.RECEIVED
    for i, status in enumerate(path):
        RecommendationEvent.objects.create(
            recommendation=rec, from_status=previous, to_status=status, at=sent_at + timedelta(days=i + 1)
        )
        previous = status
    fields = {"status": previous}
    if responded_after_days is not None:
        fields["first_response_at"] = sent_at + timedelta(days=responded_after_days)
    elif path:
        fields["first_response_at"] = sent_at + timedelta(days=1)
    Recommendation.objects.filter(pk=rec.pk).update(**fields)
    return rec


def test_the_counts_come_from_the_history_and_the_conversions_from_the_counts():
    cohort = CohortFactory()
    recommended(cohort)  # still received
    recommended(cohort, [S.REVIEWING, S.DECLINED_BY_XIAOMI], responded_after_days=2)
    recommended(cohort, [S.REVIEWING, S.INTERVIEW, S.DECLINED_BY_STUDENT], responded_after_days=3)
    recommended(cohort, [S.REVIEWING, S.INTERVIEW, S.OFFER, S.DECLINED_BY_STUDENT], responded_after_days=4)
    recommended(cohort, [S.REVIEWING, S.OFFER, S.HIRED], responded_after_days=6)  # an offer without interview
    other = CohortFactory()
    recommended(other)

    [row] = outcomes([cohort])

    assert (row.recommended, row.interviewed, row.offered, row.hired) == (5, 3, 2, 1)
    assert row.interview_rate == Decimal("60.0")
    assert row.offer_rate == Decimal("66.7")
    assert row.hire_rate == Decimal("50.0")
    assert row.overall_rate == Decimal("20.0")
    assert row.median_days_to_response == Decimal("3.5")  # of 2, 3, 4 and 6 days
    assert row.responded == 4


def test_a_step_nobody_reached_shows_no_rate_and_no_median():
    cohort = CohortFactory()
    recommended(cohort)
    [row] = outcomes([cohort])
    assert (row.recommended, row.interviewed, row.offered, row.hired) == (1, 0, 0, 0)
    assert row.interview_rate == Decimal("0.0")
    assert row.offer_rate is None and row.hire_rate is None
    assert row.median_days_to_response is None


def test_only_cohorts_with_recommendations_are_listed():
    with_some, _without = CohortFactory(), CohortFactory()
    recommended(with_some)
    assert list(outcome_cohorts()) == [with_some]


def test_the_outcomes_page_shows_the_table_with_dashes_for_a_division_by_zero(client, staff):
    cohort = CohortFactory(name_en="Spring 2026")
    recommended(cohort)
    client.force_login(staff)

    response = client.get(reverse("recommendations:outcomes"))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Spring 2026" in html and "(—)" in html and "0.0%" in html


def test_xiaomi_reads_the_outcomes_and_students_do_not(client):
    recommended(CohortFactory())
    client.force_login(HRFactory())
    assert client.get(reverse("recommendations:outcomes")).status_code == 200
    assert client.get(reverse("recommendations:outcomes_export")).status_code == 200
    client.force_login(StudentFactory())
    assert client.get(reverse("recommendations:outcomes")).status_code == 403
    assert client.get(reverse("recommendations:outcomes_export")).status_code == 403


@pytest.mark.parametrize("size", [1, 6])
def test_the_outcomes_page_makes_a_bounded_number_of_queries(
    client, staff, django_assert_max_num_queries, size
):
    for _ in range(size):
        cohort = CohortFactory()
        recommended(cohort, [S.REVIEWING, S.INTERVIEW, S.OFFER, S.HIRED])
        recommended(cohort)
    client.force_login(staff)
    with django_assert_max_num_queries(7):
        response = client.get(reverse("recommendations:outcomes"))
    assert len(response.context["rows"]) == size


def test_the_export_is_the_same_table_with_text_written_as_text(client, staff):
    cohort = CohortFactory(name_en='=HYPERLINK("http://x")')
    recommended(cohort, [S.REVIEWING, S.INTERVIEW, S.DECLINED_BY_STUDENT], responded_after_days=2)
    recommended(cohort)
    client.force_login(staff)

    response = client.get(reverse("recommendations:outcomes_export"))

    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    header, row = list(sheet.iter_rows(values_only=True))
    assert header[0] == "Cohort" and header[-1] == "Median days to first response"
    assert row[0] == '=HYPERLINK("http://x")'
    assert sheet["A2"].data_type == "s"
    assert row[1:] == (2, 1, 0, 0, "50.0%", "0.0%", "—", "0.0%", 2)
