"""A language chosen before signing in (on the sign-in or invitation page) follows the person in.

The choice is kept in the session, not read from the cookie: an old cookie or the browser's
language is not a choice made now, and a person who chose nothing keeps their stored language.
"""

from . import services
from .models import User

_SESSION_KEY = "language_chosen_before_sign_in"


def remember_choice(request, language: str) -> None:
    """Called by the language switch for a visitor who is not signed in yet."""
    request.session[_SESSION_KEY] = language


def take_choice(request) -> str | None:
    """The choice made before signing in, once (call it before the session is replaced)."""
    return request.session.pop(_SESSION_KEY, None)


def apply_choice(*, user: User, language: str | None) -> None:
    """At sign-in: the choice made just before wins and is stored on the account."""
    if language and language != user.language:
        services.user_set_language(user=user, language=language)
