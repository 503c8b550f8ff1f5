"""The placement phase's services: eligibility, allocation runs, publication, moves, withdrawals,
attendance, check-in and the placement reminders."""

import re
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from internships import allocation, services
from internships.models import (
    AllocationRun,
    ApplicationPreference,
    Attendance,
    District,
    EligibilityException,
    Mentor,
    Placement,
    PlacementWindow,
    StoreSeats,
)
from internships.reminders import plan_attendance_reminders
from internships.selectors import eligibility, eligible_applications, placement_cutoff
from internships.services import PlacementError
from notifications.models import Notification, Reminder
from notifications.services import reminders_deliver_due
from tests.factories import (
    AcceptedApplicationFactory,
    CohortCourseFactory,
    CohortFactory,
    EnrolmentFactory,
    HRFactory,
    MentorFactory,
    PlacementFactory,
    PlacementWindowFactory,
    StaffFactory,
    StoreFactory,
    StoreSeatsFactory,
    StudentFactory,
    SubmittedApplicationFactory,
)

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
MONDAY = date(2027, 3, 1)  # the first day of a three-week window, MONDAY … MONDAY + 20 days
TUESDAY = MONDAY + timedelta(days=1)
SATURDAY = MONDAY + timedelta(days=5)
TODAY = MONDAY + timedelta(days=9)  # Wednesday of the second week
SEED = "test-seed"


def at(day: date, hour: int = 10, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=SHANGHAI)


@pytest.fixture
def on_wednesday():
    """The clock stands still on the second Wednesday of the window, 10:00 in Shenzhen."""
    with time_machine.travel(at(TODAY), tick=False) as traveller:
        yield traveller


def window_of(cohort=None, starts_on=MONDAY) -> PlacementWindow:
    return PlacementWindowFactory(
        cohort=cohort or CohortFactory(), starts_on=starts_on, ends_on=starts_on + timedelta(days=20)
    )


def accepted(cohort, *wishes, **fields):
    """An accepted application whose ranked wishes are stores or district names."""
    application = AcceptedApplicationFactory(cohort=cohort, **fields)
    for rank, wish in enumerate(wishes, start=1):
        if isinstance(wish, str):
            ApplicationPreference.objects.create(application=application, rank=rank, district=wish)
        else:
            ApplicationPreference.objects.create(application=application, rank=rank, store=wish)
    return application


def hosting(window, seats=5, capacity=10, **store_fields):
    """A store with `seats` in `window` and one mentor certified for it, taking `capacity` interns."""
    mentor = MentorFactory(store=StoreFactory(**store_fields), capacity=capacity)
    if seats:
        StoreSeatsFactory(window=window, store=mentor.store, seats=seats)
    return mentor


def placed(cohort) -> dict[int, int]:
    """application id → store id of the cohort's placements."""
    return dict(cohort.placements.values_list("application_id", "store_id"))


def placed_with_mentors(cohort) -> set[tuple[int, int, int]]:
    return set(cohort.placements.values_list("application_id", "store_id", "mentor_id"))


# --- Eligibility ---------------------------------------------------------------------------------

CUTOFF = date(2027, 2, 15)


@pytest.fixture
def planned_cohort(db):
    """A cohort whose two plan courses must be passed by CUTOFF."""
    cohort = CohortFactory(placement_cutoff_on=CUTOFF)
    courses = [
        CohortCourseFactory(cohort=cohort, due_on=CUTOFF - timedelta(days=10)).course for _ in range(2)
    ]
    return cohort, courses


def completes(application, courses, *, at_time):
    for course in courses:
        EnrolmentFactory(student=application.student, course=course, completed_at=at_time)


def test_accepted_students_who_passed_the_plan_courses_by_the_cutoff_are_eligible(planned_cohort):
    cohort, courses = planned_cohort
    on_time = accepted(cohort)
    completes(on_time, courses, at_time=at(CUTOFF - timedelta(days=3)))
    last_evening = accepted(cohort)
    completes(last_evening, courses, at_time=at(CUTOFF, 23, 30))
    late = accepted(cohort)
    completes(late, courses[:1], at_time=at(CUTOFF - timedelta(days=3)))
    completes(late, courses[1:], at_time=at(CUTOFF + timedelta(days=1), 0, 10))
    half = accepted(cohort)
    completes(half, courses[:1], at_time=at(CUTOFF - timedelta(days=3)))
    not_accepted = SubmittedApplicationFactory(cohort=cohort)
    completes(not_accepted, courses, at_time=at(CUTOFF - timedelta(days=3)))

    rows = {row["application"].pk: row for row in eligibility(cohort)}

    assert set(rows) == {on_time.pk, last_evening.pk, late.pk, half.pk}
    assert {pk for pk, row in rows.items() if row["eligible"]} == {on_time.pk, last_evening.pk}
    assert (rows[late.pk]["passed"], rows[late.pk]["total"]) == (1, 2)
    assert (rows[half.pk]["passed"], rows[half.pk]["total"]) == (1, 2)
    assert {a.pk for a in eligible_applications(cohort)} == {on_time.pk, last_evening.pk}


def test_courses_outside_the_cohort_plan_do_not_make_a_student_eligible(planned_cohort):
    cohort, _courses = planned_cohort
    application = accepted(cohort)
    for _ in range(2):
        EnrolmentFactory(student=application.student, completed_at=at(CUTOFF - timedelta(days=5)))

    assert eligible_applications(cohort) == []


def test_without_a_cutoff_date_the_last_course_due_date_is_the_cutoff(db):
    cohort = CohortFactory(placement_cutoff_on=None)
    early = CohortCourseFactory(cohort=cohort, due_on=CUTOFF - timedelta(days=20))
    last = CohortCourseFactory(cohort=cohort, due_on=CUTOFF)
    application = accepted(cohort)
    completes(application, [early.course], at_time=at(CUTOFF - timedelta(days=25)))
    completes(application, [last.course], at_time=at(CUTOFF, 18))

    assert placement_cutoff(cohort) == CUTOFF
    assert eligible_applications(cohort) == [application]


