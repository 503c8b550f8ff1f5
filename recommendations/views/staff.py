"""Pages of the staff side: the candidates, a batch of recommendations, the recommendations sent
(and their withdrawal), a student's access log, a cohort's hiring settings, and the outcomes."""

import io
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST
from openpyxl import Workbook

from accounts.access import role_required
from accounts.models import Role, User
from evaluations.services import PASSING_BANDS
from internships.models import Cohort
from sztu_xiaomi.spreadsheets import spreadsheet_row

from .. import selectors, services
from ..forms.staff import (
    CandidateFilterForm,
    HiringSettingsForm,
    NominationFormSet,
    SentFilterForm,
    WithdrawForm,
    errors_onto,
)
from ..models import HiringSettings, Recommendation

CANDIDATES_PER_PAGE = 25
SENT_PER_PAGE = 25
ACCESSES_PER_PAGE = 50
OUTCOMES_PER_PAGE = 25
STAFF = (Role.STAFF, Role.ADMIN)


def _ids(values) -> list[int]:
    return [int(v) for v in values if str(v).isdigit()]


def _posted_result(form) -> int | None:
    ids = _ids([form["result"].value()])
    return ids[0] if ids else None


def _next_or(request, fallback: str) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return fallback


@role_required(*STAFF)
def candidates(request):
    filters = CandidateFilterForm(request.GET or None, majors=selectors.candidate_majors())
    filters.is_valid()
    criteria = {k: v for k, v in getattr(filters, "cleaned_data", {}).items() if v}
    page = Paginator(selectors.candidates(**criteria), CANDIDATES_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "recommendations/staff/candidates.html",
        {
            "filters": filters,
            "page": page,
            "order": criteria.get("order", "score"),
            "passing": PASSING_BANDS,
            "back": request.get_full_path(),
        },
    )


def _batch_rows(results):
    """The chosen results split: ready to send, lacking consent, and left out (with why)."""
    ready, lacking, left_out = [], [], []
    for result in results:
        recommendation = getattr(result, "recommendation", None)
        if result.band not in PASSING_BANDS:
            left_out.append((result, _("has not completed the programme")))
        elif recommendation is not None:
            left_out.append(
                (
                    result,
                    _("already recommended (%(status)s)") % {"status": recommendation.get_status_display()},
                )
            )
        elif not result.has_consent:
            lacking.append(result)
        else:
            ready.append(result)
    return ready, lacking, left_out


@role_required(*STAFF)
def recommend(request):
    if request.method == "GET" and "csrfmiddlewaretoken" in request.GET:
        # Sent from the candidates' form (which also posts consent requests): keep only the choice.
        return redirect(
            f"{request.path}?{urlencode([('result', i) for i in _ids(request.GET.getlist('result'))])}"
        )
    batch_errors: list[str] = []
    notes: list[str] = []
    if request.method == "POST":
        formset = NominationFormSet(request.POST)
        posted = _ids(request.POST.get(f"form-{i}-result", "") for i in range(formset.total_form_count()))
        results = {r.pk: r for r in selectors.results_for_batch(posted)}
        if formset.is_valid():
            nominations, unknown = [], False
            for form in formset.forms:
                if form in formset.deleted_forms:
                    continue  # left out of the batch by staff (e.g. after a refusal)
                result = results.get(form.cleaned_data["result"])
                if result is None:
                    form.add_error(None, _("This graduate's result no longer exists."))
                    unknown = True
                    continue
                nominations.append(
                    services.Nomination(
                        result=result,
                        priority=form.cleaned_data["priority"],
                        justification=form.cleaned_data["justification"],
                    )
                )
            if not unknown:
                try:
                    sent = services.recommendations_send(by=request.user, nominations=nominations)
                except ValidationError as error:
                    batch_errors = error.messages
                else:
                    messages.success(
                        request,
                        ngettext(
                            "%(count)s graduate recommended to Xiaomi.",
                            "%(count)s graduates recommended to Xiaomi.",
                            len(sent),
                        )
                        % {"count": len(sent)},
                    )
                    return redirect("recommendations:sent")
        batch_errors += formset.non_form_errors()
        rows = [(form, results.get(_posted_result(form))) for form in formset.forms]
        lacking, left_out = [], []
        status = 400
    else:
        chosen = _ids(request.GET.getlist("result"))
        if not chosen:
            messages.info(request, _("Select the graduates to recommend first."))
            return redirect("recommendations:candidates")
        results = selectors.results_for_batch(chosen)
        ready, lacking, left_out = _batch_rows(results)
        formset = NominationFormSet(initial=[{"result": r.pk} for r in ready])
        rows = list(zip(formset.forms, ready, strict=True))
        missing = len(set(chosen)) - len(results)
        if missing:
            notes.append(
                ngettext(
                    "%(count)s of the chosen results no longer exists: it is left out.",
                    "%(count)s of the chosen results no longer exist: they are left out.",
                    missing,
                )
                % {"count": missing}
            )
        status = 200
    return render(
        request,
        "recommendations/staff/recommend.html",
        {
            "formset": formset,
            "rows": rows,
            "lacking": lacking,
            "left_out": left_out,
            "batch_errors": batch_errors,
            "notes": notes,
            "back": request.get_full_path(),
        },
        status=status,
    )


