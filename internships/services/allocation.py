"""Writes of the allocation: eligibility exceptions, allocation runs (a preview) and publication."""

import secrets
from collections import defaultdict

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Count, prefetch_related_objects
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from notifications.models import Reminder
from notifications.services import reminders_plan_many

from .. import allocation
from ..models import (
    AllocationRun,
    Application,
    Cohort,
    EligibilityException,
    Mentor,
    Placement,
    PlacementWindow,
    Store,
    StoreSeats,
)
from ..selectors import eligible_applications
from ._locks import _lock_cohort, _lock_mentors, _lock_seats, _overlapping
from ._placement_notices import NOT_PLACED, PUBLISHED_MENTOR, PUBLISHED_STUDENT, _plan_start_reminders_many
from .placements import PlacementError


@transaction.atomic
def eligibility_exception_grant(*, application: Application, reason: str, by: User) -> EligibilityException:
    if not reason.strip():
        raise PlacementError(_("Give the reason for the exception."))
    exception, _created = EligibilityException.objects.update_or_create(
        application=application, defaults={"reason": reason.strip(), "granted_by": by}
    )
    return exception


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
        in_window = [a for a in candidates if a.window_id == window.pk or (not a.window_id and index == 0)]
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


def _plan_publication_notices(cohort: Cohort, published: list[Placement]) -> None:
    """Due now and essential (see internships/reminders/placements.py for the kinds):

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
