"""Reads about people: invitation lists and role counts."""

from django.db.models import Count, QuerySet

from .access import invitable_roles
from .models import Invitation, User


def invitations_visible_to(user: User) -> QuerySet[Invitation]:
    """Invitations for the roles this person may invite."""
    return Invitation.objects.filter(user__role__in=invitable_roles(user)).select_related(
        "user", "invited_by"
    )


def user_counts_by_role() -> dict[str, int]:
    rows = User.objects.filter(is_active=True).values("role").annotate(n=Count("id"))
    return {row["role"]: row["n"] for row in rows}
