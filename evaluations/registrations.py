"""What this app registers with the layers below: navigation entries and state colours.

Each area adds its own function to REGISTRATIONS; `EvaluationsConfig.ready()` calls them all.
"""

from collections.abc import Callable

from django.utils.translation import gettext_lazy as _

REGISTRATIONS: list[Callable[[], None]] = []


def registration(function: Callable[[], None]) -> Callable[[], None]:
    REGISTRATIONS.append(function)
    return function


def register_all() -> None:
    for function in REGISTRATIONS:
        function()


@registration
def _tones() -> None:
    from accounts import ui

    from .models import Evaluation, ProgrammeResult

    E, R = Evaluation.Status, ProgrammeResult.Band
    ui.register_tones(Evaluation, "status", E, {E.DRAFT: "secondary", E.SUBMITTED: "success"})
    ui.register_tones(
        ProgrammeResult,
        "band",
        R,
        {
            R.PENDING: "secondary",
            R.DISTINCTION: "success",
            R.MERIT: "primary",
            R.PASS: "info",
            R.NOT_PASSED: "danger",
        },
    )


@registration
def _overview_navigation() -> None:
    from accounts import navigation
    from accounts.models import Role

    navigation.register(
        navigation.Entry(
            key="evaluations.overview",
            label=_("Assessment"),
            url_name="evaluations:overview",
            roles=(Role.STAFF, Role.HR, Role.ADMIN),
            order=30,
        )
    )


@registration
def _results_pages() -> None:
    from accounts.models import Role

    from . import cohort_pages

    cohort_pages.register(
        cohort_pages.CohortPage(
            key="results",
            label=_("Results"),
            url_name="evaluations:results",
            # Xiaomi's coordinator/HR read the results of students who consented to share
            roles=(Role.STAFF, Role.HR, Role.ADMIN),
            order=30,
            icon="award",
        )
    )
    cohort_pages.register(
        cohort_pages.CohortPage(
            key="assessment_settings",
            label=_("Assessment settings"),
            url_name="evaluations:assessment_settings",
            roles=(Role.STAFF, Role.ADMIN),
            order=40,
            icon="sliders",
        )
    )
