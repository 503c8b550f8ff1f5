"""Fixtures of the reminder-engine tests: a test-only reminder kind, and a real SMTP server.

The engine's tests use their own kind (`test_notice`, about a person), so they need nothing of the
programme: the programme's kinds are tested with the apps that register them.
"""

import asyncio
import email
import socket
import threading
from datetime import timedelta

import pytest
from aiosmtpd.controller import Controller
from django.utils import timezone

from notifications.services import reminder_plan
from tests.factories import UserFactory
from tests.notifications.kind import NO_LONGER_DUE, TEMPLATES, TEST_KIND

__all__ = ["NO_LONGER_DUE", "TEST_KIND"]


class SinkHandler:
    """An SMTP server that records what it accepts, and can fail on purpose."""

    def __init__(self):
        self.messages: list[dict] = []
        self.fail_next = 0  # answer 451 (try again later) to the next N messages
        self.fail_always = False
        self.refuse_always = False  # answer 550 (permanent)
        self.delay = 0.0
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            if self.refuse_always:
                return "550 5.1.1 Mailbox unavailable"
            if self.fail_always or self.fail_next > 0:
                self.fail_next = max(self.fail_next - 1, 0)
                return "451 4.3.0 Temporary failure, try again later"
        if self.delay:
            await asyncio.sleep(self.delay)
        message = email.message_from_bytes(envelope.content)
        with self.lock:
            self.messages.append(
                {"message_id": message["Message-ID"], "to": envelope.rcpt_tos, "subject": message["Subject"]}
            )
        return "250 2.0.0 OK"

    @property
    def message_ids(self) -> list[str]:
        with self.lock:
            return [m["message_id"] for m in self.messages]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp_sink(settings):
    handler = SinkHandler()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 5
    handler.port = port
    yield handler
    controller.stop()


@pytest.fixture(autouse=True)
def _test_templates(settings):
    """The test kind's templates live with the tests, not in the shipped templates folder."""
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [*settings.TEMPLATES[0]["DIRS"], TEMPLATES]},
        *settings.TEMPLATES[1:],
    ]
    NO_LONGER_DUE.clear()
    yield
    NO_LONGER_DUE.clear()


@pytest.fixture
def recipient(db):
    """A person with a due test notice in waiting: Chinese-speaking, as most of our users."""
    return UserFactory(full_name="陈志强", email="chen@xiaomi.com", language="zh-hans")


def plan_notice(person, due_at=None, note="记得带工牌"):
    return reminder_plan(
        recipient=person,
        kind=TEST_KIND.key,
        about=person,
        due_at=due_at or timezone.now() - timedelta(minutes=1),
        context={"note": note},
    )
