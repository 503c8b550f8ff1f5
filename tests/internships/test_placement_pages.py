"""Pages of the placement phase: the Xiaomi registries, seats, the staff placement board, the
student's and mentor's views of a placement, attendance, the calendar feed — and who may see what."""

import re
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from django.utils import formats
from icalendar import Calendar

from internships import services
from internships.models import (
    ApplicationPreference,
    Attendance,
    District,
    EligibilityException,
    Mentor,
    Placement,
    Store,
    StoreSeats,
)
from internships.services import calendar_token_for
from tests.factories import (
    AcceptedApplicationFactory,
    CohortCourseFactory,
    CohortFactory,
    HRFactory,
    MentorFactory,
    MentorUserFactory,
    PlacementFactory,
    PlacementWindowFactory,
    StoreFactory,
    StoreSeatsFactory,
    StudentFactory,
)

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
MONDAY = date(2027, 3, 1)
TODAY = MONDAY + timedelta(days=9)  # Wednesday of the second week: seven working days are past
SEED = "page-seed"


def at(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=SHANGHAI)


@pytest.fixture
def on_wednesday():
    with time_machine.travel(at(TODAY), tick=False) as traveller:
        yield traveller


def shown(day) -> str:
    return formats.date_format(day, "DATE_FORMAT")


def table_rows(html: str) -> list[list[str]]:
    """The text of the cells of every table row (header cells included), tags removed."""
    return [
        [
            " ".join(re.sub(r"<[^>]+>", " ", cell).split())
            for cell in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row, re.S)
        ]
        for row in re.findall(r"<tr[^>]*>(.*?)</tr>", html, re.S)
    ]


def within(html: str, title_id: str) -> str:
    """The part of the page in the section headed by the element with `title_id`."""
    return html.split(f'id="{title_id}"')[1].split("</section>")[0]


def row_of(html: str, first_cell: str) -> list[str]:
    rows = [row for row in table_rows(html) if row and row[0].startswith(first_cell)]
    assert len(rows) == 1, f"{first_cell!r}: {rows}"
    return rows[0]


def window_of(cohort=None, starts_on=MONDAY):
    return PlacementWindowFactory(
        cohort=cohort or CohortFactory(), starts_on=starts_on, ends_on=starts_on + timedelta(days=20)
    )


def hosting(window, seats=5, capacity=10, **store_fields):
    mentor = MentorFactory(store=StoreFactory(**store_fields), capacity=capacity)
    if seats:
        StoreSeatsFactory(window=window, store=mentor.store, seats=seats)
    return mentor


def accepted(cohort, *stores, **fields):
    application = AcceptedApplicationFactory(cohort=cohort, **fields)
    for rank, store in enumerate(stores, start=1):
        ApplicationPreference.objects.create(application=application, rank=rank, store=store)
    return application


# --- Xiaomi coordinator: stores -----------------------------------------------------------------

STORE_POST = {
    "code": "sz-futian-coco",
    "name_zh": "小米之家 福田COCO Park店",
    "name_en": "Xiaomi Store Futian COCO Park",
    "district": District.FUTIAN,
    "address_zh": "深圳市福田区福华三路 268 号",
    "address_en": "268 Fuhua 3rd Road, Futian",
    "phone": "0755-88886666",
    "opening_hours": "10:00–22:00",
    "is_active": "on",
    "is_training_store": "on",
}


def test_the_store_list_shows_each_store_with_its_district_mentors_and_map(client, hr):
    store = StoreFactory(
        name_en="Xiaomi Store Longhua", district=District.LONGHUA, address_zh="深圳市龙华区民治大道"
    )
    MentorFactory.create_batch(2, store=store)
    StoreFactory(name_en="Closed store", is_active=False)
    client.force_login(hr)

    html = client.get(reverse("internships:store_list")).content.decode()

    row = row_of(html, "Xiaomi Store Longhua")
    assert row[1:] == ["Longhua", "2", "Approved training store"]
    assert "深圳市龙华区民治大道" in row[0]
    assert 'href="https://uri.amap.com/search?keyword=' in html
    assert row_of(html, "Closed store")[-1] == "Inactive"


def test_hr_creates_a_store(client, hr):
    client.force_login(hr)

    response = client.post(reverse("internships:store_create"), STORE_POST)

    assert response.status_code == 302
    assert response["Location"] == reverse("internships:store_list")
    store = Store.objects.get(code="sz-futian-coco")
    assert (store.name_en, store.district, store.is_training_store) == (
        "Xiaomi Store Futian COCO Park",
        District.FUTIAN,
        True,
    )


@pytest.mark.parametrize("change", [{"district": "atlantis"}, {"address_zh": ""}, {"code": "not a slug!"}])
def test_a_store_with_bad_input_is_not_saved(client, hr, change):
    client.force_login(hr)

    response = client.post(reverse("internships:store_create"), STORE_POST | change)

    assert response.status_code == 400
    assert response.context["form"].errors.keys() == change.keys()
    assert not Store.objects.exists()


