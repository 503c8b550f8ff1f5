"""manage.py benchmark_reminders: plan and send N reminders to a local SMTP sink; print the rate.

Uses its own throwaway recipients (…@bench.invalid) and removes them afterwards. Run it against a
scratch database, e.g. DATABASE_URL=postgres://postgres@127.0.0.1:5432/sztu_bench.
"""

import logging
import socket
import threading
import time
from datetime import timedelta

from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import connections, transaction
from django.test.utils import override_settings
from django.utils import timezone

from accounts.models import Role, User
from notifications import kinds, services
from notifications.models import Reminder
from notifications.services import planning

BENCH_KIND = kinds.Kind(key="benchmark_ping", label="Benchmark", template="notifications/benchmark")


class Sink:
    def __init__(self):
        self.count = 0
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.count += 1
        return "250 OK"


class Command(BaseCommand):
    help = "Plan and send reminders to a local SMTP sink and print reminders per second."

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, default=10_000)
        parser.add_argument("--recipients", type=int, default=1_000)
        parser.add_argument("--senders", type=int, default=1, help="Concurrent sender threads.")
        parser.add_argument("--batch-size", type=int, default=500)

    def handle(self, *args, count, recipients, senders, batch_size, **options):
        try:
            from aiosmtpd.controller import Controller
        except ImportError as error:
            raise CommandError("install the test requirements (aiosmtpd) first") from error
        kinds.register(BENCH_KIND)
        logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd logs every SMTP command
        sink = Sink()
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        controller = Controller(sink, hostname="127.0.0.1", port=port)
        controller.start()
        smtp = {
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": port,
            "EMAIL_USE_TLS": False,
            "EMAIL_USE_SSL": False,
            "EMAIL_HOST_USER": "",
            "EMAIL_HOST_PASSWORD": "",
        }
        people = []
        try:
            password = make_password(None)
            people = User.objects.bulk_create(
                User(
                    email=f"bench-{i:05d}@bench.invalid",
                    full_name=f"压测{i}",
                    role=Role.STAFF,
                    password=password,
                )
                for i in range(recipients)
            )
            per_person = -(-count // recipients)
            start = timezone.now() - timedelta(days=per_person + 1)
            kick, planning._kick_sender = planning._kick_sender, lambda: None
            t0 = time.perf_counter()
            with transaction.atomic():
                planned = 0
                for day in range(per_person):
                    for person in people:
                        if planned == count:
                            break
                        services.reminder_plan(
                            recipient=person,
                            kind=BENCH_KIND.key,
                            about=person,
                            due_at=start + timedelta(days=day),
                        )
                        planned += 1
            plan_seconds = time.perf_counter() - t0
            planning._kick_sender = kick

            reports = []

            def sender():
                try:
                    reports.append(
                        services.reminders_deliver_due(batch_size=batch_size, time_budget=float("inf"))
                    )
                finally:
                    connections.close_all()

            with override_settings(**smtp):
                t0 = time.perf_counter()
                threads = [threading.Thread(target=sender) for _ in range(senders)]
                for thread in threads:
                    thread.start()
                for thread in threads:
                    thread.join()
                send_seconds = time.perf_counter() - t0
            sent = sum(r.sent for r in reports)
            self.stdout.write(
                f"database: {connections['default'].vendor}; reminders: {planned}; senders: {senders}\n"
                f"planning: {plan_seconds:.1f} s, {planned / plan_seconds:,.0f} reminders/s\n"
                f"sending:  {send_seconds:.1f} s, {sent / send_seconds:,.0f} reminders/s "
                f"(sent {sent}, received by the SMTP sink {sink.count}, "
                f"still pending {Reminder.objects.filter(kind=BENCH_KIND.key, status='pending').count()})"
            )
            if sink.count != planned:
                raise CommandError(f"the sink received {sink.count} e-mails for {planned} reminders")
        finally:
            User.objects.filter(email__endswith="@bench.invalid").delete()
            controller.stop()
