"""The staff's pages: the candidates, a batch of recommendations (and every way it is refused), the
consent requests, the recommendations sent and their withdrawal, a student's access log and a
cohort's hiring settings."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from evaluations.models import FINAL, Band
from notifications.models import Reminder
from recommendations.models import DataAccess, HiringConsent, HiringSettings, Recommendation
from tests.factories import (
    CohortFactory,
    GraduateResultFactory,
    HiringConsentFactory,
    HRFactory,
    PlacementFactory,
    PlacementWindowFactory,
    ProgrammeResultFactory,
    RecommendationFactory,
    StudentFactory,
    SubmittedEvaluationFactory,
)

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 12, 1, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
S = Recommendation.Status


@pytest.fixture(autouse=True)
def frozen_clock():
    with time_machine.travel(NOW, tick=False):
        yield


def graduate(consent=True, name=None, cohort=None, **fields):
    window = PlacementWindowFactory(cohort=cohort) if cohort else PlacementWindowFactory()
    result = GraduateResultFactory(placement=PlacementFactory(window=window), **fields)
    if name:
        result.placement.student.full_name = name
        result.placement.student.save(update_fields=["full_name"])
    if consent:
        HiringConsentFactory(student=result.placement.student)
    return result


def batch_post(entries):
    """The formset's POST: entries are (result id, priority, justification)."""
    data = {
        "form-TOTAL_FORMS": str(len(entries)),
        "form-INITIAL_FORMS": str(len(entries)),
        "form-MIN_NUM_FORMS": "1",
        "form-MAX_NUM_FORMS": "200",
    }
    for i, (result, priority, justification) in enumerate(entries):
        data |= {
            f"form-{i}-result": result,
            f"form-{i}-priority": priority,
            f"form-{i}-justification": justification,
        }
    return data


# --- Candidates ----------------------------------------------------------------------------------


def test_the_candidates_page_shows_the_ranked_graduates_with_their_components(client, staff):
    top = graduate(name="陈一", course_score=90, evaluation_score=90, attendance_rate=100)
    SubmittedEvaluationFactory(placement=top.placement, period=FINAL, recommends_hiring="yes")
    graduate(consent=False, name="林二", course_score=60, evaluation_score=60, attendance_rate=60)
    ProgrammeResultFactory(band=Band.NOT_PASSED, computed_band=Band.NOT_PASSED)
    client.force_login(staff)

    response = client.get(reverse("recommendations:candidates"))

    assert response.status_code == 200
    rows = list(response.context["page"].object_list)
    assert [r.placement.student.full_name for r in rows] == ["陈一", "林二"]
    html = response.content.decode()
    # (90×30 + 90×40 + 100×20 + 100×10) / 100
    assert "93.0" in html and "Not given" in html and "Given" in html
    assert reverse("recommendations:sent") in html and reverse("recommendations:outcomes") in html


def test_the_candidates_page_filters_and_sorts_from_the_address(client, staff):
    cohort = CohortFactory()
    mine = graduate(cohort=cohort, name="赵三", course_score=50)
    graduate(name="钱四")
    client.force_login(staff)

    response = client.get(reverse("recommendations:candidates"), {"cohort": cohort.pk, "order": "name"})
    assert [r.pk for r in response.context["page"].object_list] == [mine.pk]

    # a filter that does not validate is ignored, the others still apply
    response = client.get(reverse("recommendations:candidates"), {"cohort": cohort.pk, "band": "nonsense"})
    assert [r.pk for r in response.context["page"].object_list] == [mine.pk]


def test_xiaomi_and_students_cannot_open_the_candidates(client):
    for someone in (HRFactory(), StudentFactory()):
        client.force_login(someone)
        assert client.get(reverse("recommendations:candidates")).status_code == 403


@pytest.mark.parametrize("size", [2, 30])
def test_the_candidates_page_makes_a_bounded_number_of_queries(
    client, staff, django_assert_max_num_queries, size
):
    for i in range(size):
        result = graduate(consent=i % 2 == 0)
        if i % 3 == 0:
            RecommendationFactory(result=result)
    client.force_login(staff)
    with django_assert_max_num_queries(7):
        response = client.get(reverse("recommendations:candidates"))
    assert len(response.context["page"].object_list) == min(size, 25)


# --- Recommend a batch ---------------------------------------------------------------------------


def test_the_batch_form_lists_those_without_consent_apart(client, staff):
    ready, lacking = graduate(name="周五"), graduate(consent=False, name="吴六")
    failed = ProgrammeResultFactory(band=Band.NOT_PASSED, computed_band=Band.NOT_PASSED)
    already = RecommendationFactory().result
    client.force_login(staff)

    response = client.get(
        reverse("recommendations:recommend"),
        {"result": [ready.pk, lacking.pk, failed.pk, already.pk, 999999]},
    )

    assert response.status_code == 200
    assert [r.pk for _form, r in response.context["rows"]] == [ready.pk]
    assert [r.pk for r in response.context["lacking"]] == [lacking.pk]
    assert {r.pk for r, _why in response.context["left_out"]} == {failed.pk, already.pk}
    html = response.content.decode()
    assert "Ask them for consent" in html and "no longer exists" in html