def test_hr_edits_a_store(client, hr):
    store = StoreFactory(code="sz-futian-coco", name_en="Old name")
    client.force_login(hr)

    form = client.get(reverse("internships:store_edit", args=[store.pk]))
    response = client.post(reverse("internships:store_edit", args=[store.pk]), STORE_POST | {"is_active": ""})

    assert form.status_code == 200
    assert 'value="Old name"' in form.content.decode()
    assert response.status_code == 302
    store.refresh_from_db()
    assert (store.name_en, store.is_active) == ("Xiaomi Store Futian COCO Park", False)


# --- Xiaomi coordinator: mentors ----------------------------------------------------------------


def mentor_post(user, store, **changes):
    return {
        "user": user.pk,
        "store": store.pk,
        "certified_on": "2026-09-01",
        "certification_expires_on": "2028-08-31",
        "capacity": "3",
    } | changes


def test_the_mentor_list_shows_store_certification_and_capacity(client, hr):
    MentorFactory(
        user__full_name="陈志强",
        store__name_en="Xiaomi Store Nanshan",
        certification_expires_on=date(2030, 1, 31),
        capacity=3,
    )
    MentorFactory(
        user__full_name="林晓燕", certified_on=date(2024, 2, 1), certification_expires_on=date(2026, 1, 31)
    )
    client.force_login(hr)

    html = client.get(reverse("internships:mentor_list")).content.decode()

    assert row_of(html, "陈志强")[1:] == ["Xiaomi Store Nanshan", shown(date(2030, 1, 31)), "3"]
    assert row_of(html, "林晓燕")[2] == f"Expired {shown(date(2026, 1, 31))}"


def test_hr_registers_a_mentor(client, hr):
    user, store = MentorUserFactory(full_name="黄丽"), StoreFactory()
    client.force_login(hr)

    response = client.post(reverse("internships:mentor_create"), mentor_post(user, store))

    assert response.status_code == 302
    mentor = Mentor.objects.get(user=user)
    assert (mentor.store, mentor.certification_expires_on, mentor.capacity) == (store, date(2028, 8, 31), 3)


@pytest.mark.parametrize("expires", ["2026-09-01", "2026-08-31"])
def test_a_certification_that_ends_before_it_starts_is_refused(client, hr, expires):
    user, store = MentorUserFactory(), StoreFactory()
    client.force_login(hr)

    response = client.post(
        reverse("internships:mentor_create"), mentor_post(user, store, certification_expires_on=expires)
    )

    assert response.status_code == 400
    assert "The certification must expire after it was given." in response.content.decode()
    assert not Mentor.objects.exists()


def test_the_person_list_offers_only_mentors_not_yet_registered(client, hr):
    free = MentorUserFactory(full_name="待登记")
    taken = MentorFactory(user__full_name="已登记").user
    StudentFactory(full_name="学生")
    HRFactory(full_name="协调员")
    client.force_login(hr)

    create = client.get(reverse("internships:mentor_create"))
    edit = client.get(reverse("internships:mentor_edit", args=[taken.mentor_profile.pk]))

    assert list(create.context["form"].fields["user"].queryset) == [free]
    assert set(edit.context["form"].fields["user"].queryset) == {free, taken}
    html = create.content.decode()
    assert "待登记" in html
    assert not any(name in html for name in ("已登记", "学生", "协调员"))


def test_hr_changes_a_mentors_capacity(client, hr):
    mentor = MentorFactory(capacity=2)
    client.force_login(hr)

    response = client.post(
        reverse("internships:mentor_edit", args=[mentor.pk]),
        mentor_post(mentor.user, mentor.store, capacity="4"),
    )

    assert response.status_code == 302
    mentor.refresh_from_db()
    assert mentor.capacity == 4


# --- Seats -----------------------------------------------------------------------------------------


@pytest.fixture
def seats_page(db):
    cohort = CohortFactory()
    windows = [window_of(cohort), window_of(cohort, starts_on=MONDAY + timedelta(days=28))]
    stores = [StoreFactory(name_en="Store A"), StoreFactory(name_en="Store B")]
    StoreFactory(name_en="Not approved", is_training_store=False)
    StoreFactory(name_en="Closed", is_active=False)
    StoreSeatsFactory(window=windows[0], store=stores[0], seats=4)
    return cohort, windows, stores


def seat_field(window, store) -> str:
    return f"seats-{window.pk}-{store.pk}"


def test_the_seats_grid_shows_the_approved_stores_seats_per_window(client, staff, seats_page):
    cohort, windows, stores = seats_page
    client.force_login(staff)

    html = client.get(reverse("internships:seats_grid", args=[cohort.pk])).content.decode()

    assert re.search(rf'name="{seat_field(windows[0], stores[0])}" value="4"', html)
    assert re.search(rf'name="{seat_field(windows[1], stores[0])}" value="0"', html)
    assert "Store B" in html
    assert "Not approved" not in html and "Closed" not in html
    assert row_of(html, "Total")[1:] == ["4", "0"]


