"""manage.py load_course FILE…: create or update courses from reviewed TOML files."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from courses.loader import CONTENT_DIR, ContentError, course_load


class Command(BaseCommand):
    help = "Create or update courses (lessons, quiz) from TOML files; default: all of courses/content/."

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="*", type=Path)

    def handle(self, *args, files, **options):
        for path in files or sorted(CONTENT_DIR.glob("*.toml")):
            try:
                course = course_load(path)
            except ContentError as error:
                raise CommandError(str(error)) from error
            self.stdout.write(
                f"{course.code}: {course.lessons.count()} lessons, {course.questions.count()} questions ({path.name})"
            )
