"""The programme's database rules hold even when the services and forms are bypassed."""

import threading
from datetime import timedelta

import pytest
from django.db import IntegrityError, connection, connections, transaction
from django.utils import timezone

from internships import services
from internships.models import (
    Application,
    ApplicationEvent,
    ApplicationPreference,
    District,
    PlacementWindow,
    StudentProfile,
)
from tests.conftest import skip_or_fail
from tests.factories import (
    ApplicationFactory,
    CohortFactory,
    StoreFactory,
    StudentFactory,
    StudentProfileFactory,
)


def test_the_database_refuses_a_second_application_of_a_student_to_the_same_cohort(db):
    student, cohort = StudentFactory(), CohortFactory()
    Application.objects.create(student=student, cohort=cohort)

    with pytest.raises(IntegrityError), transaction.atomic():
        Application.objects.create(student=student, cohort=cohort)

    assert Application.objects.filter(student=student, cohort=cohort).count() == 1


def test_the_database_accepts_applications_of_one_student_to_two_cohorts(db):
    student = StudentFactory()

    Application.objects.create(student=student, cohort=CohortFactory())
    Application.objects.create(student=student, cohort=CohortFactory())

    assert Application.objects.filter(student=student).count() == 2


@pytest.mark.parametrize("status", ["submitted", "accepted", "waitlisted", "rejected", "withdrawn"])
@pytest.mark.parametrize("missing", ["submitted_at", "consent_at", "consent_version"])
def test_the_database_refuses_an_application_past_draft_without_submission_and_consent(db, status, missing):
    now = timezone.now()
    fields = {"submitted_at": now, "consent_at": now, "consent_version": "2026-09"}
    fields[missing] = "" if missing == "consent_version" else None

    with pytest.raises(IntegrityError), transaction.atomic():
        ApplicationFactory(status=status, **fields)


def test_the_database_accepts_a_submitted_application_with_its_consent(db):
    now = timezone.now()

    ApplicationFactory(status="submitted", submitted_at=now, consent_at=now, consent_version="2026-09")

    assert Application.objects.filter(status="submitted").count() == 1


def test_the_database_refuses_an_unknown_application_status(db):
    application = ApplicationFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        Application.objects.filter(pk=application.pk).update(status="lost")


def test_the_database_refuses_a_preference_naming_a_store_and_a_district(db):
    application = ApplicationFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        ApplicationPreference.objects.create(
            application=application, rank=1, store=StoreFactory(), district=District.FUTIAN
        )


def test_the_database_refuses_a_preference_naming_neither_a_store_nor_a_district(db):
    application = ApplicationFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        ApplicationPreference.objects.create(application=application, rank=1, store=None, district="")


@pytest.mark.parametrize("rank", [0, 4])
def test_the_database_refuses_a_preference_rank_outside_one_to_three(db, rank):
    application = ApplicationFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        ApplicationPreference.objects.create(application=application, rank=rank, district=District.FUTIAN)


def test_the_database_refuses_two_preferences_with_the_same_rank(db):
    application = ApplicationFactory()
    ApplicationPreference.objects.create(application=application, rank=1, district=District.FUTIAN)

    with pytest.raises(IntegrityError), transaction.atomic():
        ApplicationPreference.objects.create(application=application, rank=1, district=District.NANSHAN)

    assert application.preferences.count() == 1


@pytest.mark.parametrize("length_days", [-1, 0])
def test_the_database_refuses_a_placement_window_that_ends_before_it_starts(db, length_days):
    starts_on = timezone.localdate() + timedelta(days=40)

    with pytest.raises(IntegrityError), transaction.atomic():
        PlacementWindow.objects.create(
            cohort=CohortFactory(), starts_on=starts_on, ends_on=starts_on + timedelta(days=length_days)
        )


@pytest.mark.parametrize("year", [2019, 2041])
def test_the_database_refuses_a_graduation_year_out_of_range(db, year):
    with pytest.raises(IntegrityError), transaction.atomic():
        StudentProfileFactory(graduation_year=year)

    assert StudentProfile.objects.count() == 0


def test_the_database_refuses_a_student_number_used_twice(db):
    StudentProfileFactory(student_number="2023000777")

    with pytest.raises(IntegrityError), transaction.atomic():
        StudentProfileFactory(student_number="2023000777")

    assert StudentProfile.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_ten_simultaneous_draft_saves_create_exactly_one_application():
    if connection.vendor != "postgresql":
        skip_or_fail(
            "the concurrent draft test needs PostgreSQL row locks (DATABASE_URL); SQLite serialises writers"
        )
    student, cohort = StudentFactory(), CohortFactory()
    barrier = threading.Barrier(10)
    errors = []

    def save_draft(n):
        try:
            barrier.wait(timeout=30)
            services.application_save_draft(
                student=student,
                cohort=cohort,
                motivation=f"draft number {n}",
                window=None,
                confirms_availability=False,
                preferences=[{"district": District.FUTIAN}],
            )
        except Exception as error:  # surfaced below: a thread's exception is otherwise lost
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=save_draft, args=(n,)) for n in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    application = Application.objects.get(student=student, cohort=cohort)
    assert application.status == Application.Status.DRAFT
    assert application.preferences.count() == 1
    assert ApplicationEvent.objects.filter(application=application, from_status="").count() == 1