def test_the_candidates_form_token_is_dropped_from_the_address(client, staff):
    client.force_login(staff)
    response = client.get(
        reverse("recommendations:recommend"), {"csrfmiddlewaretoken": "x", "next": "/", "result": ["4", "7"]}
    )
    assert response.status_code == 302
    assert response.url == reverse("recommendations:recommend") + "?result=4&result=7"


def test_sending_a_batch_recommends_each_graduate_and_says_so(client, staff):
    a, b = graduate(name="郑七"), graduate(name="王八")
    client.force_login(staff)

    response = client.post(
        reverse("recommendations:recommend"),
        batch_post([(a.pk, "priority", "领导力强。"), (b.pk, "standard", "  顾客评价很好。  ")]),
        follow=True,
    )

    assert response.redirect_chain[-1][0] == reverse("recommendations:sent")
    assert "2 graduates recommended to Xiaomi." in response.content.decode()
    recs = {r.result_id: r for r in Recommendation.objects.all()}
    assert recs[a.pk].priority == "priority" and recs[b.pk].justification == "顾客评价很好。"
    assert all(r.recommended_by == staff and r.status == S.RECEIVED for r in recs.values())


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        (("ok", "standard", "   "), "Write why you recommend this graduate."),
        (("ok", "urgent", "很好"), "Select a valid choice"),
        (("ok", "standard", "长" * 2001), "at most 2000 characters"),
        (("failed", "standard", "很好"), "has not completed the programme"),
        (("missing", "standard", "很好"), "no longer exists"),
        (("already", "standard", "很好"), "already recommended from this cohort"),
        (("no_consent", "standard", "很好"), "did not agree to share their data with Xiaomi"),
    ],
)
def test_a_bad_batch_is_refused_with_a_clear_message_and_nothing_is_sent(client, staff, entry, message):
    good = graduate()
    results = {
        "ok": graduate().pk,
        "failed": graduate(band=Band.NOT_PASSED, computed_band=Band.NOT_PASSED).pk,
        "missing": 987654,
        "already": RecommendationFactory().result_id,
        "no_consent": graduate(consent=False).pk,
    }
    before = Recommendation.objects.count()
    client.force_login(staff)

    key, priority, justification = entry
    response = client.post(
        reverse("recommendations:recommend"),
        batch_post([(good.pk, "standard", "很好"), (results[key], priority, justification)]),
    )

    assert response.status_code == 400
    assert message in response.content.decode()
    assert Recommendation.objects.count() == before


def test_a_consent_withdrawn_after_the_form_was_opened_refuses_the_batch(client, staff):
    result = graduate(name="孙九")
    client.force_login(staff)
    client.get(reverse("recommendations:recommend"), {"result": result.pk})
    HiringConsent.objects.filter(student=result.placement.student).update(withdrawn_at=NOW)

    response = client.post(
        reverse("recommendations:recommend"), batch_post([(result.pk, "standard", "很好")])
    )

    assert response.status_code == 400
    assert "孙九 did not agree" in response.content.decode()
    assert not Recommendation.objects.exists()


def test_xiaomi_cannot_send_a_batch(client):
    result = graduate()
    client.force_login(HRFactory())
    response = client.post(
        reverse("recommendations:recommend"), batch_post([(result.pk, "standard", "很好")])
    )
    assert response.status_code == 403
    assert not Recommendation.objects.exists()


@pytest.mark.parametrize("size", [1, 8])
def test_the_batch_pages_make_a_bounded_number_of_queries(client, staff, django_assert_max_num_queries, size):
    results = [graduate() for _ in range(size)] + [graduate(consent=False)]
    client.force_login(staff)
    with django_assert_max_num_queries(6):
        client.get(reverse("recommendations:recommend"), {"result": [r.pk for r in results]})
    # notify_recommended plans one notice per recommendation (bulk), whatever the size
    with django_assert_max_num_queries(14):
        response = client.post(
            reverse("recommendations:recommend"),
            batch_post([(r.pk, "standard", "很好") for r in results[:-1]]),
        )
    assert response.status_code == 302
    assert Recommendation.objects.count() == size


# --- Consent requests ----------------------------------------------------------------------------


def test_asking_for_consent_notifies_only_those_without_it(client, staff):
    without, consenting = graduate(consent=False), graduate()
    client.force_login(staff)

    response = client.post(
        reverse("recommendations:consent_request"),
        {"result": [without.pk, consenting.pk], "next": reverse("recommendations:candidates")},
        follow=True,
    )

    html = response.content.decode()
    assert "1 graduate was asked to give the consent" in html
    assert "1 of them already consents" in html
    assert list(
        Reminder.objects.filter(kind="hiring_consent_requested").values_list("recipient", flat=True)
    ) == [without.placement.student_id]


