"""A mentor's evaluation of an intern for one placement week, or the final one, and its history."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from internships.models import Placement
from sztu_xiaomi.models import TimeStampedModel

from .rubrics import SCORE_MAX, SCORE_MIN, Criterion, Rubric

WEEKS = (1, 2, 3)
FINAL = 4  # the final evaluation, after week 3
COMMENT_MAX_LENGTH = 2000


class Period(models.IntegerChoices):
    WEEK_1 = 1, _("Week 1")
    WEEK_2 = 2, _("Week 2")
    WEEK_3 = 3, _("Week 3")
    FINAL = FINAL, _("Final evaluation")


class EvaluationStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")


class HiringRecommendation(models.TextChoices):
    YES = "yes", _("Yes")
    NO = "no", _("No")
    NOT_SURE = "not_sure", _("Not sure")


class EvaluationQuerySet(models.QuerySet):
    def submitted(self):
        return self.filter(status=EvaluationStatus.SUBMITTED)

    def released(self):
        """What the student may read: submitted and released (never a draft)."""
        return self.filter(status=EvaluationStatus.SUBMITTED, released_at__isnull=False)

    def visible_to(self, user):
        """Staff all; Xiaomi's coordinator/HR submitted ones of students who consented to share with
        Xiaomi; a mentor those of their own published interns; a student their own released ones."""
        if user.has_role("staff", "admin"):
            return self
        placements = Placement.objects.visible_to(user)
        if user.has_role("hr"):
            return self.submitted().filter(placement__in=placements)
        if user.has_role("mentor"):
            return self.filter(placement__in=placements)
        if user.has_role("student"):
            return self.released().filter(placement__in=placements)
        return self.none()


class Evaluation(TimeStampedModel):
    Period = Period
    Status = EvaluationStatus
    Recommendation = HiringRecommendation

    placement = models.ForeignKey(Placement, on_delete=models.CASCADE, related_name="evaluations")
    period = models.PositiveSmallIntegerField(_("period"), choices=Period.choices)
    rubric = models.ForeignKey(Rubric, on_delete=models.PROTECT, related_name="evaluations")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    comment = models.TextField(_("comment"), max_length=COMMENT_MAX_LENGTH, blank=True)
    # the final evaluation only
    recommends_hiring = models.CharField(
        _("I recommend this intern for hiring"), max_length=10, choices=Recommendation.choices, blank=True
    )
    recommendation_reason = models.TextField(_("reason"), max_length=COMMENT_MAX_LENGTH, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    released_at = models.DateTimeField(_("released to the student at"), null=True, blank=True)
    # bumped by every save of the mentor's form: an older tab's autosave cannot overwrite a newer one
    revision = models.PositiveIntegerField(default=0)

    objects = EvaluationQuerySet.as_manager()

    class Meta:
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")
        ordering = ["placement", "period"]
        constraints = [
            models.UniqueConstraint(fields=["placement", "period"], name="evaluations_one_per_period"),
            models.CheckConstraint(condition=Q(period__in=Period.values), name="evaluations_period_valid"),
            models.CheckConstraint(
                condition=Q(status__in=EvaluationStatus.values), name="evaluations_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(status=EvaluationStatus.DRAFT) | Q(submitted_at__isnull=False),
                name="evaluations_submitted_has_time",
            ),
            models.CheckConstraint(
                condition=Q(released_at__isnull=True) | Q(status=EvaluationStatus.SUBMITTED),
                name="evaluations_only_submitted_released",
            ),
            models.CheckConstraint(
                condition=Q(recommends_hiring="")
                | Q(period=FINAL, recommends_hiring__in=HiringRecommendation.values),
                name="evaluations_recommendation_in_final_only",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "period"], name="eval_status_period_idx"),
        ]

    def __str__(self):
        return f"{self.placement} · {self.get_period_display()}"

    @property
    def is_final(self) -> bool:
        return self.period == FINAL

    @property
    def is_submitted(self) -> bool:
        return self.status == EvaluationStatus.SUBMITTED


class Score(models.Model):
    """One criterion's level in one evaluation (a draft holds only the ones chosen so far)."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="scores")
    score = models.PositiveSmallIntegerField(_("score"))

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "criterion"], name="evaluations_score_once"),
            models.CheckConstraint(
                condition=Q(score__gte=SCORE_MIN, score__lte=SCORE_MAX), name="evaluations_score_in_scale"
            ),
        ]

    def __str__(self):
        return f"{self.criterion}: {self.score}"


class EvaluationChange(models.Model):
    """A change to a submitted evaluation: who, when, why, and the evaluation before and after."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="changes")
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    changed_at = models.DateTimeField(auto_now_add=True)
    reason = models.TextField(_("reason for the change"))
    before = models.JSONField()
    after = models.JSONField()

    class Meta:
        verbose_name = _("evaluation change")
        verbose_name_plural = _("evaluation changes")
        ordering = ["evaluation", "changed_at"]

    def __str__(self):
        return f"{self.evaluation} changed {self.changed_at:%Y-%m-%d}"
