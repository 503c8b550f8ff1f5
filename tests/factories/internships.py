"""The programme: cohorts, stores and mentors, profiles and applications, placements."""

from datetime import timedelta

import factory
from django.utils import timezone

from internships.models import Application, Cohort, District, Mentor, Store, StudentProfile

from .accounts import MentorUserFactory, StudentFactory
from .courses import CourseFactory


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
    no reminders (use `internships.services` for those). Pass `window` (the cohort is the
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
