"""manage.py run_reminders: plan today's reminders and send what is due, once (cron, tests, demo)."""

from django.core.management.base import BaseCommand

from notifications import services


class Command(BaseCommand):
    help = "Run the daily planners and deliver every due reminder once."

    def add_arguments(self, parser):
        parser.add_argument("--no-plan", action="store_true", help="Only deliver; do not run the planners.")
        parser.add_argument("--batch-size", type=int, default=200)

    def handle(self, *args, no_plan, batch_size, **options):
        if not no_plan:
            for name, count in services.reminders_plan_daily().items():
                self.stdout.write(f"planned {count:>5}  {name}")
        # Not a Celery task: no time limit, so no budget either.
        report = services.reminders_deliver_due(batch_size=batch_size, time_budget=float("inf"))
        self.stdout.write(
            f"sent {report.sent}, cancelled {report.cancelled}, retrying {report.retrying}, "
            f"failed {report.failed}, taken by another sender {report.skipped}"
        )
