"""Pages of certificates: issue for a cohort, download (student and staff), revoke and re-issue,
and the public verification page."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import role_required
from accounts.models import Role
from internships.models import Cohort

from .. import selectors, services
from ..certificate_pdf import certificate_pdf as render_pdf
from ..forms.results import RevokeForm, errors_onto


def _pdf_response(certificate) -> HttpResponse:
    response = HttpResponse(render_pdf(certificate), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="certificate-{certificate.code}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


@role_required(Role.STUDENT)
def certificate_pdf(request):
    """The signed-in student's own certificate (404 when there is none, or it was revoked)."""
    certificate = selectors.certificate_of_student(request.user)
    if certificate is None:
        raise Http404
    return _pdf_response(certificate)


@role_required(Role.STAFF, Role.ADMIN)
def certificate_download(request, pk):
    return _pdf_response(get_object_or_404(selectors.certificates_visible_to(request.user), pk=pk))


@require_POST
@role_required(Role.STAFF, Role.ADMIN)
def certificates_issue(request, cohort_pk):
    cohort = get_object_or_404(Cohort, pk=cohort_pk)
    try:
        count = services.certificates_issue(cohort=cohort, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("%(count)s certificates issued; the students are told.") % {"count": count}
        )
    return redirect("evaluations:results", cohort_pk=cohort.pk)


@role_required(Role.STAFF, Role.ADMIN)
def certificate_revoke(request, pk):
    certificate = get_object_or_404(
        selectors.certificates_visible_to(request.user).select_related("result__placement"), pk=pk
    )
    form = RevokeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.certificate_revoke(certificate=certificate, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            errors_onto(form, error)
        else:
            messages.success(request, _("The certificate is revoked."))
            return redirect("evaluations:results", cohort_pk=certificate.result.placement.cohort_id)
    return render(
        request,
        "evaluations/certificate_revoke.html",
        {"certificate": certificate, "code": selectors.code_display(certificate.code), "form": form},
        status=400 if form.errors else 200,
    )


@require_POST
@role_required(Role.STAFF, Role.ADMIN)
def certificate_reissue(request, pk):
    certificate = get_object_or_404(
        selectors.certificates_visible_to(request.user).select_related("result__placement"), pk=pk
    )
    try:
        services.certificate_reissue(certificate=certificate, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The certificate is re-issued with the same code."))
    return redirect("evaluations:results", cohort_pk=certificate.result.placement.cohort_id)


def verify(request, code):
    """Public (no sign-in): what confirms a certificate is genuine, or "not found" (404) for any
    code that is not exactly a certificate's — the same page whatever the code looks like."""
    certificate = selectors.certificate_verify(code)
    response = render(
        request,
        "evaluations/verify.html",
        {
            "certificate": certificate,
            "code": selectors.code_display(certificate.code) if certificate else "",
        },
        status=200 if certificate else 404,
    )
    response["X-Robots-Tag"] = "noindex, nofollow"  # a person's name: not for search engines
    return response


urlpatterns = [
    path("my/certificate/", certificate_pdf, name="certificate_pdf"),
    path("assessment/certificates/<int:pk>/pdf/", certificate_download, name="certificate_download"),
    path("assessment/certificates/<int:pk>/revoke/", certificate_revoke, name="certificate_revoke"),
    path("assessment/certificates/<int:pk>/reissue/", certificate_reissue, name="certificate_reissue"),
    path(
        "assessment/cohorts/<int:cohort_pk>/certificates/issue/",
        certificates_issue,
        name="certificates_issue",
    ),
    path("verify/<str:code>/", verify, name="verify"),
]
