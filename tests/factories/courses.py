"""Courses, lessons, quizzes, enrolments and attempts."""

from datetime import timedelta

import factory
from django.utils import timezone

from courses.models import Choice, Course, Enrolment, Lesson, LessonCompletion, Question, QuizAttempt

from .accounts import StudentFactory


class CourseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Course

    code = factory.Sequence(lambda n: f"NR{100 + n}")
    title_zh = factory.Sequence(lambda n: f"课程{n}")
    title_en = factory.Sequence(lambda n: f"Course {n}")
    order = factory.Sequence(lambda n: n + 1)


class LessonFactory(factory.django.DjangoModelFactory):
    """A lesson of a course; pass `order` when the sequence of lessons matters."""

    class Meta:
        model = Lesson

    course = factory.SubFactory(CourseFactory)
    order = factory.Sequence(lambda n: n + 1)
    title_zh = factory.Sequence(lambda n: f"第{n}课")
    title_en = factory.Sequence(lambda n: f"Lesson {n}")
    body_zh = "## 要点\n\n顾客第一。"
    body_en = "## Key points\n\nCustomers come first."
    minutes = 10


class ChoiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Choice

    question = factory.SubFactory("tests.factories.courses.QuestionFactory", choices=[])
    order = factory.Sequence(lambda n: n + 1)
    text_zh = factory.Sequence(lambda n: f"选项{n}")
    text_en = factory.Sequence(lambda n: f"Answer {n}")
    is_correct = False


class QuestionFactory(factory.django.DjangoModelFactory):
    """A quiz question with its choices.

    `choices` lists which choices are correct, in order: the default is one correct choice out of
    three for a single-answer question, two out of three for a multiple-answer one.
    `QuestionFactory(choices=[])` makes a question without choices.
    """

    class Meta:
        model = Question
        skip_postgeneration_save = True

    course = factory.SubFactory(CourseFactory)
    order = factory.Sequence(lambda n: n + 1)
    kind = Question.Kind.SINGLE
    text_zh = factory.Sequence(lambda n: f"问题{n}？")
    text_en = factory.Sequence(lambda n: f"Question {n}?")

    @factory.post_generation
    def choices(self, create, extracted, **kwargs):
        if not create:
            return
        if extracted is None:
            extracted = [True, True, False] if self.kind == Question.Kind.MULTIPLE else [True, False, False]
        for order, correct in enumerate(extracted, start=1):
            ChoiceFactory(question=self, order=order, is_correct=correct)


class EnrolmentFactory(factory.django.DjangoModelFactory):
    """An enrolment written straight to the database (no reminders planned: use the service)."""

    class Meta:
        model = Enrolment

    student = factory.SubFactory(StudentFactory)
    course = factory.SubFactory(CourseFactory)
    due_on = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=30))


class LessonCompletionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LessonCompletion

    enrolment = factory.SubFactory(EnrolmentFactory)
    lesson = factory.SubFactory(LessonFactory, course=factory.SelfAttribute("..enrolment.course"))


class QuizAttemptFactory(factory.django.DjangoModelFactory):
    """An attempt in progress (pass submitted_at and score for a finished one)."""

    class Meta:
        model = QuizAttempt

    enrolment = factory.SubFactory(EnrolmentFactory)
    number = factory.Sequence(lambda n: n + 1)
    question_order = factory.LazyAttribute(
        lambda attempt: list(attempt.enrolment.course.questions.values_list("id", flat=True))
    )


def course_with_content(*, lessons: int = 2, single: int = 2, multiple: int = 1, **fields) -> Course:
    """A course with `lessons` lessons and a quiz of `single` one-answer then `multiple` several-answer
    questions (default choices: see QuestionFactory)."""
    course = CourseFactory(**fields)
    for order in range(1, lessons + 1):
        LessonFactory(course=course, order=order)
    kinds = [Question.Kind.SINGLE] * single + [Question.Kind.MULTIPLE] * multiple
    for order, kind in enumerate(kinds, start=1):
        QuestionFactory(course=course, order=order, kind=kind)
    return course


def quiz_answers(attempt: QuizAttempt, wrong=()) -> dict[int, list[int]]:
    """A complete submission for `attempt`: every correct choice, except for the questions in
    `wrong`, answered with one incorrect choice."""
    answers = {}
    for question_id in attempt.question_order:
        choices = Choice.objects.filter(question_id=question_id)
        if question_id in wrong:
            answers[question_id] = [choices.filter(is_correct=False).values_list("id", flat=True).first()]
        else:
            answers[question_id] = list(choices.filter(is_correct=True).values_list("id", flat=True))
    return answers
