"""Writes about people: invitations (create, resend, accept), password resets, language choice.

Their e-mails are planned through `accounts.outbox`, as rows of the reminder engine's outbox: a
request succeeds and its e-mail goes out even if the broker is down at that moment.

No secret is stored in those rows. An invitation's row holds a random nonce; the link's token is
an HMAC of it with SECRET_KEY (the database keeps only the token's hash, as before), so someone
who reads the database, a backup or the outbox cannot use the link. A password-reset row holds
nothing: its link is made when the e-mail is sent, by Django's time-limited token generator.
"""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext_lazy as _

from . import outbox
from .models import Invitation, User


class InvitationError(Exception):
    """An invitation link that cannot be used; the message is shown to the visitor."""


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def invitation_token(nonce: str) -> str:
    """The link's token for an invitation's nonce (only SECRET_KEY turns one into the other)."""
    return salted_hmac("accounts.invitation", nonce, algorithm="sha256").hexdigest()


def _new_nonce() -> tuple[str, str]:
    """A fresh nonce (for the outbox row) and the hash of its token (for the invitation)."""
    nonce = secrets.token_urlsafe(24)
    return nonce, _hash(invitation_token(nonce))


def _send_invitation_email(invitation: Invitation, nonce: str) -> None:
    outbox.send(recipient=invitation.user, kind=outbox.INVITATION, about=invitation, context={"nonce": nonce})


@transaction.atomic
def invitation_create(
    *, email: str, full_name: str, role: str, language: str, invited_by: User
) -> Invitation:
    """Create an inactive account and its invitation; the e-mail goes out after commit."""
    user = User.objects.create_user(
        email=email, password=None, full_name=full_name, role=role, language=language, is_active=False
    )
    nonce, token_hash = _new_nonce()
    invitation = Invitation.objects.create(
        user=user,
        invited_by=invited_by,
        token_hash=token_hash,
        expires_at=timezone.now() + timedelta(days=settings.INVITATION_VALID_DAYS),
    )
    _send_invitation_email(invitation, nonce)
    return invitation


@transaction.atomic
def invitation_resend(*, invitation: Invitation, by: User) -> Invitation:
    """A fresh link with a fresh expiry; the previous link stops working."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at:
        raise InvitationError(_("This invitation has already been accepted."))
    nonce, invitation.token_hash = _new_nonce()
    invitation.expires_at = timezone.now() + timedelta(days=settings.INVITATION_VALID_DAYS)
    invitation.invited_by = by
    invitation.save(update_fields=["token_hash", "expires_at", "invited_by", "updated_at"])
    _send_invitation_email(invitation, nonce)
    return invitation


# --- Send time: what the outbox asks when the invitation e-mail's turn comes ------------------


def invitation_link_is_current(*, invitation: Invitation, nonce: str) -> bool:
    """Still worth sending: not accepted, not expired, and not replaced by a newer link."""
    return (
        invitation.accepted_at is None
        and invitation.expires_at > timezone.now()
        and invitation.token_hash == _hash(invitation_token(nonce))
    )


def invitation_accept_path(*, nonce: str) -> str:
    return reverse("accounts:invitation_accept", args=[invitation_token(nonce)])


def invitation_email_context(*, invitation: Invitation) -> dict:
    user = invitation.user
    return {
        "user": user,
        "invited_by": invitation.invited_by,
        "role": user.get_role_display,
        "expires_at": invitation.expires_at,
    }


def invitation_mark_sent(*, invitation: Invitation) -> None:
    Invitation.objects.filter(pk=invitation.pk).update(
        sent_count=F("sent_count") + 1, last_sent_at=timezone.now()
    )


def _may_reset_password(user: User) -> bool:
    # Django's rule (PasswordResetForm.get_users): active accounts with a usable password.
    return user.is_active and user.has_usable_password()


@transaction.atomic
def password_reset_request(*, email: str) -> None:
    """Plan the reset e-mail for the account with this address, if there is one that may reset.

    The page says the same whether or not the address is known (no account discovery).
    """
    for user in User.objects.filter(email__iexact=email.strip(), is_active=True):
        if _may_reset_password(user):
            outbox.send(recipient=user, kind=outbox.PASSWORD_RESET, about=user, context={})


def password_reset_still_allowed(*, user: User) -> bool:
    return _may_reset_password(user)


def password_reset_path(*, user: User) -> str:
    """A fresh one-time link, valid for PASSWORD_RESET_TIMEOUT from now (made at send time)."""
    return reverse(
        "accounts:password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )


def invitation_for_token(token: str) -> Invitation:
    """The usable invitation for a link, or InvitationError saying why it cannot be used."""
    invitation = Invitation.objects.select_related("user").filter(token_hash=_hash(token)).first()
    _check_usable(invitation)
    return invitation


def _check_usable(invitation: Invitation | None) -> None:
    if invitation is None:
        raise InvitationError(
            _("This invitation link is not valid. It may have been replaced by a newer one.")
        )
    if invitation.accepted_at:
        raise InvitationError(
            _("This invitation link has already been used. Sign in with your e-mail and password.")
        )
    if invitation.expires_at <= timezone.now():
        raise InvitationError(
            _("This invitation link has expired. Ask the person who invited you to send a new one.")
        )


@transaction.atomic
def invitation_accept(*, token: str, password: str) -> User:
    """Set the password and activate the account, exactly once per link."""
    invitation = (
        Invitation.objects.select_for_update().select_related("user").filter(token_hash=_hash(token)).first()
    )
    _check_usable(invitation)
    user = invitation.user
    user.set_password(password)
    user.is_active = True
    user.save(update_fields=["password", "is_active"])
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at", "updated_at"])
    return user


def user_set_language(*, user: User, language: str) -> None:
    user.language = language
    user.save(update_fields=["language"])
