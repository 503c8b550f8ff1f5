"""A console e-mail backend for development and the demo that people can read.

Django's console backend prints the raw MIME message, where Chinese subjects are encoded words
and cannot be read. This one prints the headers that matter and the plain-text body as text.
"""

import sys
import threading

from django.core.mail.backends.base import BaseEmailBackend


class ReadableConsoleBackend(BaseEmailBackend):
    def __init__(self, *args, stream=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.stream = stream or sys.stdout
        self._lock = threading.RLock()

    def send_messages(self, email_messages):
        with self._lock:
            for message in email_messages:
                headers = message.extra_headers
                self.stream.write(
                    "\n".join(
                        [
                            "-" * 72,
                            f"To: {', '.join(message.to)}",
                            f"Subject: {message.subject}",
                            f"Message-ID: {headers.get('Message-ID', '(set by the mail server)')}",
                            "",
                            message.body.strip(),
                            "-" * 72,
                            "",
                        ]
                    )
                )
            self.stream.flush()
        return len(email_messages)
