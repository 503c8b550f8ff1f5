"""The five online courses: content (lessons, quiz questions) and each student's progress.

This app knows people and courses, nothing of cohorts or placements: callers enrol a student with
a due date and ask for progress through `courses.selectors`.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Count, F, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce, Greatest
from django.utils.translation import gettext_lazy as _

from sztu_xiaomi.models import Bilingual, TimeStampedModel


def validate_video_host(url: str) -> None:
    """Course videos must be on a host reachable in mainland China (settings.COURSE_VIDEO_HOSTS)."""
    parts = urlsplit(url)
    if parts.scheme != "https" or parts.hostname not in settings.COURSE_VIDEO_HOSTS:
        raise ValidationError(
            _("Use an https link on one of these hosts: %(hosts)s."),
            params={"hosts": ", ".join(settings.COURSE_VIDEO_HOSTS)},
            code="video_host",
        )


class Course(Bilingual, TimeStampedModel):
    code = models.CharField(_("code"), max_length=20, unique=True)
    title_zh = models.CharField(_("title (Chinese)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200)
    summary_zh = models.TextField(_("summary (Chinese)"), blank=True)
    summary_en = models.TextField(_("summary (English)"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), unique=True)
    pass_mark = models.PositiveSmallIntegerField(
        _("quiz pass mark (%)"), default=60, validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    quiz_max_attempts = models.PositiveSmallIntegerField(
        _("quiz attempts allowed"), default=3, validators=[MinValueValidator(1)]
    )

    class Meta:
        verbose_name = _("course")
        verbose_name_plural = _("courses")
        ordering = ["order"]
        constraints = [
            models.CheckConstraint(
                condition=Q(pass_mark__gte=1, pass_mark__lte=100), name="courses_pass_mark_range"
            ),
            models.CheckConstraint(condition=Q(quiz_max_attempts__gte=1), name="courses_attempts_positive"),
        ]

    def __str__(self):
        return f"{self.code} {self.title}"

    @property
    def title(self) -> str:
        return self.localized("title")

    @property
    def summary(self) -> str:
        return self.localized("summary")


class Lesson(Bilingual, TimeStampedModel):
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="lessons")
    order = models.PositiveSmallIntegerField(_("order"))
    title_zh = models.CharField(_("title (Chinese)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200)
    body_zh = models.TextField(_("text (Chinese, Markdown)"))
    body_en = models.TextField(_("text (English, Markdown)"))
    video_url = models.URLField(_("video link"), blank=True, validators=[validate_video_host])
    minutes = models.PositiveSmallIntegerField(_("estimated minutes"), default=15)
    attachment = models.FileField(_("attachment"), upload_to="course-attachments/", blank=True)

    class Meta:
        verbose_name = _("lesson")
        verbose_name_plural = _("lessons")
        ordering = ["course", "order"]
        constraints = [
            models.UniqueConstraint(fields=["course", "order"], name="courses_lesson_order_unique")
        ]

    def __str__(self):
        return f"{self.course.code}.{self.order} {self.title}"

    @property
    def title(self) -> str:
        return self.localized("title")

    @property
    def body(self) -> str:
        return self.localized("body")


class Question(Bilingual, TimeStampedModel):
    class Kind(models.TextChoices):
        SINGLE = "single", _("One answer")
        MULTIPLE = "multiple", _("Several answers")

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="questions")
    order = models.PositiveSmallIntegerField(_("order"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.SINGLE)
    text_zh = models.TextField(_("question (Chinese)"))
    text_en = models.TextField(_("question (English)"))

    class Meta:
        verbose_name = _("quiz question")
        verbose_name_plural = _("quiz questions")
        ordering = ["course", "order"]
        constraints = [
            models.UniqueConstraint(fields=["course", "order"], name="courses_question_order_unique")
        ]

    def __str__(self):
        return self.text

    @property
    def text(self) -> str:
        return self.localized("text")


class Choice(Bilingual, models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="choices")
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    text_zh = models.CharField(_("answer (Chinese)"), max_length=300)
    text_en = models.CharField(_("answer (English)"), max_length=300)
    is_correct = models.BooleanField(_("correct"), default=False)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        ordering = ["question", "order", "id"]

    def __str__(self):
        return self.text

    @property
    def text(self) -> str:
        return self.localized("text")


class EnrolmentQuerySet(models.QuerySet):
    def with_quiz_state(self) -> "EnrolmentQuerySet":
        """The one rule for quiz attempts, as annotations on each enrolment.

        - `quiz_attempts_allowed`: the course's attempts plus every extra attempt staff granted;
        - `quiz_attempts_used`: submitted attempts (one still in progress is not used yet);
        - `quiz_attempts_left`: allowed minus used, never below 0;
        - `quiz_blocked`: no attempt left and the quiz not passed, so the course cannot be
          completed until staff grant more attempts.
        """
        used = (
            QuizAttempt.objects.filter(enrolment=OuterRef("pk"), submitted_at__isnull=False)
            .order_by()
            .values("enrolment")
            .annotate(n=Count("pk"))
            .values("n")
        )
        granted = (
            AttemptGrant.objects.filter(enrolment=OuterRef("pk"))
            .order_by()
            .values("enrolment")
            .annotate(n=Sum("extra"))
            .values("n")
        )
        return self.annotate(
            quiz_attempts_used=Coalesce(Subquery(used), Value(0)),
            quiz_attempts_allowed=F("course__quiz_max_attempts") + Coalesce(Subquery(granted), Value(0)),
            quiz_attempts_left=Greatest(F("quiz_attempts_allowed") - F("quiz_attempts_used"), Value(0)),
            quiz_blocked=models.ExpressionWrapper(
                Q(quiz_passed_at__isnull=True, quiz_attempts_used__gte=F("quiz_attempts_allowed")),
                output_field=models.BooleanField(),
            ),
        )

    def quiz_blocked(self) -> "EnrolmentQuerySet":
        """Enrolments whose student used every attempt at the quiz without passing it."""
        return self.with_quiz_state().filter(quiz_blocked=True)


class Enrolment(TimeStampedModel):
    """A student taking a course, with the due date the caller (the cohort) gives."""

    student = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="enrolments")
    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="enrolments")
    due_on = models.DateField(_("due date"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    best_score = models.PositiveSmallIntegerField(_("best quiz score (%)"), null=True, blank=True)
    quiz_passed_at = models.DateTimeField(_("quiz passed at"), null=True, blank=True)

    objects = EnrolmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        constraints = [
            models.UniqueConstraint(fields=["student", "course"], name="courses_one_enrolment_per_course"),
            models.CheckConstraint(
                condition=Q(best_score__isnull=True) | Q(best_score__gte=0, best_score__lte=100),
                name="courses_best_score_range",
            ),
        ]

    def __str__(self):
        return f"{self.student} · {self.course.code}"


class LessonCompletion(models.Model):
    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="lesson_completions")
    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="+")
    completed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["enrolment", "lesson"], name="courses_lesson_completed_once"),
        ]

    def __str__(self):
        return f"{self.enrolment_id} ✓ {self.lesson_id}"


class QuizAttempt(models.Model):
    """One try at a course's quiz: questions in the order shown, then the graded result."""

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="attempts")
    number = models.PositiveSmallIntegerField()
    question_order = models.JSONField(default=list)
    started_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    score = models.PositiveSmallIntegerField(null=True, blank=True)
    passed = models.BooleanField(default=False)

    class Meta:
        ordering = ["enrolment", "number"]
        constraints = [
            models.UniqueConstraint(fields=["enrolment", "number"], name="courses_attempt_number_unique"),
            # at most one attempt in progress per enrolment
            models.UniqueConstraint(
                fields=["enrolment"], condition=Q(submitted_at__isnull=True), name="courses_one_open_attempt"
            ),
            models.CheckConstraint(condition=Q(number__gte=1), name="courses_attempt_number_positive"),
            models.CheckConstraint(
                condition=Q(score__isnull=True) | Q(score__gte=0, score__lte=100),
                name="courses_attempt_score_range",
            ),
            models.CheckConstraint(
                condition=Q(submitted_at__isnull=True, score__isnull=True)
                | Q(submitted_at__isnull=False, score__isnull=False),
                name="courses_attempt_scored_when_submitted",
            ),
        ]

    def __str__(self):
        return f"{self.enrolment} #{self.number}"


class AttemptAnswer(models.Model):
    attempt = models.ForeignKey(QuizAttempt, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="+")
    choice = models.ForeignKey(Choice, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["attempt", "choice"], name="courses_answer_choice_once"),
        ]

    def __str__(self):
        return f"{self.attempt_id}: {self.choice_id}"


ATTEMPT_GRANT_MAX_EXTRA = 10


class AttemptGrant(TimeStampedModel):
    """Extra quiz attempts staff gave a student, with who gave them and why (a log, never edited)."""

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="attempt_grants")
    extra = models.PositiveSmallIntegerField(
        _("extra attempts"), validators=[MinValueValidator(1), MaxValueValidator(ATTEMPT_GRANT_MAX_EXTRA)]
    )
    reason = models.CharField(_("reason"), max_length=300)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("granted by")
    )

    class Meta:
        verbose_name = _("extra quiz attempts")
        verbose_name_plural = _("extra quiz attempts")
        ordering = ["enrolment", "created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(extra__gte=1, extra__lte=ATTEMPT_GRANT_MAX_EXTRA),
                name="courses_attempt_grant_extra_range",
            ),
        ]

    def __str__(self):
        return f"{self.enrolment} +{self.extra}"
