"""Placements in a browser: staff allocate, preview, move one student and publish; the student
sees the placement; the mentor records attendance on a phone."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from courses.models import Enrolment
from internships.models import (
    Application,
    ApplicationPreference,
    CohortCourse,
    Placement,
    PlacementWindow,
    StoreSeats,
)
from tests.e2e.helpers import sign_in, sign_out
from tests.factories import (
    CohortFactory,
    CourseFactory,
    MentorFactory,
    StaffFactory,
    StoreFactory,
    StudentFactory,
    SubmittedApplicationFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def running_cohort():
    """Two accepted students who passed the course; the placement window runs this week."""
    today = timezone.localdate()
    monday = today - timedelta(days=today.weekday())
    cohort = CohortFactory(
        name_en="Summer 2026 cohort",
        applications_open_on=today - timedelta(days=120),
        applications_close_on=today - timedelta(days=90),
        placement_weekdays="1234567",  # every day, so the test can record attendance whatever today is
        what_to_bring_en="Student card and black trousers",
    )
    course = CourseFactory()
    CohortCourse.objects.create(cohort=cohort, course=course, due_on=today - timedelta(days=30))
    window = PlacementWindow.objects.create(
        cohort=cohort, starts_on=monday - timedelta(days=7), ends_on=monday + timedelta(days=13)
    )
    coco = StoreFactory(name_en="Xiaomi Store Futian COCO Park", address_en="268 Fuhua 3rd Rd, Futian")
    coastal = StoreFactory(name_en="Xiaomi Store Nanshan Coastal City")
    chen = MentorFactory(store=coco, user__full_name="陈志强", user__email="chen@xiaomi.com", capacity=2)
    lin = MentorFactory(store=coastal, user__full_name="林晓燕", user__email="lin@xiaomi.com", capacity=2)
    StoreSeats.objects.create(window=window, store=coco, seats=2)
    StoreSeats.objects.create(window=window, store=coastal, seats=2)
    students = []
    for name in ("王小明", "李思雨"):
        student = StudentFactory(full_name=name, email=f"{len(students)}@qq.com")
        application = SubmittedApplicationFactory(student=student, cohort=cohort, window=window)
        Application.objects.filter(pk=application.pk).update(status=Application.Status.ACCEPTED)
        ApplicationPreference.objects.create(application=application, rank=1, store=coco)
        Enrolment.objects.create(
            student=student, course=course, completed_at=timezone.now() - timedelta(days=40)
        )
        students.append(student)
    return cohort, students, chen, lin


def test_staff_allocate_move_and_publish_the_student_sees_it_and_the_mentor_records_attendance(
    page: Page, live_server, running_cohort
):
    cohort, (xiaoming, _siyu), chen, _lin = running_cohort
    staff = StaffFactory(email="office@sztu.edu.cn")

    sign_in(page, live_server.url, staff.email)
    page.goto(f"{live_server.url}/staff/cohorts/{cohort.pk}/placements/")
    expect(page.get_by_text("2 students are eligible")).to_be_visible()
    page.get_by_role("button", name="Run the allocation").click()
    expect(page.get_by_text("Allocation preview ready: 2 of 2 students placed.")).to_be_visible()
    expect(page.get_by_role("heading", name="Preview — not published")).to_be_visible()

    # Nobody sees a preview.
    assert not Placement.objects.visible_to(xiaoming).exists()

    page.get_by_role("link", name="Move 李思雨").click()
    page.get_by_label("Store and mentor").select_option(label="Xiaomi Store Nanshan Coastal City · 林晓燕")
    page.get_by_role("button", name="Move").click()
    expect(page.get_by_text("李思雨 moves to Xiaomi Store Nanshan Coastal City.")).to_be_visible()

    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Publish 2 placements").click()
    expect(page.get_by_text("2 placements published.")).to_be_visible()
    sign_out(page)

    sign_in(page, live_server.url, xiaoming.email)
    expect(page.get_by_text("Your placement: Xiaomi Store Futian COCO Park")).to_be_visible()
    expect(page.get_by_text("268 Fuhua 3rd Rd, Futian")).to_be_visible()
    assert "uri.amap.com" in page.get_by_role("link", name="Open in Amap").get_attribute("href")
    expect(page.get_by_text("Your mentor: 陈志强")).to_be_visible()
    expect(page.get_by_text("Student card and black trousers")).to_be_visible()
    sign_out(page)

    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, live_server.url, chen.user.email)
    expect(page.get_by_text("王小明").first).to_be_visible()
    page.get_by_role("link", name="Record today's attendance").click()
    intern = page.get_by_role("region", name="王小明")
    intern.get_by_role("button", name="Late").click()
    expect(page.get_by_text("王小明: Late.")).to_be_visible()
    expect(page.get_by_role("region", name="李思雨")).to_have_count(0)  # not this mentor's intern
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    placement = Placement.objects.get(student=xiaoming)
    assert placement.status == Placement.Status.ACTIVE
    assert placement.attendance.get(day=timezone.localdate()).mark == "late"
