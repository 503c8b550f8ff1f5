"""manage.py demo_data builds a believable, repeatable demo programme."""

import re
from datetime import datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role, User
from courses.models import Course, Enrolment
from internships.models import Cohort, Mentor, Placement, Store
from notifications.models import Reminder
from notifications.services import reminders_deliver_due

MODELS = [User, Course, Cohort, Store, Mentor]


def run_demo_data() -> str:
    out = StringIO()
    call_command("demo_data", stdout=out)
    return out.getvalue()


def counts() -> dict:
    return {model.__name__: model.objects.count() for model in MODELS} | {
        role: User.objects.filter(role=role).count() for role in Role.values
    }


@pytest.fixture
def demo_output(db):
    return run_demo_data()


def test_running_it_twice_changes_nothing(demo_output):
    first = counts()

    run_demo_data()

    assert counts() == first


def test_it_builds_the_programme(demo_output):
    assert Course.objects.count() == 5
    assert list(Course.objects.values_list("order", flat=True)) == [1, 2, 3, 4, 5]
    assert Cohort.objects.filter(status=Cohort.Status.OPEN).get().accepting_applications
    assert Cohort.objects.filter(status=Cohort.Status.RUNNING).count() == 2  # autumn: courses; summer: stores
    assert Store.objects.count() == 12
    assert Store.objects.values("district").distinct().count() >= 6
    assert Mentor.objects.count() >= 10
    assert User.objects.filter(role=Role.STUDENT, is_active=True).count() == 30 + 7  # and seven graduates
    # Autumn's twelve students are part-way through the courses; summer's four finished them and
    # are in the demo mentor's store now.
    # (and the seven graduates of spring finished them long ago)
    enrolled = Enrolment.objects.values("student").distinct().count()
    assert enrolled == 12 + 4 + 7
    assert Enrolment.objects.count() == (12 + 4 + 7) * 5
    assert (4 + 7) * 5 < Enrolment.objects.filter(completed_at__isnull=False).count() < (12 + 4 + 7) * 5
    placements = Placement.objects.filter(
        status=Placement.Status.ACTIVE, mentor__user__email="mentor01@xiaomi-demo.cn"
    )
    assert placements.count() >= 2
    # One lapsed certification, so the HR page has something to do.
    assert Mentor.objects.filter(certification_expires_on__lt=timezone.localdate()).count() == 1


def test_it_prints_a_sign_in_for_each_role(demo_output):
    for role in Role:
        line = next(
            (line for line in demo_output.splitlines() if line.strip().startswith(str(role.label))), None
        )
        assert line, f"no sign-in printed for {role.label}"
        email = re.search(r"\S+@\S+", line).group(0)
        assert User.objects.get(email=email).role == role


def test_the_printed_password_signs_the_student_in(client, demo_output):
    line = next(line for line in demo_output.splitlines() if line.strip().startswith(str(Role.STUDENT.label)))
    _, email, password = line.rsplit(maxsplit=2)

    response = client.post(reverse("accounts:login"), {"username": email, "password": password}, follow=True)

    assert response.redirect_chain[-1][0] == reverse("dashboards:student_home")
    assert response.wsgi_request.user.email == email


@pytest.mark.parametrize("hour", [6, 10, 23])
def test_the_demo_sends_todays_digests_and_reminders_whatever_the_hour(db, hour):
    """Built before 09:00 Shanghai, the demo still has today's mail to send at once (real days keep
    09:00), and it is the same mail at 06:00, 10:00 and 23:00."""
    wednesday = datetime(2026, 12, 2, hour, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
    with time_machine.travel(wednesday, tick=False):
        run_demo_data()
        mail.outbox.clear()
        reminders_deliver_due()

    sent = Reminder.objects.filter(status=Reminder.Status.SENT)
    kinds_sent = set(sent.values_list("recipient__email", "kind"))
    assert {
        ("hr@xiaomi-demo.cn", "hr_daily_digest"),
        ("staff@sztu-demo.cn", "staff_daily_digest"),
        ("mentor01@xiaomi-demo.cn", "attendance_missing"),
    } <= kinds_sent
    # 16 decisions, 4 missing-attendance reminders, 1 certification, 3 digests, 6 publication notices
    # (4 students, 2 mentors), 3 week-1 evaluations released to their students, 1 escalation to the
    # coordinator (the one week-1 evaluation still missing, due Friday 27 Nov, is five days late),
    # 6 certificates issued to the graduates who passed: the same number whatever the hour.
    # The recommendations to Xiaomi were sent and moved days ago: no notice of those today, only
    # the escalation of the one overdue (once the pipeline's deadlines are registered).
    escalations = sent.filter(kind="recommendation_overdue").count()
    assert len(mail.outbox) == sent.count() == 40 + escalations
    assert not Reminder.objects.filter(status=Reminder.Status.PENDING, due_on=wednesday.date()).exists()


def test_the_demo_shows_the_assessment_in_week_two_and_a_finished_cohort(demo_output):
    from evaluations.models import Certificate, Evaluation, ProgrammeResult, Reflection
    from evaluations.selectors import assessment_of

    summer = Cohort.objects.get(code="2026-summer")
    submitted = Evaluation.objects.filter(placement__cohort=summer, status=Evaluation.Status.SUBMITTED)
    placed = summer.placements.exclude(status=Placement.Status.WITHDRAWN).count()
    # week 1 evaluated and reflected on for every intern but one; some reflections answered
    assert submitted.filter(period=1).count() == placed - 1
    assert Reflection.objects.filter(placement__cohort=summer, week=1).count() == placed - 1
    assert Reflection.objects.filter(placement__cohort=summer).exclude(reply="").exists()

    spring = Cohort.objects.get(code="2026-spring")
    assert spring.status == Cohort.Status.FINISHED
    assert assessment_of(spring).results_confirmed
    bands = sorted(ProgrammeResult.objects.filter(placement__cohort=spring).values_list("band", flat=True))
    assert bands == ["distinction", "distinction", "distinction", "merit", "merit", "not_passed", "pass"]
    assert Certificate.objects.filter(result__placement__cohort=spring).count() == 6
    assert (
        Evaluation.objects.filter(placement__cohort=spring, status=Evaluation.Status.SUBMITTED).count()
        == 7 * 4
    )