def test_an_exception_with_a_reason_makes_a_student_eligible(planned_cohort):
    cohort, _courses = planned_cohort
    application = accepted(cohort)
    staff = StaffFactory()
    assert eligible_applications(cohort) == []

    services.eligibility_exception_grant(
        application=application, reason="  Hospitalised during the last course; tutor confirms  ", by=staff
    )

    (row,) = eligibility(cohort)
    assert row["eligible"] is True
    assert row["exception"].reason == "Hospitalised during the last course; tutor confirms"
    assert row["exception"].granted_by == staff


@pytest.mark.parametrize("reason", ["", "   "])
def test_an_exception_without_a_reason_is_refused(planned_cohort, reason):
    cohort, _courses = planned_cohort
    application = accepted(cohort)

    with pytest.raises(PlacementError):
        services.eligibility_exception_grant(application=application, reason=reason, by=StaffFactory())

    assert not EligibilityException.objects.exists()
    assert eligible_applications(cohort) == []


# --- Allocation ----------------------------------------------------------------------------------


def test_the_allocation_places_students_by_their_wishes_within_seats_and_certified_mentors():
    cohort = CohortFactory()
    window = window_of(cohort)
    roomy = hosting(window, seats=2, capacity=10)  # 2 seats
    tight = hosting(window, seats=5, capacity=1)  # 5 seats but one mentor taking one intern
    expired = hosting(window, seats=5)
    expired.certification_expires_on = window.starts_on + timedelta(days=5)
    expired.save()
    seatless = hosting(window, seats=0)  # a certified mentor, but no seats in this window
    futian = hosting(window, seats=3, district=District.FUTIAN)
    keen = [accepted(cohort, roomy.store, tight.store) for _ in range(3)]
    only_tight = accepted(cohort, tight.store)
    nowhere = accepted(cohort, expired.store, seatless.store)
    by_district = accepted(cohort, District.FUTIAN)
    no_wishes = accepted(cohort)

    run = services.allocation_run(cohort=cohort, by=StaffFactory(), seed=SEED)

    rows = list(cohort.placements.select_related("mentor"))
    by_store = {m.store_id: [p for p in rows if p.store_id == m.store_id] for m in (roomy, tight, futian)}
    assert len(by_store[roomy.store_id]) == 2
    assert len(by_store[tight.store_id]) == 1
    assert [p.application_id for p in by_store[futian.store_id]] == [by_district.pk]
    assert by_store[futian.store_id][0].preference_rank == 1
    assert not cohort.placements.filter(store__in=[expired.store, seatless.store]).exists()
    assert all(p.mentor.store_id == p.store_id for p in rows)
    assert all(p.status == Placement.Status.PROPOSED and p.allocation_run == run for p in rows)
    # Each placement's rank is the rank of the wish it came from.
    wished = {a.pk: [roomy.store_id, tight.store_id] for a in keen} | {only_tight.pk: [tight.store_id]}
    for p in rows:
        if p.application_id in wished:
            assert p.preference_rank == wished[p.application_id].index(p.store_id) + 1
    # Who is left out, and why: the one who lost the lottery for the tight store, and the others.
    reasons = {u["application"]: u["reason"] for u in run.unplaced}
    assert reasons.pop(nowhere.pk) == "wishes_without_seats"
    assert reasons.pop(no_wishes.pk) == "no_wishes"
    (loser,) = reasons
    assert loser in {a.pk for a in keen} | {only_tight.pk}
    assert reasons[loser] == "wishes_full"
    assert len(rows) + len(run.unplaced) == 7


def test_the_allocation_records_its_seed_algorithm_and_statistics():
    cohort = CohortFactory()
    window = window_of(cohort)
    first = hosting(window, seats=1)
    second = hosting(window, seats=5)
    for _ in range(3):
        accepted(cohort, first.store, second.store)
    accepted(cohort)  # no wishes

    run = services.allocation_run(cohort=cohort, by=StaffFactory(), seed=SEED)

    run.refresh_from_db()
    assert run.seed == SEED
    assert run.algorithm == allocation.ALGORITHM
    assert run.stats == {
        "candidates": 4,
        "placed": 3,
        "by_rank": {"1": 1, "2": 2},
        "first_choice_share": 0.25,
    }
    assert [u["reason"] for u in run.unplaced] == ["no_wishes"]


def test_an_allocation_without_a_seed_draws_one():
    cohort = CohortFactory()
    window_of(cohort)

    one = services.allocation_run(cohort=cohort, by=StaffFactory())
    two = services.allocation_run(cohort=cohort, by=StaffFactory())

    assert re.fullmatch(r"[0-9a-f]{16}", one.seed)
    assert one.seed != two.seed


def test_only_eligible_accepted_students_are_allocated():
    cohort = CohortFactory(placement_cutoff_on=CUTOFF)
    course = CohortCourseFactory(cohort=cohort).course
    mentor = hosting(window_of(cohort), seats=10)
    eligible = accepted(cohort, mentor.store)
    completes(eligible, [course], at_time=at(CUTOFF - timedelta(days=1)))
    behind = accepted(cohort, mentor.store)
    waiting = SubmittedApplicationFactory(cohort=cohort)
    completes(waiting, [course], at_time=at(CUTOFF - timedelta(days=1)))

    run = services.allocation_run(cohort=cohort, by=StaffFactory(), seed=SEED)

    assert set(placed(cohort)) == {eligible.pk}
    assert run.stats["candidates"] == 1
    assert behind.pk not in {u["application"] for u in run.unplaced}


def test_a_mentors_interns_from_another_cohort_at_the_same_time_count_against_their_capacity():
    cohort = CohortFactory()
    window = window_of(cohort)
    mentor = hosting(window, seats=10, capacity=2)
    PlacementFactory(window=window_of(starts_on=MONDAY + timedelta(days=7)), mentor=mentor)
    for _ in range(3):
        accepted(cohort, mentor.store)

    run = services.allocation_run(cohort=cohort, by=StaffFactory(), seed=SEED)

    assert run.stats["placed"] == 1
    assert Placement.objects.filter(mentor=mentor).count() == 2


