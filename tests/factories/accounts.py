"""People: one factory per role, and invitations."""

from datetime import timedelta

import factory
from django.utils import timezone

from accounts.models import Invitation, Role, User

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
