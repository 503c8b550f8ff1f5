"""Reads of the registry: the Xiaomi coordinator's overview of stores and mentors' certifications."""

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from accounts.models import Invitation, Role, User

from ..models import Mentor, Store, StoreSeats


def seats_grid(cohort) -> dict:
    """The cohort's windows, the approved training stores, and the seats saved for each pair."""
    windows = list(cohort.placement_windows.order_by("starts_on"))
    stores = list(Store.objects.filter(is_active=True, is_training_store=True).order_by("district", "code"))
    saved = {(s.window_id, s.store_id): s.seats for s in StoreSeats.objects.filter(window__in=windows)}
    return {"windows": windows, "stores": stores, "saved": saved}


def mentor_profile(user: User) -> Mentor | None:
    return Mentor.objects.select_related("store").filter(user=user).first()


def registry_overview() -> dict:
    today = timezone.localdate()
    stores = Store.objects.aggregate(
        active=Count("id", filter=Q(is_active=True)),
        training=Count("id", filter=Q(is_active=True, is_training_store=True)),
    )
    mentors = Mentor.objects.aggregate(
        certified=Count("id", filter=Q(certification_expires_on__gte=today)),
        expired=Count("id", filter=Q(certification_expires_on__lt=today)),
    )
    return {
        "stores_active": stores["active"],
        "stores_training": stores["training"],
        "mentors_certified": mentors["certified"],
        "mentors_expired": mentors["expired"],
        "pending_mentor_invitations": Invitation.objects.filter(
            accepted_at__isnull=True, user__role=Role.MENTOR
        ).count(),
    }


def mentors_with_certification_expiring(limit: int = 10) -> QuerySet[Mentor]:
    return Mentor.objects.certification_expiring().select_related("user", "store")[:limit]
