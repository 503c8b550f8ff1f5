"""The joint SZTU × Xiaomi certificate: what was certified, and its public verification code."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sztu_xiaomi.models import TimeStampedModel, pick_language

from .results import Band, ProgrammeResult


class Certificate(TimeStampedModel):
    """Issued once per result; a correction re-issues it under the same code, a withdrawal revokes
    it. The certified facts are copied here when issued, so the verification page and the PDF
    show what was certified even if a name is corrected later (re-issue to change them)."""

    result = models.OneToOneField(ProgrammeResult, on_delete=models.PROTECT, related_name="certificate")
    # unguessable (secrets), upper-case letters and digits without look-alikes, shown in groups
    code = models.CharField(_("verification code"), max_length=32, unique=True)
    student_name = models.CharField(_("name"), max_length=100)
    english_name = models.CharField(_("English name"), max_length=100, blank=True)
    cohort_name_zh = models.CharField(max_length=200)
    cohort_name_en = models.CharField(max_length=200)
    band = models.CharField(_("result"), max_length=12, choices=Band.choices)
    completed_on = models.DateField(_("completed on"))
    issued_at = models.DateTimeField(_("issued at"))
    reissued_at = models.DateTimeField(_("re-issued at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_reason = models.TextField(_("reason for revoking"), blank=True)

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        constraints = [
            models.CheckConstraint(
                condition=Q(band__in=[Band.DISTINCTION, Band.MERIT, Band.PASS]),
                name="evaluations_certificate_for_a_pass",
            ),
            models.CheckConstraint(
                condition=Q(revoked_at__isnull=True) | ~Q(revoked_reason=""),
                name="evaluations_revocation_has_reason",
            ),
        ]

    def __str__(self):
        return self.code

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    @property
    def cohort_name(self) -> str:
        return pick_language(self.cohort_name_zh, self.cohort_name_en)