def test_an_allocation_with_the_same_seed_gives_the_same_placements():
    cohort = CohortFactory()
    window = window_of(cohort)
    first, second = hosting(window, seats=3), hosting(window, seats=2)
    for _ in range(8):
        accepted(cohort, first.store, second.store)
    staff = StaffFactory()

    services.allocation_run(cohort=cohort, by=staff, seed=SEED)
    before = placed_with_mentors(cohort)
    services.allocation_run(cohort=cohort, by=staff, seed=SEED)

    assert placed_with_mentors(cohort) == before
    assert len(before) == 5
    # …and the seed matters: the lottery gives different students the seats under other seeds.
    outcomes = set()
    for n in range(10):
        services.allocation_run(cohort=cohort, by=staff, seed=f"other-{n}")
        outcomes.add(frozenset(placed(cohort).items()))
    assert len(outcomes) > 1


def test_running_the_allocation_again_replaces_proposals_and_keeps_published_placements():
    cohort = CohortFactory()
    window = window_of(cohort)
    first, second = hosting(window, seats=2), hosting(window, seats=5)
    early = [accepted(cohort, first.store) for _ in range(2)]
    staff = StaffFactory()
    services.allocation_run(cohort=cohort, by=staff, seed=SEED)
    services.allocation_publish(cohort=cohort, by=staff)
    published = {p.pk: (p.application_id, p.store_id) for p in cohort.placements.all()}
    latecomer = accepted(cohort, first.store, second.store)

    run = services.allocation_run(cohort=cohort, by=staff, seed=SEED)
    proposal = cohort.placements.get(status=Placement.Status.PROPOSED)
    again = services.allocation_run(cohort=cohort, by=staff, seed="another")

    assert run.stats["candidates"] == again.stats["candidates"] == 1
    assert {
        p.pk: (p.application_id, p.store_id) for p in cohort.placements.filter(status="planned")
    } == published
    assert {a for a, _store in published.values()} == {a.pk for a in early}
    # The first store's two seats are held by the published placements: the latecomer goes second.
    assert proposal.application_id == latecomer.pk and proposal.store_id == second.store_id
    assert not Placement.objects.filter(pk=proposal.pk).exists()
    assert cohort.placements.get(status=Placement.Status.PROPOSED).allocation_run == again
    assert cohort.placements.count() == 3


def test_an_allocation_of_a_cohort_without_windows_explains_why_nobody_is_placed():
    cohort = CohortFactory()
    application = accepted(cohort, District.NANSHAN)

    run = services.allocation_run(cohort=cohort, by=StaffFactory(), seed=SEED)

    assert run.unplaced == [{"application": application.pk, "reason": "no_window"}]
    assert not cohort.placements.exists()


def test_a_deactivated_store_receives_no_students_even_with_seats_left_from_before():
    cohort = CohortFactory()
    window = window_of(cohort)
    closed = hosting(window, seats=5)
    closed.store.is_active = False
    closed.store.save()
    accepted(cohort, closed.store)

    services.allocation_run(cohort=cohort, by=StaffFactory(), seed=SEED)

    assert not cohort.placements.filter(store=closed.store).exists()


# --- Publication: who sees what, and the reminders -----------------------------------------------


@pytest.fixture
def proposal(db):
    """A cohort with one proposed placement (its window starts on MONDAY)."""
    cohort = CohortFactory()
    mentor = hosting(window_of(cohort), seats=2)
    accepted(cohort, mentor.store)
    services.allocation_run(cohort=cohort, by=StaffFactory(), seed=SEED)
    return cohort.placements.select_related("mentor__user", "student").get()


def test_proposals_are_invisible_to_students_and_mentors_until_published(proposal):
    student, mentor = proposal.student, proposal.mentor.user

    assert not Placement.objects.visible_to(student).exists()
    assert not Placement.objects.visible_to(mentor).exists()
    assert list(Placement.objects.visible_to(StaffFactory())) == [proposal]
    assert list(Placement.objects.visible_to(HRFactory())) == [proposal]

    published = services.allocation_publish(cohort=proposal.cohort, by=StaffFactory())

    assert published == 1
    assert list(Placement.objects.visible_to(student)) == [proposal]
    assert list(Placement.objects.visible_to(mentor)) == [proposal]
    assert not Placement.objects.visible_to(StudentFactory()).exists()
    assert not Placement.objects.visible_to(MentorFactory().user).exists()
    proposal.refresh_from_db()
    assert proposal.status == Placement.Status.PLANNED
    assert AllocationRun.objects.get(cohort=proposal.cohort).published_at is not None


def test_publishing_plans_the_start_reminders_three_days_before_at_nine(proposal):
    services.allocation_publish(cohort=proposal.cohort, by=StaffFactory())
    services.allocation_publish(cohort=proposal.cohort, by=StaffFactory())  # nothing more to publish

    reminders = {
        r.kind: r for r in Reminder.objects.filter(subject_id=proposal.pk, kind__in=services.START_KINDS)
    }
    assert set(reminders) == {"placement_starts_student", "placement_starts_mentor"}
    assert reminders["placement_starts_student"].recipient == proposal.student
    assert reminders["placement_starts_mentor"].recipient == proposal.mentor.user
    three_days_before = datetime(2027, 2, 26, 9, 0, tzinfo=SHANGHAI)
    assert all(r.due_at == three_days_before for r in reminders.values())
    assert all(r.status == Reminder.Status.PENDING for r in reminders.values())
    assert Reminder.objects.filter(kind__in=services.START_KINDS).count() == 2


