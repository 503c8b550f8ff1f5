"""Reads of the courses app that other apps may call: progress for one or many students."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime

from django.db.models import Count, QuerySet
from django.utils import timezone

from .models import Course, Enrolment, Lesson, LessonCompletion, QuizAttempt


def programme_courses() -> QuerySet[Course]:
    """The programme's courses in teaching order."""
    return Course.objects.order_by("order")


@dataclass
class CourseProgress:
    course: Course
    enrolment_id: int
    due_on: date | None
    lessons_total: int
    lessons_done: int
    has_quiz: bool
    quiz_passed: bool
    best_score: int | None
    completed_at: datetime | None

    @property
    def is_complete(self) -> bool:
        return self.completed_at is not None

    @property
    def percent(self) -> int:
        """Lessons count one step each, the quiz one more."""
        steps = self.lessons_total + (1 if self.has_quiz else 0)
        done = self.lessons_done + (1 if self.quiz_passed else 0)
        return 100 if self.is_complete or not steps else round(100 * done / steps)

    @property
    def is_overdue(self) -> bool:
        return not self.is_complete and self.due_on is not None and self.due_on < timezone.localdate()


@dataclass
class StudentProgress:
    courses: list[CourseProgress] = field(default_factory=list)

    @property
    def completed(self) -> int:
        return sum(c.is_complete for c in self.courses)

    @property
    def total(self) -> int:
        return len(self.courses)

    @property
    def percent(self) -> int:
        return round(sum(c.percent for c in self.courses) / len(self.courses)) if self.courses else 0

    @property
    def next_course(self) -> CourseProgress | None:
        """The unfinished course to work on now: the one due first, then in teaching order."""
        pending = [c for c in self.courses if not c.is_complete]
        return min(pending, key=lambda c: (c.due_on is None, c.due_on, c.course.order), default=None)


def progress_for_students(student_ids) -> dict[int, StudentProgress]:
    """Progress of many students at once, in four queries whatever their number."""
    student_ids = list(student_ids)
    enrolments = list(
        Enrolment.objects.filter(student_id__in=student_ids)
        .select_related("course")
        .order_by("course__order")
    )
    course_ids = {e.course_id for e in enrolments}
    lessons_total = dict(
        Lesson.objects.filter(course_id__in=course_ids).values_list("course_id").annotate(n=Count("id"))
    )
    with_quiz = set(
        Course.objects.filter(id__in=course_ids, questions__isnull=False)
        .values_list("id", flat=True)
        .distinct()
    )
    done = dict(
        LessonCompletion.objects.filter(enrolment__student_id__in=student_ids)
        .values_list("enrolment_id")
        .annotate(n=Count("id"))
    )
    result: dict[int, StudentProgress] = defaultdict(StudentProgress)
    for e in enrolments:
        result[e.student_id].courses.append(
            CourseProgress(
                course=e.course,
                enrolment_id=e.id,
                due_on=e.due_on,
                lessons_total=lessons_total.get(e.course_id, 0),
                lessons_done=done.get(e.id, 0),
                has_quiz=e.course_id in with_quiz,
                quiz_passed=e.quiz_passed_at is not None,
                best_score=e.best_score,
                completed_at=e.completed_at,
            )
        )
    return {sid: result.get(sid, StudentProgress()) for sid in student_ids}


def progress_for_student(student) -> StudentProgress:
    return progress_for_students([student.pk])[student.pk]


def enrolment_for(student, course_code: str) -> Enrolment | None:
    return (
        Enrolment.objects.select_related("course").filter(student=student, course__code=course_code).first()
    )


def completed_lesson_ids(enrolment: Enrolment) -> set[int]:
    return set(enrolment.lesson_completions.values_list("lesson_id", flat=True))


def submitted_attempts(enrolment: Enrolment) -> QuerySet[QuizAttempt]:
    return enrolment.attempts.filter(submitted_at__isnull=False).order_by("number")


def completed_course_counts(student_ids, course_ids, by: datetime) -> dict[int, int]:
    """How many of `course_ids` each student had completed by `by` (one query)."""
    rows = (
        Enrolment.objects.filter(
            student_id__in=list(student_ids), course_id__in=list(course_ids), completed_at__lte=by
        )
        .values("student_id")
        .annotate(n=Count("id"))
    )
    return {row["student_id"]: row["n"] for row in rows}