def test_asking_for_consent_without_a_selection_says_so(client, staff):
    client.force_login(staff)
    response = client.post(
        reverse("recommendations:consent_request"), {"next": "https://evil.example/"}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("recommendations:candidates")
    assert "Select at least one graduate." in response.content.decode()


# --- Sent, withdraw ------------------------------------------------------------------------------


def test_the_sent_list_shows_each_recommendation_with_its_status_and_filters(client, staff):
    rec = RecommendationFactory(priority="priority")
    other = RecommendationFactory()
    client.force_login(staff)

    response = client.get(reverse("recommendations:sent"))
    assert [r.pk for r in response.context["page"].object_list] == [other.pk, rec.pk]
    html = response.content.decode()
    assert "Received" in html and reverse("recommendations:access_log", args=[rec.student_id]) in html

    response = client.get(reverse("recommendations:sent"), {"priority": "priority"})
    assert [r.pk for r in response.context["page"].object_list] == [rec.pk]
    response = client.get(reverse("recommendations:sent"), {"cohort": other.cohort_id, "status": "received"})
    assert [r.pk for r in response.context["page"].object_list] == [other.pk]


@pytest.mark.parametrize("size", [2, 30])
def test_the_sent_list_makes_a_bounded_number_of_queries(client, staff, django_assert_max_num_queries, size):
    RecommendationFactory.create_batch(size)
    client.force_login(staff)
    with django_assert_max_num_queries(6):
        client.get(reverse("recommendations:sent"))


def test_staff_withdraw_a_recommendation_with_a_note(client, staff):
    rec = RecommendationFactory()
    client.force_login(staff)

    response = client.post(
        reverse("recommendations:withdraw", args=[rec.pk]),
        {"version": rec.version, "note": "学生已接受其他公司录用。"},
        follow=True,
    )

    rec.refresh_from_db()
    assert rec.status == S.WITHDRAWN
    assert rec.events.last().note == "学生已接受其他公司录用。"
    assert "is withdrawn" in response.content.decode()


def test_a_withdrawal_on_a_stale_page_is_refused_as_changed_by_someone_else(client, staff):
    rec = RecommendationFactory()
    stale = rec.version
    Recommendation.objects.filter(pk=rec.pk).update(version=stale + 1)
    client.force_login(staff)

    response = client.post(
        reverse("recommendations:withdraw", args=[rec.pk]), {"version": stale, "note": "重复"}, follow=True
    )

    assert "changed by someone else" in response.content.decode()
    assert Recommendation.objects.get(pk=rec.pk).status == S.RECEIVED


def test_a_closed_recommendation_cannot_be_withdrawn(client, staff):
    rec = RecommendationFactory(status=S.HIRED, first_response_at=NOW)
    client.force_login(staff)
    response = client.post(
        reverse("recommendations:withdraw", args=[rec.pk]), {"version": rec.version, "note": "x"}, follow=True
    )
    assert "cannot become" in response.content.decode()
    assert Recommendation.objects.get(pk=rec.pk).status == S.HIRED


def test_a_withdrawal_needs_a_note(client, staff):
    rec = RecommendationFactory()
    client.force_login(staff)
    response = client.post(
        reverse("recommendations:withdraw", args=[rec.pk]), {"version": rec.version, "note": " "}, follow=True
    )
    assert "Say why you withdraw this recommendation." in response.content.decode()
    assert Recommendation.objects.get(pk=rec.pk).status == S.RECEIVED


def test_withdrawing_an_unknown_recommendation_is_a_404_and_xiaomi_may_not(client, staff):
    client.force_login(staff)
    assert (
        client.post(
            reverse("recommendations:withdraw", args=[98765]), {"version": 1, "note": "x"}
        ).status_code
        == 404
    )
    rec = RecommendationFactory()
    client.force_login(HRFactory())
    response = client.post(reverse("recommendations:withdraw", args=[rec.pk]), {"version": 1, "note": "x"})
    assert response.status_code == 403


# --- Access log ----------------------------------------------------------------------------------


def test_the_access_log_lists_each_view_by_xiaomi_the_newest_first(client, staff):
    rec = RecommendationFactory()
    hr = HRFactory(full_name="刘经理")
    with time_machine.travel(datetime(2026, 11, 20, 9, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False):
        older = DataAccess.objects.create(viewer=hr, student=rec.student, recommendation=rec, what="cv")
    newer = DataAccess.objects.create(viewer=hr, student=rec.student, recommendation=rec, what="candidate")
    DataAccess.objects.create(
        viewer=hr, student=RecommendationFactory().student, recommendation=rec, what="cv"
    )
    client.force_login(staff)

    response = client.get(reverse("recommendations:access_log", args=[rec.student_id]))

    assert [a.pk for a in response.context["page"].object_list] == [newer.pk, older.pk]
    assert "刘经理" in response.content.decode()


def test_the_access_log_of_someone_who_is_not_a_student_is_a_404(client, staff):
    client.force_login(staff)
    assert client.get(reverse("recommendations:access_log", args=[staff.pk])).status_code == 404


@pytest.mark.parametrize("size", [2, 40])
def test_the_access_log_makes_a_bounded_number_of_queries(client, staff, django_assert_max_num_queries, size):
    rec = RecommendationFactory()
    for _ in range(size):
        DataAccess.objects.create(viewer=HRFactory(), student=rec.student, recommendation=rec, what="cv")
    client.force_login(staff)
    with django_assert_max_num_queries(6):
        client.get(reverse("recommendations:access_log", args=[rec.student_id]))


# --- Hiring settings -----------------------------------------------------------------------------

VALID = {
    "course_weight": 25,
    "evaluation_weight": 35,
    "recommendation_weight": 30,
    "attendance_weight": 10,
    "response_days": 5,
    "student_sees": "milestones",
}


def test_staff_save_a_cohorts_hiring_settings(client, staff):
    cohort = CohortFactory()
    client.force_login(staff)
    assert (
        "These are the defaults"
        in client.get(reverse("recommendations:hiring_settings", args=[cohort.pk])).content.decode()
    )

    response = client.post(reverse("recommendations:hiring_settings", args=[cohort.pk]), VALID)

    assert response.status_code == 302
    saved = HiringSettings.objects.get(cohort=cohort)
    assert (saved.recommendation_weight, saved.response_days, saved.student_sees) == (30, 5, "milestones")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"course_weight": 40}, "The four weights must add up to 100 (now 115)."),
        ({"response_days": 0}, "greater than or equal to 1"),
        ({"attendance_weight": "", "course_weight": 35}, "This field is required."),
        ({"student_sees": "everything"}, "Select a valid choice"),
    ],
)
def test_bad_hiring_settings_are_refused_and_nothing_is_saved(client, staff, change, message):
    cohort = CohortFactory()
    client.force_login(staff)
    response = client.post(reverse("recommendations:hiring_settings", args=[cohort.pk]), VALID | change)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not HiringSettings.objects.filter(cohort=cohort).exists()


