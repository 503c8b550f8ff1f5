"""Writes of the private calendar address: the token in each person's iCal feed URL."""

import secrets

from accounts.models import User

from ..models import CalendarToken


def calendar_token_for(user: User) -> str:
    token, _created = CalendarToken.objects.get_or_create(
        user=user, defaults={"token": secrets.token_urlsafe(32)}
    )
    return token.token


def calendar_token_reset(*, user: User) -> str:
    CalendarToken.objects.update_or_create(user=user, defaults={"token": secrets.token_urlsafe(32)})
    return user.calendar_token.token
