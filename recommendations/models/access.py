"""PIPL access log: each time a Xiaomi user opened a student's personal data."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class DataAccess(models.Model):
    class What(models.TextChoices):
        CANDIDATE = "candidate", _("Candidate page (profile, results, evaluations)")
        CV = "cv", _("CV")
        EXPORT = "export", _("Spreadsheet export")

    viewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("viewed by")
    )
    student = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="data_accesses",
        verbose_name=_("student"),
    )
    recommendation = models.ForeignKey(
        "recommendations.Recommendation", on_delete=models.CASCADE, related_name="accesses"
    )
    what = models.CharField(_("what"), max_length=10, choices=What.choices)
    at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        verbose_name = _("access to personal data")
        verbose_name_plural = _("accesses to personal data")
        ordering = ["-at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(what__in=["candidate", "cv", "export"]),
                name="recommendations_access_what_valid",
            ),
        ]
        indexes = [models.Index(fields=["student", "-at"], name="rec_access_student_idx")]

    def __str__(self):
        return f"{self.viewer_id} → {self.student_id}: {self.what}"
