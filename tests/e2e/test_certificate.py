"""At the end of the programme the student downloads the joint certificate from their home page
(on a phone, in Chinese), and anyone can check it on the public verification page: the real code
is confirmed, a made-up one is not found."""

import pytest
from playwright.sync_api import Browser, expect

from evaluations.selectors import code_display
from evaluations.services import certificate_issue
from tests.factories import TEST_PASSWORD, StaffFactory, StudentFactory

from ..evaluations.test_certificates import confirmed_cohort

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def graduate():
    student = StudentFactory(
        full_name="王小明", english_name="Wang Xiaoming", email="wxm@qq.com", language="zh-hans"
    )
    _cohort, [result] = confirmed_cohort(StaffFactory(), student)
    certificate = certificate_issue(result=result, by=StaffFactory())
    return student, certificate


def test_the_student_downloads_the_certificate_and_the_verification_page_confirms_it(
    browser: Browser, live_server, graduate, tmp_path
):
    student, certificate = graduate
    context = browser.new_context(locale="zh-CN", viewport=PHONE, accept_downloads=True)
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("电子邮箱").fill(student.email)
    page.get_by_label("密码").fill(TEST_PASSWORD)
    page.get_by_role("button", name="登录").click()

    # The journey: the certificate step is done, the result panel offers the download.
    expect(page.get_by_role("heading", name="我的项目成绩")).to_be_visible()
    journey = page.get_by_role("list", name="我的 5+3 进程")
    expect(journey.get_by_role("listitem").filter(has_text="证书")).to_contain_text("(已完成)")
    with page.expect_download() as info:
        page.get_by_role("link", name="下载我的结业证书（PDF）").click()
    download = info.value
    assert download.suggested_filename == f"certificate-{certificate.code}.pdf"
    saved = tmp_path / "certificate.pdf"
    download.save_as(saved)
    assert saved.read_bytes().startswith(b"%PDF")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]  # no sideways scroll
    context.close()

    # Someone the student shows it to, not signed in, types the code from the paper.
    context = browser.new_context(locale="zh-CN", viewport=PHONE)
    page = context.new_page()
    page.goto(f"{live_server.url}/verify/{code_display(certificate.code).lower()}/")
    expect(page.get_by_role("heading", name="证书验证")).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text("此证书真实有效")
    expect(page.get_by_text("王小明 (Wang Xiaoming)")).to_be_visible()
    expect(page.get_by_text("良好")).to_be_visible()

    response = page.goto(f"{live_server.url}/verify/ABCD-EFGH-JKLM-NPQR/")
    assert response.status == 404
    expect(page.get_by_role("status")).to_contain_text("未找到使用此验证码的证书")
    expect(page.get_by_text("王小明")).to_have_count(0)
    context.close()
