"""Weekly reflections in a browser, in Chinese, on a phone: the student writes week 1's reflection,
the mentor replies from their home page, the student reads the reply."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from tests.factories import (
    TEST_PASSWORD,
    CohortFactory,
    MentorFactory,
    PlacementFactory,
    PlacementWindowFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 390, "height": 844}
LEARNED = "这周我学会了如何向顾客介绍小米手机的主要卖点，也熟悉了门店的收银流程。"
DIFFICULT = "周末高峰时段顾客很多，我不知道先接待哪一位，常常手忙脚乱，需要向导师请教。"
GOAL = "下周我希望能独立完成一次完整的销售流程，包括了解需求、推荐产品、开单与收银。"
REPLY = "观察得很仔细！高峰时先招呼每位顾客，再按到店顺序接待。"


@pytest.fixture
def placement_in_week_two():
    """A placement in its second week (every day worked): week 1's reflection is open."""
    today = timezone.localdate()
    window = PlacementWindowFactory(
        cohort=CohortFactory(placement_weekdays="1234567"),
        starts_on=today - timedelta(days=8),
        ends_on=today + timedelta(days=12),
    )
    return PlacementFactory(
        window=window,
        mentor=MentorFactory(user__full_name="陈志强", user__language="zh-hans"),
        application__student__full_name="王小明",
        application__student__language="zh-hans",
    )


def sign_in_zh(page: Page, base_url: str, email: str) -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("电子邮箱").fill(email)
    page.get_by_label("密码").fill(TEST_PASSWORD)
    page.get_by_role("button", name="登录").click()


def sign_out_zh(page: Page) -> None:
    """At phone width the button sits in the collapsed menu."""
    page.get_by_role("button", name="菜单").click()
    page.get_by_role("button", name="退出登录").click()


def no_sideways_scroll(page: Page) -> None:
    """Fits the phone's width; every button (small secondary ones aside) and link of its cards can
    be tapped (44 px high at least)."""
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    for target in page.locator("main .card .btn:not(.btn-sm), main .card .tap-link").all():
        box = target.bounding_box()
        assert box is None or box["height"] >= 44, f"{target.inner_text()}: {box['height']:.0f} px high"


def test_a_student_writes_week_one_the_mentor_replies_and_the_student_reads_it(
    browser, live_server, placement_in_week_two
):
    placement = placement_in_week_two
    context = browser.new_context(locale="zh-CN", viewport=PHONE)
    page = context.new_page()

    # The student opens "周记" from the menu and writes week 1 (a too-short answer is refused first).
    sign_in_zh(page, live_server.url, placement.student.email)
    page.get_by_role("button", name="菜单").click()
    page.get_by_role("link", name="周记").click()
    expect(page.get_by_role("heading", name="我的周记")).to_be_visible()
    no_sideways_scroll(page)
    page.get_by_role("link", name="写第 1 周").click()
    page.get_by_label("我学到了什么").fill("学到很多")
    page.get_by_label("遇到的困难").fill(DIFFICULT)
    page.get_by_label("下周目标").fill(GOAL)
    page.get_by_role("button", name="提交周记").click()
    expect(page.get_by_text("请至少写 30 个字（你写了 4 个）")).to_be_visible()
    no_sideways_scroll(page)
    page.get_by_label("我学到了什么").fill(LEARNED)
    page.get_by_role("button", name="提交周记").click()
    expect(page.get_by_text("第 1 周的周记已保存。")).to_be_visible()
    week_1 = page.get_by_role("region", name="第 1 周")
    expect(week_1).to_contain_text(LEARNED)
    expect(week_1).to_contain_text("导师尚未回复")
    sign_out_zh(page)

    # The mentor finds it on their home page, waiting for a reply, and replies.
    sign_in_zh(page, live_server.url, placement.mentor.user.email)
    no_sideways_scroll(page)
    waiting = page.get_by_role("region", name="等待你回复的周记")
    waiting.get_by_role("link", name="回复 王小明 的第 1 周周记").click()
    expect(page.get_by_text(DIFFICULT)).to_be_visible()
    no_sideways_scroll(page)
    page.get_by_label("我的回复").fill(REPLY)
    page.get_by_role("button", name="发送回复").click()
    expect(page.get_by_text("给 王小明 的回复已保存。")).to_be_visible()
    page.goto(f"{live_server.url}/mentor/")
    expect(page.get_by_role("region", name="等待你回复的周记")).to_contain_text("没有等待你回复的周记")
    sign_out_zh(page)

    # The student reads the reply; the reflection can no longer be changed.
    sign_in_zh(page, live_server.url, placement.student.email)
    page.goto(f"{live_server.url}/my/reflections/")
    week_1 = page.get_by_role("region", name="第 1 周")
    expect(week_1).to_contain_text("导师已回复")
    expect(week_1).to_contain_text(REPLY)
    expect(week_1.get_by_role("link", name="修改第 1 周")).to_have_count(0)
    no_sideways_scroll(page)
    context.close()
