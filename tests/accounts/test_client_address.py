"""The client's address behind reverse proxies: what django-axes counts failures against, and
when the forwarded protocol is believed."""

import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.test import Client, RequestFactory
from django.urls import reverse

from tests.factories import TEST_PASSWORD

PROXY = "10.0.0.7"


def sign_in(client, email, password, forwarded_for=None):
    headers = {"x-forwarded-for": forwarded_for} if forwarded_for else {}
    return client.post(
        reverse("accounts:login"),
        {"username": email, "password": password},
        headers=headers,
        REMOTE_ADDR=PROXY,
    )


def locked(response) -> bool:
    return response.status_code == 429


@pytest.fixture
def one_proxy(settings):
    settings.TRUSTED_PROXY_COUNT = 1


def test_two_people_behind_one_proxy_are_locked_out_separately(one_proxy, student):
    attacker, owner = Client(), Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = sign_in(attacker, student.email, "not-the-password", forwarded_for="203.0.113.5")
    assert locked(response)

    response = sign_in(owner, student.email, TEST_PASSWORD, forwarded_for="198.51.100.20")

    assert response.status_code == 302
    assert response.wsgi_request.user == student


def test_an_extra_forwarded_address_added_by_the_client_does_not_escape_the_lockout(one_proxy, student):
    attacker = Client()
    # The client makes up the first entry each time; the proxy appends the address it really saw.
    for n in range(settings.AXES_FAILURE_LIMIT):
        sign_in(attacker, student.email, "not-the-password", forwarded_for=f"192.0.2.{n}, 203.0.113.5")

    response = sign_in(attacker, student.email, TEST_PASSWORD, forwarded_for="192.0.2.99, 203.0.113.5")

    assert locked(response)


def request_from(remote_addr="10.0.0.7", forwarded_for=None):
    headers = {"HTTP_X_FORWARDED_FOR": forwarded_for} if forwarded_for is not None else {}
    return RequestFactory().get("/", REMOTE_ADDR=remote_addr, **headers)


@pytest.mark.parametrize(
    "count, forwarded_for, expected",
    [
        (0, None, "10.0.0.7"),
        (0, "203.0.113.5", "10.0.0.7"),  # no proxy configured: the header is the client's word
        (1, "203.0.113.5", "203.0.113.5"),
        (1, "192.0.2.1, 203.0.113.5", "203.0.113.5"),
        (2, "192.0.2.1, 203.0.113.5, 10.0.0.2", "203.0.113.5"),
        (2, "203.0.113.5, 10.0.0.2", "203.0.113.5"),
        (1, "2001:db8::1", "2001:db8::1"),
        (2, "203.0.113.5", "10.0.0.7"),  # fewer entries than proxies: nothing to trust
        (1, "", "10.0.0.7"),
        (1, "not-an-address", "10.0.0.7"),
        (1, "192.0.2.1, , 203.0.113.5 ", "203.0.113.5"),
    ],
)
def test_the_client_address_is_the_nth_forwarded_entry_from_the_right(
    settings, count, forwarded_for, expected
):
    from accounts.access import client_ip

    settings.TRUSTED_PROXY_COUNT = count

    assert client_ip(request_from(forwarded_for=forwarded_for)) == expected


def test_without_a_proxy_a_forwarded_https_header_is_not_believed(client, db):
    response = client.get(reverse("accounts:login"), headers={"x-forwarded-proto": "https"})

    assert response.wsgi_request.is_secure() is False


@pytest.mark.parametrize("count, header", [("0", "None"), ("1", "('HTTP_X_FORWARDED_PROTO', 'https')")])
def test_the_forwarded_protocol_is_trusted_only_when_a_proxy_is_configured(count, header):
    env = {**os.environ, "AXES_PROXY_COUNT": count, "DJANGO_SETTINGS_MODULE": "sztu_xiaomi.settings"}
    shown = subprocess.run(
        [sys.executable, "-c", "from django.conf import settings; print(settings.SECURE_PROXY_SSL_HEADER)"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        cwd=settings.BASE_DIR,
    ).stdout.strip()

    assert shown == header