def test_saving_the_seats_grid_stores_every_cell(client, hr, seats_page):
    cohort, windows, stores = seats_page
    client.force_login(hr)
    data = {seat_field(w, s): str(n) for n, (w, s) in enumerate([(w, s) for w in windows for s in stores])}

    response = client.post(
        reverse("internships:seats_grid", args=[cohort.pk]), data | {seat_field(windows[1], stores[1]): "50"}
    )

    assert response.status_code == 302
    saved = {(s.window_id, s.store_id): s.seats for s in StoreSeats.objects.all()}
    assert saved == {
        (windows[0].pk, stores[0].pk): 0,
        (windows[0].pk, stores[1].pk): 1,
        (windows[1].pk, stores[0].pk): 2,
        (windows[1].pk, stores[1].pk): 50,
    }


@pytest.mark.parametrize("bad", ["60", "x", "-1", "2.5"])
def test_a_seat_count_that_is_not_a_whole_number_up_to_fifty_saves_nothing(client, staff, seats_page, bad):
    cohort, windows, stores = seats_page
    client.force_login(staff)

    response = client.post(
        reverse("internships:seats_grid", args=[cohort.pk]),
        {seat_field(windows[0], stores[0]): "7", seat_field(windows[0], stores[1]): bad},
    )

    assert response.status_code == 400
    assert "Store B: seats must be a whole number from 0 to 50." in response.content.decode()
    assert list(StoreSeats.objects.values_list("store_id", "seats")) == [(stores[0].pk, 4)]


def test_a_superscript_seat_count_is_refused_like_any_other_bad_value(client, staff, seats_page):
    cohort, windows, stores = seats_page
    client.force_login(staff)

    response = client.post(
        reverse("internships:seats_grid", args=[cohort.pk]), {seat_field(windows[0], stores[0]): "²"}
    )

    assert response.status_code == 400


@pytest.mark.parametrize("store_count", [3, 30])
def test_saving_the_seats_grid_costs_the_same_queries_for_3_or_30_stores(
    client, staff, store_count, django_assert_max_num_queries
):
    cohort = CohortFactory()
    windows = [window_of(cohort), window_of(cohort, starts_on=MONDAY + timedelta(days=28))]
    stores = [StoreFactory() for _ in range(store_count)]
    client.force_login(staff)
    data = {seat_field(w, s): "2" for w in windows for s in stores}

    with django_assert_max_num_queries(16):
        response = client.post(reverse("internships:seats_grid", args=[cohort.pk]), data)
    with django_assert_max_num_queries(10):
        client.get(reverse("internships:seats_grid", args=[cohort.pk]))

    assert response.status_code == 302
    assert StoreSeats.objects.filter(seats=2).count() == 2 * store_count


# --- Staff: the placement board ----------------------------------------------------------------


@pytest.fixture
def cohort_to_place(db):
    """Three eligible students (the cohort has no course plan): two want the one-seat store first."""
    cohort = CohortFactory()
    window = window_of(cohort)
    small = hosting(window, seats=1, name_en="Small store")
    big = hosting(window, seats=5, name_en="Big store")
    students = {
        name: accepted(cohort, *stores, student__full_name=name)
        for name, stores in [
            ("甲同学", [small.store, big.store]),
            ("乙同学", [small.store, big.store]),
            ("丙同学", []),
        ]
    }
    return cohort, window, small, big, students


def test_staff_run_the_allocation_and_see_the_preview_with_ranks_and_reasons(client, staff, cohort_to_place):
    cohort, _window, small, _big, _students = cohort_to_place
    client.force_login(staff)

    response = client.post(
        reverse("internships:allocation_start", args=[cohort.pk]), {"seed": SEED}, follow=True
    )

    html = response.content.decode()
    assert response.redirect_chain == [(reverse("internships:placement_board", args=[cohort.pk]), 302)]
    assert "Allocation preview ready: 2 of 3 students placed." in html
    assert "Preview — not published" in html
    assert f"lottery seed {SEED}" in html
    rows = {p.student.full_name: p for p in cohort.placements.select_related("student", "store")}
    assert set(rows) == {"甲同学", "乙同学"}
    board = within(html, "placements-title")
    for name, placement in rows.items():
        row = row_of(board, name)
        assert row[1] == placement.store.name_en
        assert row[4] == ("1" if placement.store == small.store else "2")
        assert row[5] == "Proposed (not published)"
    assert sorted(row_of(board, name)[4] for name in rows) == ["1", "2"]
    unplaced = within(html, "unplaced-title")
    assert "丙同学: gave no store or district preference" in unplaced
    assert "Publish 2 placements" in html


