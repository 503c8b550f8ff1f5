"""The student's separate consent to be recommended to Xiaomi, and its withdrawal.

One row per time it was given: giving it again after a withdrawal opens a new row, so the rows are
the log of every change. At most one row per student is open (not withdrawn)."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class HiringConsentQuerySet(models.QuerySet):
    def active(self):
        return self.filter(withdrawn_at__isnull=True)


class HiringConsent(models.Model):
    student = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="hiring_consents",
        verbose_name=_("student"),
    )
    notice_version = models.CharField(_("privacy notice version"), max_length=20)
    given_at = models.DateTimeField(_("given at"))
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)

    objects = HiringConsentQuerySet.as_manager()

    class Meta:
        verbose_name = _("consent to share with Xiaomi for hiring")
        verbose_name_plural = _("consents to share with Xiaomi for hiring")
        ordering = ["-given_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["student"],
                condition=Q(withdrawn_at__isnull=True),
                name="recommendations_one_open_consent",
            ),
            models.CheckConstraint(
                condition=Q(withdrawn_at__isnull=True) | Q(withdrawn_at__gte=F("given_at")),
                name="recommendations_consent_withdrawn_after_given",
            ),
            models.CheckConstraint(
                condition=~Q(notice_version=""), name="recommendations_consent_has_version"
            ),
        ]

    def __str__(self):
        return f"{self.student_id} {self.given_at:%Y-%m-%d}"

    @property
    def is_active(self) -> bool:
        return self.withdrawn_at is None
