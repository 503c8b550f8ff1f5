"""Celery: a real worker on the Redis broker delivers the invitation e-mail; a dead broker fails nobody."""

import os
import time

import pytest
from celery.contrib.testing.worker import start_worker
from django.core import mail
from django.urls import reverse

from accounts.models import Invitation
from sztu_xiaomi.celery import app
from tests.conftest import skip_or_fail

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
