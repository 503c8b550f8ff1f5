"""The interface language: from the browser, the switcher, and the person's saved choice."""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

# "Sign in" has the msgstr "登录" in locale/zh_Hans/LC_MESSAGES/django.po.
SIGN_IN_ZH = "登录"


def html_lang(response) -> str:
    html = response.content.decode()
    start = html.index("<html lang=") + len('<html lang="')
    return html[start : html.index('"', start)]


def switch_language(client, language, next_url="/accounts/login/"):
    return client.post(reverse("accounts:set_language"), {"language": language, "next": next_url})


def test_a_chinese_browser_gets_the_chinese_sign_in_page(client, db):
    response = client.get(reverse("accounts:login"), headers={"accept-language": "zh-hans"})

    assert html_lang(response) == "zh-Hans"
    assert SIGN_IN_ZH in response.content.decode()


def test_an_english_browser_gets_the_english_sign_in_page(client, db):
    response = client.get(reverse("accounts:login"), headers={"accept-language": "en"})

    assert html_lang(response) == "en"
    assert "Sign in" in response.content.decode()
    assert SIGN_IN_ZH not in response.content.decode()


def test_the_switcher_remembers_an_anonymous_visitors_choice_in_a_cookie(client, db):
    response = switch_language(client, "zh-hans")

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "zh-hans"
    page = client.get(reverse("accounts:login"), headers={"accept-language": "en"})
    assert html_lang(page) == "zh-Hans"


def test_the_switcher_saves_a_signed_in_persons_choice_which_follows_them(client, student):
    assert student.language == "en"
    client.force_login(student)

    response = switch_language(client, "zh-hans", reverse("dashboards:student_home"))

    assert response["Location"] == reverse("dashboards:student_home")
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "zh-hans"
    student.refresh_from_db()
    assert student.language == "zh-hans"
    # Another device: no cookie, an English browser — the saved choice wins.
    other_device = Client()
    other_device.force_login(student)
    page = other_device.get(reverse("dashboards:student_home"), headers={"accept-language": "en"})
    assert page.status_code == 200
    assert html_lang(page) == "zh-Hans"


def test_a_signed_in_persons_saved_language_beats_the_cookie(client, student):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    client.force_login(student)

    page = client.get(reverse("dashboards:student_home"))

    assert html_lang(page) == "en"


@pytest.mark.parametrize("next_url", ["http://evil.example/", "//evil.example/", "https://evil.example/x"])
def test_the_switcher_does_not_redirect_to_another_site(client, db, next_url):
    response = switch_language(client, "en", next_url)

    assert response.status_code == 302
    assert response["Location"] == "/"


def test_the_switcher_ignores_an_unknown_language(client, student):
    client.force_login(student)

    response = switch_language(client, "fr")

    assert response.status_code == 302
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies
    student.refresh_from_db()
    assert student.language == "en"


# --- A language chosen before signing in ----------------------------------------------------------


def sign_in(client, user):
    from tests.factories import TEST_PASSWORD

    return client.post(reverse("accounts:login"), {"username": user.email, "password": TEST_PASSWORD})


def test_a_language_chosen_on_the_sign_in_page_wins_and_is_stored(client, student):
    assert student.language == "en"
    switch_language(client, "zh-hans")

    response = sign_in(client, student)
    home = client.get(response["Location"], follow=True)

    student.refresh_from_db()
    assert student.language == "zh-hans"
    assert html_lang(home) == "zh-Hans"


def test_a_person_who_chose_nothing_before_signing_in_keeps_their_stored_language(client, student):
    # An old cookie and a Chinese browser are not a choice made now.
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"

    sign_in(client, student)
    home = client.get(reverse("home"), headers={"accept-language": "zh-hans"}, follow=True)

    student.refresh_from_db()
    assert student.language == "en"
    assert html_lang(home) == "en"


def test_the_choice_is_used_once_a_later_sign_in_keeps_the_stored_language(client, student):
    switch_language(client, "zh-hans")
    sign_in(client, student)
    switch_language(client, "en", reverse("dashboards:student_home"))  # changed while signed in
    client.post(reverse("accounts:logout"))

    sign_in(client, student)

    student.refresh_from_db()
    assert student.language == "en"


def test_a_language_chosen_on_the_invitation_page_wins_and_is_stored(client, db):
    import hashlib

    from accounts.models import Invitation
    from tests.factories import InvitationFactory

    invitation = InvitationFactory(user__language="zh-hans")
    token = "a-known-token"
    Invitation.objects.filter(pk=invitation.pk).update(token_hash=hashlib.sha256(token.encode()).hexdigest())
    path = reverse("accounts:invitation_accept", args=[token])
    switch_language(client, "en", path)
    password = "a-long-new-passphrase-2027"

    response = client.post(path, {"password1": password, "password2": password}, follow=True)

    invitation.user.refresh_from_db()
    assert invitation.user.language == "en"
    assert html_lang(response) == "en"
