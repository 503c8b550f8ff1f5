"""The student follows their recommendation to Xiaomi in a browser, in Chinese: Xiaomi moves it
through review, interview and offer (by the services); between the moves the student reloads the
page and sees each status; at the offer they accept it and the page shows "hired"; the notices are
in their notification centre. Then the same pages on a phone, in English, fit the screen."""

import os
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from notifications.services import reminders_deliver_due
from recommendations import services
from recommendations.models import Recommendation
from tests.factories import TEST_PASSWORD, HRFactory, RecommendationFactory, StaffFactory, StudentFactory

pytestmark = pytest.mark.django_db(transaction=True)

S = Recommendation.Status
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
SCREENS = os.environ.get("SCREENS_DIR", "")


def sign_in_zh(page: Page, base_url: str, email: str) -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("电子邮箱").fill(email)
    page.get_by_label("密码").fill(TEST_PASSWORD)
    page.get_by_role("button", name="登录").click()


def shot(page: Page, name: str) -> None:
    if SCREENS:
        page.screenshot(path=str(Path(SCREENS) / f"{name}.png"), full_page=True)


def fits(page: Page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]


@pytest.fixture
def recommendation():
    student = StudentFactory(full_name="林晓", language="zh-hans", email="linxiao@stu.sztu.edu.cn")
    return RecommendationFactory(result__placement__student=student)


def move(rec, to, by, **kwargs):
    rec.refresh_from_db()
    return services.recommendation_move(
        by=by, recommendation_id=rec.pk, to_status=to, version=rec.version, **kwargs
    )


def test_the_student_sees_each_change_and_accepts_the_offer_in_chinese(browser, live_server, recommendation):
    rec = recommendation
    hr = HRFactory(full_name="张招聘")
    context = browser.new_context(locale="zh-CN", viewport=DESKTOP)
    page = context.new_page()
    sign_in_zh(page, live_server.url, rec.student.email)

    # From the home's journey to the page: recommended, waiting for Xiaomi.
    page.get_by_role("link", name="推荐至小米", exact=True).click()
    expect(page.get_by_role("heading", name="我的小米推荐")).to_be_visible()
    status = page.locator("[data-status]")
    expect(status).to_have_text("已推荐——等待小米回复")

    move(rec, S.REVIEWING, hr)
    page.reload()
    expect(status).to_have_text("小米正在审核您的资料")

    move(
        rec,
        S.INTERVIEW,
        hr,
        interview=services.Interview(timezone.now() + timedelta(days=3), "小米之家 深圳万象天地店", hr),
    )
    page.reload()
    expect(status).to_have_text("已安排面试")
    expect(page.get_by_text("小米之家 深圳万象天地店")).to_be_visible()
    expect(page.get_by_role("link", name="加入我的日历（.ics）")).to_be_visible()

    move(rec, S.OFFER, hr)
    page.reload()
    expect(status).to_have_text("已发放录用——小米等待您的答复")
    shot(page, "my-recommendation-offer-zh-1280")
    page.get_by_role("button", name="接受录用").click()

    expect(page.get_by_text("您已接受录用。恭喜！")).to_be_visible()
    expect(status).to_have_text("已录用")
    expect(page.get_by_role("button", name="接受录用")).to_have_count(0)
    rec.refresh_from_db()
    assert rec.status == S.HIRED

    # The notices, delivered, are in the student's notification centre (in Chinese).
    reminders_deliver_due()
    page.goto(f"{live_server.url}/notifications/")
    for title in (
        "您的小米推荐：小米正在审核您的资料",
        "小米面试",
        "您的小米推荐：已发放录用——小米等待您的答复",
    ):
        expect(page.get_by_text(title).first).to_be_visible()
    context.close()


def test_the_students_pages_fit_a_phone_and_a_desktop(browser, live_server, recommendation):
    rec = recommendation
    hr = HRFactory(full_name="Zhang Zhaopin")
    move(rec, S.REVIEWING, hr)
    move(
        rec,
        S.INTERVIEW,
        hr,
        interview=services.Interview(
            timezone.now() + timedelta(days=3),
            "Xiaomi Home, Shenzhen Bay MixC, Nanshan District, Shenzhen",
            hr,
        ),
    )
    services.access_log(viewer=hr, recommendation=rec, what="candidate")
    services.access_log(viewer=hr, recommendation=rec, what="cv")
    for language, locale in (("zh", "zh-CN"), ("en", "en-US")):
        for width, viewport in (("390", PHONE), ("1280", DESKTOP)):
            context = browser.new_context(locale=locale, viewport=viewport)
            page = context.new_page()
            page.goto(f"{live_server.url}/accounts/login/")
            page.locator("input[type=email]").fill(rec.student.email)
            page.locator("input[type=password]").fill(TEST_PASSWORD)
            page.locator("input[type=password]").press("Enter")
            page.wait_for_url(lambda url: "/login/" not in url)
            if language == "en":
                rec.student.language = "en"
                rec.student.save(update_fields=["language"])
            for path, name in (
                ("/", "student-home"),
                ("/me/recommendation/", "my-recommendation"),
                ("/me/hiring-consent/", "my-consent"),
                ("/me/data-views/", "my-data-views"),
            ):
                page.goto(f"{live_server.url}{path}")
                fits(page)
                shot(page, f"{name}-{language}-{width}")
            context.close()


def test_the_staff_home_counts_the_recommendations_overdue_at_xiaomi(browser, live_server):
    staff = StaffFactory(language="zh-hans")
    ten_days_ago = timezone.now() - timedelta(days=10)
    RecommendationFactory.create_batch(2, sent_at=ten_days_ago)
    for width, viewport in (("390", PHONE), ("1280", DESKTOP)):
        context = browser.new_context(locale="zh-CN", viewport=viewport)
        page = context.new_page()
        sign_in_zh(page, live_server.url, staff.email)
        card = page.locator("[data-card=overdue-at-xiaomi]")
        expect(card.get_by_role("heading", name="小米逾期未回复的推荐")).to_be_visible()
        expect(card).to_contain_text("2 条推荐已过截止日期")
        fits(page)
        shot(page, f"staff-home-overdue-zh-{width}")
        context.close()
