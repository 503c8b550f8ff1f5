"""Xiaomi HR's board and table: columns per status, priority first, what a card shows, the
filters, the orderings, paging, who sees what, and query counts that do not grow."""

import io
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from internships.models import StudentProfile
from recommendations.models import HiringConsent, Recommendation
from recommendations.selectors import BOARD_CARDS_PER_COLUMN, TABLE_PER_PAGE
from tests.factories import (
    CohortFactory,
    HRFactory,
    PlacementFactory,
    PlacementWindowFactory,
    RecommendationFactory,
    StaffFactory,
)

pytestmark = pytest.mark.django_db
S = Recommendation.Status
SHANGHAI = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 12, 10, 10, 0, tzinfo=SHANGHAI)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def rec_in(status=S.RECEIVED, *, days_ago=1, **fields):
    sent = timezone.now() - timedelta(days=days_ago)
    extra = {} if status == S.RECEIVED else {"first_response_at": sent}
    if status == S.INTERVIEW:
        extra.update(
            interview_at=sent + timedelta(days=30), interview_place="小米之家", interviewer=HRFactory()
        )
    return RecommendationFactory(status=status, sent_at=sent, status_changed_at=sent, **extra, **fields)


def named(name, number=None, **fields):
    """A recommendation of a student with this name (and student number)."""
    placement = PlacementFactory(application__student__full_name=name)
    if number:
        StudentProfile.objects.filter(user=placement.student).update(student_number=number)
    return rec_in(result__placement=placement, **fields)


def withdraw_consent(rec):
    HiringConsent.objects.filter(pk=rec.consent_id).update(withdrawn_at=timezone.now())


# --- the board -------------------------------------------------------------------------------------


def test_the_board_has_a_column_per_open_status_and_counts_the_closed_ones(client, hr):
    received, reviewing = rec_in(S.RECEIVED), rec_in(S.REVIEWING)
    interview, offer = rec_in(S.INTERVIEW), rec_in(S.OFFER)
    hired = rec_in(S.HIRED)
    client.force_login(hr)

    response = client.get(reverse("recommendations:board"))

    assert response.status_code == 200
    columns = response.context["open_columns"]
    assert [c.status for c in columns] == [S.RECEIVED, S.REVIEWING, S.INTERVIEW, S.OFFER]
    assert [[r.pk for r in c.cards] for c in columns] == [
        [received.pk],
        [reviewing.pk],
        [interview.pk],
        [offer.pk],
    ]
    finals = {c.status: c.count for c in response.context["final_columns"]}
    assert finals == {S.HIRED: 1, S.DECLINED_BY_XIAOMI: 0, S.DECLINED_BY_STUDENT: 0, S.WITHDRAWN: 0}
    # a closed status is a link to the table filtered by it, not a column of cards
    assert f"{reverse('recommendations:table')}?status=hired" in response.content.decode()
    assert hired.student.full_name not in response.content.decode()


def test_priority_comes_first_then_the_oldest(client, hr):
    standard_old = rec_in(days_ago=5)
    priority_new = rec_in(days_ago=1, priority=Recommendation.Priority.PRIORITY)
    priority_old = rec_in(days_ago=3, priority=Recommendation.Priority.PRIORITY)
    client.force_login(hr)

    cards = client.get(reverse("recommendations:board")).context["open_columns"][0].cards

    assert [r.pk for r in cards] == [priority_old.pk, priority_new.pk, standard_old.pk]


def test_a_card_shows_the_name_cohort_band_priority_days_and_overdue(client, hr):
    overdue = rec_in(days_ago=10, priority=Recommendation.Priority.PRIORITY)
    on_time = rec_in(days_ago=2)
    client.force_login(hr)

    response = client.get(reverse("recommendations:board"))

    cards = {r.pk: r for r in response.context["open_columns"][0].cards}
    assert cards[overdue.pk].is_overdue and cards[overdue.pk].days_waiting == 10
    assert not cards[on_time.pk].is_overdue and cards[on_time.pk].days_waiting == 2
    page = response.content.decode()
    for text in (
        overdue.student.full_name,
        overdue.cohort.name,
        "Merit",
        "Priority",
        "10 days in this status",
    ):
        assert text in page
    assert page.count("Overdue") == 1


def test_each_column_shows_its_first_cards_then_links_to_the_table(client, hr):
    for _ in range(BOARD_CARDS_PER_COLUMN + 2):
        rec_in()
    client.force_login(hr)

    response = client.get(reverse("recommendations:board"))

    column = response.context["open_columns"][0]
    assert column.count == BOARD_CARDS_PER_COLUMN + 2 and len(column.cards) == BOARD_CARDS_PER_COLUMN
    assert "2 more in the table" in response.content.decode()


def test_hr_never_sees_a_student_who_withdrew_consent_but_staff_do(client, hr, staff):
    shown, hidden = rec_in(), rec_in()
    withdraw_consent(hidden)

    client.force_login(hr)
    cards = client.get(reverse("recommendations:board")).context["open_columns"][0].cards
    rows = client.get(reverse("recommendations:table")).context["page"].object_list
    assert [r.pk for r in cards] == [shown.pk]
    assert [r.pk for r in rows] == [shown.pk]

    client.force_login(staff)
    cards = client.get(reverse("recommendations:board")).context["open_columns"][0].cards
    assert {r.pk for r in cards} == {shown.pk, hidden.pk}


