"""The door through which accounts sends its e-mails: into the outbox of the app above.

accounts is the lowest layer and must not name the reminder engine, yet its e-mails (invitations,
password resets) must be outbox rows like every other message, so they survive a broker outage.
The engine connects itself here at start-up (`notifications.apps`) and registers these kinds.
"""

from collections.abc import Callable

from django.core.exceptions import ImproperlyConfigured
from django.db import models

# The kinds of e-mail accounts sends; the engine registers them under these keys.
INVITATION = "account_invitation"
PASSWORD_RESET = "account_password_reset"

_outbox: Callable[..., object] | None = None


def connect(outbox: Callable[..., object]) -> None:
    """Called once by the engine: `outbox(recipient=, kind=, about=, context=)` plans a message."""
    global _outbox
    _outbox = outbox


def send(*, recipient, kind: str, about: models.Model, context: dict) -> None:
    """Plan an e-mail to go out now, in the caller's transaction (nothing is sent on rollback)."""
    if _outbox is None:
        raise ImproperlyConfigured("no outbox is connected: is the notifications app installed?")
    _outbox(recipient=recipient, kind=kind, about=about, context=context)
