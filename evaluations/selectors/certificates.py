"""Reads of certificates: a student's certificate, the public verification."""

from django.db.models import QuerySet

from accounts.models import User

from ..models import Certificate

__all__ = [
    "CODE_ALPHABET",
    "CODE_LENGTH",
    "certificate_of_student",
    "certificate_verify",
    "certificates_visible_to",
    "code_display",
    "code_normalise",
]

# 32 upper-case letters and digits without look-alikes (no 0/O, 1/I): 16 of them carry 80 bits.
CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
CODE_LENGTH = 16


def code_normalise(text: str) -> str:
    """What someone typed or scanned, as stored: upper case, without spaces or dashes."""
    return "".join(ch for ch in (text or "").upper() if not ch.isspace() and ch not in "-–—_")


def code_display(code: str) -> str:
    """Shown in groups of four: ABCD-EFGH-JKLM-NPQR."""
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


def certificates_visible_to(user: User) -> QuerySet[Certificate]:
    """Certificates the viewer may download: staff every one; others none here (a student gets
    their own from `certificate_of_student`)."""
    if user.has_role("staff", "admin"):
        return Certificate.objects.all()
    return Certificate.objects.none()


def certificate_of_student(user: User) -> Certificate | None:
    """The student's certificate that stands (not revoked), the latest if several cohorts."""
    return (
        Certificate.objects.filter(result__placement__student=user, revoked_at__isnull=True)
        .order_by("-issued_at")
        .first()
    )


def certificate_verify(code: str) -> Certificate | None:
    """The certificate with exactly this code (after normalising case, spaces and dashes), or
    None: no partial or similar match is ever looked up."""
    code = code_normalise(code)
    if len(code) != CODE_LENGTH or any(ch not in CODE_ALPHABET for ch in code):
        return None
    return Certificate.objects.filter(code=code).first()
