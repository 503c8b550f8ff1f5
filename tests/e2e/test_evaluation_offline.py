"""A mentor fills a week-1 evaluation on a phone in the shop, loses the Wi-Fi half-way, comes back
and finds the draft, submits; the student then reads it. In Chinese, at 390 px."""

import os
import re
from datetime import timedelta
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone
from playwright.sync_api import expect

from evaluations.models import Evaluation
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
def week_1_ends_today():
    """Dates are built from today (as in the other browser tests): week 1's last day is today."""
    today = timezone.localdate()
    window = PlacementWindowFactory(
        cohort=CohortFactory(placement_weekdays="1234567"),
        starts_on=today - timedelta(days=6),
        ends_on=today + timedelta(days=14),
    )
    mentor = MentorFactory(
        user__full_name="陈志强",
        user__language="zh-hans",
        store=StoreFactory(name_zh="小米之家 福田COCO Park店"),
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


def choose(page, criterion: int, level: int):
    """Level `level` of the criterion numbered `criterion` (its card is a fieldset)."""
    card = page.get_by_role("group", name=re.compile(rf"^{criterion}\. "))
    card.get_by_role("radio", name=re.compile(rf"^{level}\b")).check()


def test_a_mentor_keeps_the_draft_through_a_dropped_connection_and_the_student_reads_it(
    browser, live_server, week_1_ends_today
):
    placement = week_1_ends_today
    mentor_ctx = browser.new_context(locale="zh-CN", viewport=PHONE)
    page = mentor_ctx.new_page()
    status = page.get_by_role("status").filter(has_text=re.compile("保存|离线"))
    try:
        sign_in(page, live_server.url, placement.mentor.user.email)
        page.goto(f"{live_server.url}/mentor/evaluations/")
        page.get_by_role("link", name=re.compile("开始评价.*王小明.*第 1 周")).click()
        expect(page.get_by_role("heading", name="王小明 · 第 1 周")).to_be_visible()

        choose(page, 1, 4)
        choose(page, 2, 5)
        choose(page, 3, 3)
        expect(status).to_have_text(re.compile(r"已保存 \d\d:\d\d"), timeout=10_000)

        mentor_ctx.set_offline(True)
        choose(page, 4, 4)
        choose(page, 5, 2)
        choose(page, 6, 5)
        page.get_by_label("评语").fill("接待顾客热情，产品讲解还需加强。")
        expect(status).to_have_text("离线——已保存在本手机上，恢复网络后自动保存")
        _shot(page, "evaluation-offline-390-zh.png")
        assert Evaluation.objects.get().scores.count() == 3  # the rest is on the phone only

        # Back online, but the first save after the outage does not get through either: what was
        # written offline is still only on the phone when the page is reloaded.
        page.route("**/autosave/", lambda route: route.abort())
        mentor_ctx.set_offline(False)
        expect(status).to_have_text(re.compile("未保存"), timeout=10_000)
        page.unroute("**/autosave/")
        assert Evaluation.objects.get().comment == ""

        page.reload()
        expect(page.get_by_label("评语")).to_have_value("接待顾客热情，产品讲解还需加强。")
        sixth = page.get_by_role("group", name=re.compile(r"^6\. "))
        expect(sixth.get_by_role("radio", name=re.compile(r"^5\b"))).to_be_checked()
        expect(status).to_have_text(re.compile(r"已保存 \d\d:\d\d"), timeout=10_000)
        evaluation = Evaluation.objects.get()
        assert evaluation.scores.count() == 6 and evaluation.status == Evaluation.Status.DRAFT
        assert evaluation.comment == "接待顾客热情，产品讲解还需加强。"

        results = Axe().run(page)
        assert results.violations_count == 0, results.generate_report()
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")

        page.get_by_role("button", name="提交").click()
        expect(page).to_have_url(f"{live_server.url}/mentor/evaluations/")
        expect(page.get_by_text("王小明 的第 1 周已提交。")).to_be_visible()
    finally:
        mentor_ctx.close()

    student_ctx = browser.new_context(locale="zh-CN", viewport=PHONE)
    student = student_ctx.new_page()
    try:
        sign_in(student, live_server.url, placement.student.email)
        student.get_by_role("button", name="菜单").click()
        student.get_by_role("link", name="我的评价").click()
        expect(student.get_by_role("heading", name="第 1 周")).to_be_visible()
        expect(student.get_by_text("接待顾客热情，产品讲解还需加强。")).to_be_visible()
        expect(student.get_by_text("5 分（满分 5 分）").first).to_be_visible()
        _shot(student, "evaluation-student-390-zh.png")
    finally:
        student_ctx.close()
