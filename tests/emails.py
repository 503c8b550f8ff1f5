"""Checks shared by the tests of every reminder kind: what the e-mail and its bell notice say."""

from django.core import mail

from notifications.models import Notification


def assert_sent_email_says(subject_words, body_words, link: str) -> None:
    """The one e-mail sent has the words in its subject and in both bodies (text and HTML), the
    link in its text, and its in-app notice is rendered (no template syntax left)."""
    message = mail.outbox[0]
    html = message.alternatives[0][0]
    for word in subject_words:
        assert word in message.subject
    for word in body_words:
        assert word in message.body
        assert word in html
    assert link in message.body
    notification = Notification.objects.get()
    assert notification.body and "{%" not in notification.body
