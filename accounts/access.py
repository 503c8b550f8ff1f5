"""The one access-control mechanism: views declare the roles they serve in one line.

Role checks say *which pages* a person may open (403 otherwise); which *objects* they may see is
decided by role-scoped querysets (`Model.objects.visible_to(user)`) used with get_object_or_404,
so an object outside a person's scope is a 404.
"""

import ipaddress
from functools import wraps

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

from .models import Role

# Who may invite whom.
INVITABLE_ROLES = {
    Role.STAFF: [Role.STUDENT, Role.STAFF],
    Role.HR: [Role.MENTOR, Role.HR],
    Role.ADMIN: [Role.STUDENT, Role.STAFF, Role.MENTOR, Role.HR, Role.ADMIN],
}


def check_roles(request, roles) -> None:
    """Raise PermissionDenied unless the signed-in user acts in one of `roles`."""
    if not request.user.has_role(*roles):
        raise PermissionDenied


def role_required(*roles):
    """Decorator: anonymous visitors go to sign-in; signed-in people of other roles get 403."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            check_roles(request, roles)
            return view(request, *args, **kwargs)

        wrapped.allowed_roles = roles
        return wrapped

    return decorator


def invitable_roles(user) -> list[str]:
    if user.is_superuser:
        return INVITABLE_ROLES[Role.ADMIN]
    return INVITABLE_ROLES.get(user.role, [])


def axes_username(request, credentials) -> str:
    """django-axes counts failures per normalised e-mail, existing account or not."""
    data = credentials if credentials is not None else request.POST
    return (data.get("username") or "").strip().lower()


def client_ip(request) -> str | None:
    """The client's address as django-axes should count it (AXES_CLIENT_IP_CALLABLE).

    Each of the AXES_PROXY_COUNT reverse proxies in front of the app appends the address it saw
    to X-Forwarded-For, so the client is the N-th entry from the right; entries further left
    were written by the client and are not believed. With no proxy configured, or a header with
    fewer entries than proxies (or a malformed one), the socket's peer (REMOTE_ADDR) is used.
    """
    remote = request.META.get("REMOTE_ADDR")
    count = settings.TRUSTED_PROXY_COUNT
    if count <= 0:
        return remote
    forwarded = [e.strip() for e in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if e.strip()]
    if len(forwarded) < count:
        return remote
    candidate = forwarded[-count]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote
