"""Validators shared by every app's models and forms."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

_PHONE = re.compile(
    r"""^(?:
        0\d{2,3}-?\d{7,8}(?:(?:-|转)\d{1,6})?   # landline with area code, optional extension
      | [48]00-?\d{3}-?\d{4}                     # 400 / 800 service numbers
      | 1\d{10}                                  # mobile
    )$""",
    re.VERBOSE,
)


def validate_phone(value: str) -> None:
    """A mainland phone number as it is written down: 0755-12345678 or 075512345678 (an
    extension may follow: 0755-12345678-801 or 0755-12345678转801), a 400/800 number, or an
    11-digit mobile number starting with 1."""
    if not _PHONE.match(value or ""):
        raise ValidationError(
            _(
                "Enter a mainland phone number: a landline with its area code such as 0755-12345678 "
                "(an extension may follow, 0755-12345678-801), a 400 number, or an 11-digit mobile "
                "number starting with 1."
            ),
            code="invalid_phone",
        )
