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
