"""static/js/site.js: the confirm prompt and the "working…" state, wired by data attributes."""

import pytest
from playwright.sync_api import expect

from internships.models import Application
from tests.e2e.helpers import sign_in
from tests.factories import StaffFactory, SubmittedApplicationFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_withdrawing_asks_first_and_cancelling_keeps_the_application(page, live_server, student):
    application = SubmittedApplicationFactory(student=student)
    sign_in(page, live_server.url, student.email)
    page.goto(f"{live_server.url}/applications/{application.pk}/")

    questions = []
    page.once("dialog", lambda dialog: (questions.append(dialog.message), dialog.dismiss()))
    page.get_by_role("button", name="Withdraw my application").click()
    expect(page.get_by_role("button", name="Withdraw my application")).to_be_visible()
    assert questions == ["Withdraw your application? You cannot undo this."]
    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED

    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Withdraw my application").click()
    expect(page.get_by_role("button", name="Withdraw my application")).to_have_count(0)
    application.refresh_from_db()
    assert application.status == Application.Status.WITHDRAWN


def test_the_import_shows_its_progress_and_blocks_a_second_click(page, live_server, tmp_path):
    staff = StaffFactory(language="en")
    sign_in(page, live_server.url, staff.email)
    page.goto(f"{live_server.url}/staff/students/import/")
    expect(page.get_by_role("status").filter(has_text="Checking every row")).to_be_hidden()

    # What the page shows at the moment the form leaves (site.js has run; the next page has not come).
    page.evaluate(
        """() => window.addEventListener("submit", () => sessionStorage.setItem("at-submit", JSON.stringify({
             progressShown: !document.getElementById("import-progress").classList.contains("d-none"),
             buttonDisabled: document.getElementById("import-button").disabled})))"""
    )
    csv = tmp_path / "students.csv"
    csv.write_text("student number,full name,e-mail,major,graduation year\n", encoding="utf-8")
    page.locator("input[type=file]").set_input_files(str(csv))
    page.get_by_role("button", name="Check and import").click()
    page.wait_for_load_state()
    assert page.evaluate("JSON.parse(sessionStorage.getItem('at-submit'))") == {
        "progressShown": True,
        "buttonDisabled": True,
    }
