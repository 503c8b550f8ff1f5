"""Writes of the registry: the seats each training store offers in a placement window."""

from django.db import transaction

from ..models import PlacementWindow, Store, StoreSeats
from ._locks import _lock_cohort


@transaction.atomic
def seats_save(*, window: PlacementWindow, seats: dict[Store, int]) -> None:
    _lock_cohort(window.cohort)  # lock 1: not while a run or a move of the cohort counts seats
    for store, count in seats.items():
        StoreSeats.objects.update_or_create(window=window, store=store, defaults={"seats": count})
