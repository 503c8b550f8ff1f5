"""Every page a role may open is reachable from that role's navigation or home page.

Walks the access matrix: each parameterless page a role gets 200 on must be linked from the
role's home (whose navigation bar and footer every page shares), or from the page named in
REACHED_FROM, itself reachable that way. Each cohort page a role may open is reachable, for a
cohort in progress, within three clicks of the home. A new page without a link fails.
"""

import re
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.urls import NoReverseMatch, Resolver404, resolve, reverse
from django.utils import timezone

from accounts.navigation import home_url_name
from tests.factories import CohortFactory, PlacementFactory, PlacementWindowFactory
from tests.test_access_matrix import ARGS, MATRIX, POST_ONLY

SIGNED_IN_ROLES = ["student", "staff", "mentor", "hr", "admin"]

# Pages reached from one other page rather than from the navigation: the page that links them.
REACHED_FROM = {
    "internships:cohort_create": "internships:cohort_list",
    "internships:store_create": "internships:store_list",
    "internships:mentor_create": "internships:mentor_list",
    "internships:review_export": "internships:review_queue",  # with the queue's filters
    "internships:student_import_template": "internships:student_import",
    "notifications:preferences": "notifications:list",
    "internships:student_import": "dashboards:staff_home",  # the administrator goes there first
    # recommendations: staff side (Xiaomi has the outcomes in its navigation)
    "recommendations:sent": "recommendations:candidates",
    "recommendations:outcomes": "recommendations:candidates",
    "recommendations:board": "recommendations:candidates",  # staff: the pipeline at Xiaomi
    "recommendations:outcomes_export": "recommendations:outcomes",
    # recommendations: HR board (the closed statuses and each column's "more" link to the table)
    "recommendations:table": "recommendations:board",
    "recommendations:board_export": "recommendations:table",  # with the table's filters
}
# The signed-out part of signing in: nobody signed in is sent there.
SIGNED_OUT_FLOW = {
    "accounts:password_reset",
    "accounts:password_reset_done",
    "accounts:password_reset_complete",
}
# Pages that take a cohort: each must be one click from the home or from a navigation page.
COHORT_PAGES = [
    "internships:seats_grid",
    "internships:attendance_gaps",
    "internships:placement_board",
    "evaluations:rubric",
    "evaluations:mentor_scores",
    "evaluations:cohort_evaluations",
    "evaluations:results",
    "evaluations:assessment_settings",
    "recommendations:hiring_settings",
]


def parameterless_pages(role: str) -> list[str]:
    pages = []
    for name, row in MATRIX.items():
        if row[role] != 200 or name in POST_ONLY or name in ARGS or name in SIGNED_OUT_FLOW:
            continue
        try:
            reverse(name)
        except NoReverseMatch:
            continue
        pages.append(name)
    return sorted(pages)


def links(client, url: str) -> set[str]:
    response = client.get(url)
    assert response.status_code == 200, url
    return {urlsplit(href).path for href in re.findall(r'href="([^"#][^"]*)"', response.content.decode())}


def role_of(persona) -> str:
    return "admin" if persona.is_superuser else persona.role


@pytest.mark.parametrize("persona", SIGNED_IN_ROLES, indirect=True)
def test_every_page_of_a_role_is_linked_from_its_navigation_or_home(client, persona):
    client.force_login(persona)
    home = reverse(home_url_name(persona.role))
    on_home = links(client, home)
    pages = parameterless_pages(role_of(persona))
    assert pages, "the walk found no page: the matrix or this test is broken"

    def reachable(name, seen=()):
        url = reverse(name)
        if url == home or url in on_home:
            return True
        parent = REACHED_FROM.get(name)
        return (
            parent is not None
            and parent not in seen
            and reachable(parent, (*seen, name))
            and url in links(client, reverse(parent))
        )

    unlinked = [name for name in pages if not reachable(name)]
    assert not unlinked, f"{role_of(persona)} may open these pages but nothing links them: {unlinked}"


@pytest.mark.parametrize("persona", ["staff", "hr", "admin"], indirect=True)
def test_every_cohort_page_of_a_role_is_reachable_for_a_cohort_in_progress(client, persona):
    """Home → a navigation page → a cohort page → another cohort page, at most."""
    today = timezone.localdate()
    window = PlacementWindowFactory(
        cohort=CohortFactory(), starts_on=today - timedelta(days=2), ends_on=today + timedelta(days=18)
    )
    PlacementFactory(window=window)
    client.force_login(persona)
    role = role_of(persona)
    cohort_urls = {reverse(name, args=[window.cohort_id]): name for name in COHORT_PAGES}

    def opens(url):
        name = _name_of(url)
        return name in MATRIX and name not in POST_ONLY and MATRIX[name][role] == 200

    frontier, seen = {reverse(home_url_name(persona.role))}, set()
    for depth in range(3):
        found = set()
        for url in frontier - seen:
            seen.add(url)
            for link in links(client, url):
                # beyond the navigation pages, only cohort pages are followed
                if opens(link) and (depth == 0 or link in cohort_urls):
                    found.add(link)
        frontier = found | frontier
    reached = {cohort_urls[url] for url in frontier if url in cohort_urls}

    expected = {name for name in COHORT_PAGES if MATRIX[name][role] == 200}
    assert expected - reached == set(), f"{role} cannot reach these cohort pages: {expected - reached}"


def _name_of(url: str) -> str | None:
    try:
        return resolve(url).view_name
    except Resolver404:
        return None