@require_POST
@role_required(*STAFF)
def consent_request(request):
    results = selectors.results_for_batch(_ids(request.POST.getlist("result")))
    fallback = reverse("recommendations:candidates")
    if not results:
        messages.error(request, _("Select at least one graduate."))
        return redirect(_next_or(request, fallback))
    students = [r.placement.student for r in results]
    asked = services.consent_request(requested_by=request.user, students=students)
    already = sum(1 for r in results if r.has_consent)
    if asked:
        messages.success(
            request,
            ngettext(
                "%(count)s graduate was asked to give the consent to share with Xiaomi.",
                "%(count)s graduates were asked to give the consent to share with Xiaomi.",
                asked,
            )
            % {"count": asked},
        )
    if already:
        messages.info(
            request,
            ngettext(
                "%(count)s of them already consents: nobody asked them again.",
                "%(count)s of them already consent: nobody asked them again.",
                already,
            )
            % {"count": already},
        )
    return redirect(_next_or(request, fallback))


@role_required(*STAFF)
def sent(request):
    filters = SentFilterForm(request.GET or None)
    filters.is_valid()
    criteria = {k: v for k, v in getattr(filters, "cleaned_data", {}).items() if v}
    page = Paginator(selectors.recommendations_sent(**criteria), SENT_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "recommendations/staff/sent.html",
        {"filters": filters, "page": page, "back": request.get_full_path()},
    )


@require_POST
@role_required(*STAFF)
def withdraw(request, pk):
    recommendation = get_object_or_404(Recommendation.objects.visible_to(request.user), pk=pk)
    back = _next_or(request, reverse("recommendations:sent"))
    form = WithdrawForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(back)
    try:
        services.recommendation_move(
            by=request.user,
            recommendation_id=recommendation.pk,
            to_status=Recommendation.Status.WITHDRAWN,
            version=form.cleaned_data["version"],
            note=form.cleaned_data["note"],
        )
    except Recommendation.DoesNotExist as error:
        raise Http404 from error
    except (services.RecommendationError, ValidationError) as error:
        # RecommendationConflict is a RecommendationError: someone changed it meanwhile.
        messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
    else:
        messages.success(
            request,
            _("The recommendation of %(name)s is withdrawn. Xiaomi and the student are told.")
            % {"name": recommendation.student.full_name},
        )
    return redirect(back)


@role_required(*STAFF)
def access_log(request, student_id):
    student = get_object_or_404(User, pk=student_id, role=Role.STUDENT)
    page = Paginator(selectors.student_accesses(student=student), ACCESSES_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(request, "recommendations/staff/access_log.html", {"student": student, "page": page})


@role_required(*STAFF)
def hiring_settings(request, pk):
    cohort = get_object_or_404(Cohort, pk=pk)
    current = HiringSettings.objects.filter(cohort=cohort).first() or HiringSettings.defaults(cohort)
    form = HiringSettingsForm(
        request.POST or None, initial={name: getattr(current, name) for name in HiringSettingsForm.FIELDS}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.hiring_settings_save(cohort=cohort, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            errors_onto(form, error)
        else:
            messages.success(request, _("The hiring settings of %(cohort)s are saved.") % {"cohort": cohort})
            return redirect("recommendations:hiring_settings", pk=cohort.pk)
    return render(
        request,
        "recommendations/staff/hiring_settings.html",
        {"cohort": cohort, "form": form, "is_default": current.pk is None},
        status=400 if form.errors else 200,
    )


@role_required(Role.STAFF, Role.HR, Role.ADMIN)
def outcomes(request):
    page = Paginator(selectors.outcome_cohorts(), OUTCOMES_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "recommendations/staff/outcomes.html",
        {
            "page": page,
            "rows": selectors.outcomes(page.object_list),
            "staff_nav": request.user.has_role(*STAFF),
        },
    )


def _percent(value) -> str:
    return "—" if value is None else f"{value}%"


@role_required(Role.STAFF, Role.HR, Role.ADMIN)
def outcomes_export(request):
    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("Outcomes"))
    sheet.append(
        spreadsheet_row(
            sheet,
            [
                _("Cohort"),
                _("Recommended"),
                _("Interviewed"),
                _("Offered"),
                _("Hired"),
                _("Recommended → interviewed"),
                _("Interviewed → offered"),
                _("Offered → hired"),
                _("Recommended → hired"),
                _("Median days to first response"),
            ],
        )
    )
    for row in selectors.outcomes(selectors.outcome_cohorts()):
        sheet.append(
            spreadsheet_row(
                sheet,
                [
                    row.cohort.name,
                    row.recommended,
                    row.interviewed,
                    row.offered,
                    row.hired,
                    _percent(row.interview_rate),
                    _percent(row.offer_rate),
                    _percent(row.hire_rate),
                    _percent(row.overall_rate),
                    "—" if row.median_days_to_response is None else row.median_days_to_response,
                ],
            )
        )
    out = io.BytesIO()
    book.save(out)
    response = HttpResponse(
        out.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    stamp = timezone.localdate().strftime("%Y%m%d")
    response["Content-Disposition"] = f'attachment; filename="recommendation-outcomes-{stamp}.xlsx"'
    return response


urlpatterns = [
    path("recommendations/candidates/", candidates, name="candidates"),
    path("recommendations/recommend/", recommend, name="recommend"),
    path("recommendations/consent-requests/", consent_request, name="consent_request"),
    path("recommendations/sent/", sent, name="sent"),
    path("recommendations/<int:pk>/withdraw/", withdraw, name="withdraw"),
    path("recommendations/students/<int:student_id>/access-log/", access_log, name="access_log"),
    path("cohorts/<int:pk>/hiring/", hiring_settings, name="hiring_settings"),
    path("recommendations/outcomes/", outcomes, name="outcomes"),
    path("recommendations/outcomes/export/", outcomes_export, name="outcomes_export"),
]
