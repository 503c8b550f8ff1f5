"""Delivery against a real SMTP server: failures, retries, concurrent senders, a killed worker."""

import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from django.conf import settings as django_settings
from django.db import connection, connections
from django.utils import timezone

from notifications import services
from notifications.models import Reminder
from notifications.services import planning
from sztu_xiaomi.celery import app as celery_app
from tests.conftest import skip_or_fail
from tests.factories import UserFactory
from tests.notifications.conftest import plan_notice

ROOT = Path(__file__).resolve().parents[2]


def run_sender_after(seconds: float) -> services.DeliveryReport:
    with time_machine.travel(timezone.now() + timedelta(seconds=seconds)):
        return services.reminders_deliver_due()


def many_due_reminders(count: int, monkeypatch) -> list[Reminder]:
    """Due reminders, planned without the on-commit kick (which would deliver them right here)."""
    with monkeypatch.context() as patch:
        patch.setattr(planning, "_kick_sender", lambda: None)
        return [plan_notice(UserFactory()) for _ in range(count)]


@pytest.mark.django_db
def test_a_mail_server_that_fails_twice_then_recovers_receives_the_email_once(smtp_sink, recipient):
    reminder = plan_notice(recipient)
    smtp_sink.fail_next = 2

    first = services.reminders_deliver_due()
    assert first.retrying == 1
    reminder.refresh_from_db()
    assert reminder.status == Reminder.Status.PENDING
    assert "451" in reminder.last_error
    first_delay = reminder.not_before - timezone.now()

    assert services.reminders_deliver_due().handled == 0  # waits for its back-off
    second = run_sender_after(first_delay.total_seconds() + 1)
    assert second.retrying == 1
    reminder.refresh_from_db()
    second_delay = reminder.not_before - timezone.now()
    assert second_delay > first_delay  # growing delays

    third = run_sender_after(second_delay.total_seconds() + 1)
    assert third.sent == 1
    assert smtp_sink.message_ids == [reminder.message_id]
    reminder.refresh_from_db()
    assert reminder.status == Reminder.Status.SENT
    assert reminder.attempts == 3


@pytest.mark.django_db
def test_a_mail_server_that_keeps_failing_leaves_the_row_failed_and_staff_can_retry(
    smtp_sink, recipient, settings, django_capture_on_commit_callbacks
):
    reminder = plan_notice(recipient)
    smtp_sink.fail_always = True
    for attempt in range(settings.REMINDER_MAX_ATTEMPTS):
        run_sender_after(attempt * (settings.REMINDER_RETRY_MAX_SECONDS + 1))

    reminder.refresh_from_db()
    assert reminder.status == Reminder.Status.FAILED
    assert reminder.attempts == settings.REMINDER_MAX_ATTEMPTS
    assert "451" in reminder.last_error
    assert smtp_sink.messages == []
    assert run_sender_after(100 * settings.REMINDER_RETRY_MAX_SECONDS).handled == 0  # bounded: no more tries

    smtp_sink.fail_always = False
    with django_capture_on_commit_callbacks(execute=True):
        assert services.reminder_retry(reminder=reminder)
    reminder.refresh_from_db()
    assert reminder.status == Reminder.Status.SENT
    assert smtp_sink.message_ids == [reminder.message_id]


@pytest.mark.django_db
def test_a_permanent_refusal_fails_at_once(smtp_sink, recipient):
    reminder = plan_notice(recipient)
    smtp_sink.refuse_always = True
    report = services.reminders_deliver_due()
    reminder.refresh_from_db()
    assert report.failed == 1
    assert reminder.status == Reminder.Status.FAILED
    assert "550" in reminder.last_error


@pytest.mark.django_db(transaction=True)
def test_two_senders_running_at_once_deliver_every_reminder_exactly_once(smtp_sink, monkeypatch):
    if connection.vendor != "postgresql":
        skip_or_fail("the concurrent-sender test needs PostgreSQL (DATABASE_URL)")
    reminders = many_due_reminders(120, monkeypatch)
    smtp_sink.delay = 0.002
    barrier = threading.Barrier(3)
    reports = []

    errors = []

    def sender():
        barrier.wait()
        try:
            reports.append(services.reminders_deliver_due(batch_size=20))
        except Exception as error:  # surfaced below: a thread's exception is otherwise lost
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=sender) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert errors == []
    counts = Counter(smtp_sink.message_ids)
    assert sum(report.sent for report in reports) == 120
    assert set(counts) == {r.message_id for r in reminders}
    assert max(counts.values()) == 1
    assert Reminder.objects.filter(status=Reminder.Status.SENT).count() == 120
    assert sum(report.sent > 0 for report in reports) >= 2, "the senders did not overlap"


