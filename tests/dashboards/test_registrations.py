"""dashboards owns the role homes and the two daily digests; the apps below only name them through
the registries, so the paths people have bookmarked and the links in e-mails stay the same."""

import pytest
from django.urls import reverse

from accounts import navigation
from accounts.models import Role
from notifications import kinds

HOMES = {
    Role.STUDENT: ("dashboards:student_home", "/student/"),
    Role.STAFF: ("dashboards:staff_home", "/staff/"),
    Role.MENTOR: ("dashboards:mentor_home", "/mentor/"),
    Role.HR: ("dashboards:hr_home", "/xiaomi/"),
}


@pytest.mark.parametrize("role", list(HOMES))
def test_each_role_home_is_the_dashboards_page_at_its_old_path(role):
    url_name, path = HOMES[role]
    assert navigation.home_url_name(role) == url_name
    assert reverse(url_name) == path


def test_the_administrator_reaches_both_offices_homes_from_shortcuts(admin_user):
    admin_user.role = Role.ADMIN
    shortcuts = {e.key: e.url_name for e in navigation.admin_shortcuts(admin_user)}
    assert shortcuts["dashboards.staff_home"] == "dashboards:staff_home"
    assert shortcuts["dashboards.hr_home"] == "dashboards:hr_home"
    assert "internships.staff_home" not in shortcuts and "internships.hr_home" not in shortcuts


@pytest.mark.parametrize(
    ("key", "role", "path"),
    [("staff_daily_digest", Role.STAFF, "/staff/"), ("hr_daily_digest", Role.HR, "/xiaomi/")],
)
def test_the_daily_digests_keep_their_keys_and_lead_to_the_office_home(key, role, path):
    kind = kinds.get(key)
    assert kind is not None, "the key names reminder rows in production"
    assert kind.audience == (role,)
    assert kind.link(None) == path


@pytest.mark.parametrize(
    ("key", "path"),
    [
        ("application_accepted", "/student/"),
        ("application_waitlisted", "/student/"),
        ("application_rejected", "/student/"),
        ("placement_starts_student", "/student/"),
        ("placement_starts_mentor", "/mentor/"),
        ("placement_published_student", "/student/"),
        ("placement_published_mentor", "/mentor/"),
        ("placement_not_placed", "/student/"),
        ("mentor_certification_expiring", "/mentor/"),
    ],
)
def test_programme_reminders_lead_to_the_registered_home_of_their_audience(key, path):
    kind = kinds.get(key)
    assert kind.link(None) == path
    assert kind.link(None) == reverse(navigation.home_url_name(kind.audience[0]))
