"""Pages of rubrics: the cohort's rubric (staff edit it), and each mentor's scores against the cohort's."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _

from accounts.access import check_roles, role_required
from accounts.models import Role
from internships.models import Cohort

from .. import selectors, services
from ..forms.rubrics import rubric_formset

EDITORS = (Role.STAFF, Role.ADMIN)


# Xiaomi's coordinator reads the rubric its mentors score against; the programme office edits it.
@role_required(Role.STAFF, Role.HR, Role.ADMIN)
def rubric(request, cohort_pk):
    cohort = get_object_or_404(Cohort, pk=cohort_pk)
    if request.method == "POST":
        check_roles(request, EDITORS)
    page = selectors.rubric_page(cohort=cohort)
    formset = None
    if request.user.has_role(*EDITORS):
        formset = rubric_formset(criteria=page.criteria, data=request.POST or None)
    if request.method == "POST" and formset.is_valid():
        try:
            saved = services.rubric_save(cohort=cohort, criteria=formset.criteria(), by=request.user)
        except ValidationError as error:
            formset.add_service_error(error)
        else:
            messages.success(request, _("The rubric is saved as version %(n)s.") % {"n": saved.version})
            return redirect("evaluations:rubric", cohort_pk=cohort.pk)
    invalid = formset is not None and formset.is_bound and not formset.is_valid()
    return render(
        request,
        "evaluations/rubric.html",
        {
            "cohort": cohort,
            "heading": _("Rubric"),
            "page": page,
            "formset": formset,
            "min_criteria": services.CRITERIA_MIN,
            "max_criteria": services.CRITERIA_MAX,
        },
        status=400 if invalid else 200,
    )


# Xiaomi's coordinator, who certifies the mentors, sees them too (students who consented only).
@role_required(Role.STAFF, Role.HR, Role.ADMIN)
def mentor_scores(request, cohort_pk):
    cohort = get_object_or_404(Cohort, pk=cohort_pk)
    spread = selectors.mentor_score_spread(
        cohort=cohort, viewer=request.user, page_number=request.GET.get("page")
    )
    return render(
        request,
        "evaluations/mentor_scores.html",
        {
            "cohort": cohort,
            "heading": _("Mentors' scoring"),
            "spread": spread,
            "page": spread.page,
            "consent_only": request.user.has_role(Role.HR),
        },
    )


urlpatterns = [
    path("assessment/cohorts/<int:cohort_pk>/rubric/", rubric, name="rubric"),
    path("assessment/cohorts/<int:cohort_pk>/mentors/", mentor_scores, name="mentor_scores"),
]
