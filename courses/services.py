"""Writes of the courses app: enrolment, lesson completion, quiz attempts, completion."""

import random
from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from accounts.models import User
from notifications.services import at_nine, reminder_plan, reminders_cancel

from .models import (
    ATTEMPT_GRANT_MAX_EXTRA,
    AttemptAnswer,
    AttemptGrant,
    Choice,
    Course,
    Enrolment,
    Lesson,
    LessonCompletion,
    QuizAttempt,
)

DEADLINE_KIND = "course_deadline"
ATTEMPTS_GRANTED_KIND = "course_attempts_granted"


class QuizClosed(Exception):
    """No attempt can be started (passed already, or no attempt left); the message is shown to the
    student. `blocked` says the student needs the programme office to go on."""

    def __init__(self, message, *, blocked: bool = False):
        super().__init__(message)
        self.blocked = blocked


class QuizSubmissionError(Exception):
    """A submission that cannot be graded (tampered, incomplete or repeated): nothing is saved."""


@transaction.atomic
def enrolment_create(*, student: User, course: Course, due_on: date | None = None) -> Enrolment:
    """Enrol a student (idempotent) with the caller's due date, and plan the deadline reminders."""
    enrolment, created = Enrolment.objects.get_or_create(
        student=student, course=course, defaults={"due_on": due_on}
    )
    if not created and enrolment.due_on != due_on:
        enrolment.due_on = due_on
        enrolment.save(update_fields=["due_on", "updated_at"])
        # The old reminders' reason has gone; a new one may share a day (and so a key) with an old
        # one, and re-planning re-arms a cancelled row with the new context.
        reminders_cancel(kind=DEADLINE_KIND, about=enrolment, reason=gettext_noop("due date moved"))
    _plan_deadline_reminders(enrolment)
    return enrolment


def _plan_deadline_reminders(enrolment: Enrolment) -> None:
    if enrolment.due_on is None or enrolment.completed_at is not None:
        return
    now = timezone.now()
    for days in settings.COURSE_DEADLINE_REMINDER_DAYS:
        due_at = at_nine(enrolment.due_on - timedelta(days=days))
        if due_at > now:
            reminder_plan(
                recipient=enrolment.student,
                kind=DEADLINE_KIND,
                about=enrolment,
                due_at=due_at,
                context={"due_on": enrolment.due_on.isoformat(), "days": days},
            )


def _complete_if_done(enrolment: Enrolment) -> bool:
    """Record completion once: every lesson done and the quiz passed (or no quiz)."""
    if enrolment.completed_at is not None:
        return False
    course = enrolment.course
    lessons_total = course.lessons.count()
    lessons_done = enrolment.lesson_completions.count()
    has_quiz = course.questions.exists()
    if lessons_done < lessons_total or (has_quiz and enrolment.quiz_passed_at is None):
        return False
    updated = Enrolment.objects.filter(pk=enrolment.pk, completed_at__isnull=True).update(
        completed_at=timezone.now()
    )
    if updated:
        enrolment.refresh_from_db(fields=["completed_at"])
        reminders_cancel(kind=DEADLINE_KIND, about=enrolment, reason=gettext_noop("course completed"))
    return bool(updated)


@transaction.atomic
def lesson_complete(*, enrolment: Enrolment, lesson: Lesson) -> bool:
    """Tick a lesson off (once); returns True if this completed the course."""
    if lesson.course_id != enrolment.course_id:
        raise ValueError("lesson of another course")
    LessonCompletion.objects.get_or_create(enrolment=enrolment, lesson=lesson)
    return _complete_if_done(enrolment)


def _blocked_message(allowed: int) -> str:
    return _(
        "You have used all %(n)s attempts at this quiz without passing, so the course cannot be "
        "completed yet. Contact the programme office: staff can give you another attempt."
    ) % {"n": allowed}


def quiz_attempt_open(*, enrolment: Enrolment) -> QuizAttempt:
    """The attempt in progress, or a new one with the questions in a fresh random order.

    Refused once the quiz is passed (another attempt would only use one up) and once no attempt
    is left (the student is blocked until staff grant more).
    """
    with transaction.atomic():
        Enrolment.objects.select_for_update().filter(pk=enrolment.pk).first()
        enrolment = Enrolment.objects.with_quiz_state().select_related("course").get(pk=enrolment.pk)
        current = enrolment.attempts.filter(submitted_at__isnull=True).first()
        if current is not None:
            return current
        if enrolment.quiz_passed_at is not None:
            raise QuizClosed(
                _("You passed this quiz with %(score)s%%. There is no need to take it again.")
                % {"score": enrolment.best_score}
            )
        if enrolment.quiz_blocked:
            raise QuizClosed(_blocked_message(enrolment.quiz_attempts_allowed), blocked=True)
        order = list(enrolment.course.questions.values_list("id", flat=True))
        random.shuffle(order)
        try:
            with transaction.atomic():
                return QuizAttempt.objects.create(
                    enrolment=enrolment, number=enrolment.attempts.count() + 1, question_order=order
                )
        except IntegrityError:  # opened in another tab at the same moment
            return enrolment.attempts.get(submitted_at__isnull=True)


