"""Writes of the registry: the seats each training store offers in a placement window."""

from django.db import transaction

from ..models import PlacementWindow, Store, StoreSeats
from ._locks import _lock_cohort


@transaction.atomic
def seats_save(*, window: PlacementWindow, seats: dict[Store, int]) -> None:
    """The seats of some stores in one window (one INSERT … ON CONFLICT UPDATE for all of them)."""
    _lock_cohort(window.cohort)  # lock 1: not while a run or a move of the cohort counts seats
    StoreSeats.objects.bulk_create(
        [StoreSeats(window=window, store=store, seats=count) for store, count in seats.items()],
        update_conflicts=True,
        unique_fields=["window", "store"],
        update_fields=["seats", "updated_at"],
    )


@transaction.atomic
def seats_grid_save(*, seats: dict[PlacementWindow, dict[Store, int]]) -> None:
    """The whole seats grid of a cohort: every window, or none of them."""
    for window, counts in seats.items():
        seats_save(window=window, seats=counts)
