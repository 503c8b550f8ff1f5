"""manage.py benchmark_board: time Xiaomi HR's board and table at N recommendations (scratch
database only).

Builds N throwaway graduates (…@bench.invalid) set-based with bulk_create — each with a profile,
an accepted application, a completed placement, a passing result, the consent to share with Xiaomi
and a recommendation in one of the pipeline's statuses — then opens the board and the table (and a
filtered table) through the Django test client as an HR user, R times each, and prints the median
and 95th percentile and the query count. With --explain it prints PostgreSQL's plan of the main
queries. Everything is made in one transaction that is rolled back at the end: nothing is left.
"""

import random
import statistics
import time
from datetime import timedelta

from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role, User
from evaluations.models import Band, ProgrammeResult
from internships.models import (
    Application,
    Cohort,
    District,
    Mentor,
    Placement,
    PlacementWindow,
    Store,
    StudentProfile,
)

from ...models import HiringConsent, Recommendation, RecommendationEvent
from ...selectors import board_columns, recommendations_table

S = Recommendation.Status
# How a large pipeline is spread over the statuses (most waiting or closed).
SPREAD = [
    (S.RECEIVED, 30),
    (S.REVIEWING, 20),
    (S.INTERVIEW, 10),
    (S.OFFER, 5),
    (S.HIRED, 15),
    (S.DECLINED_BY_XIAOMI, 12),
    (S.DECLINED_BY_STUDENT, 5),
    (S.WITHDRAWN, 3),
]


class Rollback(Exception):
    pass


