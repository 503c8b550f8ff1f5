"""Xiaomi HR runs the pipeline in a browser, in Chinese: from the board to the candidate, reviewing,
an interview (date, place, interviewer), an offer; a second graduate hired from an offer; and a
stale second tab told that someone else changed the recommendation. Screenshots at 1280 and 390 px
when SCREENS_DIR exists."""

import os
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from recommendations.models import Recommendation, RecommendationEvent
from tests.factories import (
    TEST_PASSWORD,
    HRFactory,
    MentorUserFactory,
    PlacementFactory,
    RecommendationFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)

S = Recommendation.Status
SCREENS = Path(os.environ.get("SCREENS_DIR", "/work/screens/h2"))
PHONE = {"width": 390, "height": 844}


def graduate(name, **fields):
    placement = PlacementFactory(
        application__student__full_name=name, application__student__language="zh-hans"
    )
    return RecommendationFactory(
        result__placement=placement, justification="门店销售冠军，沟通能力强。", **fields
    )


def sign_in_zh(page: Page, base_url: str, email: str) -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("电子邮箱").fill(email)
    page.get_by_label("密码").fill(TEST_PASSWORD)
    page.get_by_role("button", name="登录").click()


def status_is(page: Page, label: str) -> None:
    expect(page.locator("#current-status")).to_have_text(label)


def shot(page: Page, name: str) -> None:
    if SCREENS.is_dir():
        page.screenshot(path=str(SCREENS / name), full_page=True)


def test_hr_moves_a_graduate_to_an_offer_hires_another_and_a_stale_tab_is_told(browser, live_server):
    first = graduate("王小明", priority=Recommendation.Priority.PRIORITY)
    now = timezone.now()
    second = graduate(
        "李华",
        status=S.OFFER,
        first_response_at=now,
        sent_at=now - timedelta(days=10),
        status_changed_at=now - timedelta(days=2),
    )
    hr = HRFactory(full_name="张招聘", language="zh-hans")
    MentorUserFactory(full_name="陈志强")
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    try:
        # The board, from the navigation: the received graduate in the first column.
        sign_in_zh(page, live_server.url, hr.email)
        page.get_by_role("navigation").get_by_role("link", name="推荐毕业生").first.click()
        expect(page.get_by_role("heading", name="推荐毕业生", level=1)).to_be_visible()
        received = page.get_by_role("region", name="已收到")
        expect(received.get_by_role("link", name="王小明")).to_be_visible()
        expect(
            page.get_by_role("region", name="已发录用通知").get_by_role("link", name="李华")
        ).to_be_visible()
        shot(page, "board-1280-zh.png")

        # The candidate: what Xiaomi may see, then reviewing.
        received.get_by_role("link", name="王小明").click()
        status_is(page, "已收到")
        expect(page.get_by_text("门店销售冠军，沟通能力强。")).to_be_visible()
        expect(page.get_by_role("link", name="简历（PDF）")).to_be_visible()
        page.get_by_role("button", name="开始审核").click()
        expect(page.get_by_role("status")).to_contain_text("审核中")
        status_is(page, "审核中")

        # An interview: date and time (Shenzhen), the store, the interviewer.
        page.get_by_role("link", name="安排面试").click()
        at = timezone.localtime() + timedelta(days=3)
        page.get_by_label("日期和时间").fill(at.strftime("%Y-%m-%dT10:30"))
        page.get_by_label("门店或办公地点").fill("小米之家 深圳万象天地店")
        page.get_by_label("面试官").select_option(label="陈志强 · 门店导师")
        shot(page, "interview-1280-zh.png")
        page.get_by_role("button", name="保存面试安排").click()
        status_is(page, "已安排面试")
        expect(page.get_by_text("小米之家 深圳万象天地店").first).to_be_visible()
        expect(page.get_by_text(f"{at.year}年{at.month}月{at.day}日 10:30").first).to_be_visible()

        # An offer.
        page.get_by_label("备注（选填）").fill("薪资面议")
        page.get_by_role("button", name="发出录用通知").click()
        status_is(page, "已发录用通知")
        expect(page.get_by_text("薪资面议")).to_be_visible()
        shot(page, "candidate-1280-zh.png")

        # The second graduate, hired from the offer.
        page.get_by_role("link", name="推荐毕业生").first.click()
        page.get_by_role("region", name="已发录用通知").get_by_role("link", name="李华").click()
        page.get_by_role("button", name="标记为已录用").click()
        status_is(page, "已录用")
        expect(page.get_by_role("button", name="标记为已录用")).to_have_count(0)

        # A stale tab: this page was loaded before another tab declined the first graduate.
        page.goto(f"{live_server.url}/recommendations/{first.pk}/")
        status_is(page, "已发录用通知")
        other = context.new_page()
        other.goto(f"{live_server.url}/recommendations/{first.pk}/")
        other.get_by_role("button", name="不予录用（小米）").click()
        status_is(other, "小米未录用")
        other.close()
        page.get_by_role("button", name="标记为已录用").click()
        expect(page.get_by_role("alert")).to_contain_text("已被其他人修改")
        status_is(page, "小米未录用")
        shot(page, "conflict-1280-zh.png")
    finally:
        context.close()

    assert Recommendation.objects.get(pk=first.pk).status == S.DECLINED_BY_XIAOMI
    assert Recommendation.objects.get(pk=second.pk).status == S.HIRED
    assert list(
        RecommendationEvent.objects.filter(recommendation=first)
        .order_by("id")
        .values_list("to_status", flat=True)
    ) == [S.RECEIVED, S.REVIEWING, S.INTERVIEW, S.OFFER, S.DECLINED_BY_XIAOMI]


def test_the_pages_fit_a_phone(browser, live_server):
    rec = graduate(
        "王小明", priority=Recommendation.Priority.PRIORITY, sent_at=timezone.now() - timedelta(days=9)
    )
    graduate("欧阳娜娜")
    hr = HRFactory(language="zh-hans")
    context = browser.new_context(locale="zh-CN", viewport=PHONE)
    page = context.new_page()
    try:
        sign_in_zh(page, live_server.url, hr.email)
        for path, name in [
            ("/recommendations/board/", "board-390-zh.png"),
            ("/recommendations/table/", "table-390-zh.png"),
            (f"/recommendations/{rec.pk}/", "candidate-390-zh.png"),
        ]:
            page.goto(f"{live_server.url}{path}")
            assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], path
            shot(page, name)
        page.set_viewport_size({"width": 1280, "height": 900})
        page.goto(f"{live_server.url}/recommendations/table/")
        shot(page, "table-1280-zh.png")
    finally:
        context.close()
