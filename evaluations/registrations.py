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
def _rubric_pages() -> None:
    from accounts.models import Role

    from . import cohort_pages

    # Xiaomi's coordinator reads the rubric its mentors score against and sees how its mentors
    # score (students who consented only); the programme office edits the rubric.
    roles = (Role.STAFF, Role.HR, Role.ADMIN)
    for key, label, order, icon in [
        ("rubric", _("Rubric"), 20, "list-check"),
        ("mentor_scores", _("Mentors' scoring"), 25, "bar-chart"),
    ]:
        cohort_pages.register(
            cohort_pages.CohortPage(
                key=key, label=label, url_name=f"evaluations:{key}", roles=roles, order=order, icon=icon
            )
        )


@registration
def _mentor_evaluations() -> None:
    """The mentor's and the student's evaluation pages, the cohort's evaluations page, and the
    colours of a period's state."""
    from accounts import navigation, ui
    from accounts.models import Role

    from . import cohort_pages
    from .selectors.evaluations import PeriodState

    for entry in (
        navigation.Entry(
            key="evaluations.mentor_evaluations",
            label=_("Evaluations"),
            url_name="evaluations:mentor_evaluations",
            roles=(Role.MENTOR,),
            order=20,
        ),
        navigation.Entry(
            key="evaluations.my_evaluations",
            label=_("My evaluations"),
            url_name="evaluations:my_evaluations",
            roles=(Role.STUDENT,),
            order=20,
        ),
    ):
        navigation.register(entry)
    cohort_pages.register(
        cohort_pages.CohortPage(
            key="evaluations",
            label=_("Evaluations"),
            url_name="evaluations:cohort_evaluations",
            roles=(Role.STAFF, Role.HR, Role.ADMIN),
            order=10,
            icon="clipboard-check",
        )
    )
    S = PeriodState.Status
    ui.register_tones(
        PeriodState,
        "state",
        S,
        {
            S.NOT_OPEN: "light",
            S.OPEN: "primary",
            S.DRAFT: "info",
            S.OVERDUE: "danger",
            S.SUBMITTED: "success",
        },
    )


@registration
def _reflections_navigation() -> None:
    from accounts import navigation
    from accounts.models import Role

    for key, url_name, role, order in (
        ("evaluations.my_reflections", "evaluations:my_reflections", Role.STUDENT, 30),
        ("evaluations.mentor_reflections", "evaluations:mentor_reflections", Role.MENTOR, 25),
    ):
        navigation.register(
            navigation.Entry(key=key, label=_("Reflections"), url_name=url_name, roles=(role,), order=order)
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
