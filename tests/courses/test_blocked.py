"""A student who used every quiz attempt without passing: told, flagged, not reminded, unblocked by
staff granting attempts (issue 9, defect 6); a passed quiz is not started again (defect 17)."""

import re
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from courses import selectors, services
from courses.models import AttemptGrant, Enrolment, QuizAttempt
from internships.reminders import staff_digest_sections
from notifications.models import Notification, Reminder
from notifications.services import reminders_deliver_due
from tests.factories import (
    EnrolmentFactory,
    StaffFactory,
    StudentFactory,
    course_with_content,
    quiz_answers,
)

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
MONDAY = datetime(2026, 3, 2, 10, 0, tzinfo=SHANGHAI)
DUE = date(2026, 3, 12)  # reminders at 09:00 on 5 and 10 March


def nine_am(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 9, 0, tzinfo=SHANGHAI)


def fail_quiz(enrolment):
    attempt = services.quiz_attempt_open(enrolment=enrolment)
    return services.quiz_attempt_submit(
        attempt=attempt, answers=quiz_answers(attempt, wrong=set(attempt.question_order))
    )


def pass_quiz(enrolment):
    attempt = services.quiz_attempt_open(enrolment=enrolment)
    return services.quiz_attempt_submit(attempt=attempt, answers=quiz_answers(attempt))


def deadline_reminders(enrolment):
    return Reminder.objects.filter(kind=services.DEADLINE_KIND, subject_id=enrolment.pk).order_by("due_at")


def state(enrolment) -> Enrolment:
    return Enrolment.objects.with_quiz_state().get(pk=enrolment.pk)


@pytest.fixture
def course():
    return course_with_content(lessons=2, single=2, multiple=0, quiz_max_attempts=2, code="NR901")


@pytest.fixture
def blocked(student, course):
    """The student used both attempts without passing (reminders planned on MONDAY)."""
    with time_machine.travel(MONDAY, tick=False):
        enrolment = services.enrolment_create(student=student, course=course, due_on=DUE)
        fail_quiz(enrolment)
        fail_quiz(enrolment)
    return enrolment


# --- the rule: attempts left and blocked -------------------------------------------------------------


def test_attempts_left_and_blocked_follow_the_attempts_used_and_granted(student, course, staff):
    enrolment = services.enrolment_create(student=student, course=course)
    assert (state(enrolment).quiz_attempts_left, state(enrolment).quiz_blocked) == (2, False)

    fail_quiz(enrolment)
    assert (state(enrolment).quiz_attempts_left, state(enrolment).quiz_blocked) == (1, False)

    fail_quiz(enrolment)
    assert (state(enrolment).quiz_attempts_left, state(enrolment).quiz_blocked) == (0, True)
    assert list(Enrolment.objects.quiz_blocked()) == [enrolment]

    services.enrolment_grant_attempts(enrolment=enrolment, extra=2, reason="Ill on exam day", by=staff)
    assert (state(enrolment).quiz_attempts_left, state(enrolment).quiz_blocked) == (2, False)
    assert list(Enrolment.objects.quiz_blocked()) == []


def test_an_attempt_in_progress_does_not_count_as_used(student, course):
    enrolment = services.enrolment_create(student=student, course=course)
    fail_quiz(enrolment)
    services.quiz_attempt_open(enrolment=enrolment)

    assert (state(enrolment).quiz_attempts_left, state(enrolment).quiz_blocked) == (1, False)


def test_a_student_who_passed_on_the_last_attempt_is_not_blocked(student, course):
    enrolment = services.enrolment_create(student=student, course=course)
    fail_quiz(enrolment)
    pass_quiz(enrolment)

    assert state(enrolment).quiz_attempts_left == 0
    assert state(enrolment).quiz_blocked is False
    assert not Enrolment.objects.quiz_blocked().exists()


def test_the_progress_selector_reports_the_blocked_course(student, blocked):
    progress = selectors.progress_for_student(student)

    item = progress.courses[0]
    assert (item.quiz_attempts_left, item.quiz_blocked) == (0, True)
    assert progress.blocked == [item]
    # nothing to continue: the only unfinished course cannot be finished without staff
    assert progress.next_course is None


# --- deadline reminders ------------------------------------------------------------------------


def test_using_the_last_attempt_without_passing_cancels_the_deadline_reminders(blocked):
    reminders = list(deadline_reminders(blocked))
    assert [r.status for r in reminders] == [Reminder.Status.CANCELLED] * 2
    assert {r.cancelled_reason for r in reminders} == {"quiz attempts used up"}