@pytest.mark.django_db(transaction=True)
def test_two_live_senders_with_a_lease_shorter_than_a_batch_still_send_each_reminder_once(
    smtp_sink, monkeypatch, settings
):
    """The reported race: the lease ran out while the first sender was still working through its
    batch, and the second sent the same rows again. A live sender now renews its claim, and
    checks it before each message."""
    if connection.vendor != "postgresql":
        skip_or_fail("the concurrent-sender test needs PostgreSQL (DATABASE_URL)")
    settings.REMINDER_CLAIM_LEASE_SECONDS = 1
    many_due_reminders(40, monkeypatch)
    smtp_sink.delay = 0.05  # one batch of 40 takes about 2 s: twice the lease
    errors = []

    def sender(pause):
        time.sleep(pause)
        try:
            services.reminders_deliver_due(batch_size=40)
        except Exception as error:
            errors.append(error)
        finally:
            connections.close_all()

    # The second starts after the first's lease ran out, while the first is mid-batch.
    threads = [threading.Thread(target=sender, args=(pause,)) for pause in (0, 1.3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert errors == []
    counts = Counter(smtp_sink.message_ids)
    assert len(counts) == 40
    assert max(counts.values()) == 1, f"{sum(n - 1 for n in counts.values())} sent twice"


def _worker(env: dict) -> subprocess.Popen:
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "sztu_xiaomi",
            "worker",
            "--pool=solo",
            "--loglevel=warning",
            "--without-heartbeat",
            "--without-mingle",
            "--without-gossip",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def _wait_for(condition, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_batch_loses_nothing_and_duplicates_at_most_one_with_the_same_message_id(
    smtp_sink, monkeypatch
):
    broker = os.environ.get("CELERY_BROKER_URL", "")
    if connection.vendor != "postgresql" or not broker.startswith("redis://"):
        skip_or_fail("the killed-worker test needs PostgreSQL and Redis (DATABASE_URL, CELERY_BROKER_URL)")
    reminders = many_due_reminders(40, monkeypatch)
    smtp_sink.delay = 0.1  # slow enough to kill the worker in the middle of the batch
    db = connection.settings_dict
    lease = 3
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.notifications.worker_settings",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
        "CELERY_BROKER_URL": broker,
        "EMAIL_URL": f"smtp://127.0.0.1:{smtp_sink.port}",
        "REMINDER_CLAIM_LEASE_SECONDS": str(lease),
        "DEBUG": "True",
    }
    saved = celery_app.conf.task_always_eager, celery_app.conf.broker_url
    celery_app.conf.task_always_eager, celery_app.conf.broker_url = False, broker
    workers = []
    try:
        from notifications.tasks import deliver_due_reminders_task

        workers.append(_worker(env))
        deliver_due_reminders_task.delay()
        assert _wait_for(lambda: len(smtp_sink.messages) >= 10, 60), "the worker sent nothing"
        workers[-1].send_signal(signal.SIGKILL)
        workers[-1].wait(timeout=10)
        assert len(smtp_sink.messages) < 40, "the batch finished before the kill"

        time.sleep(lease + 0.5)  # the dead worker's claim expires
        workers.append(_worker(env))
        deliver_due_reminders_task.delay()  # what beat does every two minutes
        sent = _wait_for(lambda: Reminder.objects.filter(status=Reminder.Status.SENT).count() == 40, 90)
    finally:
        celery_app.conf.task_always_eager, celery_app.conf.broker_url = saved
        for worker in workers:
            if worker.poll() is None:
                worker.send_signal(signal.SIGTERM)
                worker.wait(timeout=20)

    assert sent, Counter(Reminder.objects.values_list("status", flat=True))
    counts = Counter(smtp_sink.message_ids)
    assert set(counts) == {r.message_id for r in reminders}  # nothing lost
    duplicates = sum(n - 1 for n in counts.values())
    assert duplicates <= 1  # one kill: at most one copy, and it carries the same Message-ID


@pytest.mark.django_db(transaction=True)
def test_an_unreachable_broker_does_not_fail_planning_and_the_reminder_goes_out_when_it_returns(
    smtp_sink, recipient
):
    from django.db import transaction

    saved = (
        celery_app.conf.task_always_eager,
        celery_app.conf.broker_url,
        celery_app.conf.broker_connection_timeout,
    )
    celery_app.conf.task_always_eager = False
    celery_app.conf.broker_url = "redis://127.0.0.1:1/0"  # nothing listens there
    celery_app.conf.broker_connection_timeout = 1
    try:
        with transaction.atomic():  # the user's change and its reminder, committed together
            reminder = plan_notice(recipient)
        # the on-commit kick could not reach the broker; the user's request carried on
    finally:
        (
            celery_app.conf.task_always_eager,
            celery_app.conf.broker_url,
            celery_app.conf.broker_connection_timeout,
        ) = saved
    reminder.refresh_from_db()
    assert reminder.status == Reminder.Status.PENDING
    assert smtp_sink.messages == []

    # The broker is back: beat's next run delivers it.
    from notifications.tasks import deliver_due_reminders_task

    deliver_due_reminders_task.delay()
    reminder.refresh_from_db()
    assert reminder.status == Reminder.Status.SENT
    assert smtp_sink.message_ids == [reminder.message_id]


def test_the_sender_chose_at_least_once_and_says_so():
    doc = services.__doc__
    assert "at-least-once" in doc and "Message-ID" in doc
    assert django_settings.REMINDER_CLAIM_LEASE_SECONDS > 0
