"""Apps register their home pages and navigation entries with accounts, which names none of them."""

import re
from pathlib import Path

import pytest
from django.urls import reverse

from accounts import navigation
from accounts.models import Role

ACCOUNTS = Path(__file__).resolve().parents[2] / "accounts"
ACCOUNT_TEMPLATES = Path(__file__).resolve().parents[2] / "templates" / "accounts"
OTHER_APPS = (
    "notifications",
    "courses",
    "internships",
    "demo",
    "dashboards",
    "evaluations",
    "recommendations",
)


def test_accounts_names_no_other_apps_url():
    url_name = re.compile(r"""["'](""" + "|".join(OTHER_APPS) + "):")
    offenders = [
        f"{path.relative_to(ACCOUNTS.parent)}:{number}"
        for path in [*ACCOUNTS.rglob("*.py"), *ACCOUNT_TEMPLATES.rglob("*.html")]
        if "migrations" not in path.parts
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if url_name.search(line)
    ]
    assert offenders == []


def test_every_role_has_a_registered_home():
    assert {role: navigation.home_url_name(role) for role in Role.values}.keys() == set(Role.values)


def test_a_home_or_an_entry_registered_twice_differently_is_refused():
    with pytest.raises(ValueError, match="registered twice"):
        navigation.register_home(Role.STUDENT, "accounts:login")
    with pytest.raises(ValueError, match="registered twice"):
        navigation.register(
            navigation.Entry(key="courses.my_courses", label="x", url_name="home", roles=(Role.STUDENT,))
        )


@pytest.mark.django_db
def test_the_administrators_home_offers_the_shortcuts_the_apps_registered(client, admin_user):
    client.force_login(admin_user)
    page = client.get(reverse("accounts:admin_home")).content.decode()

    shortcuts = navigation.admin_shortcuts(admin_user)
    assert {s.url_name for s in shortcuts} >= {"notifications:outbox", "dashboards:staff_home"}
    for shortcut in shortcuts:
        assert f'href="{shortcut.url()}"' in page
