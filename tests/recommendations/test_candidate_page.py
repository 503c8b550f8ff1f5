"""The candidate page: what Xiaomi may see, the access log of each HR view (and none for staff),
404 outside the user's scope, the move buttons, every move through the view (good, stale, invalid)
and the interview form."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from evaluations.models import Certificate
from recommendations.models import TRANSITIONS, DataAccess, HiringConsent, Recommendation, RecommendationEvent
from recommendations.services import HR_MOVES
from tests.factories import (
    EvaluationFactory,
    HRFactory,
    MentorUserFactory,
    RecommendationFactory,
    StaffFactory,
    StudentFactory,
    SubmittedEvaluationFactory,
)

pytestmark = pytest.mark.django_db
S = Recommendation.Status
SHANGHAI = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 12, 10, 10, 0, tzinfo=SHANGHAI)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def put_in(status, **fields):
    """A recommendation in `status`, written straight to the database (the service's rules are
    tested in test_pipeline)."""
    extra = {}
    if status != S.RECEIVED:
        extra["first_response_at"] = timezone.now()
    if status == S.INTERVIEW:
        extra.update(
            interview_at=timezone.now() + timedelta(days=3),
            interview_place="小米之家",
            interviewer=HRFactory(),
        )
    return RecommendationFactory(status=status, **extra, **fields)


def url(name, rec):
    return reverse(f"recommendations:{name}", args=[rec.pk])


# --- what the page shows -------------------------------------------------------------------------


def test_the_page_shows_what_xiaomi_may_see(client, hr):
    rec = put_in(S.REVIEWING, justification="门店销售冠军，沟通能力强。")
    placement = rec.result.placement
    SubmittedEvaluationFactory(placement=placement, period=1, scores=[4, 5, 4, 5, 4, 5])
    SubmittedEvaluationFactory(
        placement=placement,
        period=4,
        recommends_hiring="yes",
        recommendation_reason="顾客评价很高",
        scores=[5, 5, 5, 5, 5, 5],
    )
    EvaluationFactory(placement=placement, period=2, comment="草稿不应出现")
    Certificate.objects.create(
        result=rec.result,
        code="ABCDEFGHJKLMNPQR",
        student_name=rec.student.full_name,
        cohort_name_zh="第一期",
        cohort_name_en="Cohort 1",
        band="merit",
        completed_on=timezone.localdate(),
        issued_at=timezone.now(),
    )
    client.force_login(hr)

    response = client.get(url("candidate", rec))

    assert response.status_code == 200
    page = response.content.decode()
    profile = rec.student.student_profile
    for text in (
        rec.student.full_name,
        profile.student_number,
        profile.major,
        str(profile.graduation_year),
        rec.student.email,
        "门店销售冠军，沟通能力强。",
        "Priority" if rec.priority == "priority" else "Standard",
        "Merit",
        "顾客评价很高",
        reverse("evaluations:verify", args=["ABCDEFGHJKLMNPQR"]),
        url("cv", rec),
    ):
        assert text in page, text
    data = response.context["page"]
    assert [e.period for e in data.evaluations] == [1, 4]  # the draft is not shown
    assert data.final.recommends_hiring == "yes"
    assert [round(c.mean, 1) for c in data.criteria] == [4.5, 5.0, 4.5, 5.0, 4.5, 5.0]
    assert "草稿不应出现" not in page
    assert [e.to_status for e in data.events] == [S.RECEIVED]


def test_a_revoked_certificate_is_not_linked(client, hr):
    rec = put_in(S.RECEIVED)
    Certificate.objects.create(
        result=rec.result,
        code="ABCDEFGHJKLMNPQR",
        student_name="x",
        cohort_name_zh="x",
        cohort_name_en="x",
        band="merit",
        completed_on=timezone.localdate(),
        issued_at=timezone.now(),
        revoked_at=timezone.now(),
        revoked_reason="error",
    )
    client.force_login(hr)
    assert "ABCDEFGHJKLMNPQR" not in client.get(url("candidate", rec)).content.decode()


@pytest.mark.parametrize("extra_events", [0, 6])
def test_the_pages_query_count_does_not_grow(client, hr, django_assert_max_num_queries, extra_events):
    rec = put_in(S.REVIEWING)
    for period in (1, 2, 3):
        SubmittedEvaluationFactory(placement=rec.result.placement, period=period)
    for _ in range(extra_events):
        RecommendationEvent.objects.create(
            recommendation=rec, actor=hr, from_status=S.REVIEWING, to_status=S.REVIEWING, at=timezone.now()
        )
    client.force_login(hr)
    with django_assert_max_num_queries(12):
        assert client.get(url("candidate", rec)).status_code == 200


# --- the access log ------------------------------------------------------------------------------


def test_each_hr_view_of_the_page_and_the_cv_is_logged(client, hr):
    rec = put_in(S.RECEIVED)
    client.force_login(hr)

    client.get(url("candidate", rec))
    client.get(url("candidate", rec))
    response = client.get(url("cv", rec))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "private, no-store"
    rows = list(DataAccess.objects.order_by("id").values_list("viewer", "student", "recommendation", "what"))
    assert rows == [
        (hr.pk, rec.student_id, rec.pk, "candidate"),
        (hr.pk, rec.student_id, rec.pk, "candidate"),
        (hr.pk, rec.student_id, rec.pk, "cv"),
    ]


def test_staff_views_are_not_logged(client, staff):
    rec = put_in(S.RECEIVED)
    client.force_login(staff)
    assert client.get(url("candidate", rec)).status_code == 200
    assert client.get(url("cv", rec)).status_code == 200
    assert not DataAccess.objects.exists()


def test_no_cv_is_a_404_and_not_logged(client, hr):
    rec = put_in(S.RECEIVED)
    rec.result.placement.application.cv = ""
    rec.result.placement.application.save(update_fields=["cv"])
    client.force_login(hr)
    assert client.get(url("cv", rec)).status_code == 404
    assert not DataAccess.objects.exists()
    assert url("cv", rec) not in client.get(url("candidate", rec)).content.decode()


# --- scope -----------------------------------------------------------------------------------------


def test_a_student_who_withdrew_consent_is_a_404_for_hr_and_nothing_is_logged(client, hr):
    rec = put_in(S.REVIEWING)
    HiringConsent.objects.filter(pk=rec.consent_id).update(withdrawn_at=timezone.now())
    client.force_login(hr)
    for name in ("candidate", "cv", "interview"):
        assert client.get(url(name, rec)).status_code == 404, name
    response = client.post(url("move", rec), {"to_status": S.OFFER, "version": rec.version})
    assert response.status_code == 404
    assert not DataAccess.objects.exists()
    assert Recommendation.objects.get(pk=rec.pk).status == S.REVIEWING


def test_a_student_who_was_not_recommended_is_a_404(client, hr):
    client.force_login(hr)
    assert client.get(reverse("recommendations:candidate", args=[999_999])).status_code == 404
    assert client.get(reverse("recommendations:cv", args=[999_999])).status_code == 404


@pytest.mark.parametrize("factory", [StudentFactory, MentorUserFactory])
def test_students_and_mentors_may_not_open_it(client, factory):
    rec = put_in(S.RECEIVED)
    client.force_login(factory())
    assert client.get(url("candidate", rec)).status_code == 403
    assert client.get(url("cv", rec)).status_code == 403


# --- the move buttons ------------------------------------------------------------------------------


@pytest.mark.parametrize("status", S.values)
def test_hr_gets_the_buttons_of_their_moves_from_where_it_stands(client, hr, status):
    rec = put_in(status)
    client.force_login(hr)
    response = client.get(url("candidate", rec))
    expected = [s for s in TRANSITIONS[status] if s in HR_MOVES]
    assert response.context["page"].moves == expected
    page = response.content.decode()
    for to_status in expected:
        if to_status == S.INTERVIEW:
            assert url("interview", rec) in page
        else:
            assert f'name="to_status" value="{to_status}"' in page
    assert 'value="withdrawn"' not in page
    if not expected:
        assert url("move", rec) not in page


def test_staff_get_only_the_withdraw_button(client, staff):
    rec = put_in(S.REVIEWING)
    client.force_login(staff)
    response = client.get(url("candidate", rec))
    assert response.context["page"].moves == [S.WITHDRAWN]
    assert f'name="version" value="{rec.version}"' in response.content.decode()


# --- moves through the view ------------------------------------------------------------------------


def test_hr_moves_it_with_a_note(client, hr):
    rec = put_in(S.RECEIVED)
    client.force_login(hr)

    response = client.post(
        url("move", rec), {"to_status": S.REVIEWING, "version": rec.version, "note": "看简历"}
    )

    assert response.status_code == 302 and response["Location"] == url("candidate", rec)
    rec.refresh_from_db()
    assert rec.status == S.REVIEWING and rec.version == 2
    event = RecommendationEvent.objects.filter(recommendation=rec).latest("id")
    assert (event.actor, event.to_status, event.note) == (hr, S.REVIEWING, "看简历")
    page = client.get(response["Location"]).content.decode()
    assert "is now “Reviewing”" in page


def test_staff_withdraw_it(client, staff):
    rec = put_in(S.OFFER)
    client.force_login(staff)
    client.post(url("move", rec), {"to_status": S.WITHDRAWN, "version": rec.version})
    assert Recommendation.objects.get(pk=rec.pk).status == S.WITHDRAWN


def test_a_stale_page_gets_changed_by_someone_else_and_saves_nothing(client, hr):
    rec = put_in(S.REVIEWING)
    stale = rec.version
    Recommendation.objects.filter(pk=rec.pk).update(status=S.OFFER, version=stale + 1)
    client.force_login(hr)

    response = client.post(
        url("move", rec), {"to_status": S.DECLINED_BY_XIAOMI, "version": stale}, follow=True
    )

    assert response.redirect_chain == [(url("candidate", rec), 302)]
    message = next(iter(response.context["messages"]))
    assert message.level_tag == "error"
    assert "changed by someone else" in message.message and "Offer made" in message.message
    rec.refresh_from_db()
    assert rec.status == S.OFFER and rec.version == stale + 1
    assert RecommendationEvent.objects.filter(recommendation=rec).count() == 1


INVALID = [(a, b) for a in S.values for b in HR_MOVES if b not in TRANSITIONS[a] and b != S.INTERVIEW]


@pytest.mark.parametrize(("from_status", "to_status"), INVALID)
def test_every_invalid_jump_is_refused_with_a_clear_message(client, hr, from_status, to_status):
    rec = put_in(from_status)
    client.force_login(hr)

    response = client.post(url("move", rec), {"to_status": to_status, "version": rec.version}, follow=True)

    message = next(iter(response.context["messages"]))
    assert message.level_tag == "error"
    assert "cannot become" in message.message
    rec.refresh_from_db()
    assert rec.status == from_status and rec.version == 1
    assert RecommendationEvent.objects.filter(recommendation=rec).count() == 1


@pytest.mark.parametrize("from_status", [s for s in S.values if S.INTERVIEW not in TRANSITIONS[s]])
def test_an_interview_from_a_status_that_cannot_have_one_is_refused(client, hr, from_status):
    rec = put_in(from_status)
    client.force_login(hr)
    response = client.get(url("interview", rec), follow=True)
    assert "cannot become" in next(iter(response.context["messages"])).message
    response = client.post(url("interview", rec), interview_data(rec, hr))
    assert Recommendation.objects.get(pk=rec.pk).status == from_status


def test_hr_may_not_withdraw_and_staff_may_not_run_the_pipeline(client, hr, staff):
    rec = put_in(S.REVIEWING)
    client.force_login(hr)
    assert client.post(url("move", rec), {"to_status": S.WITHDRAWN, "version": 1}).status_code == 403
    client.force_login(staff)
    assert client.post(url("move", rec), {"to_status": S.OFFER, "version": 1}).status_code == 403
    assert Recommendation.objects.get(pk=rec.pk).status == S.REVIEWING


def test_an_unreadable_move_saves_nothing(client, hr):
    rec = put_in(S.RECEIVED)
    client.force_login(hr)
    response = client.post(url("move", rec), {"to_status": "nonsense", "version": "x"}, follow=True)
    assert "could not be read" in next(iter(response.context["messages"])).message
    assert Recommendation.objects.get(pk=rec.pk).status == S.RECEIVED


def test_the_move_to_interview_goes_to_its_form(client, hr):
    rec = put_in(S.REVIEWING)
    client.force_login(hr)
    response = client.post(url("move", rec), {"to_status": S.INTERVIEW, "version": rec.version})
    assert response["Location"] == url("interview", rec)
    assert Recommendation.objects.get(pk=rec.pk).status == S.REVIEWING


def test_a_get_of_the_move_url_is_refused(client, hr):
    client.force_login(hr)
    assert client.get(url("move", put_in(S.RECEIVED))).status_code == 405


# --- the interview ---------------------------------------------------------------------------------


def interview_data(rec, person, **changes):
    data = {
        "version": rec.version,
        "at": "2026-12-15T14:30",
        "place": "小米之家 深圳万象天地店",
        "interviewer": person.pk,
        "note": "",
    }
    data.update(changes)
    return data


def test_hr_schedules_an_interview_in_shenzhen_time(client, hr):
    rec = put_in(S.REVIEWING)
    mentor = MentorUserFactory()
    client.force_login(hr)

    form = client.get(url("interview", rec))
    assert form.status_code == 200
    page = form.content.decode()
    assert 'type="datetime-local"' in page and 'list="interview-places"' in page
    assert mentor.full_name in page and hr.full_name in page

    response = client.post(url("interview", rec), interview_data(rec, mentor, note="带上作品集"))

    assert response.status_code == 302
    rec.refresh_from_db()
    assert rec.status == S.INTERVIEW
    assert rec.interview_at == datetime(2026, 12, 15, 14, 30, tzinfo=SHANGHAI)
    assert rec.interview_place == "小米之家 深圳万象天地店" and rec.interviewer == mentor
    event = RecommendationEvent.objects.filter(recommendation=rec).latest("id")
    assert event.note == "带上作品集" and event.details["place"] == "小米之家 深圳万象天地店"


def test_rescheduling_starts_from_the_interview_as_it_stands(client, hr):
    rec = put_in(S.INTERVIEW)
    client.force_login(hr)
    page = client.get(url("interview", rec)).content.decode()
    assert timezone.localtime(rec.interview_at).strftime("%Y-%m-%dT%H:%M") in page
    client.post(url("interview", rec), interview_data(rec, hr, at="2026-12-20T09:00"))
    rec.refresh_from_db()
    assert rec.status == S.INTERVIEW and rec.version == 2
    assert rec.interview_at == datetime(2026, 12, 20, 9, 0, tzinfo=SHANGHAI)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"at": "2026-12-01T10:00"}, "at"),  # in the past
        ({"at": "next week"}, "at"),
        ({"place": ""}, "place"),
        ({"interviewer": ""}, "interviewer"),
    ],
)
def test_a_bad_interview_is_refused_next_to_its_field_and_saves_nothing(client, hr, changes, field):
    rec = put_in(S.REVIEWING)
    client.force_login(hr)
    response = client.post(url("interview", rec), interview_data(rec, hr, **changes))
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert Recommendation.objects.get(pk=rec.pk).status == S.REVIEWING


def test_a_student_or_staff_cannot_be_the_interviewer(client, hr):
    rec = put_in(S.REVIEWING)
    client.force_login(hr)
    response = client.post(url("interview", rec), interview_data(rec, StaffFactory()))
    assert response.status_code == 400 and "interviewer" in response.context["form"].errors


def test_a_stale_interview_form_gets_changed_by_someone_else(client, hr):
    rec = put_in(S.REVIEWING)
    Recommendation.objects.filter(pk=rec.pk).update(status=S.OFFER, version=2)
    client.force_login(hr)
    response = client.post(url("interview", rec), interview_data(rec, hr, version=1), follow=True)
    assert "changed by someone else" in next(iter(response.context["messages"])).message
    assert Recommendation.objects.get(pk=rec.pk).status == S.OFFER


@pytest.mark.parametrize("from_status", [s for s in S.values if S.WITHDRAWN not in TRANSITIONS[s]])
def test_staff_cannot_withdraw_a_closed_recommendation(client, staff, from_status):
    rec = put_in(from_status)
    client.force_login(staff)
    response = client.post(url("move", rec), {"to_status": S.WITHDRAWN, "version": rec.version}, follow=True)
    assert "cannot become" in next(iter(response.context["messages"])).message
    assert Recommendation.objects.get(pk=rec.pk).status == from_status
    assert RecommendationEvent.objects.filter(recommendation=rec).count() == 1
