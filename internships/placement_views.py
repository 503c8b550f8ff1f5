"""Pages of the placement phase: registries, seats, allocation board, attendance, calendar."""

import re
from datetime import date

from django.contrib import messages
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import role_required
from accounts.models import Role

from . import calendar, selectors, services
from .forms import (
    CheckInConfirmForm,
    ExceptionForm,
    MentorForm,
    MoveForm,
    PlaceForm,
    StoreForm,
    WithdrawForm,
)
from .models import (
    Application,
    Attendance,
    CalendarToken,
    Cohort,
    Mentor,
    Placement,
    Store,
    StoreSeats,
)

# --- Xiaomi coordinator: stores and mentors ------------------------------------------------------


@role_required(Role.HR, Role.ADMIN)
def store_list(request):
    stores = Store.objects.annotate(mentor_count=Count("mentors")).order_by("district", "code")
    return render(request, "internships/store_list.html", {"stores": stores})


@role_required(Role.HR, Role.ADMIN)
def store_edit(request, pk=None):
    store = get_object_or_404(Store, pk=pk) if pk else None
    form = StoreForm(request.POST or None, instance=store)
    if request.method == "POST" and form.is_valid():
        saved = form.save()
        messages.success(request, _("Store “%(name)s” is saved.") % {"name": saved.name})
        return redirect("internships:store_list")
    return render(
        request,
        "internships/registry_form.html",
        {"form": form, "title": store.name if store else _("New store"), "back": "internships:store_list"},
        status=400 if form.errors else 200,
    )


@role_required(Role.HR, Role.ADMIN)
def mentor_list(request):
    mentors = Mentor.objects.select_related("user", "store").order_by(
        "store__district", "store__code", "user__full_name"
    )
    return render(
        request, "internships/mentor_list.html", {"mentors": mentors, "today": timezone.localdate()}
    )


@role_required(Role.HR, Role.ADMIN)
def mentor_edit(request, pk=None):
    mentor = get_object_or_404(Mentor, pk=pk) if pk else None
    form = MentorForm(request.POST or None, instance=mentor)
    if request.method == "POST" and form.is_valid():
        saved = form.save()
        messages.success(request, _("Mentor %(name)s is saved.") % {"name": saved.user.full_name})
        return redirect("internships:mentor_list")
    return render(
        request,
        "internships/registry_form.html",
        {
            "form": form,
            "title": mentor.user.full_name if mentor else _("Register a mentor"),
            "back": "internships:mentor_list",
        },
        status=400 if form.errors else 200,
    )


# --- Seats per store per window ------------------------------------------------------------------


@role_required(Role.STAFF, Role.HR, Role.ADMIN)
def seats_grid(request, pk):
    cohort = get_object_or_404(Cohort, pk=pk)
    windows = list(cohort.placement_windows.order_by("starts_on"))
    stores = list(Store.objects.filter(is_active=True, is_training_store=True).order_by("district", "code"))
    current = {(s.window_id, s.store_id): s.seats for s in StoreSeats.objects.filter(window__in=windows)}
    errors = []
    if request.method == "POST":
        parsed = {}
        for window in windows:
            for store in stores:
                raw = request.POST.get(f"seats-{window.pk}-{store.pk}", "0").strip() or "0"
                if not re.fullmatch(r"[0-9]{1,2}", raw) or int(raw) > 50:
                    errors.append(
                        _("%(store)s: seats must be a whole number from 0 to 50.") % {"store": store.name}
                    )
                    continue
                parsed.setdefault(window, {})[store] = int(raw)
        if not errors:
            for window, seats in parsed.items():
                services.seats_save(window=window, seats=seats)
            messages.success(request, _("Seats are saved."))
            return redirect("internships:seats_grid", pk=cohort.pk)
        current = {
            (w.pk, s.pk): request.POST.get(f"seats-{w.pk}-{s.pk}", "") for w in windows for s in stores
        }
    rows = [
        (store, [(window, current.get((window.pk, store.pk), 0)) for window in windows]) for store in stores
    ]
    totals = [
        sum(
            int(current.get((w.pk, s.pk), 0) or 0)
            for s in stores
            if re.fullmatch(r"[0-9]{1,2}", str(current.get((w.pk, s.pk), 0)))
        )
        for w in windows
    ]
    return render(
        request,
        "internships/seats_grid.html",
        {"cohort": cohort, "windows": windows, "rows": rows, "totals": totals, "errors": errors},
        status=400 if errors else 200,
    )


# --- Staff: eligibility, allocation, publication -------------------------------------------------


@role_required(Role.STAFF, Role.ADMIN)
def placement_board(request, pk):
    cohort = get_object_or_404(Cohort, pk=pk)
    return render(
        request,
        "internships/placement_board.html",
        {"cohort": cohort, **selectors.placement_board(cohort), "exception_form": ExceptionForm()},
    )


