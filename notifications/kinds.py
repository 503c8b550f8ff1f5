"""The registry of reminder kinds. Each app registers its own kinds; this app knows none of them.

A kind says how to render its message and, at send time, whether its reason still holds.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from sztu_xiaomi.registry import register_once

if TYPE_CHECKING:
    from .models import Reminder


@dataclass(frozen=True)
class Kind:
    key: str
    label: str
    # templates/emails/<template>_{subject.txt,body.txt,body.html,short.txt}
    template: str
    # Essential kinds (decisions, placement start) cannot be switched off by the recipient.
    essential: bool = False
    # Roles that receive this kind (for the settings page); None means anyone.
    audience: tuple[str, ...] | None = None
    # Checked at send time: False cancels the reminder (its reason has gone).
    still_due: Callable[["Reminder"], bool] = field(default=lambda reminder: True)
    # Extra template context computed at send time.
    context: Callable[["Reminder"], dict] = field(default=lambda reminder: {})
    # Where the in-app notification and the e-mail's button lead (a site path).
    link: Callable[["Reminder"], str] = field(default=lambda reminder: "/")
    # Also shown in the notification centre (False for e-mails carrying a private link).
    in_app: bool = True
    # Sent to accounts not yet activated (an invitation is what activates them).
    reaches_inactive: bool = False
    # A message a person asks for (a new invitation link, a password reset): planning it again
    # after it went out sends it again, as a new message with its own Message-ID.
    repeatable: bool = False
    # Called in the transaction that records the message as sent.
    on_sent: Callable[["Reminder"], None] | None = None
    # Files attached to the e-mail, computed at send time: [(filename, content, mimetype)].
    attachments: Callable[["Reminder"], list[tuple[str, bytes, str]]] = field(default=lambda reminder: [])


_REGISTRY: dict[str, Kind] = {}


def register(kind: Kind) -> Kind:
    return register_once(_REGISTRY, kind.key, kind, "reminder kind")


def get(key: str) -> Kind | None:
    return _REGISTRY.get(key)


def all_kinds() -> list[Kind]:
    return sorted(_REGISTRY.values(), key=lambda kind: kind.key)


Planner = Callable[[], int]
_PLANNERS: dict[str, Planner] = {}


def register_planner(name: str, planner: Planner) -> None:
    """A daily planner: plans the reminders that are due, returns how many it planned."""
    _PLANNERS[name] = planner


def planners() -> dict[str, Planner]:
    return dict(_PLANNERS)
