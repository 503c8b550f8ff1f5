"""The student's pages: profile, application (draft, submit, withdraw), CV, privacy notice."""

from django.conf import settings
from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_POST

from accounts.access import role_required
from accounts.models import Role

from .. import selectors, services
from ..forms import ApplicationForm, StudentProfileForm
from ..models import Application, Cohort, StudentProfile


def privacy_notice(request):
    return render(request, "internships/privacy.html", {"version": settings.PRIVACY_NOTICE_VERSION})


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
                window=form.cleaned_data["window"],
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
        Application.objects.visible_to(request.user).select_related("cohort", "student", "window"),
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
