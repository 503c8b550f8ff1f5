"""Daily digests assembled from sections that the apps register; this app knows none of them.

An app that has something waiting for a role registers a section (`register_section`). The app
that owns a role's digest registers it once (`register_digest`): it is planned every morning for
each active person in that role, at 09:00, and sent only on days when one of its sections has
something waiting.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from accounts.models import User
from sztu_xiaomi.registry import register_once

from . import kinds

LIST_LIMIT = 10  # lines per section; the total is always given


@dataclass(frozen=True)
class Section:
    key: str
    role: str  # whose digest it goes into
    title: str
    rows: Callable[[], Any]  # a queryset of what is waiting, in the order to list it
    line: Callable[[Any], str]  # one row as a line of the digest
    order: int = 50


@dataclass(frozen=True)
class Digest:
    key: str  # also the reminder kind's key
    role: str
    label: str  # in the notification settings
    title: str  # at the top of the e-mail
    link: Callable[[], str]  # where the e-mail's button leads


_SECTIONS: dict[str, Section] = {}
_DIGESTS: dict[str, Digest] = {}


def register_section(section: Section) -> Section:
    return register_once(_SECTIONS, section.key, section, "digest section")


def sections_for(role: str) -> list[dict]:
    """The role's sections with something waiting today: title, total and the first lines."""
    shown = []
    for section in sorted(_SECTIONS.values(), key=lambda s: (s.order, s.key)):
        if section.role != role:
            continue
        rows = section.rows()
        total = rows.count()
        if total:
            lines = [section.line(row) for row in rows[:LIST_LIMIT]]
            shown.append({"key": section.key, "title": section.title, "total": total, "lines": lines})
    return shown


def register_digest(digest: Digest) -> kinds.Kind:
    """The daily digest of a role, as a reminder kind of its own."""
    register_once(_DIGESTS, digest.key, digest, "digest")
    return kinds.register(
        kinds.Kind(
            key=digest.key,
            label=digest.label,
            template="notifications/daily_digest",
            audience=(digest.role,),
            still_due=lambda reminder: bool(sections_for(digest.role)),
            context=lambda reminder: {"sections": sections_for(digest.role), "digest_title": digest.title},
            link=lambda reminder: digest.link(),
        )
    )


def plan_daily_digests() -> int:
    """Today's digest for every active person of each digest's role; sent only if it has items."""
    from .services import at_nine, reminder_plan

    due_at = at_nine(timezone.localdate())
    planned = 0
    for digest in _DIGESTS.values():
        for user in User.objects.filter(role=digest.role, is_active=True):
            reminder_plan(recipient=user, kind=digest.key, about=user, due_at=due_at)
            planned += 1
    return planned


kinds.register_planner("daily_digests", plan_daily_digests)
