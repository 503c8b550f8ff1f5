"""Programme pages: each role's home, applications, staff review, cohorts and the student import."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_POST

from accounts.access import role_required
from accounts.models import Role
from courses.selectors import programme_courses, progress_for_student
from notifications.selectors import failed_reminder_count

from . import exports, importer, selectors, services
from .forms import (
    ApplicationForm,
    BulkDecisionForm,
    CohortForm,
    DecisionForm,
    ReviewFilterForm,
    StudentImportForm,
    StudentProfileForm,
)
from .models import Application, Cohort, Placement, StudentProfile

# --- Homes ---------------------------------------------------------------------------------------


@role_required(Role.STUDENT)
def student_home(request):
    progress = progress_for_student(request.user)
    applications = selectors.applications_of(request.user)
    placement = selectors.placement_of(request.user)
    by_cohort = {a.cohort_id: a for a in applications}
    open_cohorts = [
        (cohort, by_cohort.get(cohort.pk)) for cohort in selectors.cohorts_accepting_applications()
    ]
    return render(
        request,
        "internships/student_home.html",
        {
            "open_cohorts": [] if progress.total else open_cohorts,
            "applications": applications,
            "courses": list(programme_courses()),
            "progress": progress,
            "next_course": progress.next_course,
            "journey": selectors.student_journey(request.user, progress, applications, placement),
            "has_profile": StudentProfile.objects.filter(user=request.user).exists(),
            "placement": placement,
            "placement_cutoff": _placement_cutoff(applications),
            "works_today": (
                works_today := placement is not None and timezone.localdate() in placement.working_days()
            ),
            "check_in": selectors.attendance_today(placement) if works_today else None,
            "calendar_url": _calendar_url(request) if placement else "",
        },
    )


@role_required(Role.STAFF, Role.ADMIN)
def staff_home(request):
    return render(
        request,
        "internships/staff_home.html",
        {
            "overview": selectors.staff_overview(),
            "cohorts": list(selectors.cohorts_in_progress()[:20]),
            "failed_reminders": failed_reminder_count(),
            "waiting": selectors.review_queue().count(),
        },
    )


@role_required(Role.MENTOR)
def mentor_home(request):
    interns = list(
        Placement.objects.visible_to(request.user)
        .exclude(status=Placement.Status.WITHDRAWN)
        .select_related("student", "window", "store")
        .order_by("window__starts_on", "student__full_name")
    )
    return render(
        request,
        "internships/mentor_home.html",
        {
            "mentor": selectors.mentor_profile(request.user),
            "interns": interns,
            "calendar_url": _calendar_url(request) if interns else "",
        },
    )


def _placement_cutoff(applications):
    """The date the accepted student must pass the five courses by to be placed."""
    accepted = [a for a in applications if a.status == Application.Status.ACCEPTED]
    return selectors.placement_cutoff(accepted[0].cohort) if accepted else None


def _calendar_url(request) -> str:
    token = services.calendar_token_for(request.user)
    return request.build_absolute_uri(reverse("internships:calendar_feed", args=[token]))


@role_required(Role.HR, Role.ADMIN)
def hr_home(request):
    return render(
        request,
        "internships/hr_home.html",
        {
            "overview": selectors.registry_overview(),
            "expiring": list(selectors.mentors_with_certification_expiring()),
            # the seats and attendance of each cohort are the coordinator's pages too
            "cohorts": list(selectors.cohorts_in_progress().prefetch_related("placement_windows")[:20]),
        },
    )


def privacy_notice(request):
    return render(request, "internships/privacy.html", {"version": settings.PRIVACY_NOTICE_VERSION})


# --- Student: profile and application ------------------------------------------------------------


@role_required(Role.STUDENT)
def student_profile(request):
    profile = StudentProfile.objects.filter(user=request.user).first()
    initial = {"phone": request.user.phone}
    if profile:
        initial |= {
            "student_number": profile.student_number,
            "major": profile.major,
            "class_name": profile.class_name,
            "graduation_year": profile.graduation_year,
        }
    form = StudentProfileForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.student_profile_save(user=request.user, **form.cleaned_data)
        messages.success(request, _("Your student profile is saved."))
        next_url = request.GET.get("next", "")
        return redirect(next_url if next_url.startswith("/") and not next_url.startswith("//") else "home")
    return render(request, "internships/student_profile.html", {"form": form, "profile": profile})


@role_required(Role.STUDENT)
def apply(request, code):
    cohort = get_object_or_404(Cohort, code=code)
    application = selectors.application_for(request.user, cohort)
    if application is not None and application.status not in (
        Application.Status.DRAFT,
        Application.Status.WITHDRAWN,
    ):
        return redirect("internships:application", pk=application.pk)
    if not cohort.accepting_applications:
        messages.error(request, _("This cohort is not taking applications."))
        return redirect("home")
    if not StudentProfile.objects.filter(user=request.user).exists():
        messages.info(request, _("First, tell us your student number and major."))
        return redirect(f"{reverse('internships:student_profile')}?next={request.path}")
    form = ApplicationForm(
        request.POST or None,
        request.FILES or None,
        cohort=cohort,
        initial=ApplicationForm.initial_for(application),
    )
    if request.method == "POST" and form.is_valid():
        try:
            application = services.application_save_draft(
                student=request.user,
                cohort=cohort,
                motivation=form.cleaned_data["motivation"],
                placement_window=form.cleaned_data["placement_window"],
                confirms_availability=form.cleaned_data["confirms_availability"],
                preferences=form.preferences(),
                cv=form.cleaned_data["cv"] or None,
            )
            if "submit" in request.POST:
                services.application_submit(
                    application=application,
                    consents=form.cleaned_data["consents"],
                    shares_with_xiaomi=form.cleaned_data["shares_with_xiaomi"],
                )
                messages.success(
                    request, _("Your application is submitted. We tell you the decision by e-mail.")
                )
                return redirect("internships:application", pk=application.pk)
        except services.ApplicationError as error:
            messages.error(request, str(error))
            form = ApplicationForm(
                cohort=cohort, initial=form.cleaned_data | ApplicationForm.initial_for(application)
            )
            return render(
                request,
                "internships/apply.html",
                {"form": form, "cohort": cohort, "application": application},
                status=400,
            )
        messages.success(
            request,
            _("Your draft is saved. Come back to it at any time before %(date)s.")
            % {"date": _date(cohort.applications_close_on)},
        )
        return redirect("internships:apply", code=cohort.code)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "internships/apply.html",
        {"form": form, "cohort": cohort, "application": application},
        status=status,
    )


def _date(value) -> str:
    from django.utils.formats import date_format

    return date_format(value, "DATE_FORMAT")


@role_required(Role.STUDENT, Role.STAFF, Role.ADMIN)
def application_detail(request, pk):
    application = get_object_or_404(
        Application.objects.visible_to(request.user).select_related("cohort", "student", "placement_window"),
        pk=pk,
    )
    if request.user.has_role(Role.STAFF, Role.ADMIN):
        return redirect("internships:review_detail", pk=pk)
    return render(
        request,
        "internships/application_detail.html",
        {"application": application, "preferences": application.preferences.select_related("store")},
    )


@require_POST
@role_required(Role.STUDENT)
def application_withdraw(request, pk):
    application = get_object_or_404(Application.objects.visible_to(request.user), pk=pk)
    try:
        withdrawn = services.application_withdraw(application=application, by=request.user)
    except services.ApplicationError as error:
        messages.error(request, str(error))
        return redirect("internships:application", pk=pk)
    if withdrawn is None:
        messages.success(request, _("Your draft is discarded."))
        return redirect("home")
    messages.success(request, _("Your application is withdrawn."))
    return redirect("internships:application", pk=pk)


@xframe_options_sameorigin  # staff read it inside the review page
@role_required(Role.STUDENT, Role.STAFF, Role.ADMIN)
def application_cv(request, pk):
    application = get_object_or_404(Application.objects.visible_to(request.user), pk=pk)
    if not application.cv:
        raise Http404
    filename = f"CV-{application.student.full_name}.pdf"
    response = FileResponse(application.cv.open("rb"), content_type="application/pdf", filename=filename)
    response["Content-Disposition"] = response["Content-Disposition"].replace("attachment", "inline")
    response["Cache-Control"] = "private, no-store"
    return response


# --- Staff: review -------------------------------------------------------------------------------


@role_required(Role.STAFF, Role.ADMIN)
def review_queue(request):
    filters = ReviewFilterForm(request.GET or None)
    criteria = filters.cleaned_data if filters.is_valid() else {}
    rows = selectors.review_queue(**{k: v for k, v in criteria.items() if v})
    if request.method == "POST":
        form = BulkDecisionForm(request.POST)
        # Any submitted application may be selected; the service reports those decided meanwhile.
        form.fields["selected"].queryset = Application.objects.exclude(status=Application.Status.DRAFT)
        if form.is_valid():
            done, problems = services.applications_decide(
                applications=form.cleaned_data["selected"],
                decision=form.cleaned_data["decision"],
                note=form.cleaned_data["note"],
                by=request.user,
            )
            if done:
                messages.success(request, _("Decision recorded for %(n)s applications.") % {"n": done})
            for problem in problems:
                messages.error(request, problem)
            return redirect(f"{request.path}?{request.GET.urlencode()}")
        for error in form.errors.get("selected", []) + form.errors.get("decision", []):
            messages.error(request, error)
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "internships/review_queue.html",
        {
            "filters": filters,
            "page": page,
            "decision_form": DecisionForm(),
            "querystring": query.urlencode(),
        },
    )


@role_required(Role.STAFF, Role.ADMIN)
def review_export(request):
    filters = ReviewFilterForm(request.GET or None)
    criteria = filters.cleaned_data if filters.is_valid() else {}
    rows = selectors.review_queue(**{k: v for k, v in criteria.items() if v}).prefetch_related(
        "preferences__store"
    )
    response = HttpResponse(
        exports.applications_workbook(rows),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = (
        f'attachment; filename="applications-{timezone.localdate():%Y%m%d}.xlsx"'
    )
    return response


@role_required(Role.STAFF, Role.ADMIN)
def review_detail(request, pk):
    application = get_object_or_404(
        Application.objects.exclude(status=Application.Status.DRAFT).select_related(
            "student", "student__student_profile", "cohort", "placement_window", "decided_by"
        ),
        pk=pk,
    )
    form = DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.application_decide(application=application, by=request.user, **form.cleaned_data)
        except services.ApplicationError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Decision recorded. The student is told by e-mail."))
            return redirect("internships:review_queue")
    return render(
        request,
        "internships/review_detail.html",
        {
            "application": application,
            "preferences": application.preferences.select_related("store"),
            "events": application.events.select_related("actor"),
            "form": form,
        },
    )


# --- Staff: cohorts ------------------------------------------------------------------------------


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


# --- Staff: student import -----------------------------------------------------------------------


@role_required(Role.STAFF, Role.ADMIN)
def student_import(request):
    form = StudentImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        try:
            report = importer.parse(form.cleaned_data["file"])
        except importer.ImportFileError as error:
            form.add_error("file", str(error))
        else:
            if report.ok:
                importer.apply(report, by=request.user, language=request.LANGUAGE_CODE)
                messages.success(
                    request,
                    _("%(created)s students invited, %(updated)s already known and updated.")
                    % {"created": report.created, "updated": report.updated},
                )
                return redirect("internships:student_import")
    status = 400 if request.method == "POST" else 200
    return render(request, "internships/student_import.html", {"form": form, "report": report}, status=status)


@role_required(Role.STAFF, Role.ADMIN)
def student_import_template(request):
    response = HttpResponse(
        importer.template_workbook(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = 'attachment; filename="students-template.xlsx"'
    return response
