"""Pages of evaluations: the mentor's interns and form (with autosave), the student's evaluations,
one evaluation's read view, and a cohort's evaluations for staff and Xiaomi."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from accounts.access import role_required
from accounts.models import Role
from internships.models import Cohort, Placement

from .. import selectors, services
from ..forms.evaluations import EvaluationForm
from ..models import Period
from ..selectors.evaluations import EVALUATED


@role_required(Role.MENTOR)
def mentor_evaluations(request):
    today = timezone.localdate()
    rows = selectors.evaluations_of_mentor(request.user, today)
    return render(request, "evaluations/mentor_evaluations.html", {"rows": rows, "today": today})


def _intern(request, placement_pk: int, period: int) -> Placement:
    """The mentor's own published intern (404 otherwise), for an existing period (404 otherwise)."""
    if period not in Period.values:
        raise Http404
    return get_object_or_404(
        Placement.objects.visible_to(request.user)
        .filter(status__in=EVALUATED)
        .select_related("student", "window", "cohort", "store"),
        pk=placement_pk,
    )


@role_required(Role.MENTOR)
def evaluation_form(request, placement_pk, period):
    placement = _intern(request, placement_pk, period)
    data = selectors.evaluation_form_data(placement, period, timezone.localdate())
    evaluation = data.evaluation
    form = None
    if data.state.is_open:
        final = period == Period.FINAL
        if request.method == "POST":
            form = EvaluationForm(request.POST, criteria=data.criteria, final=final)
            if form.is_valid() and _save(request, form, placement, period, evaluation):
                return redirect("evaluations:mentor_evaluations")
        else:
            initial = {
                "revision": evaluation.revision if evaluation else 0,
                **{row.field_name: row.score for row in data.criteria},
            }
            if evaluation is not None:
                initial.update(
                    comment=evaluation.comment,
                    recommends_hiring=evaluation.recommends_hiring,
                    recommendation_reason=evaluation.recommendation_reason,
                )
            form = EvaluationForm(initial=initial, criteria=data.criteria, final=final)
    return render(
        request,
        "evaluations/evaluation_form.html",
        {"data": data, "form": form, "evaluation": evaluation, "placement": placement, "period": period},
        status=400 if form is not None and form.errors else 200,
    )


def _save(request, form, placement, period, evaluation) -> bool:
    """Submit the draft, or change the submitted evaluation; errors go onto the form."""
    try:
        evaluation = services.evaluation_open(placement=placement, period=period, by=request.user)
        if evaluation.is_submitted:
            services.evaluation_change(
                evaluation=evaluation,
                by=request.user,
                reason=form.cleaned_data["reason"],
                **form.service_data(),
            )
            messages.success(request, _("The change is saved and kept in the evaluation's history."))
        else:
            services.evaluation_submit(
                evaluation=evaluation,
                by=request.user,
                revision=form.cleaned_data["revision"],
                **form.service_data(),
            )
            messages.success(
                request,
                _("%(period)s of %(name)s is submitted.")
                % {"period": Period(period).label, "name": placement.student.full_name},
            )
    except services.EvaluationConflict as conflict:
        form.add_error(None, conflict.message)
        return False
    except ValidationError as error:
        _add_errors(form, error)
        return False
    return True


def _add_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


@require_POST
@role_required(Role.MENTOR)
def evaluation_autosave(request, placement_pk, period):
    placement = _intern(request, placement_pk, period)
    data = selectors.evaluation_form_data(placement, period, timezone.localdate())
    if not data.state.is_open:
        return JsonResponse(
            {
                "message": _("This evaluation opens on %(date)s.")
                % {"date": formats.date_format(data.state.opens_on, "DATE_FORMAT")}
            },
            status=400,
        )
    form = EvaluationForm(request.POST, criteria=data.criteria, final=period == Period.FINAL)
    if not form.is_valid():
        return _bad_input(form.errors)
    try:
        evaluation = services.evaluation_open(placement=placement, period=period, by=request.user)
        services.evaluation_autosave(
            evaluation=evaluation,
            revision=form.cleaned_data["revision"],
            by=request.user,
            **form.service_data(),
        )
    except services.EvaluationConflict as conflict:
        return JsonResponse({"message": conflict.message}, status=409)
    except ValidationError as error:
        return _bad_input(error.message_dict if hasattr(error, "error_dict") else {"__all__": error.messages})
    saved_at = timezone.localtime(evaluation.updated_at)
    return JsonResponse(
        {"revision": evaluation.revision, "saved_at": formats.time_format(saved_at, "H:i"), "ok": True}
    )


def _bad_input(errors) -> JsonResponse:
    errors = {field: [str(m) for m in messages_] for field, messages_ in errors.items()}
    first = next(iter(errors.values()))[0]
    return JsonResponse({"message": first, "errors": errors}, status=400)


@role_required(Role.STUDENT)
def my_evaluations(request):
    return render(
        request,
        "evaluations/my_evaluations.html",
        {"evaluations": selectors.evaluations_released_to(request.user)},
    )


@role_required(Role.STAFF, Role.HR, Role.ADMIN, Role.MENTOR, Role.STUDENT)
def evaluation_detail(request, pk):
    view = selectors.evaluation_read(pk, request.user)
    if view is None:
        raise Http404
    return render(
        request, "evaluations/evaluation_detail.html", {"view": view, "evaluation": view.evaluation}
    )


@role_required(Role.STAFF, Role.HR, Role.ADMIN)
def cohort_evaluations(request, cohort_pk):
    cohort = get_object_or_404(Cohort, pk=cohort_pk)
    grid = selectors.cohort_evaluation_grid(
        cohort, request.user, page_number=request.GET.get("page"), today=timezone.localdate()
    )
    return render(
        request,
        "evaluations/cohort_evaluations.html",
        {"grid": grid, "cohort": cohort, "page": grid.page, "periods": Period.choices},
    )


@require_POST
@role_required(Role.STAFF, Role.ADMIN)
def evaluations_release(request, cohort_pk):
    cohort = get_object_or_404(Cohort, pk=cohort_pk)
    count = services.evaluations_release(cohort=cohort, by=request.user)
    if count:
        messages.success(
            request,
            ngettext(
                "%(count)d evaluation released: the student can read it now.",
                "%(count)d evaluations released: the students can read them now.",
                count,
            )
            % {"count": count},
        )
    else:
        messages.info(request, _("No submitted evaluation was waiting to be released."))
    return redirect("evaluations:cohort_evaluations", cohort_pk=cohort.pk)


urlpatterns = [
    path("mentor/evaluations/", mentor_evaluations, name="mentor_evaluations"),
    path("mentor/evaluations/<int:placement_pk>/<int:period>/", evaluation_form, name="evaluation_form"),
    path(
        "mentor/evaluations/<int:placement_pk>/<int:period>/autosave/",
        evaluation_autosave,
        name="evaluation_autosave",
    ),
    path("my/evaluations/", my_evaluations, name="my_evaluations"),
    path("evaluations/<int:pk>/", evaluation_detail, name="evaluation_detail"),
    path("assessment/cohorts/<int:cohort_pk>/evaluations/", cohort_evaluations, name="cohort_evaluations"),
    path(
        "assessment/cohorts/<int:cohort_pk>/evaluations/release/",
        evaluations_release,
        name="evaluations_release",
    ),
]
