"""The accounts app's e-mails (invitations, password resets) as kinds of the reminder engine.

accounts sits below this app and cannot import it, so it plans through `accounts.outbox`, which
`connect()` (called at start-up) points at `reminder_plan`. Both kinds are essential (nobody can
switch them off; they are not on the settings page), e-mail only (their links are private: no copy
in the bell), and repeatable (asking again sends again).
"""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts import outbox
from accounts import services as accounts

from . import kinds


def _invitation(reminder):
    return reminder.subject


INVITATION = kinds.Kind(
    key=outbox.INVITATION,
    label=_("Invitation to the platform"),
    template="invitation",
    essential=True,
    audience=(),
    in_app=False,
    reaches_inactive=True,
    repeatable=True,
    still_due=lambda reminder: (
        reminder.subject is not None
        and accounts.invitation_link_is_current(
            invitation=_invitation(reminder), nonce=reminder.context["nonce"]
        )
    ),
    context=lambda reminder: accounts.invitation_email_context(invitation=_invitation(reminder)),
    link=lambda reminder: accounts.invitation_accept_path(nonce=reminder.context["nonce"]),
    on_sent=lambda reminder: accounts.invitation_mark_sent(invitation=_invitation(reminder)),
)

PASSWORD_RESET = kinds.Kind(
    key=outbox.PASSWORD_RESET,
    label=_("Password reset link"),
    template="password_reset",
    essential=True,
    audience=(),
    in_app=False,
    repeatable=True,
    still_due=lambda reminder: accounts.password_reset_still_allowed(user=reminder.recipient),
    context=lambda reminder: {"user": reminder.recipient},
    link=lambda reminder: accounts.password_reset_path(user=reminder.recipient),
)


def _plan_now(*, recipient, kind, about, context):
    from .services import reminder_plan

    return reminder_plan(recipient=recipient, kind=kind, about=about, due_at=timezone.now(), context=context)


def connect() -> None:
    kinds.register(INVITATION)
    kinds.register(PASSWORD_RESET)
    outbox.connect(_plan_now)
