"""Reads of the courses app that other apps may call."""

from django.db.models import QuerySet

from .models import Course


def programme_courses() -> QuerySet[Course]:
    """The programme's courses in teaching order."""
    return Course.objects.order_by("order")
