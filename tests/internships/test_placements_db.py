"""The placement phase's database rules hold when the services are bypassed, and its capacity rules
hold when many requests race for the last seat (PostgreSQL row locks)."""

import threading
from datetime import timedelta
from unittest import mock

import pytest
from django.db import IntegrityError, connection, connections, transaction

from internships import allocation, services
from internships.models import ApplicationPreference, Attendance, Placement, StoreSeats
from tests.conftest import skip_or_fail
from tests.factories import (
    AcceptedApplicationFactory,
    MentorFactory,
    PlacementFactory,
    PlacementWindowFactory,
    StaffFactory,
    StoreFactory,
    StoreSeatsFactory,
)

RACERS = 20


def test_the_database_refuses_a_second_placement_of_a_student_in_a_cohort(db):
    first = PlacementFactory()
    # Another application (a student has one per cohort), so only the cohort × student rule is hit.
    other_application = AcceptedApplicationFactory(cohort=first.cohort)

    with (
        pytest.raises(
            IntegrityError, match=r"one_placement_per_cohort|cohort_id, internships_placement\.student_id"
        ),
        transaction.atomic(),
    ):
        Placement.objects.create(
            cohort=first.cohort,
            student=first.student,
            application=other_application,
            window=first.window,
            store=first.store,
            mentor=first.mentor,
        )

    assert Placement.objects.filter(cohort=first.cohort, student=first.student).count() == 1


def test_the_database_accepts_placements_of_one_student_in_two_cohorts(db):
    first = PlacementFactory()

    second = PlacementFactory(application__student=first.student)

    assert second.cohort != first.cohort
    assert Placement.objects.filter(student=first.student).count() == 2


def test_the_database_keeps_one_attendance_row_per_placement_and_day(db):
    placement = PlacementFactory()
    day = placement.window.starts_on
    Attendance.objects.create(placement=placement, day=day, mark="present")

    with pytest.raises(IntegrityError), transaction.atomic():
        Attendance.objects.create(placement=placement, day=day, mark="late")

    assert list(placement.attendance.values_list("mark", flat=True)) == ["present"]


def test_the_database_accepts_attendance_of_one_placement_on_two_days(db):
    placement = PlacementFactory()
    day = placement.window.starts_on

    Attendance.objects.create(placement=placement, day=day, mark="present")
    Attendance.objects.create(placement=placement, day=day + timedelta(days=1), mark="absent")

    assert placement.attendance.count() == 2


def test_the_database_refuses_more_than_fifty_seats(db):
    with pytest.raises(IntegrityError), transaction.atomic():
        StoreSeatsFactory(seats=51)

    assert StoreSeats.objects.count() == 0


def test_the_database_accepts_fifty_seats(db):
    StoreSeatsFactory(seats=50)

    assert StoreSeats.objects.get().seats == 50


def test_the_database_refuses_the_same_store_twice_in_a_window(db):
    seats = StoreSeatsFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        StoreSeats.objects.create(window=seats.window, store=seats.store, seats=1)


def test_the_database_refuses_an_unknown_placement_status(db):
    placement = PlacementFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        Placement.objects.filter(pk=placement.pk).update(status="lost")

    placement.refresh_from_db()
    assert placement.status == Placement.Status.PLANNED


def test_the_database_refuses_an_unknown_attendance_mark(db):
    placement = PlacementFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        Attendance.objects.create(placement=placement, day=placement.window.starts_on, mark="asleep")


# --- Concurrency: many moves racing for the last place ------------------------------------------


def needs_postgresql():
    if connection.vendor != "postgresql":
        skip_or_fail(
            "the race for the last seat needs PostgreSQL row locks (DATABASE_URL); SQLite serialises writers"
        )


def proposals_elsewhere(window, count):
    """`count` proposed placements in `window`, at stores other than the one they will race for."""
    mentors = [MentorFactory(capacity=10) for _ in range(4)]
    for mentor in mentors:
        StoreSeatsFactory(window=window, store=mentor.store, seats=10)
    return [
        PlacementFactory(window=window, mentor=mentors[i % len(mentors)], status=Placement.Status.PROPOSED)
        for i in range(count)
    ]


def race(moves):
    """Run every move at the same moment, each in its own thread and connection.

    Returns (moved, refused, errors): the placements moved, the PlacementErrors, anything else.
    """
    barrier = threading.Barrier(len(moves))
    moved, refused, errors = [], [], []
    lock = threading.Lock()

    def run(move):
        try:
            barrier.wait(timeout=30)
            result = move()
        except services.PlacementError as error:
            with lock:
                refused.append(error)
        except Exception as error:  # surfaced by the caller: a thread's exception is otherwise lost
            with lock:
                errors.append(error)
        else:
            with lock:
                moved.append(result)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(move,)) for move in moves]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=90)
    assert not any(thread.is_alive() for thread in threads), "a move never finished (deadlock?)"
    return moved, refused, errors