def test_publishing_less_than_three_days_before_the_start_reminds_at_once(proposal):
    now = at(MONDAY - timedelta(days=1), 15, 30)
    with time_machine.travel(now, tick=False):
        services.allocation_publish(cohort=proposal.cohort, by=StaffFactory())

    due = set(
        Reminder.objects.filter(subject_id=proposal.pk, kind__in=services.START_KINDS).values_list(
            "due_at", flat=True
        )
    )
    assert due == {now}


@pytest.mark.parametrize(
    "language, student_says, mentor_says",
    [
        ("en", ["Your placement at Xiaomi Store Futian Centre starts on", "Your mentor:"], ["Your intern"]),
        ("zh-hans", ["您在 小米之家 福田中心店 的实习将于", "您的导师："], ["您的实习生"]),
    ],
)
def test_the_start_reminder_tells_the_store_address_and_the_mentor_in_the_persons_language(
    language, student_says, mentor_says
):
    cohort = CohortFactory()
    window = window_of(cohort)
    store = StoreFactory(
        name_zh="小米之家 福田中心店",
        name_en="Xiaomi Store Futian Centre",
        address_zh="深圳市福田区福华三路 88 号",
        address_en="88 Fuhua 3rd Road, Futian",
    )
    mentor = MentorFactory(store=store, user__full_name="陈志强", user__language=language)
    StoreSeatsFactory(window=window, store=store, seats=2)
    application = accepted(cohort, store, student__full_name="王小明", student__language=language)
    staff = StaffFactory()
    services.allocation_run(cohort=cohort, by=staff, seed=SEED)
    services.allocation_publish(cohort=cohort, by=staff)

    with time_machine.travel(at(MONDAY - timedelta(days=4)), tick=False):
        reminders_deliver_due()
    # Only the publication notices have gone out so far.
    assert sorted(Reminder.objects.filter(status="sent").values_list("kind", flat=True)) == [
        services.PUBLISHED_MENTOR,
        services.PUBLISHED_STUDENT,
    ]
    mail.outbox.clear()
    with time_machine.travel(at(MONDAY - timedelta(days=3), 9, 1), tick=False):
        reminders_deliver_due()
        reminders_deliver_due()  # does not send twice

    sent = {message.to[0]: message for message in mail.outbox}
    assert len(mail.outbox) == 2
    to_student, to_mentor = sent[application.student.email], sent[mentor.user.email]
    address = store.address_en if language == "en" else store.address_zh
    for text in (to_student.body, to_student.alternatives[0][0]):
        assert address in text
        assert "陈志强" in text
        assert "uri.amap.com" in text
        for phrase in student_says[1:]:
            assert phrase in text
    assert student_says[0] in to_student.subject
    assert "王小明" in to_mentor.subject and mentor_says[0] in to_mentor.subject
    assert store.name in to_mentor.body if language == "en" else store.name_zh in to_mentor.body


# --- Moves and withdrawals -----------------------------------------------------------------------


@pytest.fixture
def board(db):
    """A window with a proposed placement at a store with room, and a staff member."""
    cohort = CohortFactory()
    window = window_of(cohort)
    home = hosting(window, seats=5)
    placement = PlacementFactory(window=window, mentor=home, status=Placement.Status.PROPOSED)
    return window, placement, StaffFactory()


def unchanged(placement) -> bool:
    before = (placement.store_id, placement.mentor_id, placement.preference_rank, placement.change_reason)
    placement.refresh_from_db()
    return before == (
        placement.store_id,
        placement.mentor_id,
        placement.preference_rank,
        placement.change_reason,
    )


def test_a_move_to_a_store_with_a_free_seat_and_mentor_place_succeeds(board):
    window, placement, staff = board
    target = hosting(window, seats=1, capacity=1)

    services.placement_move(placement=placement, store=target.store, mentor=target, reason="", by=staff)

    placement.refresh_from_db()
    assert (placement.store, placement.mentor) == (target.store, target)


def test_a_move_to_a_full_store_is_refused_and_changes_nothing(board):
    window, placement, staff = board
    target = hosting(window, seats=1)
    PlacementFactory(window=window, mentor=target)

    with pytest.raises(PlacementError, match="no free seat"):
        services.placement_move(placement=placement, store=target.store, mentor=target, reason="", by=staff)

    assert unchanged(placement)


def test_a_move_to_a_store_without_seats_in_the_window_is_refused(board):
    window, placement, staff = board
    target = hosting(window, seats=0)

    with pytest.raises(PlacementError, match="no free seat"):
        services.placement_move(placement=placement, store=target.store, mentor=target, reason="", by=staff)

    assert unchanged(placement)


def test_a_move_to_a_mentor_at_capacity_is_refused_and_changes_nothing(board):
    window, placement, staff = board
    target = hosting(window, seats=10, capacity=1)
    PlacementFactory(window=window_of(starts_on=MONDAY + timedelta(days=14)), mentor=target)  # overlaps

    with pytest.raises(PlacementError, match="already has 1 interns"):
        services.placement_move(placement=placement, store=target.store, mentor=target, reason="", by=staff)

    assert unchanged(placement)


def test_a_mentors_intern_in_a_window_that_does_not_overlap_leaves_room(board):
    window, placement, staff = board
    target = hosting(window, seats=10, capacity=1)
    PlacementFactory(window=window_of(starts_on=MONDAY + timedelta(days=21)), mentor=target)

    services.placement_move(placement=placement, store=target.store, mentor=target, reason="", by=staff)

    placement.refresh_from_db()
    assert placement.mentor == target


def test_a_move_to_a_mentor_whose_certification_ends_during_the_window_is_refused(board):
    window, placement, staff = board
    target = hosting(window, seats=10)
    target.certification_expires_on = window.ends_on - timedelta(days=1)
    target.save()

    with pytest.raises(PlacementError, match="not an active mentor certified for the whole window"):
        services.placement_move(placement=placement, store=target.store, mentor=target, reason="", by=staff)

    assert unchanged(placement)


