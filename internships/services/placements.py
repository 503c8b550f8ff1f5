"""Writes on placements after allocation: moves, placing a student by hand, withdrawals, completion."""

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from accounts.models import User
from notifications.services import reminders_cancel

from ..models import Application, Mentor, Placement, PlacementWindow, Store, StoreSeats
from ..selectors import eligible_applications
from ._locks import _lock_cohort, _lock_mentors, _lock_seats, _overlapping
from ._placement_notices import PUBLISHED_STUDENT, START_KINDS, _plan_start_reminders


class PlacementError(Exception):
    """A placement change that would break a rule; the message is shown to staff."""


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
    return Placement.objects.filter(status__in=Placement.IN_PROGRESS, window__ends_on__lt=today).update(
        status=Placement.Status.COMPLETED, updated_at=timezone.now()
    )
