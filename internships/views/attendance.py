"""Attendance: the mentor's register (phone-first), the student's check-in, and the gaps per cohort."""

from datetime import date

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import role_required
from accounts.models import Role

from .. import selectors, services
from ..forms import CheckInConfirmForm
from ..models import Attendance, Cohort, Placement


@role_required(Role.STAFF, Role.HR, Role.ADMIN)
def attendance_gaps(request, pk):
    cohort = get_object_or_404(Cohort, pk=pk)
    return render(
        request,
        "internships/attendance_gaps.html",
        {"cohort": cohort, "rows": selectors.attendance_gaps(cohort, request.user)},
    )


# --- Mentor: interns and attendance (phone-first) ------------------------------------------------


@role_required(Role.MENTOR)
def mentor_attendance(request):
    sheet = selectors.attendance_sheet(request.user)
    return render(
        request,
        "internships/mentor_attendance.html",
        {**sheet, "marks": Attendance.Mark.choices, "confirm_form": CheckInConfirmForm()},
    )


@require_POST
@role_required(Role.MENTOR)
def attendance_mark(request, pk):
    placement = get_object_or_404(Placement.objects.visible_to(request.user), pk=pk)
    try:
        try:  # today, or an earlier working day that was missed
            day = date.fromisoformat(request.POST["day"]) if request.POST.get("day") else timezone.localdate()
        except ValueError:
            raise services.PlacementError(_("Unknown day.")) from None
        services.attendance_mark(
            placement=placement, day=day, mark=request.POST.get("mark", ""), by=request.user
        )
    except services.PlacementError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("%(name)s: %(mark)s.")
            % {"name": placement.student.full_name, "mark": Attendance.Mark(request.POST["mark"]).label},
        )
    return redirect("internships:mentor_attendance")


@require_POST
@role_required(Role.MENTOR)
def check_in_confirm(request, pk):
    placement = get_object_or_404(Placement.objects.visible_to(request.user), pk=pk)
    form = CheckInConfirmForm(request.POST)
    try:
        if not form.is_valid():
            raise services.PlacementError(_("The code does not match the one on the student's phone."))
        services.check_in_confirm(placement=placement, code=form.cleaned_data["code"], by=request.user)
    except services.PlacementError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("%(name)s is checked in.") % {"name": placement.student.full_name})
    return redirect("internships:mentor_attendance")


# --- Student: check in --------------------------------------------------------------------------


@require_POST
@role_required(Role.STUDENT)
def check_in(request):
    placement = selectors.placement_of(request.user)
    if placement is None:
        raise Http404
    try:
        services.check_in_start(placement=placement, student=request.user)
    except services.PlacementError as error:
        messages.error(request, str(error))
    return redirect("home")  # the home shows the code, and the mentor's confirmation when it comes


# --- Check-in without reloading: fragments the pages poll while a check-in is pending -------------


@role_required(Role.STUDENT)
def check_in_status(request):
    placement = selectors.placement_of(request.user)
    if placement is None:
        raise Http404
    return render(
        request,
        "internships/partials/check_in_student.html",
        {"placement": placement, "check_in": selectors.attendance_today(placement)},
    )


@role_required(Role.MENTOR)
def attendance_card(request, pk):
    placement = get_object_or_404(
        Placement.objects.visible_to(request.user).select_related("student", "window", "cohort"), pk=pk
    )
    return render(
        request,
        "internships/partials/attendance_card.html",
        {
            "placement": placement,
            "record": selectors.attendance_today(placement),
            "marks": Attendance.Mark.choices,
        },
    )