def test_a_move_to_a_mentor_of_another_store_is_refused(board):
    window, placement, staff = board
    target, elsewhere = hosting(window, seats=10), hosting(window, seats=10)

    with pytest.raises(PlacementError, match="is not a mentor of"):
        services.placement_move(
            placement=placement, store=target.store, mentor=elsewhere, reason="", by=staff
        )

    assert unchanged(placement)


def test_a_move_to_another_mentor_of_a_full_store_does_not_count_the_moving_student_twice(board):
    window, placement, staff = board
    StoreSeats.objects.filter(window=window, store=placement.store).update(seats=1)
    colleague = MentorFactory(store=placement.store)

    services.placement_move(placement=placement, store=placement.store, mentor=colleague, reason="", by=staff)

    placement.refresh_from_db()
    assert placement.mentor == colleague


def test_moving_a_published_placement_needs_a_reason(board):
    window, placement, staff = board
    Placement.objects.filter(pk=placement.pk).update(status=Placement.Status.PLANNED)
    placement.refresh_from_db()
    target = hosting(window, seats=2)

    with pytest.raises(PlacementError, match="reason"):
        services.placement_move(placement=placement, store=target.store, mentor=target, reason="  ", by=staff)
    assert unchanged(placement)

    services.placement_move(
        placement=placement, store=target.store, mentor=target, reason=" Closer to home ", by=staff
    )
    placement.refresh_from_db()
    assert (placement.store, placement.change_reason) == (target.store, "Closer to home")


@pytest.mark.parametrize("status", [Placement.Status.ACTIVE, Placement.Status.WITHDRAWN])
def test_only_proposed_or_planned_placements_can_be_moved(board, status):
    window, placement, staff = board
    Placement.objects.filter(pk=placement.pk).update(status=status)
    target = hosting(window, seats=2)

    with pytest.raises(PlacementError, match="Only proposed or planned"):
        services.placement_move(placement=placement, store=target.store, mentor=target, reason="x", by=staff)

    assert unchanged(placement)


def test_a_move_recomputes_the_preference_rank(board):
    window, placement, staff = board
    first = hosting(window, seats=2)
    in_futian = hosting(window, seats=2, district=District.FUTIAN)
    unwished = hosting(window, seats=2, district=District.DAPENG)
    ApplicationPreference.objects.create(application=placement.application, rank=1, store=first.store)
    ApplicationPreference.objects.create(application=placement.application, rank=2, district=District.FUTIAN)
    ranks = []

    for target in (in_futian, first, unwished):
        services.placement_move(placement=placement, store=target.store, mentor=target, reason="", by=staff)
        placement.refresh_from_db()
        ranks.append(placement.preference_rank)

    assert ranks == [2, 1, None]


def test_a_published_placement_moved_to_another_store_still_reminds_the_student(board):
    window, placement, staff = board
    services.allocation_publish(cohort=placement.cohort, by=staff)
    reminders_deliver_due()  # the publication notices go out at once
    mail.outbox.clear()
    target = hosting(window, seats=2)
    services.placement_move(
        placement=placement, store=target.store, mentor=target, reason="Store renovation", by=staff
    )

    with time_machine.travel(at(MONDAY - timedelta(days=3), 9, 1), tick=False):
        reminders_deliver_due()

    to_student = [m for m in mail.outbox if m.to == [placement.student.email]]
    assert len(to_student) == 1
    assert target.store.name in to_student[0].subject


def test_a_published_placement_moved_to_another_store_tells_the_new_mentor_not_the_old(board):
    window, placement, staff = board
    old_mentor = placement.mentor.user
    services.allocation_publish(cohort=placement.cohort, by=staff)
    reminders_deliver_due()  # the publication notices go out at once
    mail.outbox.clear()
    target = hosting(window, seats=2)
    services.placement_move(
        placement=placement, store=target.store, mentor=target, reason="Store renovation", by=staff
    )

    with time_machine.travel(at(MONDAY - timedelta(days=3), 9, 1), tick=False):
        reminders_deliver_due()

    to_mentors = [m for m in mail.outbox if m.to != [placement.student.email]]
    assert [m.to for m in to_mentors] == [[target.user.email]]
    assert placement.student.full_name in to_mentors[0].subject
    assert not [m for m in mail.outbox if m.to == [old_mentor.email]]


def test_withdrawing_a_placement_needs_a_reason(board):
    _window, placement, staff = board

    with pytest.raises(PlacementError, match="reason"):
        services.placement_withdraw(placement=placement, reason=" ", by=staff)

    placement.refresh_from_db()
    assert placement.status == Placement.Status.PROPOSED


def test_a_withdrawn_placement_frees_its_seat_and_is_not_withdrawn_twice(board):
    window, placement, staff = board
    StoreSeats.objects.filter(window=window, store=placement.store).update(seats=1)
    waiting = PlacementFactory(window=window, mentor=hosting(window), status=Placement.Status.PROPOSED)

    services.placement_withdraw(placement=placement, reason="Found a job", by=staff)
    services.placement_move(
        placement=waiting, store=placement.store, mentor=placement.mentor, reason="", by=staff
    )

    placement.refresh_from_db()
    assert (placement.status, placement.change_reason) == (Placement.Status.WITHDRAWN, "Found a job")
    with pytest.raises(PlacementError, match="already over"):
        services.placement_withdraw(placement=placement, reason="again", by=staff)


def test_a_withdrawn_placement_is_not_announced(board):
    _window, placement, staff = board
    services.allocation_publish(cohort=placement.cohort, by=staff)
    services.placement_withdraw(placement=placement, reason="Found a job", by=staff)

    with time_machine.travel(at(MONDAY - timedelta(days=3), 9, 1), tick=False):
        reminders_deliver_due()

    assert mail.outbox == []
    assert set(Reminder.objects.values_list("status", flat=True)) == {Reminder.Status.CANCELLED}


# --- Attendance and check-in ---------------------------------------------------------------------


@pytest.fixture
def working(on_wednesday):
    """A published placement in its second week (today is TODAY, a Wednesday)."""
    return PlacementFactory(window=window_of())


