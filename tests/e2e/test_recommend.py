"""Recommending graduates to Xiaomi in a browser, in Chinese: staff select three graduates on the
candidates page, the one without consent is refused and left out, the two others are sent and the
list of recommendations shows both as received."""

import os
import re
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from evaluations.models import FINAL
from tests.factories import (
    TEST_PASSWORD,
    GraduateResultFactory,
    HiringConsentFactory,
    PlacementFactory,
    StaffFactory,
    SubmittedEvaluationFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
# Set SCREENSHOTS=/some/folder to keep a picture of each page at both widths.
SHOTS = os.environ.get("SCREENSHOTS")


def graduate(name, consent=True, hiring="yes", **scores):
    result = GraduateResultFactory(
        placement=PlacementFactory(
            application__student__full_name=name, application__student__language="zh-hans"
        ),
        **scores,
    )
    SubmittedEvaluationFactory(placement=result.placement, period=FINAL, recommends_hiring=hiring)
    if consent:
        HiringConsentFactory(student=result.placement.student)
    return result


def sign_in_zh(page: Page, base_url: str, email: str) -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("电子邮箱").fill(email)
    page.get_by_label("密码").fill(TEST_PASSWORD)
    page.get_by_role("button", name="登录").click()


def fits(page: Page, name: str) -> None:
    """Nothing overflows sideways at either width, axe-core finds no violation (and a picture is
    kept when asked)."""
    for size in (DESKTOP, PHONE):
        page.set_viewport_size(size)
        assert page.evaluate("document.documentElement.scrollWidth") <= size["width"], (name, size)
        results = Axe().run(page)
        assert not results.violations_count, f"{name} at {size['width']} px:\n{results.generate_report()}"
        if SHOTS:
            Path(SHOTS).mkdir(parents=True, exist_ok=True)
            page.screenshot(path=f"{SHOTS}/{name}-{size['width']}.png", full_page=True)
    page.set_viewport_size(DESKTOP)


def test_staff_recommend_two_graduates_and_the_one_without_consent_is_left_out(browser, live_server):
    graduate("李明", course_score=92, evaluation_score=88, attendance_rate=100)
    graduate("张华", course_score=85, evaluation_score=80, attendance_rate=95, hiring="not_sure")
    graduate("赵敏", consent=False, course_score=90, evaluation_score=90, attendance_rate=100)
    staff = StaffFactory(full_name="黄老师", language="zh-hans")
    context = browser.new_context(locale="zh-CN", viewport=DESKTOP)
    page = context.new_page()

    # The candidates, from the navigation: ranked by score, with who consents.
    sign_in_zh(page, live_server.url, staff.email)
    page.get_by_role("link", name="推荐", exact=True).first.click()
    expect(page.get_by_role("heading", name="推荐候选人")).to_be_visible()
    rows = page.locator("tbody tr")
    expect(rows).to_have_count(3)
    expect(rows.nth(0)).to_contain_text("赵敏")  # 93.0
    expect(rows.nth(1)).to_contain_text("李明")  # 92.8
    expect(page.get_by_role("row", name=re.compile("赵敏"))).to_contain_text("未同意")
    fits(page, "candidates")

    for name in ("李明", "张华", "赵敏"):
        page.get_by_role("checkbox", name=f"选择 {name}").check()
    page.get_by_role("button", name="推荐所选毕业生").click()

    # The batch: 赵敏 cannot be sent (no consent) and is listed apart, with a way to ask her.
    expect(page.get_by_role("heading", name="向小米推荐毕业生")).to_be_visible()
    refused = page.get_by_role("region", name="未授权同意：无法发送")
    expect(refused).to_contain_text("赵敏")
    expect(refused).to_contain_text("尚未单独同意向小米共享其数据")
    expect(refused.get_by_role("button", name="请他们授权同意")).to_be_visible()
    expect(page.get_by_role("group", name="赵敏")).to_have_count(0)
    fits(page, "recommend")

    # An empty justification is refused, nothing is sent; then both are written and sent.
    li, zhang = (
        page.get_by_role("group", name="李明", exact=True),
        page.get_by_role("group", name="张华", exact=True),
    )
    li.get_by_label("优先").check()
    li.get_by_label("推荐该毕业生的理由").fill("销售业绩突出，导师强烈推荐录用。")
    page.get_by_role("button", name="向小米发送 2 条推荐").click()
    expect(page.get_by_text("请填写推荐该毕业生的理由。")).to_be_visible()
    zhang = page.get_by_role("group", name="张华", exact=True)
    zhang.get_by_label("推荐该毕业生的理由").fill("服务意识强，顾客评价好。")
    page.get_by_role("button", name="向小米发送 2 条推荐").click()

    # The list of recommendations sent: both, received.
    expect(page.get_by_text("已向小米推荐 2 名毕业生。")).to_be_visible()
    expect(page.get_by_role("heading", name="已发送的推荐")).to_be_visible()
    for name in ("李明", "张华"):
        row = page.get_by_role("row", name=re.compile(name))
        expect(row).to_contain_text("已收到")
    expect(page.get_by_role("row", name=re.compile("李明"))).to_contain_text("优先")
    expect(page.get_by_role("row", name=re.compile("赵敏"))).to_have_count(0)
    fits(page, "sent")
    page.get_by_role("row", name=re.compile("李明")).get_by_role("link", name="访问记录").click()
    expect(page.get_by_text("小米方面尚未查看过该学生的数据。")).to_be_visible()
    fits(page, "access-log")
    page.go_back()

    # The outcomes and a cohort's hiring settings are a click away.
    page.get_by_role("link", name="结果", exact=True).click()
    expect(page.get_by_role("heading", name="推荐结果")).to_be_visible()
    fits(page, "outcomes")
    page.get_by_role("link", name="考核", exact=True).first.click()
    page.get_by_role("link", name="录用设置").first.click()
    expect(page.get_by_role("heading", name="录用设置")).to_be_visible()
    page.get_by_label("考勤的权重（%）").fill("20")
    page.get_by_role("button", name="保存设置").click()
    expect(page.get_by_text("四项权重之和必须为 100（当前为 110）。")).to_be_visible()
    fits(page, "hiring-settings")
    context.close()
