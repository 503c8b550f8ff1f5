"""The Xiaomi coordinator reaches the seats and the attendance of a cohort from their home, and
sees only the students who agreed to share their data with Xiaomi."""

import os
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.factories import (
    TEST_PASSWORD,
    CohortFactory,
    HRFactory,
    PlacementFactory,
    PlacementWindowFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)

SCREENS = Path(os.environ.get("SCREENS_DIR", "/work/screens/access"))


@pytest.mark.parametrize("width", [1280, 390])
def test_the_coordinator_opens_seats_and_attendance_from_the_home(browser, live_server, width):
    today = timezone.localdate()
    cohort = CohortFactory(name_zh="2026 夏季班", status="running")
    window = PlacementWindowFactory(
        cohort=cohort, starts_on=today - timedelta(days=3), ends_on=today + timedelta(days=17)
    )
    PlacementFactory(window=window, application__student__full_name="王同意")
    PlacementFactory(
        window=window, application__student__full_name="李不同意", application__shares_with_xiaomi=False
    )
    hr = HRFactory(language="zh-hans")
    context = browser.new_context(locale="zh-CN", viewport={"width": width, "height": 900})
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/accounts/login/")
        page.get_by_label("电子邮箱").fill(hr.email)
        page.get_by_label("密码").fill(TEST_PASSWORD)
        page.get_by_role("button", name="登录").click()
        section = page.get_by_role("region", name="班级：名额与考勤")
        expect(section.get_by_text("2026 夏季班")).to_be_visible()
        if SCREENS.is_dir():
            page.screenshot(path=str(SCREENS / f"hr-home-{width}-zh.png"), full_page=True)

        section.get_by_role("link", name="考勤").click()
        expect(page.get_by_role("cell", name="王同意")).to_be_visible()
        expect(page.get_by_text("李不同意")).to_have_count(0)
        if SCREENS.is_dir():
            page.screenshot(path=str(SCREENS / f"hr-attendance-{width}-zh.png"), full_page=True)
        page.go_back()
        page.get_by_role("region", name="班级：名额与考勤").get_by_role("link", name="名额").click()
        expect(page).to_have_url(f"{live_server.url}/cohorts/{cohort.pk}/seats/")
    finally:
        context.close()
