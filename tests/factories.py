"""factory_boy factories for the whole project."""

from datetime import timedelta

import factory
from django.utils import timezone

from accounts.models import Invitation, Role, User
from courses.models import Choice, Course, Enrolment, Lesson, LessonCompletion, Question, QuizAttempt
from internships.models import Application, Cohort, District, Mentor, Store, StudentProfile
from notifications.models import Notification

TEST_PASSWORD = "correct-horse-battery-staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@qq.com")
    full_name = factory.Sequence(lambda n: f"王同学{n}")
    role = Role.STUDENT
    language = "en"
    password = factory.django.Password(TEST_PASSWORD)


class StudentFactory(UserFactory):
    role = Role.STUDENT


class StaffFactory(UserFactory):
    role = Role.STAFF
    email = factory.Sequence(lambda n: f"staff{n}@sztu.edu.cn")


class MentorUserFactory(UserFactory):
    role = Role.MENTOR
    email = factory.Sequence(lambda n: f"mentor{n}@xiaomi.com")


class HRFactory(UserFactory):
    role = Role.HR
    email = factory.Sequence(lambda n: f"hr{n}@xiaomi.com")


class AdminFactory(UserFactory):
    role = Role.ADMIN
    email = factory.Sequence(lambda n: f"admin{n}@sztu.edu.cn")
    is_staff = True
    is_superuser = True


class InvitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Invitation

    user = factory.SubFactory(UserFactory, is_active=False, password=None)
    invited_by = factory.SubFactory(StaffFactory)
    token_hash = factory.Sequence(lambda n: f"{n:064x}")
    expires_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=7))


class CourseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Course

    code = factory.Sequence(lambda n: f"NR{100 + n}")
    title_zh = factory.Sequence(lambda n: f"课程{n}")
    title_en = factory.Sequence(lambda n: f"Course {n}")
    order = factory.Sequence(lambda n: n + 1)


class CohortFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cohort

    code = factory.Sequence(lambda n: f"cohort-{n}")
    name_zh = factory.Sequence(lambda n: f"第{n}期")
    name_en = factory.Sequence(lambda n: f"Cohort {n}")
    status = Cohort.Status.OPEN
    applications_open_on = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=5))
    applications_close_on = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=20))


class StoreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Store

    code = factory.Sequence(lambda n: f"store-{n}")
    name_zh = factory.Sequence(lambda n: f"小米之家 测试{n}店")
    name_en = factory.Sequence(lambda n: f"Xiaomi Store Test {n}")
    district = District.NANSHAN
    address_zh = "深圳市南山区科技园"
    is_training_store = True


class MentorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Mentor

    user = factory.SubFactory(MentorUserFactory)
    store = factory.SubFactory(StoreFactory)
    certified_on = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=100))
    certification_expires_on = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=600))


class NotificationFactory(factory.django.DjangoModelFactory):
    """An in-app notification, unread unless read_at is given."""

    class Meta:
        model = Notification

    user = factory.SubFactory(StudentFactory)
    kind = "mentor_certification_expiring"
    title = factory.Sequence(lambda n: f"Reminder number {n}")
    body = "Something needs your attention."
    link = "/"


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

    question = factory.SubFactory("tests.factories.QuestionFactory", choices=[])
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


# --- Programme: student profiles and applications -----------------------------------------------

PDF_BYTES = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


class StudentProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StudentProfile

    user = factory.SubFactory(StudentFactory)
    student_number = factory.Sequence(lambda n: f"2023{n:06d}")
    major = "市场营销"
    class_name = "营销2301"
    graduation_year = 2027


class ApplicationFactory(factory.django.DjangoModelFactory):
    """A draft."""

    class Meta:
        model = Application
        skip_postgeneration_save = True

    student = factory.SubFactory(StudentFactory)
    cohort = factory.SubFactory(CohortFactory)
    motivation = "我希望在小米之家学习新零售门店运营，并把课堂上学到的客户体验知识用到实践中去。" * 2
    confirms_availability = True


class SubmittedApplicationFactory(ApplicationFactory):
    """Submitted with consent, a profile and a PDF CV."""

    status = Application.Status.SUBMITTED
    submitted_at = factory.LazyFunction(timezone.now)
    consent_at = factory.LazyFunction(timezone.now)
    consent_version = "2026-09"
    shares_with_xiaomi = True
    cv = factory.django.FileField(filename="cv.pdf", data=PDF_BYTES)

    @factory.post_generation
    def profile(obj, create, extracted, **kwargs):
        if create and not hasattr(obj.student, "student_profile"):
            StudentProfileFactory(user=obj.student)


class PlacementWindowFactory(factory.django.DjangoModelFactory):
    """Three weeks starting a month after the cohort's applications close."""

    class Meta:
        model = "internships.PlacementWindow"

    cohort = factory.SubFactory(CohortFactory)
    starts_on = factory.LazyAttribute(lambda w: w.cohort.applications_close_on + timedelta(days=30))
    ends_on = factory.LazyAttribute(lambda w: w.starts_on + timedelta(days=20))


class CohortCourseFactory(factory.django.DjangoModelFactory):
    """A course of a cohort's plan, due two months after applications close."""

    class Meta:
        model = "internships.CohortCourse"

    cohort = factory.SubFactory(CohortFactory)
    course = factory.SubFactory(CourseFactory)
    due_on = factory.LazyAttribute(lambda cc: cc.cohort.applications_close_on + timedelta(days=60))


# --- Placements ----------------------------------------------------------------------------------


class AcceptedApplicationFactory(SubmittedApplicationFactory):
    """A submitted application that staff accepted."""

    status = Application.Status.ACCEPTED
    decided_at = factory.LazyFunction(timezone.now)


class StoreSeatsFactory(factory.django.DjangoModelFactory):
    """Seats of a store in a placement window."""

    class Meta:
        model = "internships.StoreSeats"

    window = factory.SubFactory(PlacementWindowFactory)
    store = factory.SubFactory(StoreFactory)
    seats = 5


class PlacementFactory(factory.django.DjangoModelFactory):
    """A published placement (status planned) written straight to the database: no capacity check,
    no reminders (use `internships.placements` for those). Pass `window` (the cohort is the
    window's) and `mentor` (the store is the mentor's)."""

    class Meta:
        model = "internships.Placement"

    window = factory.SubFactory(PlacementWindowFactory)
    cohort = factory.SelfAttribute("window.cohort")
    application = factory.SubFactory(AcceptedApplicationFactory, cohort=factory.SelfAttribute("..cohort"))
    student = factory.SelfAttribute("application.student")
    mentor = factory.SubFactory(MentorFactory)
    store = factory.SelfAttribute("mentor.store")
    status = "planned"