def test_the_board_shows_eligibility_and_records_an_exception(client, staff, cohort_to_place):
    cohort, *_rest = cohort_to_place
    behind = AcceptedApplicationFactory(cohort=cohort, student__full_name="丁同学")
    CohortCourseFactory(cohort=cohort)  # nobody has passed it
    client.force_login(staff)

    html = client.get(reverse("internships:placement_board", args=[cohort.pk])).content.decode()
    assert row_of(html, "丁同学")[1:3] == ["0 / 1", "Not yet"]
    assert "0 students are eligible" in html

    response = client.post(
        reverse("internships:eligibility_exception", args=[behind.pk]),
        {"reason": "Course credit from exchange"},
    )

    assert response.status_code == 302
    assert EligibilityException.objects.get().application == behind
    html = client.get(reverse("internships:placement_board", args=[cohort.pk])).content.decode()
    assert row_of(html, "丁同学")[1:] == ["0 / 1", "Yes", "Course credit from exchange"]
    assert row_of(html, "甲同学")[1:3] == ["0 / 1", "Not yet"]
    assert "1 student is eligible" in html


def test_an_exception_without_a_reason_is_not_recorded(client, staff, cohort_to_place):
    _cohort, _window, _small, _big, students = cohort_to_place
    client.force_login(staff)

    response = client.post(
        reverse("internships:eligibility_exception", args=[students["甲同学"].pk]),
        {"reason": ""},
        follow=True,
    )

    assert "Give the reason for the exception." in response.content.decode()
    assert not EligibilityException.objects.exists()


def test_staff_move_a_proposed_placement(client, staff, cohort_to_place):
    cohort, _window, _small, big, _students = cohort_to_place
    services.allocation_run(cohort=cohort, by=staff, seed=SEED)
    placement = cohort.placements.get(store=big.store)
    colleague = MentorFactory(store=big.store, user__full_name="另一位导师")
    client.force_login(staff)
    url = reverse("internships:placement_move", args=[placement.pk])

    form = client.get(url)
    response = client.post(url, {"mentor": colleague.pk, "reason": ""})

    assert form.status_code == 200
    html = form.content.decode()
    assert f"Move {placement.student.full_name}" in html
    assert "Big store · 另一位导师" in html
    assert response.status_code == 302
    placement.refresh_from_db()
    assert placement.mentor == colleague


def test_a_move_to_a_full_store_shows_why_and_changes_nothing(client, staff, cohort_to_place):
    cohort, _window, small, big, _students = cohort_to_place
    services.allocation_run(cohort=cohort, by=staff, seed=SEED)
    placement = cohort.placements.get(store=big.store)
    client.force_login(staff)

    response = client.post(reverse("internships:placement_move", args=[placement.pk]), {"mentor": small.pk})

    assert response.status_code == 400
    assert "Small store has no free seat in this window." in response.content.decode()
    placement.refresh_from_db()
    assert placement.store == big.store


def test_staff_publish_the_preview(client, staff, cohort_to_place):
    cohort, *_rest = cohort_to_place
    services.allocation_run(cohort=cohort, by=staff, seed=SEED)
    client.force_login(staff)

    response = client.post(reverse("internships:allocation_publish", args=[cohort.pk]), follow=True)

    html = response.content.decode()
    assert "2 placements published. Students and mentors can see them now." in html
    assert set(cohort.placements.values_list("status", flat=True)) == {Placement.Status.PLANNED}
    assert "Preview — not published" not in html and "Last allocation" in html


def test_staff_withdraw_a_published_placement_with_a_reason(client, staff):
    placement = PlacementFactory()
    client.force_login(staff)
    url = reverse("internships:placement_withdraw", args=[placement.pk])

    refused = client.post(url, {"reason": ""})
    placement.refresh_from_db()
    assert refused["Location"] == reverse("internships:placement_move", args=[placement.pk])
    assert placement.status == Placement.Status.PLANNED

    response = client.post(url, {"reason": "Left the programme"})

    assert response["Location"] == reverse("internships:placement_board", args=[placement.cohort_id])
    placement.refresh_from_db()
    assert (placement.status, placement.change_reason) == (Placement.Status.WITHDRAWN, "Left the programme")


# --- The student's and the mentor's view ---------------------------------------------------------


@pytest.fixture
def published(db):
    """王小明's published placement at a Futian store with mentor 陈志强, from MONDAY for three weeks."""
    cohort = CohortFactory(
        what_to_bring_zh="身份证和学生证", what_to_bring_en="Your ID card and student card"
    )
    mentor = MentorFactory(
        user__full_name="陈志强",
        store=StoreFactory(
            name_en="Xiaomi Store Futian Centre",
            address_zh="深圳市福田区福华三路 88 号",
            address_en="88 Fuhua 3rd Road",
        ),
    )
    return PlacementFactory(window=window_of(cohort), mentor=mentor, application__student__full_name="王小明")


