"""The programme result of each placed student, the cohort's assessment settings, and overrides."""

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.lookups import Exact
from django.utils.translation import gettext_lazy as _

from internships.models import Cohort, Placement
from sztu_xiaomi.models import TimeStampedModel


class ReleaseMode(models.TextChoices):
    ON_SUBMIT = "on_submit", _("As soon as the mentor submits it")
    BY_STAFF = "by_staff", _("When the programme office releases it")


percent = [MaxValueValidator(100)]


class AssessmentSettings(TimeStampedModel):
    """How a cohort's placement is assessed: release of evaluations, weights and result bands."""

    ReleaseMode = ReleaseMode

    cohort = models.OneToOneField(Cohort, on_delete=models.CASCADE, related_name="assessment")
    release_mode = models.CharField(
        _("students see an evaluation"),
        max_length=10,
        choices=ReleaseMode.choices,
        default=ReleaseMode.ON_SUBMIT,
    )
    course_weight = models.PositiveSmallIntegerField(
        _("weight of the five courses (%)"), default=40, validators=percent
    )
    evaluation_weight = models.PositiveSmallIntegerField(
        _("weight of the mentor's evaluations (%)"), default=50, validators=percent
    )
    attendance_weight = models.PositiveSmallIntegerField(
        _("weight of attendance (%)"), default=10, validators=percent
    )
    distinction_from = models.PositiveSmallIntegerField(
        _("distinction from (points)"), default=85, validators=percent
    )
    merit_from = models.PositiveSmallIntegerField(_("merit from (points)"), default=75, validators=percent)
    pass_from = models.PositiveSmallIntegerField(_("pass from (points)"), default=60, validators=percent)
    results_confirmed_at = models.DateTimeField(_("results confirmed at"), null=True, blank=True)
    results_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("assessment settings")
        verbose_name_plural = _("assessment settings")
        constraints = [
            models.CheckConstraint(
                condition=Q(release_mode__in=ReleaseMode.values), name="evaluations_release_mode_valid"
            ),
            models.CheckConstraint(
                condition=Q(course_weight__lte=100, evaluation_weight__lte=100, attendance_weight__lte=100),
                name="evaluations_weights_are_percentages",
            ),
            models.CheckConstraint(
                condition=Exact(F("course_weight") + F("evaluation_weight") + F("attendance_weight"), 100),
                name="evaluations_weights_sum_to_100",
            ),
            models.CheckConstraint(
                condition=Q(distinction_from__lte=100)
                & Q(distinction_from__gt=F("merit_from"))
                & Q(merit_from__gt=F("pass_from")),
                name="evaluations_bands_ordered",
            ),
        ]

    def __str__(self):
        return f"{self.cohort}"

    @property
    def results_confirmed(self) -> bool:
        return self.results_confirmed_at is not None


class Band(models.TextChoices):
    PENDING = "pending", _("Not complete yet")
    DISTINCTION = "distinction", _("Distinction")
    MERIT = "merit", _("Merit")
    PASS = "pass", _("Pass")
    NOT_PASSED = "not_passed", _("Not passed")


class ProgrammeResultQuerySet(models.QuerySet):
    def visible_to(self, user):
        if user.has_role("staff", "admin"):
            return self
        if user.has_role("hr", "student"):
            return self.filter(placement__in=Placement.objects.visible_to(user))
        return self.none()


class ProgrammeResult(TimeStampedModel):
    """A placed student's result: the components as computed, the band, and any override.

    `band` is what counts (the override when there is one, else `computed_band`). Recomputed when
    an input changes until staff confirm the cohort's results; frozen after that.
    """

    Band = Band

    placement = models.OneToOneField(Placement, on_delete=models.CASCADE, related_name="result")
    course_score = models.DecimalField(_("courses"), max_digits=5, decimal_places=2, null=True)
    evaluation_score = models.DecimalField(_("evaluations"), max_digits=5, decimal_places=2, null=True)
    attendance_rate = models.DecimalField(_("attendance"), max_digits=5, decimal_places=2, null=True)
    total = models.DecimalField(_("total"), max_digits=5, decimal_places=2, null=True)
    computed_band = models.CharField(max_length=12, choices=Band.choices, default=Band.PENDING)
    band = models.CharField(_("result"), max_length=12, choices=Band.choices, default=Band.PENDING)
    override_band = models.CharField(
        _("result set by staff"), max_length=12, choices=Band.choices, blank=True
    )
    override_reason = models.TextField(_("reason"), blank=True)
    computed_at = models.DateTimeField(null=True)
    completed_on = models.DateField(_("completed on"), null=True)

    objects = ProgrammeResultQuerySet.as_manager()

    class Meta:
        verbose_name = _("programme result")
        verbose_name_plural = _("programme results")
        constraints = [
            models.CheckConstraint(condition=Q(band__in=Band.values), name="evaluations_band_valid"),
            models.CheckConstraint(
                condition=Q(computed_band__in=Band.values), name="evaluations_computed_band_valid"
            ),
            models.CheckConstraint(
                condition=Q(override_band="") | Q(override_band__in=Band.values),
                name="evaluations_override_band_valid",
            ),
            models.CheckConstraint(
                condition=Q(override_band="") | ~Q(override_reason=""), name="evaluations_override_has_reason"
            ),
            models.CheckConstraint(
                condition=Q(override_band="", band=F("computed_band"))
                | Q(band=F("override_band"), override_band__gt=""),
                name="evaluations_band_is_override_or_computed",
            ),
        ]
        indexes = [models.Index(fields=["band"], name="eval_result_band_idx")]

    def __str__(self):
        return f"{self.placement}: {self.band}"

    @property
    def is_overridden(self) -> bool:
        return bool(self.override_band)


class ResultOverride(models.Model):
    """Kept for every override of a result by staff (and every removal of one)."""

    result = models.ForeignKey(ProgrammeResult, on_delete=models.CASCADE, related_name="overrides")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    from_band = models.CharField(max_length=12, choices=Band.choices)
    to_band = models.CharField(max_length=12, choices=Band.choices)
    reason = models.TextField(_("reason"))

    class Meta:
        ordering = ["result", "at"]

    def __str__(self):
        return f"{self.result}: {self.from_band} → {self.to_band}"
