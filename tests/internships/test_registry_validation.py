"""The store and mentor registry: bad input gets a clear message next to the field, never the
name of a database constraint, and nothing is saved."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from internships.models import Mentor, Store
from sztu_xiaomi.validators import validate_phone
from tests.factories import MentorFactory, StoreFactory


def mentor_data(mentor, **changes):
    data = {
        "user": mentor.user_id,
        "store": mentor.store_id,
        "certified_on": mentor.certified_on.isoformat(),
        "certification_expires_on": mentor.certification_expires_on.isoformat(),
        "capacity": mentor.capacity,
    }
    return {**data, **changes}


@pytest.mark.parametrize(
    "language, says",
    [("zh-hans", "每位导师同时带 1 至 10 名实习生。"), ("en", "A mentor takes 1 to 10 interns at once.")],
)
@pytest.mark.parametrize("capacity", [0, 11, 200])
def test_a_mentor_capacity_out_of_range_is_explained_next_to_the_field(client, hr, capacity, language, says):
    mentor = MentorFactory(capacity=2)
    hr.language = language
    hr.save()
    client.force_login(hr)

    response = client.post(
        reverse("internships:mentor_edit", args=[mentor.pk]), mentor_data(mentor, capacity=capacity)
    )

    assert response.status_code == 400
    form = response.context["form"]
    assert form.errors == {"capacity": [says]}
    assert "internships_mentor_capacity_range" not in response.content.decode()
    mentor.refresh_from_db()
    assert mentor.capacity == 2


@pytest.mark.parametrize("capacity", [1, 10])
def test_a_mentor_capacity_within_range_is_saved(client, hr, capacity):
    mentor = MentorFactory(capacity=2)
    client.force_login(hr)

    response = client.post(
        reverse("internships:mentor_edit", args=[mentor.pk]), mentor_data(mentor, capacity=capacity)
    )

    assert response.status_code == 302
    mentor.refresh_from_db()
    assert mentor.capacity == capacity


GOOD_PHONES = [
    "0755-12345678",
    "075512345678",
    "0755-1234567",
    "010-12345678",
    "0755-12345678-801",
    "0755-12345678转801",
    "13800138000",
    "400-100-5678",
    "4001005678",
]
BAD_PHONES = [
    "12345",
    "0755-123",
    "0755-123456789",
    "2380013800",
    "1380013800",
    "138001380001",
    "755-12345678",
    "phone",
    "+1 415 555 0100",
    "0755-12345678-",
]


@pytest.mark.parametrize("number", GOOD_PHONES)
def test_mainland_landlines_service_numbers_and_mobiles_are_phone_numbers(number):
    validate_phone(number)


@pytest.mark.parametrize("number", BAD_PHONES)
def test_anything_else_is_not_a_phone_number(number):
    with pytest.raises(ValidationError):
        validate_phone(number)


def test_the_store_model_and_the_form_use_the_one_phone_validator():
    assert validate_phone in Store._meta.get_field("phone").validators


def store_data(store, **changes):
    data = {
        "code": store.code,
        "name_zh": store.name_zh,
        "name_en": store.name_en,
        "district": store.district,
        "address_zh": store.address_zh,
        "address_en": store.address_en,
        "phone": store.phone,
        "opening_hours": store.opening_hours,
        "is_active": "on",
        "is_training_store": "on",
    }
    return {**data, **changes}


@pytest.mark.parametrize("number", ["12345", "0755-123", "call me"])
def test_a_store_with_a_bad_phone_number_is_refused_next_to_the_field(client, hr, number):
    store = StoreFactory(phone="0755-86001234")
    client.force_login(hr)

    response = client.post(
        reverse("internships:store_edit", args=[store.pk]), store_data(store, phone=number)
    )

    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["phone"]
    assert "0755-12345678" in response.context["form"].errors["phone"][0]
    store.refresh_from_db()
    assert store.phone == "0755-86001234"


def test_a_store_phone_written_with_spaces_is_stored_without_them(client, hr):
    store = StoreFactory(phone="")
    client.force_login(hr)

    response = client.post(
        reverse("internships:store_edit", args=[store.pk]), store_data(store, phone=" 0755 8600 1234 ")
    )

    assert response.status_code == 302
    store.refresh_from_db()
    assert store.phone == "075586001234"


def test_the_capacity_constraint_is_still_in_the_database(db):
    from django.db import IntegrityError, transaction

    mentor = MentorFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Mentor.objects.filter(pk=mentor.pk).update(capacity=11)
