"""The student's side: my consent (give, withdraw, history), my recommendation (the status as the
cohort allows, the timeline, the interview and its .ics, answering an offer), who at Xiaomi viewed
my data, and the journey's last step on the student home."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from recommendations import services
from recommendations.models import DataAccess, HiringConsent, HiringSettings, Recommendation, StudentSees
from recommendations.selectors.student import student_status, visible_status
from tests.factories import (
    HiringConsentFactory,
    HRFactory,
    NotificationFactory,
    RecommendationFactory,
    StaffFactory,
    StudentFactory,
)

pytestmark = pytest.mark.django_db
S = Recommendation.Status


def move(rec, to, by, **kwargs):
    return services.recommendation_move(
        by=by, recommendation_id=rec.pk, to_status=to, version=rec.version, **kwargs
    )


def interview(hr, days=3):
    return services.Interview(
        at=timezone.now() + timedelta(days=days), place="小米之家 深圳万象天地店", interviewer=hr
    )


def recommended(student=None, sees=None, **fields):
    rec = RecommendationFactory(**({"result__placement__student": student} if student else {}), **fields)
    if sees:
        HiringSettings.objects.create(cohort=rec.cohort, student_sees=sees)
    return rec


def to_offer(rec, hr=None):
    hr = hr or HRFactory()
    rec = move(rec, S.REVIEWING, hr)
    rec = move(rec, S.INTERVIEW, hr, interview=interview(hr))
    return move(rec, S.OFFER, hr)


def page(client, user, name="recommendations:my_recommendation", **params):
    client.force_login(user)
    response = client.get(reverse(name), params)
    assert response.status_code == 200
    return response.content.decode()


# --- The status as the student sees it --------------------------------------------------------


def test_with_milestones_reviewing_reads_as_received_and_every_other_status_as_it_is():
    assert visible_status(S.REVIEWING, StudentSees.MILESTONES) == S.RECEIVED
    assert visible_status(S.REVIEWING, StudentSees.EVERY_STATUS) == S.REVIEWING
    for status in set(S.values) - {S.REVIEWING}:
        assert visible_status(status, StudentSees.MILESTONES) == status
    assert (
        str(student_status(S.REVIEWING, StudentSees.MILESTONES).label) == "Recommended — waiting for Xiaomi"
    )


# --- My consent -------------------------------------------------------------------------------


def test_the_consent_page_says_what_is_shared_names_the_notice_version_and_links_it(client):
    html = page(client, StudentFactory(), "recommendations:my_consent")

    for words in ("your CV", "course results", "evaluations", "certificate", "Xiaomi Shenzhen's HR"):
        assert words in html
    assert settings.PRIVACY_NOTICE_VERSION in html
    assert reverse("internships:privacy") in html
    assert "You have not given this consent yet." in html


def test_giving_the_consent_needs_the_box_ticked_and_saves_nothing_without_it(client):
    student = StudentFactory()
    client.force_login(student)

    response = client.post(reverse("recommendations:my_consent"), {"action": "give"})

    assert response.status_code == 400
    assert "Tick the box to give your consent." in response.content.decode()
    assert not HiringConsent.objects.exists()


def test_an_unknown_action_is_refused_and_saves_nothing(client):
    student = StudentFactory()
    client.force_login(student)

    response = client.post(reverse("recommendations:my_consent"), {"action": "share-everything"})

    assert response.status_code == 400
    assert not HiringConsent.objects.exists()


def test_the_student_gives_the_consent_and_sees_it_in_force_with_its_history(client):
    student = StudentFactory()
    client.force_login(student)

    response = client.post(reverse("recommendations:my_consent"), {"action": "give", "agree": "on"})

    assert response.status_code == 302
    consent = HiringConsent.objects.get(student=student)
    assert consent.is_active and consent.notice_version == settings.PRIVACY_NOTICE_VERSION
    html = page(client, student, "recommendations:my_consent")
    assert "Consent given" in html and "Withdraw my consent" in html and "in force" in html


def test_withdrawing_asks_for_confirmation_and_hides_the_student_from_xiaomi_at_once(client):
    rec = recommended()
    hr = HRFactory()
    assert Recommendation.objects.visible_to(hr).filter(pk=rec.pk).exists()
    html = page(client, rec.student, "recommendations:my_consent")
    assert 'data-confirm="Withdraw your consent?' in html

    response = client.post(reverse("recommendations:my_consent"), {"action": "withdraw"})

    assert response.status_code == 302
    assert not Recommendation.objects.visible_to(hr).filter(pk=rec.pk).exists()
    assert HiringConsent.objects.get(student=rec.student).withdrawn_at is not None
    html = page(client, rec.student, "recommendations:my_consent")
    assert "No consent" in html and "Withdrawn on" in html
    assert "You withdrew your consent" in page(client, rec.student)


def test_the_history_lists_each_time_the_consent_was_given_and_withdrawn(client):
    student = StudentFactory()
    now = timezone.now()
    HiringConsentFactory(
        student=student, given_at=now - timedelta(days=20), withdrawn_at=now - timedelta(days=10)
    )
    HiringConsentFactory(student=student, given_at=now - timedelta(days=5))

    html = page(client, student, "recommendations:my_consent")

    assert html.count("<tr><td>") == 2
    assert html.count("in force") == 1


def test_other_roles_cannot_open_the_students_pages(client):
    for user in (StaffFactory(), HRFactory()):
        client.force_login(user)
        for name in ("my_consent", "my_recommendation", "my_data_views"):
            assert client.get(reverse(f"recommendations:{name}")).status_code == 403


# --- My recommendation ------------------------------------------------------------------------


def test_with_nothing_recommended_the_page_says_what_happens_next_and_links_the_consent(client):
    html = page(client, StudentFactory())

    assert "Not recommended yet" in html
    assert "To be recommended, you first need to give your consent" in html
    assert reverse("recommendations:my_consent") in html
    assert reverse("recommendations:my_data_views") in html


def test_a_received_recommendation_reads_recommended_waiting_for_xiaomi(client):
    rec = recommended()

    html = page(client, rec.student)

    assert "Recommended — waiting for Xiaomi" in html
    assert rec.cohort.name in html


def test_with_milestones_only_the_student_does_not_see_xiaomi_reviewing(client):
    rec = recommended(sees=StudentSees.MILESTONES)
    move(rec, S.REVIEWING, HRFactory())

    html = page(client, rec.student)

    assert "Recommended — waiting for Xiaomi" in html
    assert "reviewing your profile" not in html
    assert html.count("· Recommended — waiting for Xiaomi") == 1  # one timeline entry, not two


def test_with_every_status_the_student_sees_xiaomi_reviewing_in_the_timeline(client):
    rec = recommended(sees=StudentSees.EVERY_STATUS)
    move(rec, S.REVIEWING, HRFactory())

    html = page(client, rec.student)

    assert "Xiaomi is reviewing your profile" in html
    assert "· Recommended — waiting for Xiaomi" in html  # the first step, in the timeline


def test_an_interview_shows_its_date_place_interviewer_and_a_calendar_file(client):
    hr = HRFactory(full_name="王面试")
    rec = move(move(recommended(), S.REVIEWING, hr), S.INTERVIEW, hr, interview=interview(hr))

    html = page(client, rec.student)

    assert "小米之家 深圳万象天地店" in html and "王面试" in html
    ics_url = reverse("recommendations:my_interview_ics", args=[rec.pk])
    assert ics_url in html
    response = client.get(ics_url)
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    ics = response.content.decode()
    assert "METHOD:PUBLISH" in ics and "BEGIN:VTIMEZONE" in ics and "TZID:Asia/Shanghai" in ics
    assert f"UID:recommendation-{rec.pk}-interview@sztu-xiaomi" in ics
    assert "DTSTART;TZID=Asia/Shanghai:" in ics


def test_no_calendar_file_without_an_interview_or_for_someone_elses(client):
    rec = recommended()
    client.force_login(rec.student)
    assert client.get(reverse("recommendations:my_interview_ics", args=[rec.pk])).status_code == 404

    hr = HRFactory()
    other = move(move(recommended(), S.REVIEWING, hr), S.INTERVIEW, hr, interview=interview(hr))
    assert client.get(reverse("recommendations:my_interview_ics", args=[other.pk])).status_code == 404


def test_an_offer_shows_accept_and_decline_and_declining_asks_for_confirmation(client):
    rec = to_offer(recommended())

    html = page(client, rec.student)

    assert "Accept the offer" in html and "Decline the offer" in html
    assert 'data-confirm="Decline Xiaomi’s offer?' in html
    assert f'name="version" value="{rec.version}"' in html


def test_the_student_accepts_the_offer_and_the_page_shows_hired(client):
    rec = to_offer(recommended())
    client.force_login(rec.student)

    response = client.post(
        reverse("recommendations:answer_offer", args=[rec.pk]),
        {"version": rec.version, "answer": "accept"},
        follow=True,
    )

    rec.refresh_from_db()
    assert rec.status == S.HIRED
    html = response.content.decode()
    assert "You accepted the offer." in html and 'data-status="hired"' in html
    assert "Accept the offer" not in html


def test_the_student_declines_the_offer(client):
    rec = to_offer(recommended())
    client.force_login(rec.student)

    client.post(
        reverse("recommendations:answer_offer", args=[rec.pk]), {"version": rec.version, "answer": "decline"}
    )

    rec.refresh_from_db()
    assert rec.status == S.DECLINED_BY_STUDENT


def test_an_answer_on_a_stale_page_is_refused_with_a_clear_message_and_saves_nothing(client):
    rec = to_offer(recommended())
    stale = rec.version - 1
    client.force_login(rec.student)

    response = client.post(
        reverse("recommendations:answer_offer", args=[rec.pk]),
        {"version": stale, "answer": "accept"},
        follow=True,
    )

    assert "changed since you opened this page. Nothing was saved" in response.content.decode()
    rec.refresh_from_db()
    assert rec.status == S.OFFER


def test_an_answer_without_an_offer_is_refused_with_the_pipelines_message(client):
    rec = recommended()
    client.force_login(rec.student)

    response = client.post(
        reverse("recommendations:answer_offer", args=[rec.pk]),
        {"version": rec.version, "answer": "accept"},
        follow=True,
    )

    assert "cannot become" in response.content.decode()
    rec.refresh_from_db()
    assert rec.status == S.RECEIVED


def test_an_unreadable_answer_saves_nothing(client):
    rec = to_offer(recommended())
    client.force_login(rec.student)

    response = client.post(
        reverse("recommendations:answer_offer", args=[rec.pk]), {"answer": "maybe"}, follow=True
    )

    assert "Your answer could not be read." in response.content.decode()
    rec.refresh_from_db()
    assert rec.status == S.OFFER


def test_a_student_cannot_answer_someone_elses_offer(client):
    rec = to_offer(recommended())
    client.force_login(StudentFactory())

    response = client.post(
        reverse("recommendations:answer_offer", args=[rec.pk]), {"version": rec.version, "answer": "accept"}
    )

    assert response.status_code == 404
    rec.refresh_from_db()
    assert rec.status == S.OFFER


@pytest.mark.parametrize("size", [1, 8])
def test_my_recommendation_makes_the_same_number_of_queries_whatever_the_history(
    client, django_assert_num_queries, size
):
    hr = HRFactory()
    rec = move(recommended(), S.REVIEWING, hr)
    for day in range(size):  # rescheduled again and again
        rec = move(rec, S.INTERVIEW, hr, interview=interview(hr, days=3 + day))
    NotificationFactory.create_batch(size, user=rec.student)
    client.force_login(rec.student)

    # session, user, bell; the recommendations with cohort, settings and interviewer; their
    # events; the consent
    with django_assert_num_queries(6):
        response = client.get(reverse("recommendations:my_recommendation"))

    assert response.status_code == 200


# --- Who at Xiaomi viewed my data -------------------------------------------------------------


def test_the_student_sees_who_at_xiaomi_viewed_what_and_when_paginated(client):
    rec = recommended()
    viewer = HRFactory(full_name="李招聘")
    for n in range(25):
        services.access_log(
            viewer=viewer, recommendation=rec, what=DataAccess.What.CV if n % 2 else "candidate"
        )
    services.access_log(viewer=StaffFactory(), recommendation=rec, what="cv")  # staff: not logged

    html = page(client, rec.student, "recommendations:my_data_views")

    assert html.count("李招聘") == 20
    assert "CV" in html and "Candidate page" in html
    assert "Page 1 of 2" in html
    assert page(client, rec.student, "recommendations:my_data_views", page=2).count("李招聘") == 5


def test_the_student_sees_only_their_own_data_views(client):
    rec = recommended()
    services.access_log(viewer=HRFactory(full_name="李招聘"), recommendation=rec, what="cv")

    html = page(client, StudentFactory(), "recommendations:my_data_views")

    assert "李招聘" not in html and "Nobody at Xiaomi has opened your data." in html


@pytest.mark.parametrize("size", [2, 30])
def test_the_data_views_page_makes_the_same_number_of_queries_at_any_size(
    client, django_assert_num_queries, size
):
    rec = recommended()
    for _ in range(size):
        services.access_log(viewer=HRFactory(), recommendation=rec, what="candidate")
    client.force_login(rec.student)

    with django_assert_num_queries(5):  # session, user, bell; the count; the page with its viewers
        response = client.get(reverse("recommendations:my_data_views"))

    assert response.status_code == 200


@pytest.mark.parametrize("size", [1, 12])
def test_the_consent_page_makes_the_same_number_of_queries_at_any_size(
    client, django_assert_num_queries, size
):
    student = StudentFactory()
    now = timezone.now()
    for n in range(size):
        HiringConsentFactory(
            student=student,
            given_at=now - timedelta(days=2 * n + 2),
            withdrawn_at=now - timedelta(days=2 * n + 1),
        )
    client.force_login(student)

    with django_assert_num_queries(6):  # session, user, bell; the open consent; count; the history
        response = client.get(reverse("recommendations:my_consent"))

    assert response.status_code == 200


# --- The journey on the student home ----------------------------------------------------------


def test_the_journey_ends_with_recommended_to_xiaomi_and_its_status_linking_the_page(client):
    rec = to_offer(recommended())

    html = page(client, rec.student, "dashboards:student_home")

    assert "Recommended to Xiaomi" in html
    assert "Offer made — Xiaomi is waiting for your answer" in html
    assert f'<a href="{reverse("recommendations:my_recommendation")}">Recommended to Xiaomi</a>' in html
    assert reverse("recommendations:my_consent") in html
    assert 'aria-current="step">\n      <a href="/me/recommendation/">' in html  # open: the current step


def test_the_journey_shows_reviewing_as_waiting_under_milestones(client):
    rec = move(recommended(sees=StudentSees.MILESTONES), S.REVIEWING, HRFactory())

    html = page(client, rec.student, "dashboards:student_home")

    assert "Recommended — waiting for Xiaomi" in html and "reviewing your profile" not in html


@pytest.mark.parametrize("size", [1, 6])
def test_the_student_home_with_a_recommendation_makes_the_same_number_of_queries(
    client, django_assert_num_queries, size
):
    hr = HRFactory()
    rec = move(recommended(), S.REVIEWING, hr)
    for day in range(size):
        rec = move(rec, S.INTERVIEW, hr, interview=interview(hr, days=3 + day))
    client.force_login(rec.student)
    client.get(reverse("dashboards:student_home"))  # the calendar token is made on the first visit

    with django_assert_num_queries(15):
        response = client.get(reverse("dashboards:student_home"))

    assert response.status_code == 200
