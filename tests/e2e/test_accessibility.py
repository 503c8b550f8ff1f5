"""axe-core on the main pages of every role, on the demo data, in Chinese and at phone width."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "a11y-demo-password"
PAGES = {
    "202300001@qq.com": ["/student/", "/courses/", "/courses/NR102/", "/courses/NR102/lessons/1/"],
    "202300023@126.com": ["/apply/2027-spring/", "/notifications/"],
    "202300027@163.com": ["/student/"],
    "mentor01@xiaomi-demo.cn": ["/mentor/", "/mentor/attendance/"],
    "staff@sztu-demo.cn": [
        "/staff/",
        "/staff/applications/",
        "/staff/cohorts/",
        "/staff/students/import/",
        "/courses/progress/",
    ],
    "hr@xiaomi-demo.cn": ["/xiaomi/", "/xiaomi/stores/", "/xiaomi/mentors/"],
}


@pytest.mark.parametrize("width", [1280, 390])
def test_the_main_pages_have_no_accessibility_violations(browser, live_server, width):
    call_command("demo_data", password=PASSWORD, stdout=open("/dev/null", "w"))  # noqa: SIM115
    axe = Axe()
    problems = []
    for email, paths in PAGES.items():
        context = browser.new_context(viewport={"width": width, "height": 900}, locale="zh-CN")
        page = context.new_page()
        page.goto(f"{live_server.url}/accounts/login/")
        page.locator("#id_username").fill(email)
        page.locator("#id_password").fill(PASSWORD)
        page.locator("button[type=submit].w-100").click()
        expect(page).not_to_have_url(f"{live_server.url}/accounts/login/")
        for path in paths:
            response = page.goto(f"{live_server.url}{path}")
            assert response.status == 200, (email, path, response.status)
            results = axe.run(page)
            if results.violations_count:
                problems.append(f"{email} {path}:\n{results.generate_report()}")
            if width == 390:
                assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), (
                    email,
                    path,
                )
        context.close()
    assert not problems, "\n\n".join(problems)
