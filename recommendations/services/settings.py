"""Staff set a cohort's hiring settings: the candidates' weights, the response time, what the
student sees."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from accounts.models import User
from internships.models import Cohort

from ..models import HiringSettings

__all__ = ["WEIGHT_FIELDS", "hiring_settings_save"]

WEIGHT_FIELDS = ("course_weight", "evaluation_weight", "recommendation_weight", "attendance_weight")


def hiring_settings_save(*, cohort: Cohort, by: User, **values) -> HiringSettings:
    if not by.has_role("staff", "admin"):
        raise PermissionError("only the programme office sets these")
    current = HiringSettings.objects.filter(cohort=cohort).first() or HiringSettings.defaults(cohort)
    for name, value in values.items():
        setattr(current, name, value)
    if sum(getattr(current, name) for name in WEIGHT_FIELDS) != 100:
        raise ValidationError({"course_weight": _("The four weights must add up to 100.")})
    current.full_clean()
    current.save()
    return current
