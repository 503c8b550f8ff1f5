"""Abstract model pieces shared by every app: timestamps and bilingual fields."""

from django.db import models
from django.utils.translation import get_language


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


def pick_language(zh: str, en: str) -> str:
    """The Chinese or English text for the active language, falling back to the other one."""
    if (get_language() or "zh-hans").startswith("en"):
        return en or zh
    return zh or en


class Bilingual:
    """Mixin for models with `<field>_zh` / `<field>_en` pairs: `obj.localized("name")`."""

    def localized(self, field: str) -> str:
        return pick_language(getattr(self, f"{field}_zh"), getattr(self, f"{field}_en"))
