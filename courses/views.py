"""Student pages of the online courses; staff's view of progress, where they grant extra quiz attempts."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from accounts.access import role_required
from accounts.models import Role, User

from . import selectors, services
from .forms import AttemptGrantForm
from .models import Enrolment, Question, QuizAttempt


def _enrolment(request, code: str) -> Enrolment:
    """The signed-in student's enrolment in this course; any other course is a 404."""
    return get_object_or_404(
        Enrolment.objects.select_related("course").filter(student=request.user), course__code=code
    )


@role_required(Role.STUDENT)
def my_courses(request):
    progress = selectors.progress_for_student(request.user)
    return render(request, "courses/my_courses.html", {"progress": progress})


@role_required(Role.STUDENT)
def course_detail(request, code):
    enrolment = _enrolment(request, code)
    course = enrolment.course
    done = selectors.completed_lesson_ids(enrolment)
    lessons = list(course.lessons.order_by("order"))
    progress = next(
        c for c in selectors.progress_for_student(request.user).courses if c.enrolment_id == enrolment.pk
    )
    attempts = list(selectors.submitted_attempts(enrolment))
    return render(
        request,
        "courses/course_detail.html",
        {
            "enrolment": enrolment,
            "course": course,
            "lessons": [(lesson, lesson.id in done) for lesson in lessons],
            "progress": progress,
            "attempts": attempts,
            "has_quiz": course.questions.exists(),
        },
    )


@role_required(Role.STUDENT)
def lesson_detail(request, code, order):
    enrolment = _enrolment(request, code)
    lessons = list(enrolment.course.lessons.order_by("order").only("id", "order", "title_zh", "title_en"))
    position = next((i for i, lesson in enumerate(lessons) if lesson.order == order), None)
    if position is None:
        raise Http404
    lesson = enrolment.course.lessons.get(pk=lessons[position].pk)
    return render(
        request,
        "courses/lesson_detail.html",
        {
            "enrolment": enrolment,
            "course": enrolment.course,
            "lesson": lesson,
            "done": lesson.id in selectors.completed_lesson_ids(enrolment),
            "previous": lessons[position - 1] if position > 0 else None,
            "next": lessons[position + 1] if position + 1 < len(lessons) else None,
            "number": position + 1,
            "count": len(lessons),
        },
    )


@require_POST
@role_required(Role.STUDENT)
def lesson_complete(request, code, order):
    enrolment = _enrolment(request, code)
    lesson = get_object_or_404(enrolment.course.lessons, order=order)
    if services.lesson_complete(enrolment=enrolment, lesson=lesson):
        messages.success(request, _("Course complete. Well done!"))
    next_lesson = enrolment.course.lessons.filter(order__gt=order).order_by("order").first()
    if next_lesson is not None:
        return redirect("courses:lesson", code=code, order=next_lesson.order)
    return redirect("courses:course", code=code)


@role_required(Role.STUDENT)
def lesson_attachment(request, code, order):
    enrolment = _enrolment(request, code)
    lesson = get_object_or_404(enrolment.course.lessons, order=order)
    if not lesson.attachment:
        raise Http404
    return FileResponse(
        lesson.attachment.open("rb"), as_attachment=True, filename=lesson.attachment.name.rsplit("/", 1)[-1]
    )


def _parse_answers(post) -> dict[int, list[int]] | None:
    """{question id: [choice ids]} from the form, or None if a value is not a number at all."""
    answers: dict[int, list[int]] = {}
    try:
        for key in post:
            if key.startswith("q"):
                answers[int(key[1:])] = [int(value) for value in post.getlist(key)]
    except ValueError:
        return None
    return answers


@role_required(Role.STUDENT)
def quiz(request, code):
    enrolment = _enrolment(request, code)
    course = enrolment.course
    if not course.questions.exists():
        raise Http404
    if request.method == "POST":
        try:
            attempt_id = int(request.POST.get("attempt", ""))
        except ValueError:
            raise Http404 from None
        attempt = get_object_or_404(QuizAttempt, pk=attempt_id, enrolment=enrolment)
        answers = _parse_answers(request.POST)
        try:
            if answers is None:
                raise services.QuizSubmissionError(
                    _("The answers do not belong to this quiz. Reload the page and try again.")
                )
            services.quiz_attempt_submit(attempt=attempt, answers=answers)
        except services.QuizSubmissionError as error:
            messages.error(request, str(error))
            if (
                attempt.submitted_at is not None
                or QuizAttempt.objects.filter(pk=attempt.pk, submitted_at__isnull=False).exists()
            ):
                return redirect("courses:course", code=code)
            return _render_quiz(request, enrolment, attempt, answers or {}, status=400)
        return redirect("courses:quiz_result", code=code, number=attempt.number)
    try:
        attempt = services.quiz_attempt_open(enrolment=enrolment)
    except services.QuizClosed as closed:
        return render(
            request,
            "courses/quiz_closed.html",
            {
                "course": course,
                "reason": str(closed),
                "blocked": closed.blocked,
                "enrolment": selectors.enrolment_with_quiz_state(enrolment),
                "passed_attempt": selectors.passed_attempt(enrolment),
            },
        )
    return _render_quiz(request, enrolment, attempt, {})


