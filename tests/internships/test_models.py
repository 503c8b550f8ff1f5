"""Database constraints hold even when Python validation is bypassed."""

from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import User
from internships.models import Cohort, Mentor
from tests.factories import CohortFactory, MentorFactory, StudentFactory


def test_the_database_refuses_a_cohort_that_closes_before_it_opens(db):
    today = timezone.localdate()

    with pytest.raises(IntegrityError), transaction.atomic():
        CohortFactory(applications_open_on=today, applications_close_on=today - timedelta(days=1))


def test_the_database_accepts_a_cohort_open_for_a_single_day(db):
    today = timezone.localdate()

    CohortFactory(applications_open_on=today, applications_close_on=today)

    assert Cohort.objects.count() == 1


def test_the_database_refuses_an_unknown_cohort_status(db):
    cohort = CohortFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        Cohort.objects.filter(pk=cohort.pk).update(status="cancelled")


def test_the_database_refuses_a_certification_that_expires_before_it_was_granted(db):
    today = timezone.localdate()

    with pytest.raises(IntegrityError), transaction.atomic():
        MentorFactory(certified_on=today, certification_expires_on=today - timedelta(days=1))


def test_the_database_refuses_a_certification_that_expires_the_day_it_was_granted(db):
    today = timezone.localdate()

    with pytest.raises(IntegrityError), transaction.atomic():
        MentorFactory(certified_on=today, certification_expires_on=today)


@pytest.mark.parametrize("capacity", [0, 11])
def test_the_database_refuses_a_mentor_capacity_out_of_range(db, capacity):
    with pytest.raises(IntegrityError), transaction.atomic():
        MentorFactory(capacity=capacity)


def test_the_database_refuses_an_unknown_role(db):
    user = StudentFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.filter(pk=user.pk).update(role="janitor")

    user.refresh_from_db()
    assert user.role == "student"


def test_the_database_refuses_two_emails_that_differ_only_in_case(db):
    StudentFactory(email="wang@qq.com")
    other = StudentFactory(email="li@qq.com")

    # update() skips User.save(), which would have lower-cased the address.
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.filter(pk=other.pk).update(email="Wang@QQ.com")


def test_saving_a_user_stores_the_email_in_lower_case(db):
    user = StudentFactory(email="  Wang@QQ.com ")

    user.refresh_from_db()
    assert user.email == "wang@qq.com"


def test_one_person_can_mentor_only_once(db):
    mentor = MentorFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        MentorFactory(user=mentor.user)

    assert Mentor.objects.count() == 1
