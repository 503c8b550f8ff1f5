"""Delivery channels. E-mail is the one in use; a WeChat Work or SMS channel would implement the
same three methods, and callers (who only plan reminders) would not change."""

import smtplib

from django.core.mail import EmailMultiAlternatives, get_connection

from accounts.emails import RenderedEmail


class PermanentDeliveryError(Exception):
    """The server refused the message for good (5xx): retrying cannot help."""


class TransientDeliveryError(Exception):
    """The server or network failed for now (4xx, connection): retry later."""


def _words(code: int, message: bytes | str) -> str:
    """An SMTP reply as a person reads it: `550 5.1.1 Mailbox unavailable`, not `(550, b'...')`."""
    if isinstance(message, bytes):
        message = message.decode("utf-8", errors="replace")
    return f"{code} {' '.join(message.split())}"


def _classify(error: Exception) -> Exception:
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        replies = "; ".join(f"{to}: {_words(code, text)}" for to, (code, text) in error.recipients.items())
        codes = [code for code, _ in error.recipients.values()]
        if codes and all(code >= 500 for code in codes):
            return PermanentDeliveryError(f"recipient refused: {replies}")
        return TransientDeliveryError(f"recipient deferred: {replies}")
    if isinstance(error, smtplib.SMTPResponseException):
        words = _words(error.smtp_code, error.smtp_error)
        return (PermanentDeliveryError if error.smtp_code >= 500 else TransientDeliveryError)(words)
    return TransientDeliveryError(f"{type(error).__name__}: {error}")


class EmailChannel:
    """One SMTP connection for a whole batch; reopened after a failure."""

    def __init__(self):
        self.connection = None

    def __enter__(self):
        self.connection = get_connection()
        return self

    def __exit__(self, *exc):
        if self.connection is not None:
            self.connection.close()
        self.connection = None

    def send(
        self,
        email: RenderedEmail,
        *,
        to: str,
        message_id: str,
        attachments: list[tuple[str, bytes, str]] = (),
    ) -> None:
        message = EmailMultiAlternatives(
            subject=email.subject,
            body=email.text,
            to=[to],
            headers={"Message-ID": message_id},
            connection=self.connection,
        )
        message.attach_alternative(email.html, "text/html")
        for filename, content, mimetype in attachments:
            message.attach(filename, content, mimetype)
        try:
            # Opened here, not in __enter__: a batch with nothing to send opens no connection.
            # An open connection stays open across send() calls instead of one per message.
            self.connection.open()
            message.send()
        except (smtplib.SMTPException, OSError) as error:
            self.connection.close()  # a broken session must not poison the rest of the batch
            raise _classify(error) from error