def test_a_failed_attempt_with_attempts_left_keeps_the_reminders(student, course):
    with time_machine.travel(MONDAY, tick=False):
        enrolment = services.enrolment_create(student=student, course=course, due_on=DUE)
        fail_quiz(enrolment)

    assert set(deadline_reminders(enrolment).values_list("status", flat=True)) == {Reminder.Status.PENDING}


def test_a_deadline_reminder_is_not_sent_while_the_student_is_blocked(student, course):
    """Even a reminder left pending (the attempts written without the service) is cancelled at send time."""
    with time_machine.travel(MONDAY, tick=False):
        enrolment = services.enrolment_create(student=student, course=course, due_on=DUE)
    for number in (1, 2):
        QuizAttempt.objects.create(enrolment=enrolment, number=number, submitted_at=MONDAY, score=0)

    with time_machine.travel(nine_am(date(2026, 3, 5)) + timedelta(minutes=1), tick=False):
        report = reminders_deliver_due()

    assert (report.sent, report.cancelled) == (0, 1)
    assert mail.outbox == []


def test_granting_attempts_re_arms_the_deadline_reminders_still_ahead(blocked, staff):
    with time_machine.travel(nine_am(date(2026, 3, 6)), tick=False):
        services.enrolment_grant_attempts(enrolment=blocked, extra=1, reason="Second chance", by=staff)
        assert reminders_deliver_due().sent == 1  # the news of the grant
    mail.outbox.clear()

    statuses = {r.due_at: r.status for r in deadline_reminders(blocked)}
    assert statuses == {
        nine_am(date(2026, 3, 5)): Reminder.Status.CANCELLED,  # its day has gone
        nine_am(date(2026, 3, 10)): Reminder.Status.PENDING,
    }
    with time_machine.travel(nine_am(date(2026, 3, 10)) + timedelta(minutes=1), tick=False):
        assert reminders_deliver_due().sent == 1
    assert len(mail.outbox) == 1


# --- granting attempts -------------------------------------------------------------------------------


def test_granting_attempts_is_recorded_with_who_when_how_many_and_why(blocked, staff):
    with time_machine.travel(MONDAY + timedelta(days=1), tick=False):
        grant = services.enrolment_grant_attempts(
            enrolment=blocked, extra=2, reason="Network failure during attempt 2", by=staff
        )

    grant.refresh_from_db()
    assert (grant.enrolment_id, grant.extra, grant.reason, grant.granted_by_id) == (
        blocked.pk,
        2,
        "Network failure during attempt 2",
        staff.pk,
    )
    assert grant.created_at == MONDAY + timedelta(days=1)


def test_after_a_grant_the_student_can_start_the_quiz_again(blocked, staff):
    with pytest.raises(services.QuizClosed):
        services.quiz_attempt_open(enrolment=blocked)

    services.enrolment_grant_attempts(enrolment=blocked, extra=1, reason="Second chance", by=staff)

    attempt = services.quiz_attempt_open(enrolment=blocked)
    assert attempt.number == 3
    pass_quiz_attempt = services.quiz_attempt_submit(attempt=attempt, answers=quiz_answers(attempt))
    assert pass_quiz_attempt.passed
    with pytest.raises(services.QuizClosed):
        services.quiz_attempt_open(enrolment=blocked)


@pytest.mark.parametrize(
    "extra, reason, field",
    [(0, "Second chance", "extra"), (11, "Second chance", "extra"), (1, "   ", "reason")],
)
def test_a_grant_with_bad_input_is_refused_and_saves_nothing(blocked, staff, extra, reason, field):
    with pytest.raises(services.ValidationError) as error:
        services.enrolment_grant_attempts(enrolment=blocked, extra=extra, reason=reason, by=staff)

    assert field in error.value.message_dict
    assert not AttemptGrant.objects.exists()
    assert state(blocked).quiz_blocked is True


def test_no_attempts_are_granted_for_a_quiz_already_passed(student, course, staff):
    enrolment = services.enrolment_create(student=student, course=course)
    pass_quiz(enrolment)

    with pytest.raises(services.ValidationError, match="already passed"):
        services.enrolment_grant_attempts(enrolment=enrolment, extra=1, reason="More practice", by=staff)

    assert not AttemptGrant.objects.exists()


# --- a passed quiz is not started again (defect 17) ------------------------------------------------


def test_a_passed_quiz_cannot_be_started_again(student, course):
    enrolment = services.enrolment_create(student=student, course=course)
    pass_quiz(enrolment)

    with pytest.raises(services.QuizClosed, match="You passed this quiz with 100%"):
        services.quiz_attempt_open(enrolment=enrolment)

    assert QuizAttempt.objects.filter(enrolment=enrolment).count() == 1
    assert state(enrolment).quiz_attempts_left == 1


