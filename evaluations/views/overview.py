"""The assessment overview: every assessed cohort with the cohort pages the viewer may open."""

from django.core.paginator import Paginator
from django.shortcuts import render
from django.urls import path

from accounts.access import role_required
from accounts.models import Role

from .. import cohort_pages, selectors


@role_required(Role.STAFF, Role.HR, Role.ADMIN)
def overview(request):
    page = Paginator(selectors.cohorts_assessed(), 20).get_page(request.GET.get("page"))
    return render(
        request,
        "evaluations/overview.html",
        {"page": page, "cohorts": list(page), "cohort_pages": cohort_pages.pages_for(request.user)},
    )


urlpatterns = [path("assessment/", overview, name="overview")]
