"""Staff place by hand, from the board's "not placed" list, the students the allocation left out
(Chinese first, then English); publishing tells the student at once, in the bell."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from internships import services
from internships.models import ApplicationPreference, Placement, PlacementWindow, StoreSeats
from tests.e2e.helpers import sign_out
from tests.factories import (
    TEST_PASSWORD,
    AcceptedApplicationFactory,
    CohortFactory,
    MentorFactory,
    StaffFactory,
    StoreFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)


def sign_in_zh(page: Page, base_url: str, email: str) -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("电子邮箱").fill(email)
    page.get_by_label("密码").fill(TEST_PASSWORD)
    page.get_by_role("button", name="登录").click()


@pytest.fixture
def left_out():
    """A cohort whose one-seat store is taken by the allocation; two students were left out, and
    a second store has room."""
    today = timezone.localdate()
    cohort = CohortFactory(name_zh="2027 春季班", name_en="Spring 2027 cohort")
    window = PlacementWindow.objects.create(
        cohort=cohort, starts_on=today + timedelta(days=30), ends_on=today + timedelta(days=50)
    )
    small = StoreFactory(name_zh="小米之家 福田COCO Park店", name_en="Xiaomi Store Futian COCO Park")
    roomy = StoreFactory(name_zh="小米之家 南山海岸城店", name_en="Xiaomi Store Nanshan Coastal City")
    MentorFactory(store=small, user__full_name="陈志强")
    lin = MentorFactory(store=roomy, user__full_name="林晓燕", capacity=5)
    StoreSeats.objects.create(window=window, store=small, seats=1)
    StoreSeats.objects.create(window=window, store=roomy, seats=5)
    applications = {}
    for name in ("王小明", "李思雨", "张伟"):
        application = AcceptedApplicationFactory(
            cohort=cohort, student__full_name=name, student__language="zh-hans"
        )
        ApplicationPreference.objects.create(application=application, rank=1, store=small)
        applications[name] = application
    staff = StaffFactory(email="office@sztu.edu.cn", language="zh-hans")
    services.allocation_run(cohort=cohort, by=staff, seed="e2e")
    waiting = [n for n, a in applications.items() if not Placement.objects.filter(application=a).exists()]
    return cohort, staff, lin, applications, waiting


def test_staff_place_the_students_the_allocation_left_out_and_publishing_tells_them(
    browser: Browser, live_server, left_out
):
    cohort, staff, lin, applications, (first, second) = left_out
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    sign_in_zh(page, live_server.url, staff.email)
    board = f"{live_server.url}/staff/cohorts/{cohort.pk}/placements/"

    # In Chinese: the board lists who is not placed and why; place the first by hand.
    page.goto(board)
    not_placed = page.get_by_role("region", name="未安排")
    expect(not_placed).to_contain_text(first)
    expect(not_placed).to_contain_text("所有意向门店均已满额")
    not_placed.get_by_role("link", name=f"安排 {first}").click()
    expect(page.get_by_role("heading", name=f"安排 {first}")).to_be_visible()
    page.get_by_label("门店和导师").select_option(label="小米之家 南山海岸城店 · 林晓燕")
    page.get_by_role("button", name="安排").click()
    expect(page.get_by_text("这个字段是必填项。")).to_be_visible()  # the reason is required
    page.get_by_label("原因").fill("学生电话确认可去南山")
    page.get_by_role("button", name="安排").click()
    expect(page.get_by_text(f"{first} 已安排至 小米之家 南山海岸城店。")).to_be_visible()
    expect(page.get_by_role("region", name="未安排")).not_to_contain_text(first)
    expect(page.get_by_text("原因：学生电话确认可去南山")).to_be_visible()

    # In English: place the second.
    staff.language = "en"
    staff.save(update_fields=["language"])
    page.goto(board)
    not_placed = page.get_by_role("region", name="Not placed")
    expect(not_placed).to_contain_text(f"{second}: every preferred store was full")
    not_placed.get_by_role("link", name=f"Place {second}").click()
    page.get_by_label("Store and mentor").select_option(label="Xiaomi Store Nanshan Coastal City · 林晓燕")
    page.get_by_label("Reason").fill("Agreed on the phone")
    page.get_by_role("button", name="Place").click()
    expect(page.get_by_text(f"{second} is placed at Xiaomi Store Nanshan Coastal City.")).to_be_visible()
    expect(page.get_by_role("region", name="Not placed")).to_have_count(0)
    expect(page.get_by_text("3 of 3 students placed")).to_be_visible()

    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Publish 3 placements").click()
    expect(page.get_by_text("3 placements published.")).to_be_visible()
    sign_out(page)
    context.close()

    placed = Placement.objects.get(application=applications[first])
    assert (placed.mentor, placed.status, placed.change_reason) == (lin, "planned", "学生电话确认可去南山")

    # The student hears of it at once, in Chinese, in the bell.
    context = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844})
    page = context.new_page()
    sign_in_zh(page, live_server.url, applications[first].student.email)
    page.goto(f"{live_server.url}/notifications/")
    expect(page.get_by_text("您已被安排到 小米之家 南山海岸城店 实习")).to_be_visible()
    context.close()
