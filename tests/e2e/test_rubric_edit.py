"""Staff open a cohort's rubric from the Assessment overview, change a level's descriptor and see
it saved (in Chinese)."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, expect

from evaluations.models import Rubric
from tests.e2e.helpers import sign_in
from tests.factories import (
    TEST_PASSWORD,
    CohortFactory,
    PlacementFactory,
    PlacementWindowFactory,
    StaffFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)


def test_staff_change_a_descriptor_of_the_rubric_and_see_it(browser: Browser, live_server):
    today = timezone.localdate()
    cohort = CohortFactory(name_zh="2026 夏季班", name_en="Summer 2026 cohort")
    window = PlacementWindowFactory(
        cohort=cohort, starts_on=today - timedelta(days=3), ends_on=today + timedelta(days=17)
    )
    PlacementFactory(window=window)
    staff = StaffFactory(email="office@sztu.edu.cn", language="zh-hans")
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("电子邮箱").fill(staff.email)
    page.get_by_label("密码").fill(TEST_PASSWORD)
    page.get_by_role("button", name="登录").click()

    page.get_by_role("navigation").get_by_role("link", name="考核").click()
    page.get_by_role("link", name="评价标准").click()
    expect(page.get_by_role("heading", name="默认的新零售评价标准")).to_be_visible()
    page.get_by_text("修改评价标准").click()  # opens the form
    service = page.get_by_role("group", name="评价项目 2")
    expect(service.get_by_label("名称（中文）")).to_have_value("顾客服务")
    service.get_by_label("3 级描述（中文）").fill("主动在十秒内迎接每位顾客，并了解其需求。")
    service.get_by_label("3 级描述（英文）").fill("")
    page.get_by_role("button", name="保存评价标准").click()

    # the English text left empty: said next to the field, nothing saved
    expect(page.get_by_role("group", name="评价项目 2").get_by_text("这个字段是必填项。")).to_be_visible()
    assert not Rubric.objects.exists()
    page.get_by_role("group", name="评价项目 2").get_by_label("3 级描述（英文）").fill(
        "Greets every customer within ten seconds and finds out what they need."
    )
    page.get_by_role("button", name="保存评价标准").click()

    expect(page.get_by_text("评价标准已保存为第 1 版。")).to_be_visible()
    expect(page.get_by_role("heading", name="第 1 版（当前）")).to_be_visible()
    expect(page.get_by_role("cell", name="主动在十秒内迎接每位顾客，并了解其需求。")).to_be_visible()
    assert Rubric.objects.get().criteria.get(position=2).level_3_en.startswith("Greets every customer")
    context.close()


def test_in_english_the_coordinator_reads_the_rubric_without_a_form(browser: Browser, live_server, hr):
    window = PlacementWindowFactory()
    PlacementFactory(window=window)
    page = browser.new_page()
    sign_in(page, live_server.url, hr.email)

    page.get_by_role("navigation").get_by_role("link", name="Assessment").click()
    page.get_by_role("link", name="Rubric").click()

    expect(page.get_by_role("heading", name="The default new-retail rubric")).to_be_visible()
    expect(
        page.get_by_role("cell", name="Praised by customers by name; resolves complaints well.")
    ).to_be_visible()
    expect(page.get_by_text("Edit the rubric")).to_have_count(0)
