"""Writes of the placement phase: seats, eligibility exceptions, allocation runs, publication,
moves and withdrawals, attendance. Capacity is checked under row locks, so concurrent requests
can never put a store or a mentor over capacity.

Locking order. Every write that changes which seats a cohort's placements hold (an allocation
run, publication, a move, placing a student by hand, a withdrawal) takes its row locks in this
order, and only in this order, so two of them can never wait for each other in a cycle:

1. the Cohort row (`_lock_cohort`): one such write per cohort at a time. This is what makes an
   allocation run and a move in the same cohort take turns; nothing relies on the lock of a
   window row any more (locks are taken with `of=("self",)`, so no joined row is locked by
   accident);
2. the Placement rows being changed;
3. the StoreSeats rows, in primary-key order (`_lock_seats`);
4. the Mentor rows, in primary-key order (`_lock_mentors`). A mentor's capacity is shared by
   every cohort whose window overlaps, so the cohort lock alone cannot protect it: whoever counts
   a mentor's interns to give them one more holds that mentor's row first.

Seat use is counted only after the locks are held (PostgreSQL's READ COMMITTED gives every
statement a fresh snapshot, so the count includes whatever the previous lock holder committed).
SQLite ignores SELECT … FOR UPDATE; it serialises writers anyway."""

import secrets
from collections import defaultdict
from datetime import date, timedelta

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Count, Q, prefetch_related_objects
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from accounts.models import User
from notifications.models import Reminder
from notifications.services import at_nine, reminder_plan, reminders_cancel, reminders_plan_many

from . import allocation
from .models import (
    AllocationRun,
    Application,
    Attendance,
    CalendarToken,
    Cohort,
    EligibilityException,
    Mentor,
    Placement,
    PlacementWindow,
    Store,
    StoreSeats,
)
from .selectors import eligible_applications

START_REMINDER_DAYS = 3
# Reminder kinds of the placement phase (registered in internships/reminders.py).
START_STUDENT, START_MENTOR = "placement_starts_student", "placement_starts_mentor"
START_KINDS = (START_STUDENT, START_MENTOR)
PUBLISHED_STUDENT, PUBLISHED_MENTOR = "placement_published_student", "placement_published_mentor"
NOT_PLACED = "placement_not_placed"


class PlacementError(Exception):
    """A placement change that would break a rule; the message is shown to staff."""


# --- Seats and eligibility -----------------------------------------------------------------------


@transaction.atomic
def seats_save(*, window: PlacementWindow, seats: dict[Store, int]) -> None:
    _lock_cohort(window.cohort)  # lock 1: not while a run or a move of the cohort counts seats
    for store, count in seats.items():
        StoreSeats.objects.update_or_create(window=window, store=store, defaults={"seats": count})


@transaction.atomic
def eligibility_exception_grant(*, application: Application, reason: str, by: User) -> EligibilityException:
    if not reason.strip():
        raise PlacementError(_("Give the reason for the exception."))
    exception, _created = EligibilityException.objects.update_or_create(
        application=application, defaults={"reason": reason.strip(), "granted_by": by}
    )
    return exception


# --- Capacity ------------------------------------------------------------------------------------


def _overlapping(window: PlacementWindow):
    return Q(window__starts_on__lte=window.ends_on, window__ends_on__gte=window.starts_on)


def mentor_load(window: PlacementWindow, mentor_ids) -> dict[int, int]:
    """Interns each mentor holds in windows overlapping this one (any cohort)."""
    rows = (
        Placement.objects.filter(
            _overlapping(window), mentor_id__in=list(mentor_ids), status__in=Placement.HOLDS_SEAT
        )
        .values("mentor_id")
        .annotate(n=Count("id"))
    )
    return {row["mentor_id"]: row["n"] for row in rows}


def _lock_cohort(cohort: Cohort) -> Cohort:
    """Lock 1 of the locking order (see the module's docstring)."""
    return Cohort.objects.select_for_update(of=("self",)).get(pk=cohort.pk)


def _lock_seats(seats):
    """Lock 3: StoreSeats rows, in primary-key order."""
    return list(seats.select_for_update(of=("self",)).order_by("pk"))


def _lock_mentors(mentors):
    """Lock 4: Mentor rows, in primary-key order."""
    return list(mentors.select_for_update(of=("self",)).select_related("user").order_by("pk"))


# --- Allocation ----------------------------------------------------------------------------------


