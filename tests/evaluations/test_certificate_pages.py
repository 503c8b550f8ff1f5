"""Downloading a certificate: the student their own (404 when none or revoked), staff any; and the
staff's revoke and re-issue page."""

import pytest
from django.urls import reverse

from evaluations.models import Certificate
from evaluations.services import certificate_issue, certificate_revoke

from .test_certificates import confirmed_cohort

pytestmark = pytest.mark.django_db


@pytest.fixture
def issued(staff, student):
    _cohort, [result] = confirmed_cohort(staff, student)
    return certificate_issue(result=result, by=staff)


def test_the_student_downloads_their_own_certificate_as_a_pdf(client, student, issued):
    client.force_login(student)

    response = client.get(reverse("evaluations:certificate_pdf"))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert f'filename="certificate-{issued.code}.pdf"' in response["Content-Disposition"]
    assert response.content.startswith(b"%PDF")


def test_a_student_without_a_certificate_gets_404_even_when_another_student_has_one(
    client, other_student, issued
):
    client.force_login(other_student)

    assert client.get(reverse("evaluations:certificate_pdf")).status_code == 404


def test_a_revoked_certificate_is_no_longer_downloaded_by_the_student(client, student, staff, issued):
    certificate_revoke(certificate=issued, reason="Issued in error", by=staff)
    client.force_login(student)

    assert client.get(reverse("evaluations:certificate_pdf")).status_code == 404


def test_staff_download_any_certificate(client, staff, issued):
    client.force_login(staff)

    response = client.get(reverse("evaluations:certificate_download", args=[issued.pk]))

    assert response.status_code == 200 and response.content.startswith(b"%PDF")


def test_revoking_from_the_page_needs_a_reason(client, staff, issued):
    url = reverse("evaluations:certificate_revoke", args=[issued.pk])
    client.force_login(staff)

    assert client.post(url, {"reason": ""}).status_code == 400
    assert not Certificate.objects.get(pk=issued.pk).is_revoked

    assert client.post(url, {"reason": "Issued to the wrong student"}).status_code == 302
    assert Certificate.objects.get(pk=issued.pk).revoked_reason == "Issued to the wrong student"


def test_reissuing_from_the_page_keeps_the_code(client, staff, student, issued):
    student.full_name = "王晓明"
    student.save()
    client.force_login(staff)

    response = client.post(reverse("evaluations:certificate_reissue", args=[issued.pk]))

    assert response.status_code == 302
    certificate = Certificate.objects.get(pk=issued.pk)
    assert certificate.code == issued.code and certificate.student_name == "王晓明"