def test_the_quiz_page_of_a_passed_quiz_says_so_and_opens_no_attempt(client, student, course):
    enrolment = EnrolmentFactory(student=student, course=course)
    pass_quiz(enrolment)
    client.force_login(student)

    response = client.get(reverse("courses:quiz", args=[course.code]))

    html = response.content.decode()
    assert response.status_code == 200
    assert "You passed this quiz" in html
    assert "100%" in html
    assert "Contact the programme office" not in html
    assert QuizAttempt.objects.filter(enrolment=enrolment).count() == 1
    course_page = client.get(reverse("courses:course", args=[course.code])).content.decode()
    assert f'href="{reverse("courses:quiz", args=[course.code])}"' not in course_page
    result = client.get(reverse("courses:quiz_result", args=[course.code, 1])).content.decode()
    assert "Try again" not in result


# --- what the student sees ---------------------------------------------------------------------------

CONTACT = "Contact the programme office"


@pytest.fixture
def signed_in(client, student):
    client.force_login(student)
    return client


def test_the_course_page_tells_a_blocked_student_what_happened_and_what_to_do(signed_in, blocked):
    html = signed_in.get(reverse("courses:course", args=["NR901"])).content.decode()

    assert "You have used all 2 attempts at this quiz without passing" in html
    assert CONTACT in html
    assert reverse("courses:quiz", args=["NR901"]) + '"' not in html


def test_the_quiz_closed_page_tells_a_blocked_student_to_contact_the_office(signed_in, blocked):
    response = signed_in.get(reverse("courses:quiz", args=["NR901"]))

    html = response.content.decode()
    assert response.status_code == 200
    assert "The quiz is closed" in html
    assert "You have used all 2 attempts at this quiz without passing" in html
    assert CONTACT in html
    assert QuizAttempt.objects.filter(enrolment=blocked).count() == 2


def test_my_courses_marks_the_blocked_course(signed_in, blocked):
    html = signed_in.get(reverse("courses:my_courses")).content.decode()

    assert "Quiz attempts used up" in html
    assert CONTACT in html


def test_the_student_home_says_blocked_instead_of_continue(signed_in, blocked):
    html = signed_in.get(reverse("dashboards:student_home")).content.decode()

    assert "Continue the course" not in html
    assert "All five courses are complete" not in html
    assert "You have used all your attempts at the quiz of" in html
    assert CONTACT in html
    journey = re.search(r'<ol class="journey".*?</ol>', html, flags=re.S).group(0)
    assert "0/1 · blocked" in journey


def test_the_student_home_still_offers_the_next_course_beside_the_blocked_one(signed_in, student, blocked):
    other = course_with_content(lessons=1, single=1, multiple=0, title_en="Consumer Insight")
    EnrolmentFactory(student=student, course=other, due_on=DUE + timedelta(days=30))

    html = signed_in.get(reverse("dashboards:student_home")).content.decode()

    assert "You have used all your attempts at the quiz of" in html
    assert "Continue “Consumer Insight”" in html


# --- what staff see ------------------------------------------------------------------------------


def test_the_progress_overview_flags_blocked_students_and_filters_them(client, staff, student, blocked):
    StudentFactory(full_name="进行中")
    EnrolmentFactory(student=StudentFactory(full_name="顺利学生"), course=blocked.course)
    client.force_login(staff)

    everyone = client.get(reverse("courses:progress_overview")).content.decode()
    only_blocked = client.get(reverse("courses:progress_overview"), {"status": "blocked"}).content.decode()

    assert "顺利学生" in everyone
    badge = 'text-bg-warning ms-1">Blocked on a quiz</span>'
    assert everyone.count(badge) == 1
    assert only_blocked.count(badge) == 1
    assert student.full_name in only_blocked
    assert "顺利学生" not in only_blocked
    assert f'href="{reverse("courses:progress_overview")}?status=blocked"' in everyone


def test_the_staff_digest_lists_students_blocked_after_their_last_attempt(student, blocked):
    EnrolmentFactory(student=StudentFactory(full_name="顺利学生"), course=blocked.course)

    sections = {str(s["title"]): s for s in staff_digest_sections()}

    section = sections["Students blocked after their last quiz attempt"]
    assert section["total"] == 1
    assert len(section["lines"]) == 1
    assert student.full_name in section["lines"][0]
    assert "NR901" in section["lines"][0]


def test_the_blocked_selector_leaves_out_deactivated_students(student, blocked):
    student.is_active = False
    student.save()

    assert not selectors.enrolments_blocked_on_quiz().exists()


