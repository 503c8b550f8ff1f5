"""The sender's own limits: a time budget per run, the soft time limit, renewed claims, prompt retries."""

import smtplib
import time
from contextlib import contextmanager
from datetime import timedelta

import pytest
import time_machine
from celery.contrib.testing.worker import start_worker
from celery.exceptions import SoftTimeLimitExceeded
from django.core import mail
from django.core.checks import Error
from django.db import transaction
from django.utils import timezone

from notifications import channels, checks, services, tasks
from notifications.models import Reminder
from notifications.services import delivery, planning
from sztu_xiaomi.celery import app as celery_app
from tests.factories import UserFactory
from tests.notifications.conftest import plan_notice
from tests.test_celery import BROKER_URL, skip_or_fail

pytestmark = pytest.mark.django_db


def due_notices(count: int, monkeypatch) -> list[Reminder]:
    """Due notices, planned without the on-commit kick (which would deliver them right here)."""
    with monkeypatch.context() as patch:
        patch.setattr(planning, "_kick_sender", lambda: None)
        return [plan_notice(UserFactory()) for _ in range(count)]


@contextmanager
def not_eager():
    """As on a real worker (the test settings run tasks eagerly)."""
    saved = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = False
    try:
        yield
    finally:
        celery_app.conf.task_always_eager = saved


class FakeClock:
    """The sender's clock; each rendered message takes `per_message` seconds of it."""

    def __init__(self, per_message: float):
        self.now = 1000.0
        self.per_message = per_message

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def slow_messages(monkeypatch):
    """Every message takes 10 s of the sender's clock to render and send."""
    clock = FakeClock(per_message=10)
    real_render = delivery._render

    def render(reminder, kind):
        clock.now += clock.per_message
        return real_render(reminder, kind)

    monkeypatch.setattr(delivery, "_clock", clock)
    monkeypatch.setattr(delivery, "_render", render)
    return clock


def test_a_run_stops_at_its_time_budget_and_gives_back_the_rest_of_its_batch(
    monkeypatch, settings, slow_messages
):
    settings.REMINDER_SENDER_TIME_BUDGET_SECONDS = 30
    rows = due_notices(10, monkeypatch)

    report = services.reminders_deliver_due(batch_size=10)

    assert report.sent == 3  # 0 s, 10 s, 20 s: started within the budget; at 30 s it stops
    assert report.more_due
    assert len(mail.outbox) == 3
    left = Reminder.objects.exclude(status=Reminder.Status.SENT)
    assert left.count() == 7
    assert set(left.values_list("status", "claim_token", "attempts")) == {(Reminder.Status.PENDING, None, 0)}
    assert {r.pk for r in rows} >= set(left.values_list("pk", flat=True))


def test_the_task_enqueues_itself_again_until_nothing_is_due(monkeypatch, settings, slow_messages):
    settings.REMINDER_SENDER_TIME_BUDGET_SECONDS = 30
    due_notices(10, monkeypatch)
    runs = []
    real = services.reminders_deliver_due
    monkeypatch.setattr(services, "reminders_deliver_due", lambda **kw: runs.append(1) or real(**kw))

    tasks.deliver_due_reminders_task.delay()

    assert Reminder.objects.filter(status=Reminder.Status.SENT).count() == 10
    assert len(runs) == 4  # 3 + 3 + 3 + 1, each run within its budget
    assert len(mail.outbox) == 10


def test_the_soft_time_limit_ends_the_batch_cleanly_and_gives_back_the_unsent_rows(monkeypatch):
    rows = due_notices(5, monkeypatch)
    real_render = delivery._render
    rendered = []

    def render(reminder, kind):
        rendered.append(reminder.pk)
        if len(rendered) == 3:
            raise SoftTimeLimitExceeded()
        return real_render(reminder, kind)

    monkeypatch.setattr(delivery, "_render", render)
    report = services.reminders_deliver_due()

    assert report.sent == 2
    assert report.more_due
    assert report.retrying == report.failed == 0
    assert len(mail.outbox) == 2
    left = Reminder.objects.filter(pk__in=[r.pk for r in rows]).exclude(status=Reminder.Status.SENT)
    assert set(left.values_list("status", "claim_token", "attempts", "last_error")) == {
        (Reminder.Status.PENDING, None, 0, "")
    }


def test_an_internal_error_on_the_last_attempt_is_counted_as_failed(recipient, monkeypatch, settings):
    reminder = plan_notice(recipient)
    Reminder.objects.filter(pk=reminder.pk).update(attempts=settings.REMINDER_MAX_ATTEMPTS - 1)

    def render(reminder, kind):
        raise KeyError("a bug in the template")

    monkeypatch.setattr(delivery, "_render", render)
    report = services.reminders_deliver_due()

    reminder.refresh_from_db()
    assert reminder.status == Reminder.Status.FAILED
    assert (report.failed, report.retrying) == (1, 0)


