"""Writes of the placement phase: seats, eligibility exceptions, allocation runs, publication,
moves and withdrawals, attendance. Capacity is checked under row locks, so concurrent requests
can never put a store or a mentor over capacity."""

import secrets
from collections import defaultdict
from datetime import date, timedelta

from django.db import transaction
from django.db.models import Count, Q, prefetch_related_objects
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from accounts.models import User
from notifications.services import at_nine, reminder_plan, reminders_cancel

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
START_KINDS = ("placement_starts_student", "placement_starts_mentor")
UNPLACED_REASONS = {
    "no_wishes": _("gave no store or district preference"),
    "wishes_full": _("every preferred store was full"),
    "wishes_without_seats": _("no preferred store has seats or certified mentors in this window"),
    "no_window": _("the cohort has no placement window"),
}


class PlacementError(Exception):
    """A placement change that would break a rule; the message is shown to staff."""


# --- Seats and eligibility -----------------------------------------------------------------------


@transaction.atomic
def seats_save(*, window: PlacementWindow, seats: dict[Store, int]) -> None:
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


def _certified_mentors(window: PlacementWindow, store_ids=None):
    mentors = Mentor.objects.filter(
        certified_on__lte=window.starts_on, certification_expires_on__gte=window.ends_on, user__is_active=True
    )
    if store_ids is not None:
        mentors = mentors.filter(store_id__in=list(store_ids))
    return list(mentors)


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
    Cohort.objects.select_for_update().get(pk=cohort.pk)  # one run at a time per cohort
    cohort.placements.filter(status=Placement.Status.PROPOSED).delete()
    seed = seed or secrets.token_hex(8)
    run = AllocationRun.objects.create(
        cohort=cohort, seed=seed, algorithm=allocation.ALGORITHM, created_by=by
    )
    windows = list(cohort.placement_windows.order_by("starts_on"))
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
        seats = dict(
            StoreSeats.objects.filter(
                window=window, seats__gt=0, store__is_active=True, store__is_training_store=True
            ).values_list("store_id", "seats")
        )
        used = dict(
            Placement.objects.filter(window=window, status__in=Placement.HOLDS_SEAT)
            .values_list("store_id")
            .annotate(n=Count("id"))
        )
        mentors = _certified_mentors(window, seats)
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
    """Make the proposed placements real: students and mentors see them, and are reminded."""
    proposed = list(
        cohort.placements.select_for_update()
        .filter(status=Placement.Status.PROPOSED)
        .select_related("window", "mentor__user")
    )
    for placement in proposed:
        placement.status = Placement.Status.PLANNED
    Placement.objects.bulk_update(proposed, ["status", "updated_at"])
    AllocationRun.objects.filter(cohort=cohort, published_at__isnull=True).update(published_at=timezone.now())
    for placement in proposed:
        _plan_start_reminders(placement)
    return len(proposed)


def _plan_start_reminders(placement: Placement) -> None:
    if placement.window.starts_on <= timezone.localdate():
        return  # already under way: "starts in 3 days" would only confuse
    due_at = at_nine(placement.window.starts_on - timedelta(days=START_REMINDER_DAYS))
    context = {"starts_on": placement.window.starts_on.isoformat(), "store": placement.store_id}
    for recipient, kind in (
        (placement.student, "placement_starts_student"),
        (placement.mentor.user, "placement_starts_mentor"),
    ):
        reminder_plan(
            recipient=recipient,
            kind=kind,
            about=placement,
            due_at=max(due_at, timezone.now()),
            context=context,
        )


# --- Moves and withdrawals -----------------------------------------------------------------------


def _check_capacity(
    *, window: PlacementWindow, store: Store, mentor: Mentor, moving: Placement | None
) -> None:
    """Raise unless the store and the mentor each have a free place in this window.

    Called with the StoreSeats and Mentor rows locked (select_for_update), so two requests for the
    last seat are served one after the other and the second sees it taken.
    """
    if mentor.store_id != store.pk:
        raise PlacementError(
            _("%(mentor)s is not a mentor of %(store)s.")
            % {"mentor": mentor.user.full_name, "store": store.name}
        )
    if not mentor.certified_on_date(window.starts_on) or not mentor.certified_on_date(window.ends_on):
        raise PlacementError(
            _("%(mentor)s is not certified for the whole window.") % {"mentor": mentor.user.full_name}
        )
    if not (store.is_active and store.is_training_store):
        raise PlacementError(_("%(store)s is not an active training store.") % {"store": store.name})
    seats = StoreSeats.objects.select_for_update().filter(window=window, store=store).first()
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
    placement = Placement.objects.select_for_update().select_related("window").get(pk=placement.pk)
    if placement.status not in (Placement.Status.PROPOSED, Placement.Status.PLANNED):
        raise PlacementError(_("Only proposed or planned placements can be moved."))
    if placement.status == Placement.Status.PLANNED and not reason.strip():
        raise PlacementError(_("Give the reason for moving a published placement."))
    mentor = Mentor.objects.select_for_update().select_related("user").get(pk=mentor.pk)
    _check_capacity(window=placement.window, store=store, mentor=mentor, moving=placement)
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
    *, application: Application, window: PlacementWindow, store: Store, mentor: Mentor, by: User
) -> Placement:
    """Place one student by hand (e.g. after an eligibility exception), as a proposal."""
    mentor = Mentor.objects.select_for_update().select_related("user").get(pk=mentor.pk)
    _check_capacity(window=window, store=store, mentor=mentor, moving=None)
    return Placement.objects.create(
        cohort=application.cohort,
        student=application.student,
        application=application,
        window=window,
        store=store,
        mentor=mentor,
        preference_rank=_rank_of(application, store),
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
    placement = Placement.objects.select_for_update().get(pk=placement.pk)
    if placement.status in (Placement.Status.COMPLETED, Placement.Status.WITHDRAWN):
        raise PlacementError(_("This placement is already over."))
    placement.status = Placement.Status.WITHDRAWN
    placement.change_reason = reason.strip()
    placement.save(update_fields=["status", "change_reason", "updated_at"])
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
