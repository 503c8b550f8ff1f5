"""The programme office's cohorts: the list and the cohort form."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from accounts.access import role_required
from accounts.models import Role

from .. import services
from ..forms import CohortForm
from ..models import Cohort


@role_required(Role.STAFF, Role.ADMIN)
def cohort_list(request):
    cohorts = Cohort.objects.order_by("-applications_open_on")
    return render(request, "internships/cohort_list.html", {"cohorts": cohorts})


@role_required(Role.STAFF, Role.ADMIN)
def cohort_edit(request, pk=None):
    cohort = get_object_or_404(Cohort, pk=pk) if pk else None
    form = CohortForm(request.POST or None, instance=cohort)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.cohort_save(
                cohort=cohort,
                fields=form.model_fields(),
                course_due_dates=form.course_due_dates(),
                windows=form.windows(),
            )
        except ValidationError as error:
            form.add_error(None, error)  # keyed by field: shown next to the due date concerned
        else:
            messages.success(request, _("Cohort “%(name)s” is saved.") % {"name": saved.name})
            return redirect("internships:cohort_list")
    return render(
        request,
        "internships/cohort_form.html",
        {"form": form, "cohort": cohort},
        status=400 if form.errors else 200,
    )