def test_a_mark_on_a_working_day_is_recorded_and_makes_the_placement_active(working):
    mentor = working.mentor.user

    record = services.attendance_mark(placement=working, day=TUESDAY, mark="late", by=mentor)

    assert (record.day, record.mark, record.recorded_by) == (TUESDAY, "late", mentor)
    working.refresh_from_db()
    assert working.status == Placement.Status.ACTIVE


def test_a_mark_today_is_recorded(working):
    services.attendance_mark(placement=working, day=TODAY, mark="present", by=working.mentor.user)

    assert working.attendance.get().day == TODAY


def test_a_second_tap_corrects_the_mark(working):
    mentor = working.mentor.user
    services.attendance_mark(placement=working, day=TODAY, mark="present", by=mentor)

    services.attendance_mark(placement=working, day=TODAY, mark="absent", by=mentor)

    assert list(working.attendance.values_list("day", "mark")) == [(TODAY, "absent")]


@pytest.mark.parametrize(
    "day, message",
    [
        (SATURDAY, "not a working day"),
        (MONDAY - timedelta(days=1), "not a working day"),  # before the window
        (TODAY + timedelta(days=1), "future"),
    ],
)
def test_a_mark_on_a_weekend_outside_the_window_or_in_the_future_is_refused(working, day, message):
    with pytest.raises(PlacementError, match=message):
        services.attendance_mark(placement=working, day=day, mark="present", by=working.mentor.user)

    assert not Attendance.objects.exists()
    working.refresh_from_db()
    assert working.status == Placement.Status.PLANNED


def test_a_saturday_is_a_working_day_when_the_cohort_works_saturdays(working):
    working.cohort.placement_weekdays = "123456"
    working.cohort.save()

    services.attendance_mark(placement=working, day=SATURDAY, mark="present", by=working.mentor.user)

    assert working.attendance.get().day == SATURDAY


@pytest.mark.parametrize("status", [Placement.Status.PROPOSED, Placement.Status.WITHDRAWN])
def test_no_mark_for_a_placement_not_published_or_withdrawn(working, status):
    Placement.objects.filter(pk=working.pk).update(status=status)
    working.refresh_from_db()

    with pytest.raises(PlacementError, match="planned or active"):
        services.attendance_mark(placement=working, day=TODAY, mark="present", by=working.mentor.user)

    assert not Attendance.objects.exists()


def test_an_unknown_mark_is_refused(working):
    with pytest.raises(PlacementError):
        services.attendance_mark(placement=working, day=TODAY, mark="asleep", by=working.mentor.user)

    assert not Attendance.objects.exists()


def test_the_student_checks_in_with_a_code_the_mentor_confirms(working):
    record = services.check_in_start(placement=working, student=working.student)
    again = services.check_in_start(placement=working, student=working.student)

    assert re.fullmatch(r"\d{6}", record.check_in_code)
    assert again.check_in_code == record.check_in_code
    assert record.mark == ""

    confirmed = services.check_in_confirm(
        placement=working, code=f" {record.check_in_code} ", by=working.mentor.user
    )

    assert (confirmed.day, confirmed.mark, confirmed.recorded_by) == (TODAY, "present", working.mentor.user)
    assert working.attendance.count() == 1
    working.refresh_from_db()
    assert working.status == Placement.Status.ACTIVE


def test_a_wrong_check_in_code_is_refused(working):
    record = services.check_in_start(placement=working, student=working.student)
    wrong = f"{(int(record.check_in_code) + 1) % 10**6:06d}"

    with pytest.raises(PlacementError, match="does not match"):
        services.check_in_confirm(placement=working, code=wrong, by=working.mentor.user)

    record.refresh_from_db()
    assert record.mark == ""


def test_a_check_in_confirmation_without_a_check_in_is_refused(working):
    with pytest.raises(PlacementError, match="does not match"):
        services.check_in_confirm(placement=working, code="", by=working.mentor.user)

    assert not Attendance.objects.exists()


def test_no_check_in_on_a_day_off(working, on_wednesday):
    on_wednesday.move_to(at(SATURDAY))

    with pytest.raises(PlacementError, match="not a working day"):
        services.check_in_start(placement=working, student=working.student)


# --- Reminder: attendance not recorded yesterday -------------------------------------------------

THURSDAY = TODAY + timedelta(days=1)


@pytest.fixture
def thursday_morning(working, on_wednesday):
    """The placement of `working`, on Thursday at 08:00, before the 09:00 reminders."""
    on_wednesday.move_to(at(THURSDAY, 8))
    return working


def test_the_planner_reminds_the_mentor_of_yesterdays_missing_mark(thursday_morning):
    assert plan_attendance_reminders() == 1
    plan_attendance_reminders()  # a second run plans nothing more

    reminder = Reminder.objects.get()
    assert (reminder.kind, reminder.recipient, reminder.subject_id) == (
        "attendance_missing",
        thursday_morning.mentor.user,
        thursday_morning.pk,
    )
    assert reminder.context == {"day": TODAY.isoformat()}
    assert reminder.due_at == at(THURSDAY, 9)


def test_the_planner_plans_nothing_when_yesterday_is_marked(thursday_morning):
    services.attendance_mark(
        placement=thursday_morning, day=TODAY, mark="present", by=thursday_morning.mentor.user
    )

    assert plan_attendance_reminders() == 0
    assert not Reminder.objects.exists()


def test_the_planner_plans_nothing_after_a_day_off(working, on_wednesday):
    on_wednesday.move_to(at(MONDAY + timedelta(days=14), 8))  # yesterday was Sunday

    assert plan_attendance_reminders() == 0
    assert not Reminder.objects.exists()


def test_the_missing_attendance_reminder_is_sent_once(thursday_morning, on_wednesday):
    plan_attendance_reminders()
    on_wednesday.move_to(at(THURSDAY, 9, 1))

    reminders_deliver_due()
    reminders_deliver_due()

    assert [m.to for m in mail.outbox] == [[thursday_morning.mentor.user.email]]
    assert Reminder.objects.get().status == Reminder.Status.SENT


