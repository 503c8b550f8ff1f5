"""The staff placement board: eligibility exceptions, the allocation preview and publication."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import role_required
from accounts.models import Role

from .. import selectors, services
from ..forms import ExceptionForm
from ..models import Application, Cohort


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