def _render_quiz(request, enrolment, attempt, answers, status=200):
    state = selectors.enrolment_with_quiz_state(enrolment)
    questions = {
        q.id: q for q in Question.objects.filter(id__in=attempt.question_order).prefetch_related("choices")
    }
    ordered = [
        (
            questions[qid],
            [(choice, choice.id in answers.get(qid, [])) for choice in questions[qid].choices.all()],
        )
        for qid in attempt.question_order
        if qid in questions
    ]
    return render(
        request,
        "courses/quiz.html",
        {
            "course": enrolment.course,
            "attempt": attempt,
            "questions": ordered,
            # the attempt in progress is not counted as used yet
            "attempts_left_after": max(state.quiz_attempts_left - 1, 0),
        },
        status=status,
    )


@role_required(Role.STUDENT)
def quiz_result(request, code, number):
    enrolment = _enrolment(request, code)
    attempt = get_object_or_404(enrolment.attempts, number=number, submitted_at__isnull=False)
    return render(
        request,
        "courses/quiz_result.html",
        {
            "course": enrolment.course,
            "enrolment": selectors.enrolment_with_quiz_state(enrolment),
            "attempt": attempt,
        },
    )


BLOCKED = "blocked"


@role_required(Role.STAFF, Role.ADMIN)
def progress_overview(request):
    status = request.GET.get("status", "")
    students = selectors.students_in_courses(blocked_only=status == BLOCKED)
    page = Paginator(students, 50).get_page(request.GET.get("page"))
    progress = selectors.progress_for_students([s.pk for s in page.object_list])
    rows = [(student, progress[student.pk]) for student in page.object_list]
    return render(
        request,
        "courses/progress_overview.html",
        {"page": page, "rows": rows, "status": status if status == BLOCKED else "", "blocked": BLOCKED},
    )


def _student_progress_page(request, student, bound: tuple[int, AttemptGrantForm] | None = None, status=200):
    """Staff's page of one student; `bound` is the grant form (for that enrolment) that had errors."""
    progress = selectors.progress_for_student(student)
    bound_id, bound_form = bound if bound is not None else (None, None)
    grant_forms = [
        (item, bound_form if item.enrolment_id == bound_id else AttemptGrantForm())
        for item in progress.courses
        if item.quiz_blocked or item.enrolment_id == bound_id
    ]
    return render(
        request,
        "courses/student_progress.html",
        {
            "student": student,
            "progress": progress,
            "grant_forms": grant_forms,
            "grants": selectors.attempt_grants_for(student),
        },
        status=status,
    )


@role_required(Role.STAFF, Role.ADMIN)
def student_progress(request, pk):
    student = get_object_or_404(User, pk=pk, role=Role.STUDENT)
    return _student_progress_page(request, student)


@require_POST
@role_required(Role.STAFF, Role.ADMIN)
def attempts_grant(request, pk, code):
    student = get_object_or_404(User, pk=pk, role=Role.STUDENT)
    enrolment = get_object_or_404(
        Enrolment.objects.select_related("course"), student=student, course__code=code
    )
    form = AttemptGrantForm(request.POST)
    if form.is_valid():
        try:
            grant = services.enrolment_grant_attempts(
                enrolment=enrolment,
                extra=form.cleaned_data["extra"],
                reason=form.cleaned_data["reason"],
                by=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                ngettext(
                    "%(n)s more attempt granted at “%(course)s”. %(student)s can take the quiz again.",
                    "%(n)s more attempts granted at “%(course)s”. %(student)s can take the quiz again.",
                    grant.extra,
                )
                % {"n": grant.extra, "course": enrolment.course.title, "student": student.full_name},
            )
            return redirect("courses:student_progress", pk=student.pk)
    return _student_progress_page(request, student, bound=(enrolment.pk, form), status=400)
