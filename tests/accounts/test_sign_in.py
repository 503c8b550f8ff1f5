"""Signing in and out with e-mail and password, and the lockout after repeated failures."""

import re

import pytest
from django.conf import settings
from django.urls import reverse

from accounts.navigation import home_url_name
from tests.factories import TEST_PASSWORD, InvitationFactory

WRONG_CREDENTIALS = "The e-mail address or the password is not correct."


def sign_in(client, email, password=TEST_PASSWORD, **kwargs):
    return client.post(reverse("accounts:login"), {"username": email, "password": password}, **kwargs)


def without_noise(html: str, email: str) -> str:
    """The page with the visitor's e-mail and the per-request CSRF tokens blanked out."""
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', 'name="csrfmiddlewaretoken" value=""', html)
    return html.replace(email, "EMAIL")


@pytest.mark.parametrize("persona", ["student", "staff", "mentor", "hr", "admin"], indirect=True)
def test_it_signs_in_each_role_to_their_home(client, persona):
    response = sign_in(client, persona.email, follow=True)

    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == reverse(home_url_name(persona.role))
    assert response.wsgi_request.user == persona


def test_it_treats_the_email_address_case_insensitively(client, student):
    response = sign_in(client, "  Student@QQ.com ", follow=True)

    assert response.redirect_chain[-1][0] == reverse("dashboards:student_home")
    assert response.wsgi_request.user == student


def test_it_gives_the_same_error_for_a_wrong_password_and_an_unknown_email(client, student):
    wrong_password = sign_in(client, student.email, "not-the-password")
    unknown_email = sign_in(client, "nobody@qq.com", "not-the-password")

    assert wrong_password.status_code == unknown_email.status_code == 200
    assert wrong_password.context["form"].non_field_errors() == [WRONG_CREDENTIALS]
    assert unknown_email.context["form"].non_field_errors() == [WRONG_CREDENTIALS]
    assert WRONG_CREDENTIALS in wrong_password.content.decode()
    assert "_auth_user_id" not in client.session


def test_it_gives_the_same_error_to_an_invited_person_who_has_not_set_a_password(client, db):
    invitation = InvitationFactory()

    response = sign_in(client, invitation.user.email, "anything-at-all")

    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [WRONG_CREDENTIALS]


def fail_until_locked(client, email):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = sign_in(client, email, "not-the-password")
    return response


def test_it_locks_out_existing_and_unknown_addresses_alike(client, student):
    assert settings.AXES_FAILURE_LIMIT == 5
    fifth_existing = fail_until_locked(client, student.email)
    fifth_unknown = fail_until_locked(client, "nobody@qq.com")
    sixth_existing = sign_in(client, student.email, "still-not-the-password")
    sixth_unknown = sign_in(client, "nobody@qq.com", "still-not-the-password")

    for existing, unknown in [(fifth_existing, fifth_unknown), (sixth_existing, sixth_unknown)]:
        assert existing.status_code == unknown.status_code == 429
        assert "Too many attempts" in existing.content.decode()
        assert without_noise(existing.content.decode(), student.email) == without_noise(
            unknown.content.decode(), "nobody@qq.com"
        )


def test_it_refuses_even_the_right_password_during_a_lockout(client, student):
    fail_until_locked(client, student.email)
    fail_until_locked(client, "nobody@qq.com")

    right_password = sign_in(client, student.email, TEST_PASSWORD)
    unknown = sign_in(client, "nobody@qq.com", TEST_PASSWORD)

    assert "_auth_user_id" not in client.session
    assert right_password.status_code == unknown.status_code == 429
    assert without_noise(right_password.content.decode(), student.email) == without_noise(
        unknown.content.decode(), "nobody@qq.com"
    )


def test_it_does_not_lock_out_before_the_fifth_failure(client, student):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        sign_in(client, student.email, "not-the-password")

    response = sign_in(client, student.email, follow=True)

    assert response.redirect_chain[-1][0] == reverse("dashboards:student_home")


def test_it_counts_failures_across_spellings_of_the_same_address(client, student):
    for spelling in ["student@qq.com", "Student@qq.com", "STUDENT@QQ.COM", "student@QQ.com"]:
        response = sign_in(client, spelling, "not-the-password")
        assert response.status_code == 200

    response = sign_in(client, "sTudent@qq.com", "not-the-password")

    assert response.status_code == 429
    assert "Too many attempts" in response.content.decode()


def test_it_signs_out_by_post(client, student):
    client.force_login(student)

    response = client.post(reverse("accounts:logout"))

    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:login")
    assert client.get(reverse("dashboards:student_home")).status_code == 302


def test_it_sends_an_anonymous_visitor_from_the_root_to_sign_in(client):
    response = client.get("/")

    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:login")


def test_it_sends_a_signed_in_person_from_the_sign_in_page_home(client, staff):
    client.force_login(staff)

    response = client.get(reverse("accounts:login"), follow=True)

    assert response.redirect_chain[-1][0] == reverse("dashboards:staff_home")