def _fill(per_status: int):
    for status in S.values:
        for _ in range(per_status):
            rec_in(status)


@pytest.mark.parametrize("per_status", [1, 6])
def test_the_boards_query_count_does_not_grow(client, hr, django_assert_max_num_queries, per_status):
    _fill(per_status)
    client.force_login(hr)
    with django_assert_max_num_queries(9):  # session, user, counts, one per open column, notices
        response = client.get(reverse("recommendations:board"))
    assert response.status_code == 200
    assert sum(c.count for c in response.context["open_columns"]) == 4 * per_status


@pytest.mark.parametrize("per_status", [1, 6])
def test_the_tables_query_count_does_not_grow(client, hr, django_assert_max_num_queries, per_status):
    _fill(per_status)
    client.force_login(hr)
    with django_assert_max_num_queries(7):
        response = client.get(reverse("recommendations:table"), {"status": "", "sort": "newest"})
    assert response.status_code == 200
    assert response.context["page"].paginator.count == 8 * per_status


def test_the_board_at_390px_stacks_its_columns(client, hr):
    rec_in()
    client.force_login(hr)
    page = client.get(reverse("recommendations:board")).content.decode()
    # one column per row on phones, two on tablets, four from wide screens
    assert "row-cols-1 row-cols-md-2 row-cols-xl-4" in page


def test_the_board_in_chinese(client, hr, settings):
    rec_in(days_ago=10)
    client.force_login(hr)
    response = client.get(reverse("recommendations:board"), HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 200


# --- the table -------------------------------------------------------------------------------------


def test_the_table_filters_by_cohort_status_priority_and_overdue(client, hr):
    cohort = CohortFactory()
    window = PlacementWindowFactory(cohort=cohort)
    in_cohort = rec_in(result__placement=PlacementFactory(window=window))
    reviewing = rec_in(S.REVIEWING)
    priority = rec_in(priority=Recommendation.Priority.PRIORITY)
    overdue = rec_in(days_ago=9)
    client.force_login(hr)

    def pks(**params):
        page = client.get(reverse("recommendations:table"), params).context["page"]
        return {r.pk for r in page.object_list}

    assert pks(cohort=cohort.pk) == {in_cohort.pk}
    assert pks(status=S.REVIEWING) == {reviewing.pk}
    assert pks(priority="priority") == {priority.pk}
    assert pks(overdue="on") == {overdue.pk}
    assert pks() == {in_cohort.pk, reviewing.pk, priority.pk, overdue.pk}


def test_the_table_finds_a_name_or_student_number_by_its_beginning_only(client, hr):
    wang = named("王小明", "2023100001")
    li = named("李华", "2023200002")
    client.force_login(hr)

    def pks(q):
        return {r.pk for r in client.get(reverse("recommendations:table"), {"q": q}).context["page"]}

    assert pks("王") == {wang.pk}
    assert pks("李华") == {li.pk}
    assert pks("20231") == {wang.pk}
    assert pks("2023") == {wang.pk, li.pk}
    # no substring search (icontains cannot use an index)
    assert pks("小明") == set()
    assert pks("100001") == set()


def test_a_bad_filter_is_ignored_not_an_error(client, hr):
    rec = rec_in()
    client.force_login(hr)
    response = client.get(reverse("recommendations:table"), {"status": "nonsense", "cohort": "abc"})
    assert response.status_code == 200
    assert [r.pk for r in response.context["page"]] == [rec.pk]


@pytest.mark.parametrize(
    ("sort", "expected"),
    [("priority", ["p", "old", "new"]), ("oldest", ["old", "p", "new"]), ("newest", ["new", "p", "old"])],
)
def test_the_table_sorts(client, hr, sort, expected):
    recs = {
        "old": rec_in(days_ago=6),
        "p": rec_in(days_ago=4, priority=Recommendation.Priority.PRIORITY),
        "new": rec_in(days_ago=1),
    }
    client.force_login(hr)
    page = client.get(reverse("recommendations:table"), {"sort": sort}).context["page"]
    assert [r.pk for r in page] == [recs[key].pk for key in expected]


def test_the_table_pages_by_25_and_keeps_the_filters(client, hr):
    for _ in range(TABLE_PER_PAGE + 1):
        rec_in()
    client.force_login(hr)
    response = client.get(reverse("recommendations:table"), {"status": S.RECEIVED})
    assert len(response.context["page"].object_list) == TABLE_PER_PAGE
    assert "status=received&amp;page=2" in response.content.decode()
    second = client.get(reverse("recommendations:table"), {"status": S.RECEIVED, "page": 2})
    assert len(second.context["page"].object_list) == 1


def test_staff_open_the_board_too(client):
    rec_in()
    client.force_login(StaffFactory())
    assert client.get(reverse("recommendations:board")).status_code == 200
    assert client.get(reverse("recommendations:table")).status_code == 200


def test_hr_finds_the_board_in_the_navigation_and_on_their_home(client):
    client.force_login(HRFactory())
    home = client.get(reverse("dashboards:hr_home")).content.decode()
    assert home.count(reverse("recommendations:board")) >= 2  # navigation bar and the home page


def test_the_benchmark_runs_and_leaves_nothing():
    out = io.StringIO()
    call_command("benchmark_board", recommendations=40, runs=2, stdout=out)
    text = out.getvalue()
    assert "built 40 recommendations" in text and "board: median" in text and "export, all rows" in text
    assert "rolled back" in text
    assert not Recommendation.objects.exists()
