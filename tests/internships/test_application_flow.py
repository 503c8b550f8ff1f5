"""A student's application: drafts, submission with consent, CV uploads and access, withdrawal."""

import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from internships import services
from internships.models import Application, ApplicationEvent, Cohort, District, StudentProfile
from tests.factories import (
    PDF_BYTES,
    ApplicationFactory,
    CohortFactory,
    PlacementWindowFactory,
    StoreFactory,
    StudentProfileFactory,
    SubmittedApplicationFactory,
)

MOTIVATION = "I want to learn how a Xiaomi store serves its customers and bring my marketing studies to it."
PNG_BYTES = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00"


@pytest.fixture
def cohort(db):
    cohort = CohortFactory(code="spring-2027", name_en="Spring 2027 cohort")
    PlacementWindowFactory(cohort=cohort)
    return cohort


@pytest.fixture
def store(db):
    return StoreFactory(name_en="Xiaomi Store Coastal City", district=District.NANSHAN)


@pytest.fixture
def applicant(student):
    """The student persona with a student profile, signed in."""
    StudentProfileFactory(user=student)
    return student


def pdf(name="cv.pdf", data=PDF_BYTES):
    return SimpleUploadedFile(name, data, content_type="application/pdf")


def complete(cohort, store, **changes):
    """A complete application form; `changes` replace or (with None) remove fields."""
    data = {
        "motivation": MOTIVATION,
        "preference_1": f"store:{store.pk}",
        "preference_2": f"district:{District.FUTIAN}",
        "preference_3": "",
        "window": cohort.placement_windows.get().pk,
        "confirms_availability": "on",
        "cv": pdf(),
        "consents": "on",
        "shares_with_xiaomi": "on",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def apply_url(cohort):
    return reverse("internships:apply", args=[cohort.code])


def private_files() -> set[Path]:
    root = Path(settings.PRIVATE_MEDIA_ROOT)
    return {path for path in root.rglob("*") if path.is_file()} if root.exists() else set()


def shown_messages(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


# --- Drafts --------------------------------------------------------------------------------------


def test_a_draft_is_saved_without_a_cv_and_shown_again_when_the_student_comes_back(
    client, applicant, cohort, store
):
    client.force_login(applicant)

    response = client.post(apply_url(cohort), complete(cohort, store, cv=None, consents=None, save=""))

    assert response.status_code == 302
    assert response["Location"] == apply_url(cohort)
    application = Application.objects.get(student=applicant, cohort=cohort)
    assert application.status == Application.Status.DRAFT
    assert not application.cv
    assert application.submitted_at is None
    html = client.get(apply_url(cohort)).content.decode()
    assert MOTIVATION in html
    assert re.search(rf'<option value="store:{store.pk}"[^>]*selected', html)
    assert re.search(r'<option value="district:futian"[^>]*selected', html)
    assert ApplicationEvent.objects.filter(
        application=application, from_status="", to_status="draft"
    ).exists()


def test_saving_the_draft_again_replaces_its_preferences(client, applicant, cohort, store):
    client.force_login(applicant)
    client.post(apply_url(cohort), complete(cohort, store, save=""))

    client.post(
        apply_url(cohort),
        complete(cohort, store, cv=None, preference_1="district:luohu", preference_2="", save=""),
    )

    application = Application.objects.get(student=applicant, cohort=cohort)
    assert [(p.rank, p.store_id, p.district) for p in application.preferences.all()] == [(1, None, "luohu")]
    assert application.cv, "saving without a new file keeps the CV already uploaded"


def test_the_form_rejects_the_same_preference_twice(client, applicant, cohort, store):
    client.force_login(applicant)

    response = client.post(
        apply_url(cohort),
        complete(cohort, store, preference_1="district:futian", preference_2="district:futian", save=""),
    )

    assert response.status_code == 400
    assert "Choose each store or district only once." in response.content.decode()
    assert not Application.objects.filter(student=applicant).exists()


# --- Submission ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "changes, says",
    [
        ({"cv": None}, "your CV as a PDF"),
        ({"motivation": "I like phones."}, "a motivation of at least 50 characters"),
        ({"preference_1": "", "preference_2": ""}, "at least one store or district preference"),
        ({"confirms_availability": None}, "confirmation that you are available for the placement"),
        ({"window": ""}, "the placement window"),
        ({"consents": None}, "your acceptance of the privacy notice"),
    ],
    ids=["no-cv", "short-motivation", "no-preference", "availability-unticked", "no-window", "no-consent"],
)
def test_an_incomplete_submission_is_refused_with_what_is_missing(
    client, applicant, cohort, store, changes, says
):
    client.force_login(applicant)

    response = client.post(apply_url(cohort), complete(cohort, store, submit="", **changes))

    assert response.status_code == 400
    assert any(says in message for message in shown_messages(response))
    application = Application.objects.get(student=applicant, cohort=cohort)
    assert application.status == Application.Status.DRAFT
    assert application.submitted_at is None and application.consent_at is None
    assert application.consent_version == ""


def test_an_empty_submission_lists_everything_that_is_missing_at_once(client, applicant, cohort):
    client.force_login(applicant)

    response = client.post(apply_url(cohort), {"motivation": "", "submit": ""})

    assert response.status_code == 400
    [message] = shown_messages(response)
    for item in [
        "your CV as a PDF",
        "a motivation of at least 50 characters",
        "at least one store or district preference",
        "confirmation that you are available for the placement",
        "privacy notice",
    ]:
        assert item in message
    assert Application.objects.get(student=applicant).status == Application.Status.DRAFT


@pytest.mark.parametrize("shares", [True, False])
def test_a_complete_submission_records_the_consents(client, applicant, cohort, store, shares):
    client.force_login(applicant)
    before = timezone.now()

    response = client.post(
        apply_url(cohort), complete(cohort, store, shares_with_xiaomi="on" if shares else None, submit="")
    )

    application = Application.objects.get(student=applicant, cohort=cohort)
    assert response.status_code == 302
    assert response["Location"] == reverse("internships:application", args=[application.pk])
    assert application.status == Application.Status.SUBMITTED
    assert application.submitted_at >= before
    assert application.consent_version == settings.PRIVACY_NOTICE_VERSION
    assert application.consent_at >= before
    assert application.shares_with_xiaomi is shares
    if shares:
        assert application.share_consent_at >= before
    else:
        assert application.share_consent_at is None
    assert ApplicationEvent.objects.filter(
        application=application, from_status="draft", to_status="submitted"
    ).exists()


def test_after_submission_the_student_sees_the_application_read_only(client, applicant, cohort, store):
    client.force_login(applicant)
    client.post(apply_url(cohort), complete(cohort, store, submit=""))
    application = Application.objects.get(student=applicant)

    response = client.get(apply_url(cohort), follow=True)

    assert response.redirect_chain == [(reverse("internships:application", args=[application.pk]), 302)]
    html = response.content.decode()
    assert "<textarea" not in html and 'name="preference_1"' not in html
    preferences = re.findall(r"<li>([^<]+)</li>", html.split("<ol")[1].split("</ol>")[0])
    assert preferences == ["Xiaomi Store Coastal City", "any store in Futian"]
    assert MOTIVATION in html
    assert reverse("internships:application_cv", args=[application.pk]) in html


def test_a_submitted_application_can_no_longer_be_changed(applicant, cohort):
    application = SubmittedApplicationFactory(student=applicant, cohort=cohort)

    with pytest.raises(services.ApplicationError, match="can no longer be changed"):
        services.application_save_draft(
            student=applicant,
            cohort=cohort,
            motivation="changed",
            window=None,
            confirms_availability=True,
            preferences=[],
        )

    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED
    assert application.motivation != "changed"


# --- Closed cohorts and missing profiles ---------------------------------------------------------


@pytest.mark.parametrize(
    "cohort_fields",
    [
        {"applications_close_on": timezone.localdate() - timedelta(days=1)},
        {"status": Cohort.Status.RUNNING},
    ],
    ids=["deadline-passed", "cohort-running"],
)
def test_applying_to_a_cohort_that_is_not_open_is_refused(client, applicant, cohort_fields):
    cohort = CohortFactory(applications_open_on=timezone.localdate() - timedelta(days=30), **cohort_fields)
    client.force_login(applicant)

    response = client.post(apply_url(cohort), {"motivation": MOTIVATION, "save": ""}, follow=True)

    assert "This cohort is not taking applications." in shown_messages(response)
    assert not Application.objects.filter(student=applicant).exists()
    with pytest.raises(services.ApplicationError):
        services.application_save_draft(
            student=applicant,
            cohort=cohort,
            motivation=MOTIVATION,
            window=None,
            confirms_availability=True,
            preferences=[],
        )


def test_a_draft_cannot_be_submitted_after_the_deadline(applicant, cohort):
    application = ApplicationFactory(student=applicant, cohort=cohort)
    Cohort.objects.filter(pk=cohort.pk).update(applications_close_on=timezone.localdate() - timedelta(days=1))

    with pytest.raises(services.ApplicationError, match="not taking applications"):
        services.application_submit(application=application, consents=True, shares_with_xiaomi=False)

    application.refresh_from_db()
    assert application.status == Application.Status.DRAFT


def test_a_student_without_a_profile_fills_it_in_first_and_comes_back_to_the_form(client, student, cohort):
    client.force_login(student)

    response = client.get(apply_url(cohort))

    profile_url = f"{reverse('internships:student_profile')}?next={apply_url(cohort)}"
    assert response.status_code == 302
    assert response["Location"] == profile_url
    response = client.post(
        profile_url,
        {"student_number": "2023000456", "major": "Marketing", "graduation_year": 2027, "phone": ""},
    )
    assert response.status_code == 302
    assert response["Location"] == apply_url(cohort)
    assert StudentProfile.objects.get(user=student).student_number == "2023000456"
    assert client.get(apply_url(cohort)).status_code == 200


# --- Withdrawal ----------------------------------------------------------------------------------


@pytest.mark.parametrize("status", [Application.Status.SUBMITTED, Application.Status.WAITLISTED])
def test_a_student_withdraws_an_application_before_the_decision(client, applicant, cohort, status):
    application = SubmittedApplicationFactory(student=applicant, cohort=cohort, status=status)
    client.force_login(applicant)

    response = client.post(reverse("internships:application_withdraw", args=[application.pk]), follow=True)

    assert "Your application is withdrawn." in shown_messages(response)
    application.refresh_from_db()
    assert application.status == Application.Status.WITHDRAWN
    assert application.withdrawn_at is not None
    assert ApplicationEvent.objects.filter(
        application=application, from_status=status, to_status="withdrawn", actor=applicant
    ).exists()


def test_an_accepted_application_cannot_be_withdrawn_by_the_student(client, applicant, cohort):
    application = SubmittedApplicationFactory(student=applicant, cohort=cohort, status="accepted")
    client.force_login(applicant)

    response = client.post(reverse("internships:application_withdraw", args=[application.pk]), follow=True)

    assert "A decided application cannot be withdrawn. Contact the programme office." in shown_messages(
        response
    )
    application.refresh_from_db()
    assert application.status == Application.Status.ACCEPTED
    assert application.withdrawn_at is None


def test_a_student_cannot_withdraw_someone_elses_application(client, applicant, other_student, cohort):
    application = SubmittedApplicationFactory(student=other_student, cohort=cohort)
    client.force_login(applicant)

    response = client.post(reverse("internships:application_withdraw", args=[application.pk]))

    assert response.status_code == 404
    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED


def test_a_withdrawn_application_is_reopened_as_a_draft_while_the_cohort_is_open(
    client, applicant, cohort, store
):
    application = SubmittedApplicationFactory(student=applicant, cohort=cohort)
    services.application_withdraw(application=application, by=applicant)
    client.force_login(applicant)

    assert client.get(apply_url(cohort)).status_code == 200
    response = client.post(apply_url(cohort), complete(cohort, store, cv=None, consents=None, save=""))

    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == Application.Status.DRAFT
    assert application.withdrawn_at is None
    assert application.submitted_at is None and application.consent_at is None
    assert application.consent_version == "" and not application.shares_with_xiaomi
    assert Application.objects.filter(student=applicant, cohort=cohort).count() == 1
    assert ApplicationEvent.objects.filter(
        application=application, from_status="withdrawn", to_status="draft"
    ).exists()


def test_a_student_discards_a_draft_and_its_cv_is_deleted(
    applicant, cohort, store, client, django_capture_on_commit_callbacks
):
    client.force_login(applicant)
    client.post(apply_url(cohort), complete(cohort, store, consents=None, save=""))
    draft = Application.objects.get(student=applicant, cohort=cohort)
    assert draft.status == Application.Status.DRAFT and draft.cv
    cv_path = Path(draft.cv.path)

    with django_capture_on_commit_callbacks(execute=True):
        result = services.application_withdraw(application=draft, by=applicant)

    assert result is None
    assert not Application.objects.filter(pk=draft.pk).exists()
    assert not cv_path.exists()


def test_withdrawing_a_draft_on_the_page_discards_it(client, applicant, cohort):
    draft = ApplicationFactory(student=applicant, cohort=cohort)
    client.force_login(applicant)

    response = client.post(reverse("internships:application_withdraw", args=[draft.pk]), follow=True)

    assert response.status_code == 200
    assert response.redirect_chain[0][0] == reverse("home")
    assert "Your draft is discarded." in shown_messages(response)
    assert not Application.objects.filter(pk=draft.pk).exists()
    # The cohort is still open: the student may start again.
    assert client.get(apply_url(cohort)).status_code == 200


@pytest.mark.parametrize(
    "status, button",
    [
        (Application.Status.DRAFT, "Discard my draft"),
        (Application.Status.SUBMITTED, "Withdraw my application"),
        (Application.Status.WAITLISTED, "Withdraw my application"),
        (Application.Status.ACCEPTED, None),
        (Application.Status.REJECTED, None),
        (Application.Status.WITHDRAWN, None),
    ],
)
def test_the_button_offered_is_the_one_the_rule_allows(client, applicant, cohort, status, button):
    factory = ApplicationFactory if status == Application.Status.DRAFT else SubmittedApplicationFactory
    application = factory(student=applicant, cohort=cohort, status=status)
    client.force_login(applicant)

    html = client.get(reverse("internships:application", args=[application.pk])).content.decode()

    offered = [label for label in ("Discard my draft", "Withdraw my application") if label in html]
    assert offered == ([button] if button else [])
    assert (button is not None) == (application.can_discard or application.can_withdraw)


# --- CV uploads ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "upload, says",
    [
        (
            lambda: pdf("cv.pdf", PNG_BYTES),
            "This file is not a PDF. Save your CV as a PDF and upload it again.",
        ),
        (lambda: pdf("cv.pdf", b"%PDF-" + b"x" * (1024 * 1024)), "The file is larger than 1 MB."),
        (lambda: pdf("cv.pdf", b""), "empty"),
    ],
    ids=["png-named-pdf", "too-large", "empty"],
)
def test_a_cv_that_is_not_an_acceptable_pdf_is_refused_and_nothing_is_saved(
    client, applicant, cohort, store, settings, upload, says
):
    settings.CV_MAX_BYTES = 1024 * 1024
    client.force_login(applicant)
    files_before = private_files()

    response = client.post(apply_url(cohort), complete(cohort, store, cv=upload(), save=""))

    assert response.status_code == 400
    assert any(says in error for error in response.context["form"].errors["cv"])
    assert says in response.content.decode()
    assert not Application.objects.filter(student=applicant).exists()
    assert private_files() == files_before


