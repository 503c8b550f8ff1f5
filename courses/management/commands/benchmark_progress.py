"""manage.py benchmark_progress: time progress_for_students for N students (scratch database only).

Creates N throwaway students (…@bench.invalid) enrolled in every course with some lessons done,
times the many-students progress selector and counts its queries, then removes them.
"""

import random
import time

from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from accounts.models import Role, User
from courses.models import Course, Enrolment, LessonCompletion
from courses.selectors import progress_for_students


class Command(BaseCommand):
    help = "Time the many-students progress selector on N throwaway students, then remove them."

    def add_arguments(self, parser):
        parser.add_argument("--students", type=int, default=10_000)

    def handle(self, *args, students, **options):
        courses = list(Course.objects.prefetch_related("lessons"))
        if not courses:
            raise CommandError("no course: run manage.py load_course first")
        rng = random.Random(2026)
        try:
            with transaction.atomic():
                password = make_password(None)
                people = User.objects.bulk_create(
                    User(
                        email=f"progress-{i:05d}@bench.invalid",
                        full_name=f"压测{i}",
                        role=Role.STUDENT,
                        password=password,
                    )
                    for i in range(students)
                )
                enrolments = Enrolment.objects.bulk_create(
                    Enrolment(student=person, course=course) for person in people for course in courses
                )
                lessons = {course.id: list(course.lessons.all()) for course in courses}
                LessonCompletion.objects.bulk_create(
                    LessonCompletion(enrolment=e, lesson=lesson)
                    for e in enrolments
                    for lesson in lessons[e.course_id][: rng.randint(0, len(lessons[e.course_id]))]
                )
            ids = [p.pk for p in people]
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                progress = progress_for_students(ids)
                seconds = time.perf_counter() - started
            self.stdout.write(
                f"database: {connection.vendor}; students: {len(progress)}; enrolments: {len(enrolments)}\n"
                f"progress_for_students: {seconds:.2f} s, {len(queries)} queries"
            )
        finally:
            User.objects.filter(email__endswith="@bench.invalid").delete()
