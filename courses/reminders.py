"""The course-deadline reminder: 7 and 2 days before a course is due, while it is not complete
and the student still has a quiz attempt (or passed the quiz)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.models import Role
from notifications import digests, kinds

from .models import AttemptGrant, Enrolment
from .selectors import enrolments_blocked_on_quiz
from .services import ATTEMPTS_GRANTED_KIND, DEADLINE_KIND


def _enrolment(reminder) -> Enrolment | None:
    return Enrolment.objects.with_quiz_state().select_related("course").filter(pk=reminder.subject_id).first()


def _still_due(reminder) -> bool:
    enrolment = _enrolment(reminder)
    return (
        enrolment is not None
        and enrolment.completed_at is None
        # out of quiz attempts: only the programme office can help, a deadline reminder cannot
        and not enrolment.quiz_blocked
        # the due date moved since planning: the reminder planned for the new date goes instead
        and enrolment.due_on is not None
        and enrolment.due_on.isoformat() == reminder.context.get("due_on")
    )


def _context(reminder) -> dict:
    from .selectors import progress_for_student

    enrolment = _enrolment(reminder)
    progress = next(
        (c for c in progress_for_student(enrolment.student).courses if c.enrolment_id == enrolment.pk), None
    )
    return {"course": enrolment.course, "due_on": enrolment.due_on, "progress": progress}


kinds.register(
    kinds.Kind(
        key=DEADLINE_KIND,
        label=_("A course I have not finished is due soon"),
        template="courses/course_deadline",
        audience=(Role.STUDENT,),
        still_due=_still_due,
        context=_context,
        link=lambda reminder: reverse("courses:course", args=[_enrolment(reminder).course.code]),
    )
)


# --- Extra quiz attempts granted: the student may take the quiz again --------------------------


def _granted_enrolment(reminder) -> Enrolment | None:
    enrolment_id = AttemptGrant.objects.filter(pk=reminder.subject_id).values("enrolment_id")
    return Enrolment.objects.with_quiz_state().select_related("course").filter(pk__in=enrolment_id).first()


def _grant_still_due(reminder) -> bool:
    """Passed meanwhile, or the attempts already used: the news is stale."""
    enrolment = _granted_enrolment(reminder)
    return enrolment is not None and enrolment.quiz_passed_at is None and enrolment.quiz_attempts_left > 0


def _grant_context(reminder) -> dict:
    enrolment = _granted_enrolment(reminder)
    grant = AttemptGrant.objects.get(pk=reminder.subject_id)
    return {
        "course": enrolment.course,
        "extra": grant.extra,
        "attempts_left": enrolment.quiz_attempts_left,
        "quiz_path": reverse("courses:quiz", args=[enrolment.course.code]),
    }


kinds.register(
    kinds.Kind(
        key=ATTEMPTS_GRANTED_KIND,
        label=_("The programme office gave me more attempts at a quiz"),
        template="courses/course_attempts_granted",
        # the student asked the office for it, and cannot go on without knowing
        essential=True,
        audience=(Role.STUDENT,),
        still_due=_grant_still_due,
        context=_grant_context,
        link=lambda reminder: reverse("courses:course", args=[_granted_enrolment(reminder).course.code]),
    )
)


digests.register_section(
    digests.Section(
        key="courses.blocked_on_quiz",
        role=Role.STAFF,
        title=_("Students blocked after their last quiz attempt"),
        rows=enrolments_blocked_on_quiz,
        line=lambda e: f"{e.student.full_name} · {e.course.code} {e.course.title} · {e.best_score}%",
        order=40,
    )
)
