"""Choosing a new password through an e-mailed, one-time link."""

import re

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from tests.factories import InvitationFactory, StudentFactory

RESET_SUBJECT = "Choose a new password for the SZTU × Xiaomi programme"
NEW_PASSWORD = "a-fresh-passphrase-2027"


def request_reset(client, django_capture_on_commit_callbacks, email):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(reverse("accounts:password_reset"), {"email": email}, follow=True)
    return response, callbacks


def reset_path_in(message) -> str:
    match = re.search(r"/accounts/reset/[^/\s\"]+/[^/\s\"]+/", message.body)
    assert match, message.body
    return match.group(0)


def choose_new_password(client, path, password=NEW_PASSWORD):
    form_page = client.get(path, follow=True)  # the link redirects to a URL without the token
    assert form_page.context["validlink"]
    return client.post(
        form_page.redirect_chain[-1][0], {"new_password1": password, "new_password2": password}, follow=True
    )


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_it_sends_one_email_in_the_account_holders_language(
    client, db, django_capture_on_commit_callbacks, template_languages, language
):
    user = StudentFactory(email="wang@qq.com", language=language)

    response, callbacks = request_reset(client, django_capture_on_commit_callbacks, "Wang@QQ.com")

    assert response.redirect_chain[-1][0] == reverse("accounts:password_reset_done")
    assert len(callbacks) == 1
    [message] = mail.outbox
    assert message.to == [user.email]
    with translation.override(language):
        assert message.subject == gettext(RESET_SUBJECT)
    if language == "zh-hans":
        assert re.search(r"[\u4e00-\u9fff]", message.subject)  # translated in locale/zh_Hans
    else:
        assert message.subject == RESET_SUBJECT
    assert f"{settings.SITE_URL.rstrip('/')}{reset_path_in(message)}" in message.body
    assert reset_path_in(message) in message.alternatives[0][0]
    email_templates = {name: lang for name, lang in template_languages if name.startswith("emails/")}
    assert email_templates == {
        "emails/password_reset_subject.txt": language,
        "emails/password_reset_body.txt": language,
        "emails/password_reset_body.html": language,
    }


def test_the_link_lets_them_choose_a_password_and_sign_in_with_it(
    client, student, django_capture_on_commit_callbacks
):
    request_reset(client, django_capture_on_commit_callbacks, student.email)

    response = choose_new_password(client, reset_path_in(mail.outbox[0]))

    assert response.redirect_chain[-1][0] == reverse("accounts:password_reset_complete")
    assert "Password changed" in response.content.decode()
    signed_in = client.post(
        reverse("accounts:login"), {"username": student.email, "password": NEW_PASSWORD}, follow=True
    )
    assert signed_in.redirect_chain[-1][0] == reverse("dashboards:student_home")
    assert signed_in.wsgi_request.user == student


def test_a_used_link_cannot_be_used_again(client, student, django_capture_on_commit_callbacks):
    request_reset(client, django_capture_on_commit_callbacks, student.email)
    path = reset_path_in(mail.outbox[0])
    choose_new_password(client, path)

    response = client.get(path, follow=True)

    assert response.status_code == 200
    assert not response.context["validlink"]
    assert "cannot be used" in response.content.decode()
    student.refresh_from_db()
    assert student.check_password(NEW_PASSWORD)


def test_an_unknown_email_gets_the_same_page_and_no_email(
    client, student, django_capture_on_commit_callbacks
):
    known, _ = request_reset(client, django_capture_on_commit_callbacks, student.email)
    mail.outbox.clear()

    unknown, callbacks = request_reset(client, django_capture_on_commit_callbacks, "nobody@qq.com")

    assert unknown.status_code == known.status_code == 200
    assert unknown.redirect_chain == known.redirect_chain
    assert "Check your e-mail" in unknown.content.decode()
    assert callbacks == []
    assert mail.outbox == []


def test_an_invited_person_without_a_password_gets_no_reset_email(
    client, db, django_capture_on_commit_callbacks
):
    invitation = InvitationFactory()

    response, callbacks = request_reset(client, django_capture_on_commit_callbacks, invitation.user.email)

    assert "Check your e-mail" in response.content.decode()
    assert callbacks == []
    assert mail.outbox == []


def test_an_invalid_email_gets_a_form_error(client, db, django_capture_on_commit_callbacks):
    response, callbacks = request_reset(client, django_capture_on_commit_callbacks, "not-an-address")

    assert response.redirect_chain == []
    assert "email" in response.context["form"].errors
    assert callbacks == []
    assert mail.outbox == []
