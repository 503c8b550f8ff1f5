"""The rubric a cohort's mentors score against: versioned criteria, each with five described levels."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from internships.models import Cohort
from sztu_xiaomi.models import Bilingual, TimeStampedModel, pick_language

SCORE_MIN, SCORE_MAX = 1, 5
LEVELS = range(SCORE_MIN, SCORE_MAX + 1)


class Rubric(TimeStampedModel):
    """One version of a cohort's rubric. A version that an evaluation uses is never edited: a
    change makes the next version, which new evaluations use (`Rubric.objects.current_for`)."""

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="rubrics")
    version = models.PositiveSmallIntegerField(_("version"), default=1)

    class Meta:
        verbose_name = _("rubric")
        verbose_name_plural = _("rubrics")
        ordering = ["cohort", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["cohort", "version"], name="evaluations_rubric_version_once"),
            models.CheckConstraint(condition=Q(version__gte=1), name="evaluations_rubric_version_positive"),
        ]

    def __str__(self):
        return f"{self.cohort} · v{self.version}"

    @property
    def in_use(self) -> bool:
        return self.evaluations.exists()


class Criterion(Bilingual, TimeStampedModel):
    """One thing the mentor scores 1–5, with what each level means in both languages."""

    rubric = models.ForeignKey(Rubric, on_delete=models.CASCADE, related_name="criteria")
    position = models.PositiveSmallIntegerField(_("position"))
    name_zh = models.CharField(_("name (Chinese)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100)
    level_1_zh = models.CharField(_("level 1 (Chinese)"), max_length=300)
    level_1_en = models.CharField(_("level 1 (English)"), max_length=300)
    level_2_zh = models.CharField(_("level 2 (Chinese)"), max_length=300)
    level_2_en = models.CharField(_("level 2 (English)"), max_length=300)
    level_3_zh = models.CharField(_("level 3 (Chinese)"), max_length=300)
    level_3_en = models.CharField(_("level 3 (English)"), max_length=300)
    level_4_zh = models.CharField(_("level 4 (Chinese)"), max_length=300)
    level_4_en = models.CharField(_("level 4 (English)"), max_length=300)
    level_5_zh = models.CharField(_("level 5 (Chinese)"), max_length=300)
    level_5_en = models.CharField(_("level 5 (English)"), max_length=300)

    class Meta:
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        ordering = ["rubric", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["rubric", "position"], name="evaluations_criterion_position_once"
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def name(self) -> str:
        return self.localized("name")

    def descriptor(self, level: int) -> str:
        return pick_language(getattr(self, f"level_{level}_zh"), getattr(self, f"level_{level}_en"))

    def levels(self) -> list[tuple[int, str]]:
        """(score, what it means) for 1 … 5, in the reader's language."""
        return [(level, self.descriptor(level)) for level in LEVELS]