def test_the_student_home_shows_the_placement(client, published):
    client.force_login(published.student)

    html = client.get(reverse("dashboards:student_home")).content.decode()

    assert "Your placement: Xiaomi Store Futian Centre" in html
    assert "88 Fuhua 3rd Road" in html
    assert 'href="https://uri.amap.com/search?keyword=%E6%B7%B1%E5%9C%B3' in html
    assert "Your mentor: 陈志强" in html
    assert f"From {shown(MONDAY)} to {shown(MONDAY + timedelta(days=20))}" in html
    assert "Your ID card and student card" in html
    token = published.student.calendar_token.token
    assert f"http://testserver/calendar/{token}.ics" in html


def test_the_student_home_does_not_show_a_proposal(client, published):
    Placement.objects.filter(pk=published.pk).update(status=Placement.Status.PROPOSED)
    client.force_login(published.student)

    html = client.get(reverse("dashboards:student_home")).content.decode()

    assert "Xiaomi Store Futian Centre" not in html
    assert "/calendar/" not in html


def test_a_student_sees_only_their_own_placement(client, published):
    other = PlacementFactory(
        window=published.window, mentor=MentorFactory(store__name_en="Someone else's store")
    )
    client.force_login(published.student)

    html = client.get(reverse("dashboards:student_home")).content.decode()
    feed = Calendar.from_ical(
        client.get(reverse("internships:calendar_feed", args=[calendar_token_for(published.student)])).content
    )

    assert "Xiaomi Store Futian Centre" in html
    assert "Someone else's store" not in html and other.student.full_name not in html
    summaries = {str(event["SUMMARY"]) for event in feed.walk("VEVENT")}
    assert summaries == {"Placement at Xiaomi Store Futian Centre (陈志强)"}


def test_the_mentor_home_lists_their_published_interns(client, published):
    proposal = PlacementFactory(
        window=published.window,
        mentor=published.mentor,
        status=Placement.Status.PROPOSED,
        application__student__full_name="未发布",
    )
    PlacementFactory(window=published.window, application__student__full_name="别人的实习生")
    client.force_login(published.mentor.user)

    html = client.get(reverse("dashboards:mentor_home")).content.decode()

    interns = html.split('id="interns-title"')[1].split("</section>")[0]
    assert "王小明" in interns and published.student.email in interns
    assert proposal.student.full_name not in html and "别人的实习生" not in html
    assert f"/calendar/{published.mentor.user.calendar_token.token}.ics" in html


# --- Calendar feed ------------------------------------------------------------------------------


def test_the_calendar_feed_has_one_event_per_working_day(client, published):
    token = calendar_token_for(published.student)

    response = client.get(reverse("internships:calendar_feed", args=[token]))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    events = Calendar.from_ical(response.content).walk("VEVENT")
    # the factory's store gives no opening hours: all-day events (dates, not times)
    days = sorted(event.decoded("DTSTART") for event in events)
    assert days == published.working_days()
    assert len(days) == 15
    assert all(event.decoded("DTSTART").weekday() < 5 for event in events)
    assert {str(event["LOCATION"]) for event in events} == {"88 Fuhua 3rd Road"}
    assert len({str(event["UID"]) for event in events}) == 15


def test_the_mentors_calendar_feed_names_the_intern(client, published):
    token = calendar_token_for(published.mentor.user)

    events = Calendar.from_ical(client.get(reverse("internships:calendar_feed", args=[token])).content).walk(
        "VEVENT"
    )

    assert len(events) == 15
    assert {str(event["SUMMARY"]) for event in events} == {"Placement at Xiaomi Store Futian Centre (王小明)"}


def test_a_calendar_feed_with_an_unknown_token_is_not_found(client, published):
    calendar_token_for(published.student)

    assert client.get(reverse("internships:calendar_feed", args=["not-a-token"])).status_code == 404


# --- Mentor: attendance today ---------------------------------------------------------------------


@pytest.fixture
def mentors_day(on_wednesday, published):
    """TODAY: the mentor's intern works; a second intern starts next month; another mentor's intern."""
    later = PlacementFactory(
        window=window_of(starts_on=MONDAY + timedelta(days=28)),
        mentor=published.mentor,
        application__student__full_name="下月来",
    )
    others = PlacementFactory(window=published.window, application__student__full_name="别人的实习生")
    return published, later, others


def test_the_attendance_page_lists_todays_interns_with_three_buttons(client, mentors_day):
    placement, _later, _others = mentors_day
    client.force_login(placement.mentor.user)

    html = client.get(reverse("internships:mentor_attendance")).content.decode()

    assert shown(TODAY) in html
    # one card per intern working today (the section of earlier missed days has its own heading)
    assert re.findall(r'<h2 class="h5 mb-0">([^<]+)</h2>', html) == ["王小明"]
    action = reverse("internships:attendance_mark", args=[placement.pk])
    form = html.split(f'action="{action}"')[1].split("</form>")[0]
    buttons = re.findall(r'<button type="submit" name="mark" value="(\w+)"[^>]*>([^<]+)</button>', form)
    assert buttons == [("present", "Present"), ("late", "Late"), ("absent", "Absent")]
    assert "下月来" not in html and "别人的实习生" not in html


