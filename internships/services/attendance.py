"""Writes of attendance: the mentor's marks and the student's check-in code."""

import secrets
from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User

from ..models import Attendance, Placement
from .placements import PlacementError


def _check_day(placement: Placement, day: date) -> None:
    if placement.status not in Placement.IN_PROGRESS:
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
