"""Reads of the courses app that other apps may call: progress for one or many students."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime

from django.db.models import Count, QuerySet
from django.utils import timezone

from accounts.models import Role, User

from .models import AttemptGrant, Course, Enrolment, Lesson, LessonCompletion, QuizAttempt


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
    quiz_attempts_allowed: int = 0
    quiz_attempts_left: int = 0
    quiz_blocked: bool = False

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
    def blocked(self) -> list[CourseProgress]:
        """Courses the student cannot complete until staff grant more quiz attempts."""
        return [c for c in self.courses if c.quiz_blocked]

    @property
    def next_course(self) -> CourseProgress | None:
        """The unfinished course to work on now: the one due first, then in teaching order (a
        blocked course is not one to continue: `blocked` lists those)."""
        pending = [c for c in self.courses if not c.is_complete and not c.quiz_blocked]
        return min(pending, key=lambda c: (c.due_on is None, c.due_on, c.course.order), default=None)


def progress_for_students(student_ids) -> dict[int, StudentProgress]:
    """Progress of many students at once, in four queries whatever their number."""
    student_ids = list(student_ids)
    enrolments = list(
        Enrolment.objects.filter(student_id__in=student_ids)
        .with_quiz_state()
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
                quiz_attempts_allowed=e.quiz_attempts_allowed,
                quiz_attempts_left=e.quiz_attempts_left,
                quiz_blocked=e.quiz_blocked,
            )
        )
    return {sid: result.get(sid, StudentProgress()) for sid in student_ids}


def progress_for_student(student) -> StudentProgress:
    return progress_for_students([student.pk])[student.pk]


def enrolment_for(student, course_code: str) -> Enrolment | None:
    return (
        Enrolment.objects.select_related("course").filter(student=student, course__code=course_code).first()
    )


def enrolment_with_quiz_state(enrolment: Enrolment) -> Enrolment:
    """The enrolment again, with its attempts left and whether it is blocked (see `with_quiz_state`)."""
    return Enrolment.objects.with_quiz_state().select_related("course").get(pk=enrolment.pk)


def enrolments_blocked_on_quiz() -> QuerySet[Enrolment]:
    """Active students who used every quiz attempt of a course without passing, by name."""
    return (
        Enrolment.objects.quiz_blocked()
        .filter(student__is_active=True)
        .select_related("student", "course")
        .order_by("student__full_name", "course__order", "pk")
    )


def students_in_courses(*, blocked_only: bool = False) -> QuerySet[User]:
    """Students enrolled in any course, by name; with `blocked_only`, those blocked on a quiz."""
    students = User.objects.filter(role=Role.STUDENT, enrolments__isnull=False)
    if blocked_only:
        students = students.filter(pk__in=Enrolment.objects.quiz_blocked().values("student_id"))
    return students.distinct().order_by("full_name", "pk")


def attempt_grants_for(student) -> list[AttemptGrant]:
    """Every grant of extra attempts to this student, newest first, with who granted it."""
    return list(
        AttemptGrant.objects.filter(enrolment__student=student)
        .select_related("granted_by", "enrolment__course")
        .order_by("-created_at", "-pk")
    )


def completed_lesson_ids(enrolment: Enrolment) -> set[int]:
    return set(enrolment.lesson_completions.values_list("lesson_id", flat=True))


def submitted_attempts(enrolment: Enrolment) -> QuerySet[QuizAttempt]:
    return enrolment.attempts.filter(submitted_at__isnull=False).order_by("number")


def passed_attempt(enrolment: Enrolment) -> QuizAttempt | None:
    """The first attempt that passed the quiz, if any."""
    return enrolment.attempts.filter(passed=True).order_by("number").first()


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