def test_a_live_sender_does_not_send_what_another_sender_took_over(monkeypatch, settings):
    """Sender A is slow; while it renders its second message, sender B runs after A's lease ran
    out and takes over the rest. A must not send those again."""
    due_notices(6, monkeypatch)
    real_render = delivery._render
    calls = []

    def render(reminder, kind):
        calls.append(reminder.pk)
        if len(calls) == 2:
            later = timezone.now() + timedelta(seconds=settings.REMINDER_CLAIM_LEASE_SECONDS + 1)
            with time_machine.travel(later, tick=False):
                services.reminders_deliver_due()  # sender B
        return real_render(reminder, kind)

    monkeypatch.setattr(delivery, "_render", render)
    services.reminders_deliver_due()  # sender A

    ids = [m.extra_headers["Message-ID"] for m in mail.outbox]
    assert sorted(ids) == sorted(set(ids)), "a reminder was sent twice"
    assert len(ids) == 6
    assert Reminder.objects.filter(status=Reminder.Status.SENT).count() == 6


def test_the_lease_must_be_comfortably_longer_than_the_hard_time_limit(settings):
    settings.CELERY_TASK_TIME_LIMIT = 90
    settings.REMINDER_CLAIM_LEASE_SECONDS = 30
    errors = checks.sender_limits(None)
    assert [e.id for e in errors] == ["notifications.E001"]
    assert all(isinstance(e, Error) for e in errors)

    settings.REMINDER_CLAIM_LEASE_SECONDS = 600
    assert checks.sender_limits(None) == []


def test_the_time_budget_must_end_well_before_the_soft_time_limit(settings):
    settings.CELERY_TASK_SOFT_TIME_LIMIT = 60
    settings.REMINDER_SENDER_TIME_BUDGET_SECONDS = 60
    assert [e.id for e in checks.sender_limits(None)] == ["notifications.E002"]


def test_the_settings_of_the_project_pass_the_check():
    assert checks.sender_limits(None) == []


def test_a_retry_due_before_the_next_beat_tick_is_scheduled_for_its_back_off_time(
    smtp_sink, recipient, monkeypatch, settings
):
    settings.REMINDER_RETRY_BASE_SECONDS = 30
    reminder = plan_notice(recipient)
    smtp_sink.fail_next = 1
    scheduled = []
    monkeypatch.setattr(tasks.deliver_due_reminders_task, "apply_async", lambda **kw: scheduled.append(kw))

    with not_eager():
        tasks.deliver_due_reminders_task()

    reminder.refresh_from_db()
    assert reminder.status == Reminder.Status.PENDING
    assert scheduled == [{"eta": reminder.not_before}]


def test_a_retry_after_the_next_beat_tick_is_left_to_beat(smtp_sink, recipient, monkeypatch, settings):
    settings.REMINDER_RETRY_BASE_SECONDS = 600
    plan_notice(recipient)
    smtp_sink.fail_next = 1
    scheduled = []
    monkeypatch.setattr(tasks.deliver_due_reminders_task, "apply_async", lambda **kw: scheduled.append(kw))

    with not_eager():
        tasks.deliver_due_reminders_task()

    assert scheduled == []


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_delivers_a_retry_at_its_back_off_time_without_beat(smtp_sink, recipient, settings):
    if not BROKER_URL.startswith("redis://"):
        skip_or_fail("CELERY_BROKER_URL does not point to Redis")
    settings.REMINDER_RETRY_BASE_SECONDS = 2
    smtp_sink.fail_next = 1
    saved = celery_app.conf.task_always_eager, celery_app.conf.broker_url
    celery_app.conf.task_always_eager, celery_app.conf.broker_url = False, BROKER_URL
    try:
        with start_worker(celery_app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
            with transaction.atomic():
                reminder = plan_notice(recipient)  # kicks the sender on commit: the first try fails
            deadline = time.monotonic() + 20
            while not smtp_sink.messages and time.monotonic() < deadline:
                time.sleep(0.1)
    finally:
        celery_app.conf.task_always_eager, celery_app.conf.broker_url = saved
    reminder.refresh_from_db()
    assert reminder.status == Reminder.Status.SENT, reminder.last_error
    assert reminder.attempts == 2
    assert smtp_sink.message_ids == [reminder.message_id]


def test_the_message_id_carries_the_sites_domain(recipient, settings):
    settings.SITE_URL = "https://talent.sztu.edu.cn/"
    settings.DEFAULT_FROM_EMAIL = "SZTU × Xiaomi <noreply@localhost>"
    reminder = plan_notice(recipient)
    assert reminder.message_id.endswith("@talent.sztu.edu.cn>")


def test_a_refusal_is_recorded_in_words(smtp_sink, recipient):
    reminder = plan_notice(recipient)
    smtp_sink.refuse_always = True
    services.reminders_deliver_due()
    reminder.refresh_from_db()
    assert reminder.last_error == "550 5.1.1 Mailbox unavailable"


def test_a_refused_recipient_is_recorded_in_words():
    error = smtplib.SMTPRecipientsRefused({"nobody@qq.com": (550, b"5.1.1 Mailbox unavailable")})
    classified = channels._classify(error)
    assert isinstance(classified, channels.PermanentDeliveryError)
    assert str(classified) == "recipient refused: nobody@qq.com: 550 5.1.1 Mailbox unavailable"