def test_a_mentor_records_attendance_with_one_tap(client, mentors_day):
    placement, *_rest = mentors_day
    client.force_login(placement.mentor.user)

    response = client.post(
        reverse("internships:attendance_mark", args=[placement.pk]), {"mark": "late"}, follow=True
    )

    assert list(placement.attendance.values_list("day", "mark")) == [(TODAY, "late")]
    html = response.content.decode()
    assert "王小明: Late." in html
    assert 'value="late" class="btn btn-lg flex-fill btn-dark" aria-pressed="true"' in html


def test_a_mentor_cannot_record_attendance_of_another_mentors_intern(client, mentors_day):
    placement, _later, others = mentors_day
    client.force_login(placement.mentor.user)

    mark = client.post(reverse("internships:attendance_mark", args=[others.pk]), {"mark": "absent"})
    confirm = client.post(reverse("internships:check_in_confirm", args=[others.pk]), {"code": "123456"})

    assert (mark.status_code, confirm.status_code) == (404, 404)
    assert not Attendance.objects.exists()


def test_a_mentor_cannot_record_attendance_of_an_unpublished_placement(client, mentors_day):
    placement, *_rest = mentors_day
    Placement.objects.filter(pk=placement.pk).update(status=Placement.Status.PROPOSED)
    client.force_login(placement.mentor.user)

    response = client.post(reverse("internships:attendance_mark", args=[placement.pk]), {"mark": "present"})

    assert response.status_code == 404
    assert not Attendance.objects.exists()


def test_the_student_checks_in_and_the_mentor_confirms_the_code(client, mentors_day):
    placement, *_rest = mentors_day
    client.force_login(placement.student)
    home = client.get(reverse("dashboards:student_home")).content.decode()
    assert "Check in at the store" in home

    shown_code = client.post(reverse("internships:check_in"), follow=True).content.decode()

    code = placement.attendance.get(day=TODAY).check_in_code
    assert f"Show this code to your mentor: {code}" in shown_code
    client.force_login(placement.mentor.user)
    page = client.get(reverse("internships:mentor_attendance")).content.decode()
    assert "The student checked in: type the code on their phone" in page
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    refused = client.post(
        reverse("internships:check_in_confirm", args=[placement.pk]), {"code": wrong}, follow=True
    )
    assert "The code does not match" in refused.content.decode()
    assert placement.attendance.get().mark == ""

    client.post(reverse("internships:check_in_confirm", args=[placement.pk]), {"code": code})

    assert placement.attendance.get().mark == "present"


def test_a_student_without_a_published_placement_cannot_check_in(client, student):
    client.force_login(student)

    assert client.post(reverse("internships:check_in")).status_code == 404


# --- Attendance gaps ----------------------------------------------------------------------------


def test_the_attendance_gaps_page_counts_the_days_without_a_mark(client, hr, mentors_day):
    placement, _later, others = mentors_day
    past = [d for d in placement.working_days() if d < TODAY]
    for day, mark in zip(past[:3], ["present", "late", "absent"], strict=True):
        Attendance.objects.create(placement=placement, day=day, mark=mark)
    for day in past:
        Attendance.objects.create(placement=others, day=day, mark="present")
    client.force_login(hr)

    html = client.get(reverse("internships:attendance_gaps", args=[placement.cohort_id])).content.decode()

    assert len(past) == 7
    assert row_of(html, "王小明")[3:] == ["1", "1", "1", "4"]
    assert row_of(html, "别人的实习生")[3:] == ["7", "0", "0", "0"]


def test_todays_mark_does_not_hide_a_missing_day_before(client, staff, mentors_day):
    placement, *_rest = mentors_day
    past = [d for d in placement.working_days() if d < TODAY]
    for day in [*past[:-1], TODAY]:  # yesterday is missing
        Attendance.objects.create(placement=placement, day=day, mark="present")
    client.force_login(staff)

    html = client.get(reverse("internships:attendance_gaps", args=[placement.cohort_id])).content.decode()

    assert row_of(html, "王小明")[-1] == "1"


# --- Queries do not grow with the number of rows -------------------------------------------------

BOARD_QUERIES = 11
ATTENDANCE_QUERIES = 6  # + the earlier days not recorded
STORE_LIST_QUERIES = 4