@pytest.mark.django_db(transaction=True)
def test_twenty_moves_racing_for_a_stores_last_seat_place_exactly_one_student():
    needs_postgresql()
    window = PlacementWindowFactory()
    staff = StaffFactory()
    store = StoreFactory()
    seats = 3
    StoreSeatsFactory(window=window, store=store, seats=seats)
    # Two mentors with room to spare: only the store's seats limit the moves, and moves to either
    # mentor compete for the same seat.
    mentors = [MentorFactory(store=store, capacity=10), MentorFactory(store=store, capacity=10)]
    for _ in range(seats - 1):
        PlacementFactory(window=window, mentor=mentors[0])
    racers = proposals_elsewhere(window, RACERS)

    moved, refused, errors = race(
        [
            lambda p=p, i=i: services.placement_move(
                placement=p, store=store, mentor=mentors[i % 2], reason="", by=staff
            )
            for i, p in enumerate(racers)
        ]
    )

    assert errors == []
    assert len(moved) == 1
    assert len(refused) == RACERS - 1
    taken = Placement.objects.filter(window=window, store=store, status__in=Placement.HOLDS_SEAT)
    assert taken.count() == seats
    assert moved[0].pk in set(taken.values_list("pk", flat=True))


@pytest.mark.django_db(transaction=True)
def test_twenty_moves_racing_for_a_mentors_last_place_give_the_mentor_exactly_one_more_intern():
    needs_postgresql()
    window = PlacementWindowFactory()
    staff = StaffFactory()
    mentor = MentorFactory(capacity=2)
    StoreSeatsFactory(window=window, store=mentor.store, seats=50)
    PlacementFactory(window=window, mentor=mentor)
    racers = proposals_elsewhere(window, RACERS)

    moved, refused, errors = race(
        [
            lambda p=p: services.placement_move(
                placement=p, store=mentor.store, mentor=mentor, reason="", by=staff
            )
            for p in racers
        ]
    )

    assert errors == []
    assert len(moved) == 1
    assert len(refused) == RACERS - 1
    assert Placement.objects.filter(mentor=mentor, status__in=Placement.HOLDS_SEAT).count() == 2


# --- Concurrency: an allocation run racing a move (issue 9, 16) ---------------------------------


def wishing(cohort, store, count):
    """`count` eligible students of `cohort` (no course plan) whose only wish is `store`."""
    for _ in range(count):
        ApplicationPreference.objects.create(
            application=AcceptedApplicationFactory(cohort=cohort), rank=1, store=store
        )


def allocation_against_a_move(cohort, move, *, wait=3.0):
    """Run the allocation of `cohort`; once it has read the seat use (it is about to compute the
    matching), run `move` in another connection and let the allocation go on when the move is done,
    or after `wait` seconds if the move is held up by the allocation's locks.

    Returns (run, moved, refused, errors) like `race`.
    """
    has_read, move_done = threading.Event(), threading.Event()
    real_allocate = allocation.allocate

    def allocate_after_the_move(*args, **kwargs):
        has_read.set()
        move_done.wait(timeout=wait)
        return real_allocate(*args, **kwargs)

    moved, refused, errors = [], [], []

    def run_move():
        try:
            has_read.wait(timeout=30)
            moved.append(move())
        except services.PlacementError as error:
            refused.append(error)
        except Exception as error:
            errors.append(error)
        finally:
            move_done.set()
            connections.close_all()

    thread = threading.Thread(target=run_move)
    thread.start()
    with mock.patch.object(allocation, "allocate", allocate_after_the_move):
        run = services.allocation_run(cohort=cohort, by=StaffFactory(), seed="race")
    thread.join(timeout=60)
    assert not thread.is_alive(), "the move never finished (deadlock?)"
    return run, moved, refused, errors


@pytest.mark.django_db(transaction=True)
def test_an_allocation_run_and_a_move_in_the_cohort_never_overfill_a_store():
    needs_postgresql()
    window = PlacementWindowFactory()
    staff = StaffFactory()
    store = StoreFactory()
    StoreSeatsFactory(window=window, store=store, seats=1)
    mentor = MentorFactory(store=store, capacity=10)
    (published,) = proposals_elsewhere(window, 1)
    Placement.objects.filter(pk=published.pk).update(status=Placement.Status.PLANNED)
    wishing(window.cohort, store, 3)

    run, moved, refused, errors = allocation_against_a_move(
        window.cohort,
        lambda: services.placement_move(
            placement=published, store=store, mentor=mentor, reason="Closer to home", by=staff
        ),
    )

    assert errors == []
    taken = Placement.objects.filter(window=window, store=store, status__in=Placement.HOLDS_SEAT)
    assert taken.count() == 1
    assert len(moved) + run.stats["placed"] == 1
    assert len(refused) == 1 - len(moved)


@pytest.mark.django_db(transaction=True)
def test_an_allocation_run_and_a_move_in_another_cohort_never_overload_a_mentor():
    needs_postgresql()
    window = PlacementWindowFactory()
    # Another cohort placing students in the same weeks, at the same store and mentor.
    other = PlacementWindowFactory(starts_on=window.starts_on, ends_on=window.ends_on)
    staff = StaffFactory()
    mentor = MentorFactory(capacity=1)
    for w in (window, other):
        StoreSeatsFactory(window=w, store=mentor.store, seats=10)
    (waiting,) = proposals_elsewhere(other, 1)
    wishing(window.cohort, mentor.store, 3)

    run, moved, refused, errors = allocation_against_a_move(
        window.cohort,
        lambda: services.placement_move(
            placement=waiting, store=mentor.store, mentor=mentor, reason="", by=staff
        ),
    )

    assert errors == []
    assert Placement.objects.filter(mentor=mentor, status__in=Placement.HOLDS_SEAT).count() == 1
    assert len(moved) + run.stats["placed"] == 1
    assert len(refused) == 1 - len(moved)
