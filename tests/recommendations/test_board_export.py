"""Xiaomi HR's export of the table: the same rows as the filters, text written as text, one access
log row per exported student for HR and none for staff."""

import io
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from recommendations.models import DataAccess, HiringConsent, Recommendation
from tests.factories import PlacementFactory, RecommendationFactory

pytestmark = pytest.mark.django_db
S = Recommendation.Status
NOW = datetime(2026, 12, 10, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def sheet_of(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(response.content))
    return book.worksheets[0]


def test_the_export_has_the_filtered_rows_and_logs_each_student_for_hr(client, hr):
    wanted = [
        RecommendationFactory(priority=Recommendation.Priority.PRIORITY),
        RecommendationFactory(priority=Recommendation.Priority.PRIORITY),
    ]
    RecommendationFactory()  # standard: filtered out
    client.force_login(hr)

    sheet = sheet_of(client.get(reverse("recommendations:board_export"), {"priority": "priority"}))

    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("Student number", "Full name", "E-mail")
    assert {r[1] for r in rows[1:]} == {w.student.full_name for w in wanted}
    assert sorted(DataAccess.objects.values_list("student", "what")) == sorted(
        (w.student_id, "export") for w in wanted
    )
    assert set(DataAccess.objects.values_list("viewer", flat=True)) == {hr.pk}


def test_an_overdue_filter_applies_to_the_export(client, hr):
    late = RecommendationFactory(sent_at=timezone.now() - timedelta(days=10))
    RecommendationFactory()
    client.force_login(hr)
    sheet = sheet_of(client.get(reverse("recommendations:board_export"), {"overdue": "on"}))
    rows = list(sheet.iter_rows(values_only=True))[1:]
    assert [r[1] for r in rows] == [late.student.full_name]
    assert rows[0][11] == "yes"


def test_text_is_written_as_text(client, hr):
    placement = PlacementFactory(application__student__full_name='=HYPERLINK("http://evil")')
    RecommendationFactory(result__placement=placement)
    client.force_login(hr)
    sheet = sheet_of(client.get(reverse("recommendations:board_export")))
    cell = sheet.cell(row=2, column=2)
    assert cell.value == '=HYPERLINK("http://evil")'
    assert cell.data_type == "s"


def test_staff_exports_are_not_logged(client, staff):
    RecommendationFactory()
    client.force_login(staff)
    sheet = sheet_of(client.get(reverse("recommendations:board_export")))
    assert sheet.max_row == 2
    assert not DataAccess.objects.exists()


def test_hr_never_exports_a_student_who_withdrew_consent(client, hr):
    shown, hidden = RecommendationFactory(), RecommendationFactory()
    HiringConsent.objects.filter(pk=hidden.consent_id).update(withdrawn_at=timezone.now())
    client.force_login(hr)
    sheet = sheet_of(client.get(reverse("recommendations:board_export")))
    assert [r[1] for r in sheet.iter_rows(min_row=2, values_only=True)] == [shown.student.full_name]
    assert list(DataAccess.objects.values_list("student", flat=True)) == [shown.student_id]


@pytest.mark.parametrize("size", [2, 8])
def test_the_exports_query_count_does_not_grow(client, hr, django_assert_max_num_queries, size):
    for _ in range(size):
        RecommendationFactory()
    client.force_login(hr)
    with django_assert_max_num_queries(5):
        response = client.get(reverse("recommendations:board_export"))
    assert load_workbook(io.BytesIO(response.content)).worksheets[0].max_row == size + 1
