"""The five online new-retail courses (lessons, quizzes and progress arrive with their issue)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from sztu_xiaomi.models import Bilingual, TimeStampedModel


class Course(Bilingual, TimeStampedModel):
    code = models.CharField(_("code"), max_length=20, unique=True)
    title_zh = models.CharField(_("title (Chinese)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200)
    order = models.PositiveSmallIntegerField(_("order"), unique=True)

    class Meta:
        verbose_name = _("course")
        verbose_name_plural = _("courses")
        ordering = ["order"]

    def __str__(self):
        return f"{self.code} {self.title}"

    @property
    def title(self) -> str:
        return self.localized("title")
