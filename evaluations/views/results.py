"""Pages of results: the cohort's assessment settings, its results (recompute, override, confirm)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import role_required
from accounts.models import Role
from internships.models import Cohort

from .. import selectors, services
from ..forms.results import THRESHOLDS, WEIGHTS, AssessmentSettingsForm, OverrideForm, errors_onto

RESULTS_PER_PAGE = 50


@role_required(Role.STAFF, Role.ADMIN)
def assessment_settings(request, cohort_pk):
    cohort = get_object_or_404(Cohort, pk=cohort_pk)
    assessment = selectors.assessment_of(cohort)
    frozen = assessment.results_confirmed
    initial = {name: getattr(assessment, name) for name in ("release_mode", *WEIGHTS, *THRESHOLDS)}
    form = AssessmentSettingsForm(request.POST or None, initial=initial, frozen=frozen)
    if request.method == "POST" and form.is_valid():
        try:
            services.assessment_settings_save(cohort=cohort, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            errors_onto(form, error)
        else:
            messages.success(
                request, _("The assessment settings of %(cohort)s are saved.") % {"cohort": cohort}
            )
            return redirect("evaluations:assessment_settings", cohort_pk=cohort.pk)
    return render(
        request,
        "evaluations/assessment_settings.html",
        {"cohort": cohort, "assessment": assessment, "form": form, "frozen": frozen},
        status=400 if form.errors else 200,
    )


@role_required(Role.STAFF, Role.HR, Role.ADMIN)
def results(request, cohort_pk):
    cohort = get_object_or_404(Cohort, pk=cohort_pk)
    page = Paginator(selectors.cohort_results(cohort=cohort, user=request.user), RESULTS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "evaluations/results.html",
        {
            "cohort": cohort,
            "assessment": selectors.assessment_of(cohort),
            "page": page,
            "placements": list(page),
            "summary": selectors.cohort_results_summary(cohort=cohort, user=request.user),
            "can_act": request.user.has_role(Role.STAFF, Role.ADMIN),
        },
    )


@require_POST
@role_required(Role.STAFF, Role.ADMIN)
def results_recompute(request, cohort_pk):
    cohort = get_object_or_404(Cohort, pk=cohort_pk)
    if selectors.assessment_of(cohort).results_confirmed:
        messages.error(request, _("The results are confirmed: they are no longer recomputed."))
    else:
        count = services.results_refresh(cohort=cohort)
        messages.success(request, _("Results recomputed for %(count)s students.") % {"count": count})
    return redirect("evaluations:results", cohort_pk=cohort.pk)


@require_POST
@role_required(Role.STAFF, Role.ADMIN)
def results_confirm(request, cohort_pk):
    cohort = get_object_or_404(Cohort, pk=cohort_pk)
    try:
        services.results_confirm(cohort=cohort, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("The results are confirmed and frozen. You can now issue the certificates.")
        )
    return redirect("evaluations:results", cohort_pk=cohort.pk)


@role_required(Role.STAFF, Role.ADMIN)
def result_override(request, pk):
    result = get_object_or_404(selectors.results_visible_to(request.user), pk=pk)
    form = OverrideForm(request.POST or None, initial={"band": result.override_band})
    if request.method == "POST" and form.is_valid():
        try:
            services.result_override(result=result, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            errors_onto(form, error)
        else:
            messages.success(
                request,
                _("The result of %(name)s is saved.") % {"name": result.placement.student.full_name},
            )
            return redirect("evaluations:results", cohort_pk=result.placement.cohort_id)
    return render(
        request,
        "evaluations/result_override.html",
        {"result": result, "form": form, "history": list(result.overrides.select_related("by"))},
        status=400 if form.errors else 200,
    )


urlpatterns = [
    path("assessment/cohorts/<int:cohort_pk>/settings/", assessment_settings, name="assessment_settings"),
    path("assessment/cohorts/<int:cohort_pk>/results/", results, name="results"),
    path(
        "assessment/cohorts/<int:cohort_pk>/results/recompute/", results_recompute, name="results_recompute"
    ),
    path("assessment/cohorts/<int:cohort_pk>/results/confirm/", results_confirm, name="results_confirm"),
    path("assessment/results/<int:pk>/override/", result_override, name="result_override"),
]