@pytest.mark.parametrize("count", [2, 30])
def test_the_placement_board_runs_a_bounded_number_of_queries(
    client, staff, django_assert_max_num_queries, count
):
    cohort = CohortFactory()
    window = window_of(cohort)
    mentor = hosting(window, seats=count)
    for _ in range(count):
        PlacementFactory(window=window, mentor=mentor)
        accepted(cohort)  # no wishes: listed as not placed after the run
    services.allocation_run(cohort=cohort, by=staff, seed=SEED)
    for application in cohort.applications.filter(placement__isnull=True):
        EligibilityException.objects.create(
            application=application, reason="Exchange credit", granted_by=staff
        )
    client.force_login(staff)

    with django_assert_max_num_queries(BOARD_QUERIES):
        html = client.get(reverse("internships:placement_board", args=[cohort.pk])).content.decode()

    assert len(table_rows(within(html, "placements-title"))) == count + 1
    assert html.count(": gave no store or district preference") == count
    assert html.count("Exchange credit") == count


@pytest.mark.parametrize("count", [2, 30])
def test_the_mentor_attendance_page_runs_a_bounded_number_of_queries(
    client, on_wednesday, django_assert_max_num_queries, count
):
    mentor = MentorFactory()
    window = window_of()
    interns = [PlacementFactory(window=window, mentor=mentor) for _ in range(count)]
    for intern in interns[::2]:
        Attendance.objects.create(placement=intern, day=TODAY, mark="present")
    client.force_login(mentor.user)

    with django_assert_max_num_queries(ATTENDANCE_QUERIES):
        html = client.get(reverse("internships:mentor_attendance")).content.decode()

    today_cards = html.split('id="missing-title"')[0]  # earlier missed days are listed below
    assert today_cards.count('name="mark" value="late"') == count


@pytest.mark.parametrize("count", [2, 30])
def test_the_store_list_runs_a_bounded_number_of_queries(client, hr, django_assert_max_num_queries, count):
    for _ in range(count):
        MentorFactory()
    client.force_login(hr)

    with django_assert_max_num_queries(STORE_LIST_QUERIES):
        html = client.get(reverse("internships:store_list")).content.decode()

    assert html.count("uri.amap.com") == count


def test_the_move_form_does_not_offer_a_deactivated_mentor(client, staff, cohort_to_place):
    cohort, _window, _small, big, _students = cohort_to_place
    services.allocation_run(cohort=cohort, by=staff, seed=SEED)
    placement = cohort.placements.get(store=big.store)
    gone = MentorFactory(store=big.store, user__full_name="已离职导师", user__is_active=False)
    client.force_login(staff)
    url = reverse("internships:placement_move", args=[placement.pk])

    html = client.get(url).content.decode()
    response = client.post(url, {"mentor": gone.pk, "reason": ""})

    assert "已离职导师" not in html
    assert response.status_code == 400
    placement.refresh_from_db()
    assert placement.mentor != gone


# --- The board as it is now (issue 9, 17) and placing a student by hand (issue 9, 8) ---------------


def test_the_board_summary_counts_the_placements_as_they_are_after_a_move(client, staff, cohort_to_place):
    cohort, window, small, _big, _students = cohort_to_place
    services.allocation_run(cohort=cohort, by=staff, seed=SEED)
    first_choice = cohort.placements.get(store=small.store)
    elsewhere = hosting(window, seats=1, name_en="Unwished store")
    services.placement_move(
        placement=first_choice, store=elsewhere.store, mentor=elsewhere, reason="", by=staff
    )
    client.force_login(staff)

    html = client.get(reverse("internships:placement_board", args=[cohort.pk])).content.decode()

    summary = " ".join(re.sub(r"<[^>]+>", " ", within(html, "summary-title")).split())
    assert "2 of 3 students placed" in summary
    assert "choice 2: 1" in summary
    assert "choice 1" not in summary
    assert "not among the wishes: 1" in summary


def test_the_board_shows_why_a_published_placement_was_moved(client, staff, cohort_to_place):
    cohort, _window, _small, big, _students = cohort_to_place
    services.allocation_run(cohort=cohort, by=staff, seed=SEED)
    services.allocation_publish(cohort=cohort, by=staff)
    placement = cohort.placements.select_related("student").get(store=big.store)
    colleague = MentorFactory(store=big.store)
    services.placement_move(
        placement=placement, store=big.store, mentor=colleague, reason="陈老师休产假", by=staff
    )
    client.force_login(staff)

    board = client.get(reverse("internships:placement_board", args=[cohort.pk])).content.decode()
    move_page = client.get(reverse("internships:placement_move", args=[placement.pk])).content.decode()

    assert "陈老师休产假" in row_of(within(board, "placements-title"), placement.student.full_name)[5]
    assert "陈老师休产假" in move_page


def test_the_chinese_board_names_the_allocation_method_in_chinese(client, staff, cohort_to_place):
    cohort, *_rest = cohort_to_place
    run = services.allocation_run(cohort=cohort, by=staff, seed=SEED)
    staff.language = "zh-hans"
    staff.save()
    client.force_login(staff)

    html = client.get(reverse("internships:placement_board", args=[cohort.pk])).content.decode()

    assert run.algorithm == "rsd-common-lottery"  # a key, not English prose
    assert "学生提议的延迟接受算法" in html
    assert "deferred acceptance" not in html


