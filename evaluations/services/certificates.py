"""Writes of certificates: issue, re-issue after a correction, revoke.

A certificate's verification code is 16 characters drawn by `secrets` from 32 upper-case letters
and digits without look-alikes (no 0/O, 1/I): 32¹⁶ = 2⁸⁰ codes, so guessing one is hopeless. It
is stored without separators and shown in groups of four (`ABCD-EFGH-JKLM-NPQR`).
"""

import secrets

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from internships.models import Cohort

from ..models import Certificate, ProgrammeResult
from ..reminders.certificates import plan_certificate_issued
from ..selectors.assessment import assessment_of
from ..selectors.certificates import CODE_ALPHABET, CODE_LENGTH
from .results import PASSING_BANDS

__all__ = [
    "certificate_code_new",
    "certificate_issue",
    "certificate_reissue",
    "certificate_revoke",
    "certificates_issue",
]


def certificate_code_new() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def _facts(result: ProgrammeResult) -> dict:
    placement = result.placement
    return {
        "student_name": placement.student.full_name,
        "english_name": placement.student.english_name,
        "cohort_name_zh": placement.cohort.name_zh,
        "cohort_name_en": placement.cohort.name_en,
        "band": result.band,
        "completed_on": result.completed_on,
    }


def _check_issuable(result: ProgrammeResult) -> None:
    if not assessment_of(result.placement.cohort).results_confirmed:
        raise ValidationError(_("Confirm the cohort's results before issuing certificates."))
    if result.band not in PASSING_BANDS:
        raise ValidationError(_("Only a distinction, merit or pass earns a certificate."))


def _load(result: ProgrammeResult) -> ProgrammeResult:
    return ProgrammeResult.objects.select_related(
        "placement__student", "placement__cohort__assessment", "placement__window"
    ).get(pk=result.pk)


@transaction.atomic
def certificate_issue(*, result: ProgrammeResult, by: User) -> Certificate:
    """Issue the result's certificate (once: the existing one is returned), copying the certified
    facts onto it with a new unguessable code, and tell the student."""
    existing = Certificate.objects.filter(result=result).first()
    if existing is not None:
        return existing
    result = _load(result)
    _check_issuable(result)
    now = timezone.now()
    for _attempt in range(5):
        try:
            with transaction.atomic():
                certificate = Certificate.objects.create(
                    result=result, code=certificate_code_new(), issued_at=now, **_facts(result)
                )
            break
        except IntegrityError:
            if Certificate.objects.filter(result=result).exists():  # issued at the same moment
                return Certificate.objects.get(result=result)
    else:  # pragma: no cover  (five collisions in 2⁸⁰ codes)
        raise RuntimeError("no free certificate code")
    plan_certificate_issued(certificate=certificate, student=result.placement.student)
    return certificate


@transaction.atomic
def certificates_issue(*, cohort: Cohort, by: User) -> int:
    """Issue a certificate to every student of the cohort who passed and has none yet."""
    if not assessment_of(cohort).results_confirmed:
        raise ValidationError(_("Confirm the cohort's results before issuing certificates."))
    results = ProgrammeResult.objects.filter(
        placement__cohort=cohort, band__in=PASSING_BANDS, certificate__isnull=True
    )
    return sum(1 for result in results if certificate_issue(result=result, by=by))


@transaction.atomic
def certificate_reissue(*, certificate: Certificate, by: User) -> Certificate:
    """After a correction (a name, a result): the same code with the facts as they are now."""
    certificate = Certificate.objects.select_for_update().get(pk=certificate.pk)
    if certificate.is_revoked:
        raise ValidationError(_("A revoked certificate cannot be re-issued."))
    result = _load(certificate.result)
    if result.band not in PASSING_BANDS:
        raise ValidationError(_("Only a distinction, merit or pass earns a certificate."))
    for name, value in _facts(result).items():
        setattr(certificate, name, value)
    certificate.reissued_at = timezone.now()
    certificate.save()
    return certificate


@transaction.atomic
def certificate_revoke(*, certificate: Certificate, reason: str, by: User) -> Certificate:
    """Withdraw the certificate: the verification page says it is revoked from now on."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for revoking the certificate.")})
    certificate = Certificate.objects.select_for_update().get(pk=certificate.pk)
    if certificate.is_revoked:
        raise ValidationError(_("This certificate is already revoked."))
    certificate.revoked_at = timezone.now()
    certificate.revoked_reason = reason
    certificate.save(update_fields=["revoked_at", "revoked_reason", "updated_at"])
    return certificate