class Command(BaseCommand):
    help = "Time the HR board and table at N throwaway recommendations, then roll them back."

    def add_arguments(self, parser):
        parser.add_argument("--recommendations", type=int, default=10_000)
        parser.add_argument("--runs", type=int, default=20)
        parser.add_argument("--explain", action="store_true", help="print the plans (PostgreSQL)")

    def handle(self, *args, recommendations, runs, explain, **options):
        try:
            with transaction.atomic():
                started = time.perf_counter()
                hr = self._build(recommendations)
                self.stdout.write(
                    f"database: {connection.vendor}; built {recommendations} recommendations "
                    f"in {time.perf_counter() - started:.1f} s"
                )
                if connection.vendor == "postgresql":
                    with connection.cursor() as cursor:
                        cursor.execute("ANALYZE")
                # the test client's host, whatever this machine's ALLOWED_HOSTS
                with override_settings(ALLOWED_HOSTS=["testserver"]):
                    self._time(hr, runs)
                if explain:
                    self._explain(hr)
                raise Rollback
        except Rollback:
            self.stdout.write("rolled back: nothing was kept")

    def _build(self, n: int) -> User:
        rng = random.Random(2026)
        now = timezone.now()
        today = timezone.localdate()
        password = make_password(None)
        cohorts = [
            Cohort.objects.create(
                code=f"bench-{i}-{now:%H%M%S%f}",
                name_zh=f"压测第{i}期",
                name_en=f"Benchmark cohort {i}",
                status=Cohort.Status.FINISHED,
                applications_open_on=today - timedelta(days=200),
                applications_close_on=today - timedelta(days=180),
            )
            for i in range(4)
        ]
        windows = {
            c.pk: PlacementWindow.objects.create(
                cohort=c, starts_on=today - timedelta(days=120), ends_on=today - timedelta(days=100)
            )
            for c in cohorts
        }
        store = Store.objects.create(
            code=f"bench-{now:%H%M%S%f}", name_zh="压测门店", name_en="Benchmark store",
            district=District.NANSHAN, address_zh="深圳市南山区", is_training_store=True,
        )  # fmt: skip
        mentor_user = User.objects.create(
            email=f"bench-mentor-{now:%H%M%S%f}@bench.invalid", full_name="压测导师", role=Role.MENTOR,
            password=password,
        )  # fmt: skip
        mentor = Mentor.objects.create(
            user=mentor_user, store=store, certified_on=today - timedelta(days=300),
            certification_expires_on=today + timedelta(days=300),
        )  # fmt: skip
        hr = User.objects.create(
            email=f"bench-hr-{now:%H%M%S%f}@bench.invalid",
            full_name="压测HR",
            role=Role.HR,
            password=password,
        )
        staff = User.objects.create(
            email=f"bench-staff-{now:%H%M%S%f}@bench.invalid", full_name="压测老师", role=Role.STAFF,
            password=password,
        )  # fmt: skip
        surnames = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
        students = User.objects.bulk_create(
            User(
                email=f"graduate-{i:06d}@bench.invalid",
                full_name=f"{surnames[i % len(surnames)]}测{i}",
                role=Role.STUDENT,
                password=password,
            )
            for i in range(n)
        )
        StudentProfile.objects.bulk_create(
            StudentProfile(user=s, student_number=f"9{i:09d}", major="市场营销", graduation_year=2026 + i % 3)
            for i, s in enumerate(students)
        )
        cohort_of = [cohorts[i % len(cohorts)] for i in range(n)]
        applications = Application.objects.bulk_create(
            Application(
                student=s,
                cohort=cohort_of[i],
                status=Application.Status.ACCEPTED,
                submitted_at=now - timedelta(days=190),
                consent_at=now - timedelta(days=190),
                consent_version="bench",
                shares_with_xiaomi=True,
                share_consent_at=now - timedelta(days=190),
            )
            for i, s in enumerate(students)
        )
        placements = Placement.objects.bulk_create(
            Placement(
                cohort=cohort_of[i],
                student=s,
                application=applications[i],
                window=windows[cohort_of[i].pk],
                store=store,
                mentor=mentor,
                status=Placement.Status.COMPLETED,
            )
            for i, s in enumerate(students)
        )
        bands = [Band.DISTINCTION, Band.MERIT, Band.MERIT, Band.PASS]
        results = ProgrammeResult.objects.bulk_create(
            ProgrammeResult(
                placement=p,
                course_score=80,
                evaluation_score=78,
                attendance_rate=96,
                total=80,
                computed_band=bands[i % len(bands)],
                band=bands[i % len(bands)],
                computed_at=now - timedelta(days=90),
                completed_on=today - timedelta(days=100),
            )
            for i, p in enumerate(placements)
        )
        consents = HiringConsent.objects.bulk_create(
            HiringConsent(student=s, notice_version="bench", given_at=now - timedelta(days=95))
            for s in students
        )
        # a few withdrew their consent: HR must not see them
        withdrawn = set(rng.sample(range(n), k=n // 50))
        for i in withdrawn:
            consents[i].withdrawn_at = now - timedelta(days=1)
        HiringConsent.objects.bulk_update([consents[i] for i in withdrawn], ["withdrawn_at"])
        statuses = rng.choices([s for s, _ in SPREAD], weights=[w for _, w in SPREAD], k=n)
        recs = []
        for i, s in enumerate(students):
            sent = now - timedelta(days=rng.randint(0, 60), minutes=rng.randint(0, 1440))
            status = statuses[i]
            fields = {}
            if status != S.RECEIVED:
                fields["first_response_at"] = sent + timedelta(days=1)
            if status == S.INTERVIEW:
                fields.update(
                    interview_at=now + timedelta(days=5), interview_place="压测门店", interviewer=hr
                )
            recs.append(
                Recommendation(
                    cohort=cohort_of[i],
                    student=s,
                    result=results[i],
                    consent=consents[i],
                    priority=rng.choice(Recommendation.Priority.values),
                    justification="成绩优秀",
                    recommended_by=staff,
                    sent_at=sent,
                    respond_by=timezone.localdate(sent) + timedelta(days=7),
                    status=status,
                    status_changed_at=sent + timedelta(days=1) if status != S.RECEIVED else sent,
                    **fields,
                )
            )
        recs = Recommendation.objects.bulk_create(recs, batch_size=2000)
        RecommendationEvent.objects.bulk_create(
            (
                RecommendationEvent(recommendation=r, actor=staff, to_status=S.RECEIVED, at=r.sent_at)
                for r in recs
            ),
            batch_size=2000,
        )
        return hr

    def _time(self, hr: User, runs: int) -> None:
        client = Client()
        client.force_login(hr)
        pages = [
            ("board", reverse("recommendations:board"), {}),
            ("table", reverse("recommendations:table"), {}),
            ("table, received, oldest first, page 3", reverse("recommendations:table"),
             {"status": S.RECEIVED, "sort": "oldest", "page": 3}),
            ("table, name prefix", reverse("recommendations:table"), {"q": "王测1"}),
            ("table, student number prefix", reverse("recommendations:table"), {"q": "9000001"}),
            # every row the HR user may see, as XLSX (and an access log row per student)
            ("export, all rows", reverse("recommendations:board_export"), {}),
        ]  # fmt: skip
        for label, url, params in pages:
            client.get(url, params)  # warm up
            times = []
            for _ in range(runs if "export" not in label else min(runs, 3)):
                with CaptureQueriesContext(connection) as queries:
                    started = time.perf_counter()
                    response = client.get(url, params)
                    times.append((time.perf_counter() - started) * 1000)
                assert response.status_code == 200, response.status_code
            times.sort()
            p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
            self.stdout.write(
                f"{label}: median {statistics.median(times):.1f} ms, p95 {p95:.1f} ms, "
                f"{len(queries)} queries ({len(times)} runs)"
            )

    def _explain(self, hr: User) -> None:
        if connection.vendor != "postgresql":
            self.stdout.write("EXPLAIN: PostgreSQL only")
            return
        today = timezone.localdate()
        cards = Recommendation.objects.visible_to(hr).filter(status=S.REVIEWING).priority_first()[:20]
        counts = Recommendation.objects.visible_to(hr).order_by().values_list("status")
        queries = {
            "board column (status = reviewing, priority first, 20)": cards,
            "board counts per status": counts,
            "table (priority first, 25)": recommendations_table(hr, today=today)[:25],
            "table (oldest first, 25)": recommendations_table(hr, today=today, sort="oldest")[:25],
            "table (newest first, 25)": recommendations_table(hr, today=today, sort="newest")[:25],
            "table (response due first, 25)": recommendations_table(hr, today=today, sort="respond_by")[:25],
            "table (overdue, 25)": recommendations_table(hr, today=today, overdue=True)[:25],
            "table (cohort + status, 25)": recommendations_table(
                hr, today=today, cohort=Recommendation.objects.first().cohort, status=S.OFFER
            )[:25],
            "table (name prefix)": recommendations_table(hr, today=today, q="王测1")[:25],
            "table (student number prefix)": recommendations_table(hr, today=today, q="90000012")[:25],
        }
        for label, queryset in queries.items():
            self.stdout.write(f"\n--- {label}\n{queryset.explain(analyze=True)}")
        board_columns(hr, today)  # the selector runs as planned above