def _wishes(application: Application, stores_by_district: dict[str, list[int]], usable: set[int]) -> tuple:
    wishes = []
    for pref in sorted(application.preferences.all(), key=lambda p: p.rank):
        stores = [pref.store_id] if pref.store_id else stores_by_district.get(pref.district, [])
        wishes.append(tuple(s for s in stores if s in usable) or (pref.store_id or 0,))
    return tuple(wishes)


@transaction.atomic
def allocation_run(*, cohort: Cohort, by: User, seed: str | None = None) -> AllocationRun:
    """Propose placements for every eligible student not yet placed (a preview: nobody is told).

    Earlier proposals of the cohort are replaced; published placements stay as they are.
    """
    _lock_cohort(cohort)  # lock 1: one run, move or publication at a time per cohort
    cohort.placements.filter(status=Placement.Status.PROPOSED).delete()  # lock 2 (rows deleted)
    seed = seed or secrets.token_hex(8)
    run = AllocationRun.objects.create(
        cohort=cohort, seed=seed, algorithm=allocation.ALGORITHM, created_by=by
    )
    windows = list(cohort.placement_windows.order_by("starts_on"))
    # Locks 3 and 4 before anything is counted: the seats of every window, then every mentor who
    # might receive an intern (a move in another cohort could otherwise fill them meanwhile).
    all_seats = _lock_seats(
        StoreSeats.objects.filter(
            window__in=windows, seats__gt=0, store__is_active=True, store__is_training_store=True
        )
    )
    _lock_mentors(Mentor.objects.filter(store_id__in={s.store_id for s in all_seats}))
    placed_already = set(cohort.placements.values_list("application_id", flat=True))
    candidates = [a for a in eligible_applications(cohort) if a.pk not in placed_already]
    prefetch_related_objects(candidates, "preferences")
    stores = list(Store.objects.filter(is_active=True, is_training_store=True).order_by("district", "code"))
    stores_by_district: dict[str, list[int]] = defaultdict(list)
    for store in stores:
        stores_by_district[store.district].append(store.pk)
    unplaced, placements, ranks = [], [], defaultdict(int)

    for index, window in enumerate(windows):
        in_window = [
            a
            for a in candidates
            if a.placement_window_id == window.pk or (not a.placement_window_id and index == 0)
        ]
        seats = {s.store_id: s.seats for s in all_seats if s.window_id == window.pk}
        used = dict(
            Placement.objects.filter(window=window, status__in=Placement.HOLDS_SEAT)
            .values_list("store_id")
            .annotate(n=Count("id"))
        )
        mentors = list(Mentor.objects.certified_for(window).filter(store_id__in=list(seats)))
        load = mentor_load(window, [m.pk for m in mentors])
        free_by_store: dict[int, dict[int, int]] = defaultdict(dict)
        for mentor in mentors:
            free = mentor.capacity - load.get(mentor.pk, 0)
            if free > 0:
                free_by_store[mentor.store_id][mentor.pk] = free
        usable = {
            store_id: min(count - used.get(store_id, 0), sum(free_by_store[store_id].values()))
            for store_id, count in seats.items()
        }
        usable = {store_id: n for store_id, n in usable.items() if n > 0}
        outcome = allocation.allocate(
            [allocation.Candidate(a.pk, _wishes(a, stores_by_district, set(usable))) for a in in_window],
            usable,
            f"{seed}:{window.pk}",
        )
        by_store: dict[int, list[int]] = defaultdict(list)
        for key, (store_id, _rank) in sorted(outcome.placed.items()):
            by_store[store_id].append(key)
        applications = {a.pk: a for a in in_window}
        for store_id, keys in by_store.items():
            for key, mentor_id in allocation.assign_mentors(keys, free_by_store[store_id]).items():
                rank = outcome.placed[key][1]
                ranks[rank] += 1
                placements.append(
                    Placement(
                        cohort=cohort,
                        student_id=applications[key].student_id,
                        application_id=key,
                        window=window,
                        store_id=store_id,
                        mentor_id=mentor_id,
                        preference_rank=rank,
                        allocation_run=run,
                    )
                )
        unplaced += [{"application": key, "reason": reason} for key, reason in outcome.unplaced.items()]
    if not windows:
        unplaced = [{"application": a.pk, "reason": "no_window"} for a in candidates]
    Placement.objects.bulk_create(placements)
    run.stats = {
        "candidates": len(candidates),
        "placed": len(placements),
        "by_rank": {str(rank): n for rank, n in sorted(ranks.items())},
        "first_choice_share": round(ranks[1] / len(candidates), 3) if candidates else 0,
    }
    run.unplaced = unplaced
    run.save(update_fields=["stats", "unplaced", "updated_at"])
    return run


