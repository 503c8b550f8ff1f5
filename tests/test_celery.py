"""Celery: a real worker on the Redis broker delivers the invitation e-mail; a dead broker fails nobody."""

import os
import shutil
import socket
import subprocess
import time

import pytest
from celery.contrib.testing.worker import start_worker
from django.core import mail
from django.urls import reverse

from accounts import outbox
from accounts.models import Invitation
from notifications.models import Reminder
from notifications.tasks import deliver_due_reminders_task
from sztu_xiaomi.celery import app
from tests.conftest import skip_or_fail
from tests.factories import StudentFactory

BROKER_URL = os.environ.get("CELERY_BROKER_URL", "")


@pytest.fixture
def real_broker():
    """The Celery app publishing to the broker in CELERY_BROKER_URL (Redis in CI), not eagerly."""
    if not BROKER_URL.startswith("redis://"):
        skip_or_fail("CELERY_BROKER_URL does not point to Redis")
    saved = app.conf.task_always_eager, app.conf.broker_url
    app.conf.task_always_eager = False
    app.conf.broker_url = BROKER_URL
    yield app
    app.conf.task_always_eager, app.conf.broker_url = saved


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_on_redis_delivers_the_invitation_email(real_broker, client, staff):
    client.force_login(staff)
    with start_worker(real_broker, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        response = client.post(
            reverse("accounts:invitations"),
            {"email": "via-redis@qq.com", "full_name": "周宇航", "role": "student", "language": "zh-hans"},
        )
        assert response.status_code == 302
        deadline = time.monotonic() + 20
        while not mail.outbox and time.monotonic() < deadline:
            time.sleep(0.1)
    assert [m.to for m in mail.outbox] == [["via-redis@qq.com"]]
    assert "邀请" in mail.outbox[0].subject
    assert Invitation.objects.get(user__email="via-redis@qq.com").sent_count == 1


@pytest.mark.django_db(transaction=True)
def test_an_unreachable_broker_does_not_fail_the_invitation(client, staff, settings):
    saved = app.conf.task_always_eager, app.conf.broker_url, app.conf.broker_connection_timeout
    app.conf.task_always_eager = False
    app.conf.broker_url = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    app.conf.broker_connection_timeout = 1
    try:
        client.force_login(staff)
        response = client.post(
            reverse("accounts:invitations"),
            {"email": "offline@163.com", "full_name": "吴诗琪", "role": "student", "language": "en"},
        )
    finally:
        app.conf.task_always_eager, app.conf.broker_url, app.conf.broker_connection_timeout = saved
    assert response.status_code == 302
    assert Invitation.objects.filter(user__email="offline@163.com").exists()
    assert mail.outbox == []


PRIVATE_REDIS_PORT = 6391  # our own Redis, which this test stops; never the shared one


class PrivateRedis:
    """A redis-server of the test's own on a private port, to stop and start again."""

    def __init__(self, port: int):
        self.port = port
        self.url = f"redis://127.0.0.1:{port}/0"
        self.process = None

    def start(self):
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("the private redis-server did not start")

    def stop(self):
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)
        self.process = None


@pytest.fixture
def private_redis():
    if not BROKER_URL.startswith("redis://") or shutil.which("redis-server") is None:
        skip_or_fail("needs Redis (CELERY_BROKER_URL) and redis-server to start a private one")
    redis = PrivateRedis(PRIVATE_REDIS_PORT)
    saved = app.conf.task_always_eager, app.conf.broker_url, app.conf.broker_connection_timeout
    app.conf.task_always_eager = False
    app.conf.broker_url = redis.url
    app.conf.broker_connection_timeout = 1
    yield redis
    redis.stop()
    app.conf.task_always_eager, app.conf.broker_url, app.conf.broker_connection_timeout = saved


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_invitation_and_password_reset_emails_survive_a_broker_outage(private_redis, client, staff):
    student = StudentFactory(email="li@163.com", language="zh-hans")
    private_redis.start()
    private_redis.stop()  # the broker goes down

    client.force_login(staff)
    invited = client.post(
        reverse("accounts:invitations"),
        {"email": "outage@qq.com", "full_name": "吴诗琪", "role": "student", "language": "zh-hans"},
    )
    client.logout()
    reset = client.post(reverse("accounts:password_reset"), {"email": student.email})

    assert (invited.status_code, reset.status_code) == (302, 302)
    rows = Reminder.objects.order_by("kind")
    assert [(r.kind, r.status) for r in rows] == [
        (outbox.INVITATION, Reminder.Status.PENDING),
        (outbox.PASSWORD_RESET, Reminder.Status.PENDING),
    ]
    assert mail.outbox == []

    private_redis.start()  # the broker is back; beat's next run (or any kick) starts the sender
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        deliver_due_reminders_task.delay()
        deliver_due_reminders_task.delay()  # beat firing twice changes nothing
        deadline = time.monotonic() + 20
        while (
            Reminder.objects.filter(status=Reminder.Status.SENT).count() < 2 and time.monotonic() < deadline
        ):
            time.sleep(0.1)
        time.sleep(0.5)  # let the second run finish: it must send nothing more

    assert sorted(m.to[0] for m in mail.outbox) == ["li@163.com", "outage@qq.com"]
    assert Invitation.objects.get(user__email="outage@qq.com").sent_count == 1


# transaction=True: the scheduler closes old database connections, as beat does between ticks.
@pytest.mark.django_db(transaction=True)
def test_beat_drops_entries_that_were_removed_from_the_settings(settings):
    from celery.utils.imports import symbol_by_name
    from django_celery_beat.models import IntervalSchedule, PeriodicTask

    every_minute = IntervalSchedule.objects.create(every=1, period=IntervalSchedule.MINUTES)
    # Written by an earlier release's beat, whose settings still had this entry.
    PeriodicTask.objects.create(
        name="courses-old-reminder-removed-from-settings", task="courses.tasks.gone", interval=every_minute
    )
    scheduler_class = symbol_by_name(settings.CELERY_BEAT_SCHEDULER)

    scheduler = scheduler_class(app=app, lazy=True)
    scheduler.setup_schedule()

    assert "courses-old-reminder-removed-from-settings" not in scheduler.schedule
    assert set(settings.CELERY_BEAT_SCHEDULE) <= set(scheduler.schedule)
    stale = PeriodicTask.objects.get(name="courses-old-reminder-removed-from-settings")
    assert not stale.enabled
    enabled = set(PeriodicTask.objects.filter(enabled=True).values_list("name", flat=True))
    assert enabled - {"celery.backend_cleanup"} == set(settings.CELERY_BEAT_SCHEDULE)
