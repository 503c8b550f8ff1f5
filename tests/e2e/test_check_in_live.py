"""Check-in in a browser, both sides open at once: the mentor's register shows the student's
check-in without a reload, and the student's page shows the mentor's confirmation."""

import os
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.factories import (
    TEST_PASSWORD,
    CohortFactory,
    MentorFactory,
    PlacementFactory,
    PlacementWindowFactory,
    StoreFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)

SCREENS = Path(os.environ.get("SCREENS_DIR", "/work/screens/access"))
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def working_today():
    today = timezone.localdate()
    window = PlacementWindowFactory(
        cohort=CohortFactory(placement_weekdays="1234567"),
        starts_on=today - timedelta(days=2),
        ends_on=today + timedelta(days=18),
    )
    mentor = MentorFactory(
        user__full_name="陈志强",
        user__language="zh-hans",
        store=StoreFactory(name_zh="小米之家 福田COCO Park店", opening_hours="10:00–22:00"),
    )
    return PlacementFactory(
        window=window,
        mentor=mentor,
        application__student__full_name="王小明",
        application__student__language="zh-hans",
    )


def sign_in(page, base_url, email):
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("电子邮箱").fill(email)
    page.get_by_label("密码").fill(TEST_PASSWORD)
    page.get_by_role("button", name="登录").click()


def _shot(page, name):
    if SCREENS.is_dir():
        page.screenshot(path=str(SCREENS / name), full_page=True)


def test_both_sides_see_the_check_in_without_reloading(browser, live_server, working_today):
    placement = working_today
    student_ctx = browser.new_context(locale="zh-CN", viewport=PHONE)
    mentor_ctx = browser.new_context(locale="zh-CN", viewport=PHONE)
    student, mentor = student_ctx.new_page(), mentor_ctx.new_page()
    try:
        sign_in(mentor, live_server.url, placement.mentor.user.email)
        mentor.goto(f"{live_server.url}/mentor/attendance/")
        expect(mentor.get_by_role("heading", name="王小明")).to_be_visible()
        code_box = mentor.get_by_label("学生已签到：请输入其手机上的签到码")
        expect(code_box).to_have_count(0)

        sign_in(student, live_server.url, placement.student.email)
        student.get_by_role("button", name="在门店签到").click()
        code = placement.attendance.get().check_in_code
        expect(student.get_by_text(f"请向导师出示此签到码：{code}")).to_be_visible()
        _shot(student, "check-in-student-pending-390-zh.png")

        # No reload on the mentor's side: the polling brings the code box in.
        expect(code_box).to_be_visible(timeout=15_000)
        _shot(mentor, "check-in-mentor-code-390-zh.png")
        code_box.fill(code)
        mentor.get_by_role("button", name="确认").click()
        expect(mentor.get_by_text("王小明 已签到。")).to_be_visible()

        # And none on the student's side either.
        expect(student.get_by_text("导师已确认：出勤")).to_be_visible(timeout=15_000)
        _shot(student, "check-in-student-confirmed-390-zh.png")
    finally:
        student_ctx.close()
        mentor_ctx.close()
