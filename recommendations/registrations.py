"""What this app registers with the layers below: navigation entries, home cards, state colours.

Each area adds its own function to REGISTRATIONS; `RecommendationsConfig.ready()` calls them all.
"""

from collections.abc import Callable

REGISTRATIONS: list[Callable[[], None]] = []


def registration(function: Callable[[], None]) -> Callable[[], None]:
    REGISTRATIONS.append(function)
    return function


def register_all() -> None:
    for function in REGISTRATIONS:
        function()


@registration
def _board_navigation() -> None:
    from django.utils.translation import gettext_lazy as _

    from accounts import navigation
    from accounts.models import Role

    # Xiaomi HR's pipeline. The programme office follows the same board from its own pages
    # (templates/recommendations/staff/_nav.html): one more entry would not fit its bar.
    navigation.register(
        navigation.Entry(
            key="recommendations.board",
            label=_("Recommended graduates"),
            url_name="recommendations:board",
            roles=(Role.HR,),
            order=34,
        )
    )


@registration
def _tones() -> None:
    from accounts import ui

    from .models import Recommendation

    S = Recommendation.Status
    ui.register_tones(
        Recommendation,
        "status",
        S,
        {
            S.RECEIVED: "light",
            S.REVIEWING: "info",
            S.INTERVIEW: "primary",
            S.OFFER: "warning",
            S.HIRED: "success",
            S.DECLINED_BY_XIAOMI: "danger",
            S.DECLINED_BY_STUDENT: "secondary",
            S.WITHDRAWN: "light",
        },
    )
    P = Recommendation.Priority
    ui.register_tones(Recommendation, "priority", P, {P.PRIORITY: "danger", P.STANDARD: "secondary"})


@registration
def _staff_pages() -> None:
    """The programme office's way in (the candidates, which link the recommendations sent and the
    outcomes), Xiaomi's way to the outcomes, and each cohort's hiring settings."""
    from django.utils.translation import gettext_lazy as _

    from accounts import navigation
    from accounts.models import Role
    from evaluations import cohort_pages

    navigation.register(
        navigation.Entry(
            key="recommendations.candidates",
            # Short: the staff's bar is one line at 1280 px in English, with the name beside it.
            label=_("Hiring"),
            url_name="recommendations:candidates",
            roles=(Role.STAFF, Role.ADMIN),
            order=35,
        )
    )
    navigation.register(
        navigation.Entry(
            key="recommendations.outcomes",
            label=_("Hiring outcomes"),
            url_name="recommendations:outcomes",
            roles=(Role.HR,),
            order=36,
        )
    )
    cohort_pages.register(
        cohort_pages.CohortPage(
            key="hiring",
            label=_("Hiring settings"),
            url_name="recommendations:hiring_settings",
            roles=(Role.STAFF, Role.ADMIN),
            order=45,
            icon="person-check",
        )
    )