def test_the_not_placed_list_includes_a_student_who_became_eligible_after_the_run(
    client, staff, cohort_to_place
):
    cohort, *_rest = cohort_to_place
    services.allocation_run(cohort=cohort, by=staff, seed=SEED)
    latecomer = accepted(cohort, student__full_name="戊同学")
    client.force_login(staff)

    html = client.get(reverse("internships:placement_board", args=[cohort.pk])).content.decode()

    unplaced = within(html, "unplaced-title")
    assert "丙同学" in unplaced
    assert "戊同学" in unplaced and "became eligible after the last allocation run" in unplaced
    assert reverse("internships:placement_create", args=[latecomer.pk]) in unplaced


def place_url(application) -> str:
    return reverse("internships:placement_create", args=[application.pk])


def test_staff_place_a_student_the_allocation_left_out(client, staff, cohort_to_place):
    cohort, window, _small, big, students = cohort_to_place
    services.allocation_run(cohort=cohort, by=staff, seed=SEED)
    left_out = students["丙同学"]
    client.force_login(staff)

    form = client.get(place_url(left_out))
    response = client.post(
        place_url(left_out), {"window": window.pk, "mentor": big.pk, "reason": "Chose a store by phone"}
    )

    assert form.status_code == 200
    assert "Place 丙同学" in form.content.decode()
    assert response.status_code == 302
    placement = cohort.placements.get(application=left_out)
    assert (placement.store, placement.mentor, placement.status) == (
        big.store,
        big,
        Placement.Status.PROPOSED,
    )
    assert placement.change_reason == "Chose a store by phone"
    html = client.get(response.url).content.decode()
    assert "丙同学 is placed at Big store" in html
    assert 'id="unplaced-title"' not in html  # everyone eligible has a place now


def test_placing_a_student_in_a_full_store_says_so_and_saves_nothing(client, staff, cohort_to_place):
    cohort, window, small, _big, students = cohort_to_place
    services.allocation_run(cohort=cohort, by=staff, seed=SEED)
    client.force_login(staff)

    response = client.post(
        place_url(students["丙同学"]), {"window": window.pk, "mentor": small.pk, "reason": "Asked for it"}
    )

    assert response.status_code == 400
    assert "Small store has no free seat in this window." in response.content.decode()
    assert not cohort.placements.filter(application=students["丙同学"]).exists()


def test_placing_a_student_with_a_mentor_at_capacity_says_so(client, staff, cohort_to_place):
    cohort, window, _small, _big, students = cohort_to_place
    services.allocation_run(cohort=cohort, by=staff, seed=SEED)
    busy = hosting(window, seats=5, capacity=1, name_en="Busy store")
    PlacementFactory(window=window, mentor=busy)
    client.force_login(staff)

    response = client.post(
        place_url(students["丙同学"]), {"window": window.pk, "mentor": busy.pk, "reason": "Asked for it"}
    )

    assert response.status_code == 400
    assert "already has 1 interns at that time" in response.content.decode()
    assert not cohort.placements.filter(application=students["丙同学"]).exists()


def test_placing_a_student_without_a_reason_is_refused_next_to_the_field(client, staff, cohort_to_place):
    cohort, window, _small, big, students = cohort_to_place
    client.force_login(staff)

    response = client.post(
        place_url(students["丙同学"]), {"window": window.pk, "mentor": big.pk, "reason": " "}
    )

    assert response.status_code == 400
    html = response.content.decode()
    assert "This field is required." in html.split('name="reason"')[1][:600]
    assert not cohort.placements.exists()


def test_a_student_already_placed_cannot_be_placed_again(client, staff, cohort_to_place):
    cohort, window, _small, big, _students = cohort_to_place
    services.allocation_run(cohort=cohort, by=staff, seed=SEED)
    placed_one = cohort.placements.select_related("application").first().application
    client.force_login(staff)

    response = client.post(place_url(placed_one), {"window": window.pk, "mentor": big.pk, "reason": "Again"})

    assert response.status_code == 400
    assert "already has a placement in this cohort" in response.content.decode()
    assert cohort.placements.filter(application=placed_one).count() == 1


@pytest.mark.parametrize("count", [2, 20])
def test_the_place_page_runs_a_bounded_number_of_queries(client, staff, django_assert_max_num_queries, count):
    cohort = CohortFactory()
    window = window_of(cohort)
    for _ in range(count):
        hosting(window)
    application = accepted(cohort)
    client.force_login(staff)

    with django_assert_max_num_queries(8):
        html = client.get(place_url(application)).content.decode()

    assert html.count("<option") == count + 1  # the mentors, and the empty choice