@transaction.atomic
def allocation_publish(*, cohort: Cohort, by: User) -> int:
    """Make the proposed placements real: students and mentors see them and are told at once,
    eligible students left without a placement are told what happens next, and everyone placed is
    reminded again three days before the start.

    Set-based: a constant number of queries whatever the number of placements.
    """
    _lock_cohort(cohort)  # lock 1
    proposed = list(
        cohort.placements.select_for_update(of=("self",))  # lock 2
        .filter(status=Placement.Status.PROPOSED)
        .select_related("window", "mentor__user", "store")
        .order_by("pk")
    )
    Placement.objects.filter(pk__in=[p.pk for p in proposed]).update(
        status=Placement.Status.PLANNED, updated_at=timezone.now()
    )
    AllocationRun.objects.filter(cohort=cohort, published_at__isnull=True).update(published_at=timezone.now())
    _plan_publication_notices(cohort, proposed)
    _plan_start_reminders_many(proposed)
    return len(proposed)


def _start_due_at(placement: Placement):
    """When "starts in 3 days" goes out: 09:00 three days before, at once if that has passed;
    None when the placement is already under way (it would only confuse)."""
    if placement.window.starts_on <= timezone.localdate():
        return None
    return max(at_nine(placement.window.starts_on - timedelta(days=START_REMINDER_DAYS)), timezone.now())


def _start_context(placement: Placement) -> dict:
    return {"starts_on": placement.window.starts_on.isoformat(), "store": placement.store_id}


def _plan_start_reminders(placement: Placement) -> None:
    due_at = _start_due_at(placement)
    if due_at is None:
        return
    for recipient, kind in (
        (placement.student, START_STUDENT),
        (placement.mentor.user, START_MENTOR),
    ):
        reminder_plan(
            recipient=recipient, kind=kind, about=placement, due_at=due_at, context=_start_context(placement)
        )


def _plan_start_reminders_many(placements: list[Placement]) -> None:
    """The start reminders of freshly published placements, in a few bulk inserts (a placement is
    published once, so none of these rows exists yet)."""
    due = [(p, _start_due_at(p)) for p in placements]
    due = [(p, due_at) for p, due_at in due if due_at is not None]
    reminders_plan_many(
        kind=START_STUDENT, plans=[(p.student_id, p, due_at, _start_context(p)) for p, due_at in due]
    )
    reminders_plan_many(
        kind=START_MENTOR, plans=[(p.mentor.user_id, p, due_at, _start_context(p)) for p, due_at in due]
    )


def _plan_publication_notices(cohort: Cohort, published: list[Placement]) -> None:
    """Due now and essential (see internships/reminders.py for the kinds):

    - each placed student: their store, address, dates and mentor;
    - each mentor: ONE notice listing all the interns this publication gives them. A mentor with
      three interns wants one message to plan their shifts around, not three near-identical ones
      at once; the "arrives in 3 days" reminder later is per intern. The notice is about the
      mentor's first placement in this publication (a new publication has new placements, so it
      plans a new notice; publishing the same placements again is impossible);
    - each eligible student still without a placement: what happens next. Told once per
      application, however many publications follow.
    """
    now = timezone.now()
    reminders_plan_many(kind=PUBLISHED_STUDENT, plans=[(p.student_id, p, now, {}) for p in published])
    by_mentor: dict[int, list[Placement]] = defaultdict(list)
    for placement in published:
        by_mentor[placement.mentor.user_id].append(placement)
    reminders_plan_many(
        kind=PUBLISHED_MENTOR,
        plans=[
            (user_id, interns[0], now, {"placements": [p.pk for p in interns]})
            for user_id, interns in by_mentor.items()
        ],
    )
    placed = set(cohort.placements.values_list("application_id", flat=True))
    waiting = [a for a in eligible_applications(cohort) if a.pk not in placed]
    told = set(
        Reminder.objects.filter(
            kind=NOT_PLACED,
            subject_type=ContentType.objects.get_for_model(Application),
            subject_id__in=[a.pk for a in waiting],
        ).values_list("subject_id", flat=True)
    )
    reminders_plan_many(
        kind=NOT_PLACED, plans=[(a.student_id, a, now, {}) for a in waiting if a.pk not in told]
    )


