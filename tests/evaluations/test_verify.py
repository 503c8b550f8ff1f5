"""The public verification page: what confirms a certificate, "revoked", and one "not found" page
(404) for every other code, revealing nothing about similar ones."""

import re

import pytest
from django.urls import reverse

from evaluations.selectors import code_display
from evaluations.services import certificate_issue, certificate_revoke
from tests.factories import StudentFactory

from .test_certificates import confirmed_cohort

pytestmark = pytest.mark.django_db


@pytest.fixture
def certificate(staff):
    graduate = StudentFactory(full_name="王小明", english_name="Wang Xiaoming", email="wxm@qq.com")
    _cohort, [result] = confirmed_cohort(staff, graduate)
    return certificate_issue(result=result, by=staff)


def page(client, code, language="zh-hans"):
    return client.get(reverse("evaluations:verify", args=[code]), HTTP_ACCEPT_LANGUAGE=language)


def same_page(response, code: str) -> str:
    """The page without what differs per request: the CSRF token and the address asked for (the
    language switch returns to it)."""
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())
    return html.replace(f"/verify/{code}/", "/verify/…/")


def test_the_verify_address_is_exactly_verify_code(certificate):
    assert reverse("evaluations:verify", args=[certificate.code]) == f"/verify/{certificate.code}/"


def test_anyone_without_signing_in_sees_what_confirms_the_certificate(client, certificate):
    response = page(client, certificate.code)

    assert response.status_code == 200
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    html = response.content.decode()
    assert "证书真实有效" in html
    for shown in ["王小明", "Wang Xiaoming", "2026年秋季班", "良好", code_display(certificate.code)]:
        assert shown in html, shown
    for hidden in ["wxm@qq.com", "80.00", "Autumn 2026"]:  # nothing beyond what is certified
        assert hidden not in html, hidden


def test_the_page_reads_in_english_for_an_english_visitor(client, certificate):
    html = page(client, certificate.code, "en").content.decode()

    assert "This certificate is genuine" in html
    assert "Merit" in html and "Autumn 2026" in html


def test_a_code_typed_in_lower_case_with_spaces_is_found(client, certificate):
    typed = code_display(certificate.code).lower().replace("-", " ")

    assert page(client, typed).status_code == 200


def test_a_revoked_certificate_says_so(client, certificate, staff):
    certificate_revoke(certificate=certificate, reason="Issued in error", by=staff)

    response = page(client, certificate.code, "en")

    assert response.status_code == 200
    html = response.content.decode()
    assert "This certificate was revoked" in html
    assert "genuine" not in html
    assert "Issued in error" not in html  # the reason stays internal


def test_a_made_up_code_is_not_found(client, certificate):
    response = page(client, "ABCD-EFGH-JKLM-NPQR", "en")

    assert response.status_code == 404
    html = response.content.decode()
    assert "No certificate was found with this code." in html
    assert "王小明" not in html


def test_a_code_one_character_off_gets_the_very_same_page_as_any_other(client, certificate):
    near = certificate.code[:-1] + ("2" if certificate.code[-1] != "2" else "3")

    near_page = page(client, near)
    far_page = page(client, "ZZZZZZZZZZZZZZZZ")
    short_page = page(client, certificate.code[:8])

    assert near_page.status_code == far_page.status_code == short_page.status_code == 404
    assert same_page(near_page, near) == same_page(far_page, "ZZZZZZZZZZZZZZZZ")
    assert same_page(short_page, certificate.code[:8]) == same_page(far_page, "ZZZZZZZZZZZZZZZZ")


@pytest.mark.parametrize("size", [1, 8])
def test_the_page_takes_the_same_number_of_queries_whatever_the_number_of_certificates(
    client, staff, size, django_assert_num_queries
):
    _cohort, results = confirmed_cohort(staff, *[StudentFactory() for _ in range(size)])
    codes = [certificate_issue(result=result, by=staff).code for result in results]

    with django_assert_num_queries(1):
        assert page(client, codes[-1]).status_code == 200