def test_the_hiring_settings_are_linked_from_the_assessment_overview(client, staff):
    PlacementFactory()
    cohort_id = PlacementFactory().cohort_id
    client.force_login(staff)
    html = client.get(reverse("evaluations:overview")).content.decode()
    assert reverse("recommendations:hiring_settings", args=[cohort_id]) in html


def test_the_batch_form_without_a_choice_sends_back_to_the_candidates(client, staff):
    client.force_login(staff)
    response = client.get(reverse("recommendations:recommend"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("recommendations:candidates")
    assert "Select the graduates to recommend first." in response.content.decode()


def test_after_a_refusal_staff_leave_the_graduate_out_and_send_the_others(client, staff):
    kept, refused = graduate(name="钱十一"), graduate(name="孙十二")
    HiringConsent.objects.filter(student=refused.placement.student).update(withdrawn_at=NOW)
    client.force_login(staff)
    entries = [(kept.pk, "priority", "很好"), (refused.pk, "standard", "也很好")]

    response = client.post(reverse("recommendations:recommend"), batch_post(entries))
    assert response.status_code == 400
    assert "孙十二 did not agree" in response.content.decode()
    assert "Leave out of this batch" in response.content.decode()

    response = client.post(
        reverse("recommendations:recommend"), batch_post(entries) | {"form-1-DELETE": "on"}
    )
    assert response.status_code == 302
    assert list(Recommendation.objects.values_list("result_id", flat=True)) == [kept.pk]


def test_leaving_everyone_out_sends_nothing_and_says_so(client, staff):
    result = graduate()
    client.force_login(staff)
    response = client.post(
        reverse("recommendations:recommend"),
        batch_post([(result.pk, "standard", "")]) | {"form-0-DELETE": "on"},
    )
    assert response.status_code == 400
    assert "Choose at least one graduate to recommend." in response.content.decode()
    assert not Recommendation.objects.exists()


def test_a_choice_of_graduates_all_without_consent_offers_only_to_ask_them(client, staff):
    lacking = graduate(consent=False, name="周十三")
    client.force_login(staff)
    response = client.get(reverse("recommendations:recommend"), {"result": lacking.pk})
    assert response.status_code == 200
    assert response.context["rows"] == []
    html = response.content.decode()
    assert "周十三" in html and "Ask them for consent" in html and "No graduate of your selection" in html
