"""The "certificate issued" notice: e-mail and bell, in the student's language, sent once, and
not at all once the certificate is revoked before it goes out."""

import pytest
from django.core import mail

from evaluations.selectors import code_display
from evaluations.services import certificate_issue, certificate_revoke
from notifications.models import Notification, Reminder
from notifications.services import reminders_deliver_due
from tests.factories import StudentFactory

from .test_certificates import confirmed_cohort

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("language", "subject", "says"),
    [
        ("zh-hans", "你的项目结业证书已颁发", "恭喜你完成新零售人才培养项目（2026年秋季班），成绩为“良好”"),
        ("en", "Your programme certificate is ready", "(Autumn 2026) with the result “Merit”"),
    ],
)
def test_the_student_is_told_once_in_their_language_by_email_and_bell(
    staff, settings, language, subject, says
):
    settings.SITE_URL = "https://talent.example.org"
    student = StudentFactory(language=language)
    _cohort, [result] = confirmed_cohort(staff, student)
    certificate = certificate_issue(result=result, by=staff)

    reminders_deliver_due()
    reminders_deliver_due()  # a second run sends nothing more

    [message] = mail.outbox
    assert message.to == [student.email] and message.subject == subject
    assert says in message.body
    assert code_display(certificate.code) in message.body
    assert f"https://talent.example.org/verify/{certificate.code}/" in message.body
    html = message.alternatives[0][0]
    assert f'href="https://talent.example.org/verify/{certificate.code}/"' in html
    assert Notification.objects.filter(user=student).count() == 1


def test_a_certificate_revoked_before_the_notice_goes_out_cancels_it(staff, student):
    _cohort, [result] = confirmed_cohort(staff, student)
    certificate = certificate_issue(result=result, by=staff)
    certificate_revoke(certificate=certificate, reason="Issued in error", by=staff)

    reminders_deliver_due()

    assert mail.outbox == []
    assert Reminder.objects.get(kind="certificate_issued").status == Reminder.Status.CANCELLED