def test_the_missing_attendance_reminder_is_cancelled_when_the_mark_arrives_before_it_is_sent(
    thursday_morning, on_wednesday
):
    plan_attendance_reminders()
    services.attendance_mark(
        placement=thursday_morning, day=TODAY, mark="late", by=thursday_morning.mentor.user
    )
    on_wednesday.move_to(at(THURSDAY, 9, 1))

    reminders_deliver_due()

    assert mail.outbox == []
    assert Reminder.objects.get().status == Reminder.Status.CANCELLED


# --- One rule for "certified for this window" (issue 9, 17) ----------------------------------------


def test_a_move_to_a_deactivated_mentor_is_refused(board):
    window, placement, staff = board
    target = hosting(window, seats=10)
    target.user.is_active = False
    target.user.save()

    with pytest.raises(PlacementError, match="not an active mentor certified for the whole window"):
        services.placement_move(placement=placement, store=target.store, mentor=target, reason="", by=staff)

    assert unchanged(placement)


def test_the_mentors_certified_for_a_window_are_active_certified_throughout_and_at_an_active_store(board):
    window, placement, _staff = board
    good = hosting(window)
    late_start = hosting(window)
    late_start.certified_on = window.starts_on + timedelta(days=1)
    late_start.save()
    ends_early = hosting(window)
    ends_early.certification_expires_on = window.ends_on - timedelta(days=1)
    ends_early.save()
    inactive = hosting(window)
    inactive.user.is_active = False
    inactive.user.save()
    closed = hosting(window, is_active=False)
    not_training = hosting(window, is_training_store=False)

    certified = set(Mentor.objects.certified_for(window))

    assert {good, placement.mentor} <= certified
    assert not certified & {late_start, ends_early, inactive, closed, not_training}


def test_the_allocation_gives_no_intern_to_a_deactivated_mentor():
    cohort = CohortFactory()
    window = window_of(cohort)
    mentor = hosting(window, seats=5)
    mentor.user.is_active = False
    mentor.user.save()
    accepted(cohort, mentor.store)

    run = services.allocation_run(cohort=cohort, by=StaffFactory(), seed=SEED)

    assert not cohort.placements.exists()
    assert [u["reason"] for u in run.unplaced] == ["wishes_without_seats"]


# --- Withdrawing cancels the start reminders at once (issue 9, 17) ---------------------------------


def test_withdrawing_a_published_placement_cancels_its_start_reminders_at_once(board):
    _window, placement, staff = board
    services.allocation_publish(cohort=placement.cohort, by=staff)
    start = Reminder.objects.filter(subject_id=placement.pk, kind__in=services.START_KINDS)
    assert start.count() == 2

    services.placement_withdraw(placement=placement, reason="Found a job", by=staff)

    assert set(start.values_list("status", "cancelled_reason")) == {
        (Reminder.Status.CANCELLED, "placement withdrawn")
    }


# --- Publication tells everyone at once (issue 9, 7) -----------------------------------------------


@pytest.fixture
def to_publish(db):
    """A cohort with a store of two seats and one mentor, three students wanting it: two are
    proposed there, the third is eligible but not placed."""
    cohort = CohortFactory(name_zh="2027 春季班", name_en="Spring 2027 cohort")
    window = window_of(cohort)
    store = StoreFactory(
        name_zh="小米之家 福田中心店",
        name_en="Xiaomi Store Futian Centre",
        address_zh="深圳市福田区福华三路 88 号",
        address_en="88 Fuhua 3rd Road, Futian",
    )
    mentor = MentorFactory(store=store, user__full_name="陈志强", capacity=5)
    StoreSeatsFactory(window=window, store=store, seats=2)
    students = [accepted(cohort, store, student__full_name=name) for name in ("王小明", "李华", "张伟")]
    staff = StaffFactory()
    services.allocation_run(cohort=cohort, by=staff, seed=SEED)
    return cohort, mentor, students, staff


def set_languages(language, *users):
    for user in users:
        user.language = language
        user.save(update_fields=["language"])


@pytest.mark.parametrize(
    "language, student_says, mentor_says",
    [
        (
            "en",
            ["You are placed at Xiaomi Store Futian Centre from", "Your mentor:", "1 Mar 2027"],
            ["Your 2 interns:", "has placed 2 interns with you at Xiaomi Store Futian Centre"],
        ),
        (
            "zh-hans",
            ["您已被安排到 小米之家 福田中心店 实习", "您的导师：", "2027年3月1日"],
            ["您的 2 名实习生：", "已为您在 小米之家 福田中心店 安排了 2 名实习生"],
        ),
    ],
)
def test_publishing_tells_each_placed_student_and_their_mentor_at_once_in_their_language(
    to_publish, language, student_says, mentor_says
):
    cohort, mentor, _students, staff = to_publish
    placed = list(cohort.placements.select_related("student"))
    set_languages(language, mentor.user, *[p.student for p in placed])

    services.allocation_publish(cohort=cohort, by=staff)
    reminders_deliver_due()

    sent = {message.to[0]: message for message in mail.outbox}
    address = "88 Fuhua 3rd Road, Futian" if language == "en" else "深圳市福田区福华三路 88 号"
    for placement in placed:
        message = sent[placement.student.email]
        assert student_says[0] in message.subject
        for text in (message.body, message.alternatives[0][0]):
            assert address in text
            assert "uri.amap.com" in text
            assert "陈志强" in text  # the mentor
            for phrase in student_says[1:]:
                assert phrase in text
    # One message to the mentor, naming both interns.
    to_mentor = [m for m in mail.outbox if m.to == [mentor.user.email]]
    assert len(to_mentor) == 1
    assert mentor_says[0] in to_mentor[0].subject
    for text in (to_mentor[0].body, to_mentor[0].alternatives[0][0]):
        assert mentor_says[1] in text
        for placement in placed:
            assert placement.student.full_name in text
    # The bell too.
    assert Notification.objects.filter(user=mentor.user, kind=services.PUBLISHED_MENTOR).count() == 1
    assert all(
        Notification.objects.filter(user=p.student, kind=services.PUBLISHED_STUDENT).exists() for p in placed
    )


