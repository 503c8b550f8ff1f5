"""Navigation for the signed-in user's role, shared by every page."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .access import ROLE_HOME, invitable_roles
from .models import Role


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    items = [(_("Home"), reverse(ROLE_HOME[user.role]))]
    if user.role == Role.STUDENT:
        items.append((_("My courses"), reverse("courses:my_courses")))
    if user.role == Role.MENTOR:
        items.append((_("Attendance"), reverse("internships:mentor_attendance")))
    if user.has_role(Role.STAFF, Role.ADMIN):
        items.append((_("Applications"), reverse("internships:review_queue")))
        items.append((_("Cohorts"), reverse("internships:cohort_list")))
        items.append((_("Course progress"), reverse("courses:progress_overview")))
    if user.has_role(Role.HR, Role.ADMIN):
        items.append((_("Stores"), reverse("internships:store_list")))
        items.append((_("Mentors"), reverse("internships:mentor_list")))
    if invitable_roles(user):
        items.append((_("Invitations"), reverse("accounts:invitations")))
    if user.is_superuser and user.role != Role.ADMIN:
        items.append((_("Administration"), reverse("accounts:admin_home")))
    path = request.path
    return {
        "nav_items": [
            {"label": label, "url": url, "active": path == url or (url != "/" and path.startswith(url))}
            for label, url in items
        ]
    }
