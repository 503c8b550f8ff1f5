"""The locking order of the placement writes, and the row locks they take in it.

Capacity is checked under row locks, so concurrent requests can never put a store or a mentor over
capacity. Every write that changes which seats a cohort's placements hold (an allocation run,
publication, a move, placing a student by hand, a withdrawal) takes its row locks in this order,
and only in this order, so two of them can never wait for each other in a cycle:

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

from django.db.models import Q

from ..models import Cohort, PlacementWindow


def _overlapping(window: PlacementWindow):
    return Q(window__starts_on__lte=window.ends_on, window__ends_on__gte=window.starts_on)


def _lock_cohort(cohort: Cohort) -> Cohort:
    """Lock 1 of the locking order (see the module's docstring)."""
    return Cohort.objects.select_for_update(of=("self",)).get(pk=cohort.pk)


def _lock_seats(seats):
    """Lock 3: StoreSeats rows, in primary-key order."""
    return list(seats.select_for_update(of=("self",)).order_by("pk"))


def _lock_mentors(mentors):
    """Lock 4: Mentor rows, in primary-key order."""
    return list(mentors.select_for_update(of=("self",)).select_related("user").order_by("pk"))
