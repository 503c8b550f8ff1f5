"""Writes about people: invitations (create, resend, accept) and language choice."""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .emails import render_email, send_rendered_email
from .models import Invitation, User


class InvitationError(Exception):
    """An invitation link that cannot be used; the message is shown to the visitor."""


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _new_token() -> tuple[str, str]:
    token = secrets.token_urlsafe(32)
    return token, _hash(token)


def _enqueue_invitation_email(invitation: Invitation, token: str) -> None:
    from .tasks import send_invitation_email_task

    # robust: a broker that is down must not fail the person's request; staff can resend.
    transaction.on_commit(lambda: send_invitation_email_task.delay(invitation.pk, token), robust=True)


@transaction.atomic
def invitation_create(
    *, email: str, full_name: str, role: str, language: str, invited_by: User
) -> Invitation:
    """Create an inactive account and its invitation; the e-mail goes out after commit."""
    user = User.objects.create_user(
        email=email, password=None, full_name=full_name, role=role, language=language, is_active=False
    )
    token, token_hash = _new_token()
    invitation = Invitation.objects.create(
        user=user,
        invited_by=invited_by,
        token_hash=token_hash,
        expires_at=timezone.now() + timedelta(days=settings.INVITATION_VALID_DAYS),
    )
    _enqueue_invitation_email(invitation, token)
    return invitation


@transaction.atomic
def invitation_resend(*, invitation: Invitation, by: User) -> Invitation:
    """A fresh link with a fresh expiry; the previous link stops working."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at:
        raise InvitationError(_("This invitation has already been accepted."))
    token, invitation.token_hash = _new_token()
    invitation.expires_at = timezone.now() + timedelta(days=settings.INVITATION_VALID_DAYS)
    invitation.invited_by = by
    invitation.save(update_fields=["token_hash", "expires_at", "invited_by", "updated_at"])
    _enqueue_invitation_email(invitation, token)
    return invitation


def invitation_send_email(*, invitation_id: int, token: str) -> None:
    """Deliver the invitation e-mail in the invitee's language (called by the Celery task)."""
    invitation = Invitation.objects.select_related("user", "invited_by").get(pk=invitation_id)
    if invitation.accepted_at or invitation.token_hash != _hash(token):
        return  # accepted meanwhile, or superseded by a newer link: nothing to send
    user = invitation.user
    email = render_email(
        "invitation",
        {
            "user": user,
            "invited_by": invitation.invited_by,
            "role": user.get_role_display,
            "expires_at": invitation.expires_at,
            "accept_path": reverse("accounts:invitation_accept", args=[token]),
        },
        user.language,
    )
    send_rendered_email(email, user.email)
    Invitation.objects.filter(pk=invitation.pk).update(
        sent_count=F("sent_count") + 1, last_sent_at=timezone.now()
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