def test_the_staff_student_page_flags_the_blocked_course_with_a_grant_form(client, staff, student, blocked):
    client.force_login(staff)

    html = client.get(reverse("courses:student_progress", args=[student.pk])).content.decode()

    assert "Blocked on a quiz" in html
    assert f'action="{reverse("courses:attempts_grant", args=[student.pk, "NR901"])}"' in html
    assert 'name="extra"' in html
    assert 'name="reason"' in html


def test_staff_grant_an_attempt_from_the_student_page(client, staff, student, blocked):
    client.force_login(staff)
    url = reverse("courses:attempts_grant", args=[student.pk, "NR901"])

    response = client.post(url, {"extra": "1", "reason": "Power cut during attempt 2"}, follow=True)

    html = response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("courses:student_progress", args=[student.pk])
    assert "1 more attempt granted" in html
    assert "Power cut during attempt 2" in html
    assert staff.full_name in html
    assert state(blocked).quiz_attempts_left == 1


@pytest.mark.parametrize(
    "data, message",
    [
        ({"extra": "0", "reason": "Power cut"}, "Ensure this value is greater than or equal to 1."),
        ({"extra": "abc", "reason": "Power cut"}, "Enter a whole number."),
        ({"extra": "1", "reason": ""}, "This field is required."),
    ],
)
def test_a_bad_grant_form_shows_the_error_by_the_field_and_saves_nothing(
    client, staff, student, blocked, data, message
):
    client.force_login(staff)

    response = client.post(reverse("courses:attempts_grant", args=[student.pk, "NR901"]), data)

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not AttemptGrant.objects.exists()


def test_a_grant_for_a_course_the_student_is_not_enrolled_in_is_not_found(client, staff, student, blocked):
    other = StudentFactory()
    client.force_login(staff)

    response = client.post(
        reverse("courses:attempts_grant", args=[other.pk, "NR901"]), {"extra": "1", "reason": "x"}
    )

    assert response.status_code == 404
    assert not AttemptGrant.objects.exists()


@pytest.mark.parametrize("url_name", ["courses:student_progress", "courses:progress_overview"])
def test_the_staff_pages_stay_bounded_with_blocked_students(client, url_name, django_assert_max_num_queries):
    staff = StaffFactory()
    course = course_with_content(lessons=1, single=1, multiple=0, quiz_max_attempts=1)
    people = StudentFactory.create_batch(5)
    for person in people:
        enrolment = EnrolmentFactory(student=person, course=course)
        QuizAttempt.objects.create(enrolment=enrolment, number=1, submitted_at=timezone.now(), score=0)
        services.enrolment_grant_attempts(enrolment=enrolment, extra=1, reason="x", by=staff)
        QuizAttempt.objects.create(enrolment=enrolment, number=2, submitted_at=timezone.now(), score=0)
    client.force_login(staff)
    args = [people[0].pk] if url_name == "courses:student_progress" else []

    with django_assert_max_num_queries(10):
        response = client.get(reverse(url_name, args=args))

    assert "Blocked on a quiz" in response.content.decode()


# --- the student hears about the grant -------------------------------------------------------------


def test_the_student_is_told_by_e_mail_and_bell_when_attempts_are_granted(blocked, staff, student):
    services.enrolment_grant_attempts(enrolment=blocked, extra=1, reason="Second chance", by=staff)

    reminders_deliver_due()
    reminders_deliver_due()

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [student.email]
    assert "1 more attempt" in message.subject
    assert "/courses/NR901/quiz/" in message.body
    assert "Second chance" not in message.body  # the reason is the office's note, not the student's
    assert Notification.objects.get(user=student).link == reverse("courses:course", args=["NR901"])


def test_the_grant_notice_is_written_in_the_students_language(staff):
    student = StudentFactory(language="zh-hans")
    course = course_with_content(single=1, multiple=0, quiz_max_attempts=1, title_zh="新零售基础")
    enrolment = services.enrolment_create(student=student, course=course)
    fail_quiz(enrolment)

    services.enrolment_grant_attempts(enrolment=enrolment, extra=2, reason="网络中断", by=staff)
    reminders_deliver_due()

    assert "新零售基础" in mail.outbox[0].subject
    assert "2 次" in mail.outbox[0].subject


def test_no_grant_notice_goes_once_the_quiz_is_passed_before_it_is_sent(blocked, staff):
    services.enrolment_grant_attempts(enrolment=blocked, extra=1, reason="Second chance", by=staff)
    Enrolment.objects.filter(pk=blocked.pk).update(quiz_passed_at=timezone.now())

    report = reminders_deliver_due()

    assert (report.sent, report.cancelled) == (0, 1)
    assert mail.outbox == []
