"""manage.py demo_data: create (or refresh) the demo programme and print the demo sign-ins."""

from django.core.management.base import BaseCommand
from django.utils import translation

from demo.builder import build_demo
from demo.data import GRADUATES, MENTORS, STUDENTS


class Command(BaseCommand):
    help = "Create or refresh the bilingual demo data (idempotent) and print the demo sign-ins."

    def add_arguments(self, parser):
        parser.add_argument(
            "--password",
            default="xiaomi-demo-2026",
            help="Password of every demo account (demo data only).",
        )

    def handle(self, *args, password, **options):
        with translation.override("en"):
            sign_ins = build_demo(password)
            self.stdout.write(self.style.SUCCESS("Demo data is ready. Demo sign-ins (demo data only):"))
            width = max(len(str(role)) for role, _email in sign_ins)
            for role, email in sign_ins:
                self.stdout.write(f"  {role!s:<{width}}  {email:<32} {password}")
            self.stdout.write(
                f"Every other demo account ({len(STUDENTS) + len(GRADUATES)} students, {len(MENTORS)} mentors) "
                "uses the same password."
            )
