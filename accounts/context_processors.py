"""Navigation for the signed-in user's role, shared by every page."""

from django.utils.translation import gettext_lazy as _

from . import navigation as nav


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    items = [(_("Home"), nav.home_url(user))] + [
        (entry.label, entry.url()) for entry in nav.entries_for(user)
    ]
    path = request.path
    return {
        "nav_items": [
            {"label": label, "url": url, "active": path == url or (url != "/" and path.startswith(url))}
            for label, url in items
        ]
    }
