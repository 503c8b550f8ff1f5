"""The student's weekly reflection on their placement, and their mentor's reply."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from internships.models import Placement
from sztu_xiaomi.models import TimeStampedModel

from .evaluations import WEEKS

REFLECTION_MIN_LENGTH = 30  # characters per answer (a Chinese sentence or two)
REFLECTION_MAX_LENGTH = 2000


class ReflectionQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Staff all; a mentor their own published interns'; a student their own. Xiaomi's
        coordinator/HR: those of students who consented to share with Xiaomi."""
        if user.has_role("staff", "admin"):
            return self
        if user.has_role("hr", "mentor", "student"):
            return self.filter(placement__in=Placement.objects.visible_to(user))
        return self.none()


class Reflection(TimeStampedModel):
    placement = models.ForeignKey(Placement, on_delete=models.CASCADE, related_name="reflections")
    week = models.PositiveSmallIntegerField(_("week"), choices=[(w, w) for w in WEEKS])
    learned = models.TextField(_("What I learned"), max_length=REFLECTION_MAX_LENGTH)
    difficult = models.TextField(_("What was hard"), max_length=REFLECTION_MAX_LENGTH)
    goal = models.TextField(_("My goal for next week"), max_length=REFLECTION_MAX_LENGTH)
    submitted_at = models.DateTimeField(_("submitted at"))
    reply = models.TextField(_("mentor's reply"), max_length=REFLECTION_MAX_LENGTH, blank=True)
    replied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    replied_at = models.DateTimeField(_("replied at"), null=True, blank=True)

    objects = ReflectionQuerySet.as_manager()

    class Meta:
        verbose_name = _("reflection")
        verbose_name_plural = _("reflections")
        ordering = ["placement", "week"]
        constraints = [
            models.UniqueConstraint(fields=["placement", "week"], name="evaluations_one_reflection_per_week"),
            models.CheckConstraint(condition=Q(week__in=WEEKS), name="evaluations_reflection_week_valid"),
            models.CheckConstraint(
                condition=Q(reply="") | Q(replied_at__isnull=False), name="evaluations_reply_has_time"
            ),
        ]
        indexes = [models.Index(fields=["placement", "replied_at"], name="eval_reflection_reply_idx")]

    def __str__(self):
        return f"{self.placement} · week {self.week}"
