"""factory_boy factories for the whole project."""

from datetime import timedelta

import factory
from django.utils import timezone

from accounts.models import Invitation, Role, User
from courses.models import Course
from internships.models import Cohort, District, Mentor, Store
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