def test_a_real_pdf_is_accepted_and_kept_in_private_storage(client, applicant, cohort, store):
    client.force_login(applicant)

    response = client.post(apply_url(cohort), complete(cohort, store, cv=pdf("我的简历.pdf"), save=""))

    assert response.status_code == 302
    application = Application.objects.get(student=applicant)
    path = Path(application.cv.path)
    assert path.is_relative_to(Path(settings.PRIVATE_MEDIA_ROOT))
    assert path.read_bytes() == PDF_BYTES


# --- CV access -----------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["student", "staff", "admin"], indirect=True)
def test_the_cv_is_served_to_its_owner_and_to_the_programme_office(client, persona, student):
    application = SubmittedApplicationFactory(student=student)
    client.force_login(persona)

    response = client.get(reverse("internships:application_cv", args=[application.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "private, no-store"
    assert b"".join(response.streaming_content) == PDF_BYTES
    response.close()


def test_another_student_cannot_open_a_cv(client, student, other_student):
    application = SubmittedApplicationFactory(student=student)
    client.force_login(other_student)

    response = client.get(reverse("internships:application_cv", args=[application.pk]))

    assert response.status_code == 404


@pytest.mark.parametrize("persona", ["mentor", "hr"], indirect=True)
def test_store_mentors_and_xiaomi_hr_cannot_open_a_cv(client, persona):
    application = SubmittedApplicationFactory()
    client.force_login(persona)

    response = client.get(reverse("internships:application_cv", args=[application.pk]))

    assert response.status_code == 403


def test_an_anonymous_visitor_is_sent_to_sign_in_for_a_cv(client, db):
    application = SubmittedApplicationFactory()

    response = client.get(reverse("internships:application_cv", args=[application.pk]))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_a_cv_is_not_reachable_under_the_public_media_url(client, staff):
    application = SubmittedApplicationFactory()
    client.force_login(staff)

    private_root = Path(settings.PRIVATE_MEDIA_ROOT).resolve()
    assert not private_root.is_relative_to(Path(settings.MEDIA_ROOT).resolve())
    assert Path(application.cv.path).resolve().is_relative_to(private_root)
    assert client.get(settings.MEDIA_URL + application.cv.name).status_code == 404


def test_a_cv_has_no_address_under_the_public_media_url(db):
    application = SubmittedApplicationFactory()

    with pytest.raises(ValueError):
        application.cv.url  # noqa: B018 - reading the address is the behaviour under test
