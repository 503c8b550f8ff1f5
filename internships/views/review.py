"""The programme office's review of applications: the queue (with bulk decisions) and one application."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from accounts.access import role_required
from accounts.models import Role

from .. import selectors, services
from ..forms import BulkDecisionForm, DecisionForm, ReviewFilterForm
from ..models import Application


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
def review_detail(request, pk):
    application = get_object_or_404(
        Application.objects.exclude(status=Application.Status.DRAFT).select_related(
            "student", "student__student_profile", "cohort", "window", "decided_by"
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
