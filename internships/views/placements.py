"""Staff's changes to one placement: a move, placing a student by hand, a withdrawal."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import role_required
from accounts.models import Role

from .. import services
from ..forms import MoveForm, PlaceForm, WithdrawForm
from ..models import Application, Placement


def _place(request, form, place, done_message, cohort_id: int):
    """The shared step of a move and of placing by hand: a valid form is handed to the service
    (`place(mentor, data)`); a refusal (capacity, certification…) shows next to the mentor field.
    `done_message(mentor)` is the confirmation. Returns the redirect to the board once placed,
    None to show the form again."""
    if request.method != "POST" or not form.is_valid():
        return None
    mentor = form.cleaned_data["mentor"]
    try:
        place(mentor, form.cleaned_data)
    except services.PlacementError as error:
        form.add_error("mentor", str(error))
        return None
    messages.success(request, done_message(mentor))
    return redirect("internships:placement_board", pk=cohort_id)


@role_required(Role.STAFF, Role.ADMIN)
def placement_move(request, pk):
    placement = get_object_or_404(
        Placement.objects.select_related("window", "student", "store", "mentor__user"), pk=pk
    )
    form = MoveForm(request.POST or None, window=placement.window, initial={"mentor": placement.mentor_id})
    placed = _place(
        request,
        form,
        lambda mentor, data: services.placement_move(
            placement=placement, store=mentor.store, mentor=mentor, reason=data["reason"], by=request.user
        ),
        lambda mentor: (
            _("%(name)s moves to %(store)s.")
            % {"name": placement.student.full_name, "store": mentor.store.name}
        ),
        placement.cohort_id,
    )
    return placed or render(
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
    placed = _place(
        request,
        form,
        lambda mentor, data: services.placement_create(
            application=application,
            window=data["window"],
            store=mentor.store,
            mentor=mentor,
            reason=data["reason"],
            by=request.user,
        ),
        lambda mentor: (
            _("%(name)s is placed at %(store)s. Publish to tell the student and the mentor.")
            % {"name": application.student.full_name, "store": mentor.store.name}
        ),
        application.cohort_id,
    )
    return placed or render(
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