@pytest.mark.parametrize(
    "language, says",
    [
        (
            "en",
            [
                "Spring 2027 cohort: your store placement is not settled yet",
                "the programme office will contact you",
            ],
        ),
        ("zh-hans", ["2027 春季班：您的门店实习尚未落实", "项目办公室将在几天内与您联系"]),
    ],
)
def test_an_eligible_student_left_without_a_seat_is_told_what_happens_next_once(to_publish, language, says):
    cohort, _mentor, students, staff = to_publish
    (left_out,) = [a for a in students if not hasattr(a, "placement") or a.placement is None]
    set_languages(language, left_out.student)

    services.allocation_publish(cohort=cohort, by=staff)
    services.allocation_run(cohort=cohort, by=staff, seed=SEED)  # still no seat for them
    with time_machine.travel(at(MONDAY - timedelta(days=20)), tick=False):
        services.allocation_publish(cohort=cohort, by=staff)  # another day: still told only once
        reminders_deliver_due()

    (message,) = [m for m in mail.outbox if m.to == [left_out.student.email]]
    assert says[0] in message.subject
    assert says[1] in message.body
    assert Reminder.objects.filter(kind=services.NOT_PLACED).count() == 1


def test_a_student_placed_by_hand_before_the_notice_goes_out_is_not_told_they_were_left_out(to_publish):
    cohort, mentor, students, staff = to_publish
    services.allocation_publish(cohort=cohort, by=staff)
    (left_out,) = [a for a in students if not cohort.placements.filter(application=a).exists()]
    StoreSeats.objects.filter(store=mentor.store).update(seats=3)
    services.placement_create(
        application=left_out,
        window=cohort.placement_windows.get(),
        store=mentor.store,
        mentor=mentor,
        reason="A seat was added",
        by=staff,
    )

    reminders_deliver_due()

    assert not [m for m in mail.outbox if m.to == [left_out.student.email]]
    assert Reminder.objects.get(kind=services.NOT_PLACED).status == Reminder.Status.CANCELLED


def test_publishing_twice_tells_nobody_twice(to_publish):
    cohort, _mentor, _students, staff = to_publish

    services.allocation_publish(cohort=cohort, by=staff)
    services.allocation_publish(cohort=cohort, by=staff)
    reminders_deliver_due()
    services.allocation_publish(cohort=cohort, by=staff)
    reminders_deliver_due()

    assert len(mail.outbox) == 4  # two students placed, one mentor, one student not placed
    assert len({m.to[0] for m in mail.outbox}) == 4


@pytest.mark.parametrize("count", [3, 40])
def test_publication_runs_a_bounded_number_of_queries(count):
    """No query per placement: the same reads whatever the size, and the reminders in bulk
    INSERTs (SQLite splits a bulk insert by its limit on parameters, about 60 reminders each)."""
    cohort = CohortFactory()
    window = window_of(cohort)
    staff = StaffFactory()
    for _ in range(count):
        mentor = hosting(window, seats=2, capacity=2)
        accepted(cohort, mentor.store)
        accepted(cohort, mentor.store)
    accepted(cohort)  # not placed
    services.allocation_run(cohort=cohort, by=staff, seed=SEED)

    with CaptureQueriesContext(connection) as queries:
        published = services.allocation_publish(cohort=cohort, by=staff)

    inserts = [q for q in queries.captured_queries if q["sql"].startswith("INSERT")]
    assert len(queries.captured_queries) - len(inserts) <= 13
    assert len(inserts) <= 5 * (1 + 2 * count // 60)  # five kinds
    assert published == 2 * count
    assert Reminder.objects.count() == 2 * count * 3 + count + 1  # 2 start + 1 notice each, mentors, 1


def test_a_later_publication_tells_the_mentor_of_the_new_intern_only(to_publish):
    cohort, mentor, students, staff = to_publish
    services.allocation_publish(cohort=cohort, by=staff)
    reminders_deliver_due()
    mail.outbox.clear()
    (left_out,) = [a for a in students if not cohort.placements.filter(application=a).exists()]
    StoreSeats.objects.filter(store=mentor.store).update(seats=3)
    services.placement_create(
        application=left_out,
        window=cohort.placement_windows.get(),
        store=mentor.store,
        mentor=mentor,
        reason="A seat was added",
        by=staff,
    )

    services.allocation_publish(cohort=cohort, by=staff)
    reminders_deliver_due()

    by_recipient = {m.to[0]: m for m in mail.outbox}
    assert set(by_recipient) == {mentor.user.email, left_out.student.email}
    assert left_out.student.full_name in by_recipient[mentor.user.email].subject
    others = [a.student.full_name for a in students if a != left_out]
    assert not any(name in by_recipient[mentor.user.email].body for name in others)


# --- Placing by hand (issue 9, 8) ------------------------------------------------------------------


def test_a_student_not_eligible_cannot_be_placed_by_hand(board):
    window, _placement, staff = board
    CohortCourseFactory(cohort=window.cohort)  # nobody has passed it
    behind = accepted(window.cohort)
    target = hosting(window)

    with pytest.raises(PlacementError, match="Only eligible students"):
        services.placement_create(
            application=behind, window=window, store=target.store, mentor=target, reason="x", by=staff
        )

    assert not Placement.objects.filter(application=behind).exists()


def test_a_student_cannot_be_placed_in_another_cohorts_window(board):
    window, _placement, staff = board
    application = accepted(window.cohort)
    elsewhere = window_of()
    target = hosting(elsewhere)

    with pytest.raises(PlacementError, match="another cohort"):
        services.placement_create(
            application=application, window=elsewhere, store=target.store, mentor=target, reason="x", by=staff
        )

    assert not Placement.objects.filter(application=application).exists()
