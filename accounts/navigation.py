"""Role home pages and navigation entries, registered by the apps that own the pages.

`accounts` names no other app's URLs: each app registers its pages here from its
`AppConfig.ready()`, the way it registers reminder kinds with `notifications`.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse

from sztu_xiaomi.registry import register_once

from .models import Role


@dataclass(frozen=True)
class Entry:
    """A link in the navigation bar of the people who act in one of `roles`."""

    key: str
    label: str
    url_name: str
    roles: tuple[str, ...]
    order: int = 50
    # A further condition on the person (e.g. "may invite someone"); None: everyone in `roles`.
    shown_to: Callable | None = None
    # In the navigation bar; False for a page reached from a home page only.
    in_nav: bool = True
    # Also offered as a shortcut on the administrator's home page.
    admin_shortcut: bool = False

    def url(self) -> str:
        return reverse(self.url_name)

    def is_for(self, user) -> bool:
        return user.has_role(*self.roles) and (self.shown_to is None or self.shown_to(user))


_HOMES: dict[str, str] = {}
_ENTRIES: dict[str, Entry] = {}


def register_home(role: str, url_name: str) -> None:
    """The page a role lands on after signing in (one per role)."""
    register_once(_HOMES, role, url_name, "the home page of")


def home_url_name(role: str) -> str:
    return _HOMES[role]


def home_url(user) -> str:
    return reverse(_HOMES[user.role])


def register(entry: Entry) -> Entry:
    return register_once(_ENTRIES, entry.key, entry, "navigation entry")


def entries_for(user) -> list[Entry]:
    """The navigation entries of a signed-in person, in their order."""
    return [e for e in _sorted() if e.in_nav and e.is_for(user)]


def admin_shortcuts(user) -> list[Entry]:
    """The shortcuts on the administrator's home page."""
    return [e for e in _sorted() if e.admin_shortcut and e.is_for(user)]


def _sorted() -> list[Entry]:
    return sorted(_ENTRIES.values(), key=lambda e: (e.order, e.key))


def _register_own() -> None:
    from django.utils.translation import gettext_lazy as _

    from .access import invitable_roles

    register_home(Role.ADMIN, "accounts:admin_home")
    register(
        Entry(
            key="accounts.invitations",
            label=_("Invitations"),
            url_name="accounts:invitations",
            roles=tuple(Role.values),
            order=90,
            shown_to=lambda user: bool(invitable_roles(user)),
        )
    )
    register(
        Entry(
            key="accounts.administration",
            label=_("Administration"),
            url_name="accounts:admin_home",
            roles=tuple(Role.values),
            order=95,
            shown_to=lambda user: user.is_superuser and user.role != Role.ADMIN,
        )
    )
