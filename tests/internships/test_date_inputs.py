"""Date fields render ISO dates (yyyy-mm-dd) in every language, so a browser's date picker keeps
them and saving a form unchanged changes nothing."""

from datetime import date

import pytest
from django import forms
from django.urls import reverse
from django.utils import translation

from internships import forms as internship_forms
from internships import services
from internships.models import Cohort
from tests.browser_form import browser_submission
from tests.factories import CourseFactory, MentorFactory


def spring_cohort():
    """A cohort with every date filled in: five due dates, a cut-off and two windows."""
    courses = [CourseFactory(order=i, title_en=f"Course {i}", title_zh=f"课程{i}") for i in range(1, 6)]
    return services.cohort_save(
        cohort=None,
        fields={
            "code": "spring-2027",
            "name_zh": "2027年春季班",
            "name_en": "Spring 2027 cohort",
            "status": Cohort.Status.OPEN,
            "applications_open_on": date(2026, 11, 1),
            "applications_close_on": date(2026, 11, 20),
            "target_size": 30,
            "placement_weekdays": "12345",
            "placement_cutoff_on": date(2027, 1, 8),
            "what_to_bring_zh": "学生证",
            "what_to_bring_en": "Student card",
        },
        course_due_dates={course: date(2026, 12, 1 + 7 * i) for i, course in enumerate(courses)},
        windows=[(date(2027, 1, 11), date(2027, 1, 31)), (date(2027, 2, 15), date(2027, 3, 7))],
    )


@pytest.fixture
def cohort(db):
    return spring_cohort()


def plan(cohort):
    cohort.refresh_from_db()
    return (
        cohort.applications_open_on,
        cohort.applications_close_on,
        cohort.placement_cutoff_on,
        sorted(cohort.course_plan.values_list("course_id", "due_on")),
        list(cohort.placement_windows.order_by("starts_on").values_list("pk", "starts_on", "ends_on")),
    )


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_cohort_edit_form_writes_iso_dates_in_every_language(client, staff, cohort, language):
    staff.language = language
    staff.save()
    client.force_login(staff)

    html = client.get(reverse("internships:cohort_edit", args=[cohort.pk])).content.decode()

    _data, dates = browser_submission(html)
    assert dates["applications_open_on"] == "2026-11-01"
    assert dates["placement_cutoff_on"] == "2027-01-08"
    first_course = cohort.course_plan.order_by("due_on").first()
    assert dates[f"due_{first_course.course_id}"] == "2026-12-01"
    assert (dates["window_2_start"], dates["window_2_end"]) == ("2027-02-15", "2027-03-07")
    assert (dates["window_3_start"], dates["window_3_end"]) == ("", "")


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_saving_the_cohort_form_unchanged_changes_nothing_and_keeps_every_window(
    client, staff, cohort, language
):
    staff.language = language
    staff.save()
    client.force_login(staff)
    url = reverse("internships:cohort_edit", args=[cohort.pk])
    before = plan(cohort)
    data, _dates = browser_submission(client.get(url).content.decode())

    response = client.post(url, data)

    assert response.status_code == 302, response.context["form"].errors
    assert plan(cohort) == before
    assert len(before[4]) == 2


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_saving_the_mentor_form_unchanged_keeps_the_certification_dates(client, hr, language):
    mentor = MentorFactory(certified_on=date(2026, 3, 2), certification_expires_on=date(2028, 3, 1))
    hr.language = language
    hr.save()
    client.force_login(hr)
    url = reverse("internships:mentor_edit", args=[mentor.pk])
    data, dates = browser_submission(client.get(url).content.decode())

    response = client.post(url, data)

    assert (dates["certified_on"], dates["certification_expires_on"]) == ("2026-03-02", "2028-03-01")
    assert response.status_code == 302
    mentor.refresh_from_db()
    assert (mentor.certified_on, mentor.certification_expires_on) == (date(2026, 3, 2), date(2028, 3, 1))


def _date_widgets(form: forms.Form):
    return [
        (name, field.widget)
        for name, field in form.fields.items()
        if isinstance(field.widget, forms.DateInput) or getattr(field.widget, "input_type", "") == "date"
    ]


@pytest.mark.parametrize(
    "make",
    [
        lambda: internship_forms.CohortForm(),
        lambda: internship_forms.MentorForm(),
    ],
    ids=["cohort", "mentor"],
)
def test_every_date_field_uses_the_shared_iso_date_widget(db, make):
    from sztu_xiaomi.widgets import IsoDateInput

    with translation.override("zh-hans"):
        form = make()
        widgets = _date_widgets(form)
        assert widgets
        for name, widget in widgets:
            assert isinstance(widget, IsoDateInput), name
            assert widget.format_value(date(2026, 12, 1)) == "2026-12-01"


def test_no_form_or_template_writes_its_own_date_input():
    """A date input built by hand (`attrs={"type": "date"}` or a literal tag) would render the
    language's date format again: every one goes through the shared widget."""
    from pathlib import Path

    from django.conf import settings

    from tests.source_files import project_files

    root = Path(settings.BASE_DIR)
    sources = project_files(".py")
    templates = project_files(".html")
    hand_made = [
        str(path.relative_to(root))
        for path in sources + templates
        if path.name != "widgets.py"
        and any(
            pattern in path.read_text(encoding="utf-8")
            for pattern in ('"type": "date"', "'type': 'date'", 'type="date"')
        )
    ]
    assert hand_made == []