# --- Moves, placing by hand and withdrawals ------------------------------------------------------


def _check_capacity(
    *, window: PlacementWindow, store: Store, mentor: Mentor, moving: Placement | None
) -> None:
    """Raise unless the store and the mentor each have a free place in this window.

    The caller holds locks 1 and 2; this takes 3 (the StoreSeats row) and expects 4 (the Mentor
    row, `_lock_mentors`) to be taken after it, before the mentor's load is counted. Two requests
    for the last seat are then served one after the other and the second sees it taken.
    """
    if mentor.store_id != store.pk:
        raise PlacementError(
            _("%(mentor)s is not a mentor of %(store)s.")
            % {"mentor": mentor.user.full_name, "store": store.name}
        )
    if not (store.is_active and store.is_training_store):
        raise PlacementError(_("%(store)s is not an active training store.") % {"store": store.name})
    seats = next(iter(_lock_seats(StoreSeats.objects.filter(window=window, store=store))), None)  # lock 3
    (mentor,) = _lock_mentors(Mentor.objects.filter(pk=mentor.pk))  # lock 4
    if not Mentor.objects.certified_for(window).filter(pk=mentor.pk).exists():
        raise PlacementError(
            _("%(mentor)s is not an active mentor certified for the whole window.")
            % {"mentor": mentor.user.full_name}
        )
    others = Placement.objects.filter(status__in=Placement.HOLDS_SEAT)
    if moving is not None:
        others = others.exclude(pk=moving.pk)
    taken = others.filter(window=window, store=store).count()
    if seats is None or taken >= seats.seats:
        raise PlacementError(_("%(store)s has no free seat in this window.") % {"store": store.name})
    load = others.filter(_overlapping(window), mentor=mentor).count()
    if load >= mentor.capacity:
        raise PlacementError(
            _("%(mentor)s already has %(n)s interns at that time.")
            % {"mentor": mentor.user.full_name, "n": load}
        )


@transaction.atomic
def placement_move(*, placement: Placement, store: Store, mentor: Mentor, reason: str, by: User) -> Placement:
    """Move a placement to another store and mentor, within the same capacities as allocation."""
    _lock_cohort(placement.cohort)  # lock 1
    placement = (
        Placement.objects.select_for_update(of=("self",))  # lock 2
        .select_related("window", "application")
        .get(pk=placement.pk)
    )
    if placement.status not in (Placement.Status.PROPOSED, Placement.Status.PLANNED):
        raise PlacementError(_("Only proposed or planned placements can be moved."))
    if placement.status == Placement.Status.PLANNED and not reason.strip():
        raise PlacementError(_("Give the reason for moving a published placement."))
    _check_capacity(window=placement.window, store=store, mentor=mentor, moving=placement)  # locks 3, 4
    placement.store, placement.mentor = store, mentor
    placement.preference_rank = _rank_of(placement.application, store)
    placement.change_reason = reason.strip()
    placement.save(update_fields=["store", "mentor", "preference_rank", "change_reason", "updated_at"])
    if placement.status == Placement.Status.PLANNED:
        # The old reminders name the old store or mentor: cancel them; planning re-arms the
        # student's with the new details and plans one for the new mentor.
        for kind in START_KINDS:
            reminders_cancel(kind=kind, about=placement, reason=gettext_noop("placement moved"))
        _plan_start_reminders(placement)
    return placement


@transaction.atomic
def placement_create(
    *, application: Application, window: PlacementWindow, store: Store, mentor: Mentor, reason: str, by: User
) -> Placement:
    """Place one student by hand (not placed by the allocation, or eligible since), as a proposal
    that the next publication announces — under the same locks and capacity rules as a move."""
    if not reason.strip():
        raise PlacementError(_("Give the reason for placing this student by hand."))
    cohort = _lock_cohort(application.cohort)  # lock 1
    if window.cohort_id != cohort.pk:
        raise PlacementError(_("This window belongs to another cohort."))
    if application.pk not in {a.pk for a in eligible_applications(cohort)}:
        raise PlacementError(_("Only eligible students can be placed."))
    # (lock 2 has no row to take: the placement is new; the unique constraint backs this check)
    if Placement.objects.filter(cohort=cohort, student_id=application.student_id).exists():
        raise PlacementError(_("This student already has a placement in this cohort."))
    _check_capacity(window=window, store=store, mentor=mentor, moving=None)  # locks 3, 4
    return Placement.objects.create(
        cohort=cohort,
        student_id=application.student_id,
        application=application,
        window=window,
        store=store,
        mentor=mentor,
        preference_rank=_rank_of(application, store),
        change_reason=reason.strip(),
    )


