"""How a cohort's graduates are ranked for recommendation, how fast Xiaomi must answer, and how much
of the pipeline the student sees."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.lookups import Exact
from django.utils.translation import gettext_lazy as _

from internships.models import Cohort
from sztu_xiaomi.models import TimeStampedModel

percent = [MaxValueValidator(100)]

DEFAULT_RESPONSE_DAYS = 7


class StudentSees(models.TextChoices):
    EVERY_STATUS = "every_status", _("Every status, as Xiaomi records it")
    MILESTONES = "milestones", _("Milestones only: recommended, interview, offer and the outcome")


class HiringSettings(TimeStampedModel):
    """A cohort's weights for the candidates' score, Xiaomi's response time and the student's view.

    A cohort without a row uses the defaults below (`HiringSettings.defaults()`)."""

    StudentSees = StudentSees

    cohort = models.OneToOneField(Cohort, on_delete=models.CASCADE, related_name="hiring")
    course_weight = models.PositiveSmallIntegerField(
        _("weight of the five courses (%)"), default=30, validators=percent
    )
    evaluation_weight = models.PositiveSmallIntegerField(
        _("weight of the mentor's evaluations (%)"), default=40, validators=percent
    )
    recommendation_weight = models.PositiveSmallIntegerField(
        _("weight of the mentor's hiring recommendation (%)"), default=20, validators=percent
    )
    attendance_weight = models.PositiveSmallIntegerField(
        _("weight of attendance (%)"), default=10, validators=percent
    )
    response_days = models.PositiveSmallIntegerField(
        _("days Xiaomi has to respond"),
        default=DEFAULT_RESPONSE_DAYS,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
        help_text=_("A recommendation still marked received after this many days is overdue."),
    )
    student_sees = models.CharField(
        _("the student sees"), max_length=12, choices=StudentSees.choices, default=StudentSees.EVERY_STATUS
    )

    class Meta:
        verbose_name = _("hiring settings")
        verbose_name_plural = _("hiring settings")
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    course_weight__lte=100,
                    evaluation_weight__lte=100,
                    recommendation_weight__lte=100,
                    attendance_weight__lte=100,
                ),
                name="recommendations_weights_are_percentages",
            ),
            models.CheckConstraint(
                condition=Exact(
                    F("course_weight")
                    + F("evaluation_weight")
                    + F("recommendation_weight")
                    + F("attendance_weight"),
                    100,
                ),
                name="recommendations_weights_sum_to_100",
            ),
            models.CheckConstraint(
                condition=Q(response_days__gte=1, response_days__lte=60),
                name="recommendations_response_days_range",
            ),
            models.CheckConstraint(
                condition=Q(student_sees__in=StudentSees.values), name="recommendations_student_sees_valid"
            ),
        ]

    def __str__(self):
        return f"{self.cohort}"

    @classmethod
    def defaults(cls, cohort: Cohort) -> "HiringSettings":
        """The settings a cohort without a row of its own uses (unsaved)."""
        return cls(cohort=cohort)