@require_POST
@role_required(Role.STAFF, Role.ADMIN)
def allocation_start(request, pk):
    cohort = get_object_or_404(Cohort, pk=pk)
    run = services.allocation_run(cohort=cohort, by=request.user, seed=request.POST.get("seed") or None)
    messages.success(
        request,
        _(
            "Allocation preview ready: %(placed)s of %(total)s students placed. Nobody is told until you publish."
        )
        % {"placed": run.stats["placed"], "total": run.stats["candidates"]},
    )
    return redirect("internships:placement_board", pk=cohort.pk)


@require_POST
@role_required(Role.STAFF, Role.ADMIN)
def allocation_publish(request, pk):
    cohort = get_object_or_404(Cohort, pk=pk)
    count = services.allocation_publish(cohort=cohort, by=request.user)
    messages.success(
        request, _("%(n)s placements published. Students and mentors can see them now.") % {"n": count}
    )
    return redirect("internships:placement_board", pk=cohort.pk)


@require_POST
@role_required(Role.STAFF, Role.ADMIN)
def eligibility_exception(request, pk):
    application = get_object_or_404(Application, pk=pk, status=Application.Status.ACCEPTED)
    form = ExceptionForm(request.POST)
    if form.is_valid():
        services.eligibility_exception_grant(
            application=application, reason=form.cleaned_data["reason"], by=request.user
        )
        messages.success(
            request, _("Exception recorded for %(name)s.") % {"name": application.student.full_name}
        )
    else:
        messages.error(request, _("Give the reason for the exception."))
    return redirect("internships:placement_board", pk=application.cohort_id)


@role_required(Role.STAFF, Role.ADMIN)
def placement_move(request, pk):
    placement = get_object_or_404(
        Placement.objects.select_related("window", "student", "store", "mentor__user"), pk=pk
    )
    form = MoveForm(request.POST or None, window=placement.window, initial={"mentor": placement.mentor_id})
    if request.method == "POST" and form.is_valid():
        mentor = form.cleaned_data["mentor"]
        try:
            services.placement_move(
                placement=placement,
                store=mentor.store,
                mentor=mentor,
                reason=form.cleaned_data["reason"],
                by=request.user,
            )
        except services.PlacementError as error:
            form.add_error("mentor", str(error))
        else:
            messages.success(
                request,
                _("%(name)s moves to %(store)s.")
                % {"name": placement.student.full_name, "store": mentor.store.name},
            )
            return redirect("internships:placement_board", pk=placement.cohort_id)
    return render(
        request,
        "internships/placement_move.html",
        {"placement": placement, "form": form, "withdraw_form": WithdrawForm()},
        status=400 if form.errors else 200,
    )


@role_required(Role.STAFF, Role.ADMIN)
def placement_create(request, pk):
    """Place by hand an eligible student the allocation left out (from the board's "not placed")."""
    application = get_object_or_404(
        Application.objects.select_related("student", "cohort"), pk=pk, status=Application.Status.ACCEPTED
    )
    form = PlaceForm(request.POST or None, application=application)
    if request.method == "POST" and form.is_valid():
        mentor = form.cleaned_data["mentor"]
        try:
            services.placement_create(
                application=application,
                window=form.cleaned_data["window"],
                store=mentor.store,
                mentor=mentor,
                reason=form.cleaned_data["reason"],
                by=request.user,
            )
        except services.PlacementError as error:
            form.add_error("mentor", str(error))
        else:
            messages.success(
                request,
                _("%(name)s is placed at %(store)s. Publish to tell the student and the mentor.")
                % {"name": application.student.full_name, "store": mentor.store.name},
            )
            return redirect("internships:placement_board", pk=application.cohort_id)
    return render(
        request,
        "internships/placement_create.html",
        {
            "application": application,
            "form": form,
            "preferences": application.preferences.select_related("store").order_by("rank"),
        },
        status=400 if form.errors else 200,
    )


@require_POST
@role_required(Role.STAFF, Role.ADMIN)
def placement_withdraw(request, pk):
    placement = get_object_or_404(Placement, pk=pk)
    form = WithdrawForm(request.POST)
    try:
        if not form.is_valid():
            raise services.PlacementError(_("Give the reason for withdrawing the placement."))
        services.placement_withdraw(placement=placement, reason=form.cleaned_data["reason"], by=request.user)
    except services.PlacementError as error:
        messages.error(request, str(error))
        return redirect("internships:placement_move", pk=placement.pk)
    messages.success(request, _("The placement is withdrawn."))
    return redirect("internships:placement_board", pk=placement.cohort_id)


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


# --- Calendar (private iCal feed) ----------------------------------------------------------------


def calendar_feed(request, token):
    owner = get_object_or_404(CalendarToken.objects.select_related("user"), token=token).user
    response = HttpResponse(calendar.calendar_feed(owner), content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, max-age=300"
    return response


@require_POST
@role_required(Role.STUDENT, Role.MENTOR)
def calendar_reset(request):
    """A new private address; the old one stops working (it was shared, or a phone was lost)."""
    services.calendar_token_reset(user=request.user)
    messages.success(
        request,
        _("The old calendar address no longer works. Add the new one below to your phone's calendar."),
    )
    return redirect("home")