def _rank_of(application: Application, store: Store) -> int | None:
    for pref in application.preferences.all():
        if pref.store_id == store.pk or (not pref.store_id and pref.district == store.district):
            return pref.rank
    return None


@transaction.atomic
def placement_withdraw(*, placement: Placement, reason: str, by: User) -> Placement:
    if not reason.strip():
        raise PlacementError(_("Give the reason for withdrawing the placement."))
    _lock_cohort(placement.cohort)  # lock 1
    placement = Placement.objects.select_for_update(of=("self",)).get(pk=placement.pk)  # lock 2
    if placement.status in (Placement.Status.COMPLETED, Placement.Status.WITHDRAWN):
        raise PlacementError(_("This placement is already over."))
    placement.status = Placement.Status.WITHDRAWN
    placement.change_reason = reason.strip()
    placement.save(update_fields=["status", "change_reason", "updated_at"])
    # Nobody is to come any more: the start reminders (and a publication notice not yet sent) go.
    for kind in (*START_KINDS, PUBLISHED_STUDENT):
        reminders_cancel(kind=kind, about=placement, reason=gettext_noop("placement withdrawn"))
    return placement


def placements_complete_finished(*, today: date | None = None) -> int:
    """Placements whose window has ended are completed (daily, from Celery beat)."""
    today = today or timezone.localdate()
    return Placement.objects.filter(
        status__in=[Placement.Status.PLANNED, Placement.Status.ACTIVE], window__ends_on__lt=today
    ).update(status=Placement.Status.COMPLETED, updated_at=timezone.now())


# --- Attendance ----------------------------------------------------------------------------------


def _check_day(placement: Placement, day: date) -> None:
    if placement.status not in (Placement.Status.PLANNED, Placement.Status.ACTIVE):
        raise PlacementError(_("Attendance is recorded for planned or active placements only."))
    if day not in placement.working_days():
        raise PlacementError(_("%(day)s is not a working day of this placement.") % {"day": day})
    if day > timezone.localdate():
        raise PlacementError(_("Attendance cannot be recorded for a day in the future."))


@transaction.atomic
def attendance_mark(*, placement: Placement, day: date, mark: str, by: User) -> Attendance:
    """The mentor's one tap: present, late or absent (a later tap corrects the earlier one)."""
    if mark not in Attendance.Mark.values:
        raise PlacementError(_("Unknown attendance mark."))
    _check_day(placement, day)
    record, _created = Attendance.objects.update_or_create(
        placement=placement, day=day, defaults={"mark": mark, "recorded_by": by}
    )
    if placement.status == Placement.Status.PLANNED:
        Placement.objects.filter(pk=placement.pk, status=Placement.Status.PLANNED).update(
            status=Placement.Status.ACTIVE
        )
    return record


@transaction.atomic
def check_in_start(*, placement: Placement, student: User) -> Attendance:
    """The student checks in at the store: a six-digit code the mentor confirms."""
    today = timezone.localdate()
    _check_day(placement, today)
    record, _created = Attendance.objects.select_for_update().get_or_create(placement=placement, day=today)
    if not record.check_in_code:
        record.check_in_code = f"{secrets.randbelow(10**6):06d}"
        record.checked_in_at = timezone.now()
        record.save(update_fields=["check_in_code", "checked_in_at", "updated_at"])
    return record


@transaction.atomic
def check_in_confirm(*, placement: Placement, code: str, by: User) -> Attendance:
    today = timezone.localdate()
    record = Attendance.objects.select_for_update().filter(placement=placement, day=today).first()
    if record is None or not record.check_in_code or record.check_in_code != code.strip():
        raise PlacementError(_("The code does not match the one on the student's phone."))
    return attendance_mark(placement=placement, day=today, mark=Attendance.Mark.PRESENT, by=by)


# --- Calendar ------------------------------------------------------------------------------------


def calendar_token_for(user: User) -> str:
    token, _created = CalendarToken.objects.get_or_create(
        user=user, defaults={"token": secrets.token_urlsafe(32)}
    )
    return token.token


def calendar_token_reset(*, user: User) -> str:
    CalendarToken.objects.update_or_create(user=user, defaults={"token": secrets.token_urlsafe(32)})
    return user.calendar_token.token