@transaction.atomic
def quiz_attempt_submit(*, attempt: QuizAttempt, answers: dict[int, list[int]]) -> QuizAttempt:
    """Grade an attempt on the server. Anything but a clean, complete, first submission is refused."""
    attempt = QuizAttempt.objects.select_for_update().select_related("enrolment__course").get(pk=attempt.pk)
    if attempt.submitted_at is not None:
        raise QuizSubmissionError(_("This attempt was already submitted."))
    question_ids = set(attempt.question_order)
    if set(answers) - question_ids:
        raise QuizSubmissionError(_("The answers do not belong to this quiz. Reload the page and try again."))
    if not all(answers.get(qid) for qid in question_ids):
        raise QuizSubmissionError(_("Answer every question before you submit."))

    choices = {
        c.id: c for c in Choice.objects.filter(question_id__in=question_ids).select_related("question")
    }
    correct_by_question: dict[int, set[int]] = {qid: set() for qid in question_ids}
    kinds: dict[int, str] = {}
    for choice in choices.values():
        kinds[choice.question_id] = choice.question.kind
        if choice.is_correct:
            correct_by_question[choice.question_id].add(choice.id)

    rows, right = [], 0
    for qid in question_ids:
        chosen = set(answers[qid])
        if any(cid not in choices or choices[cid].question_id != qid for cid in chosen):
            raise QuizSubmissionError(
                _("The answers do not belong to this quiz. Reload the page and try again.")
            )
        if kinds.get(qid) == "single" and len(chosen) != 1:
            raise QuizSubmissionError(_("Choose exactly one answer for single-answer questions."))
        right += chosen == correct_by_question[qid]
        rows += [AttemptAnswer(attempt=attempt, question_id=qid, choice_id=cid) for cid in chosen]

    AttemptAnswer.objects.bulk_create(rows)
    course = attempt.enrolment.course
    attempt.score = round(100 * right / len(question_ids)) if question_ids else 100
    attempt.passed = attempt.score >= course.pass_mark
    attempt.submitted_at = timezone.now()
    attempt.save(update_fields=["score", "passed", "submitted_at"])

    enrolment = Enrolment.objects.select_for_update().get(pk=attempt.enrolment_id)
    fields = []
    if enrolment.best_score is None or attempt.score > enrolment.best_score:
        enrolment.best_score = attempt.score
        fields.append("best_score")
    if attempt.passed and enrolment.quiz_passed_at is None:
        enrolment.quiz_passed_at = attempt.submitted_at
        fields.append("quiz_passed_at")
    if fields:
        enrolment.save(update_fields=[*fields, "updated_at"])
    _complete_if_done(enrolment)
    if Enrolment.objects.quiz_blocked().filter(pk=enrolment.pk).exists():
        # Reminding a student of a deadline they cannot meet without the office helps no one;
        # granting attempts plans them again.
        reminders_cancel(kind=DEADLINE_KIND, about=enrolment, reason=gettext_noop("quiz attempts used up"))
    return attempt


@transaction.atomic
def enrolment_grant_attempts(*, enrolment: Enrolment, extra: int, reason: str, by: User) -> AttemptGrant:
    """Give a student `extra` more attempts at a course's quiz, recorded with who, when and why.

    The deadline reminders still ahead are planned again if the course is not complete, and the
    student is told (e-mail and bell).
    """
    enrolment = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
    reason = (reason or "").strip()
    errors = {}
    if not 1 <= extra <= ATTEMPT_GRANT_MAX_EXTRA:
        errors["extra"] = _("Grant between 1 and %(n)s attempts.") % {"n": ATTEMPT_GRANT_MAX_EXTRA}
    if not reason:
        errors["reason"] = _("Say why the attempts are granted.")
    if errors:
        raise ValidationError(errors)
    if enrolment.quiz_passed_at is not None:
        raise ValidationError(_("This student already passed the quiz: no attempts are needed."))
    grant = AttemptGrant.objects.create(enrolment=enrolment, extra=extra, reason=reason, granted_by=by)
    enrolment.save(update_fields=["updated_at"])
    _plan_deadline_reminders(enrolment)
    # the student is told at once: they are waiting for it
    reminder_plan(recipient=enrolment.student, kind=ATTEMPTS_GRANTED_KIND, about=grant, due_at=timezone.now())
    return grant
