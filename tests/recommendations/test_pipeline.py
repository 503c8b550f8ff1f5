"""The pipeline's rules: the state machine, who may move what, consent, optimistic locking, and
the database constraints behind them."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from evaluations.models import Band
from recommendations import services
from recommendations.models import TRANSITIONS, HiringConsent, Recommendation, RecommendationEvent
from tests.factories import (
    GraduateResultFactory,
    HiringConsentFactory,
    HRFactory,
    MentorUserFactory,
    RecommendationFactory,
    StaffFactory,
)

pytestmark = pytest.mark.django_db
S = Recommendation.Status


def interview(hr=None, days=3):
    return services.Interview(
        at=timezone.now() + timedelta(days=days),
        place="小米之家 深圳万象天地店",
        interviewer=hr or HRFactory(),
    )


def move(rec, to, by, **kwargs):
    return services.recommendation_move(
        by=by, recommendation_id=rec.pk, to_status=to, version=rec.version, **kwargs
    )


def put_in(status):
    """A recommendation brought to `status` the way the pipeline would."""
    rec = RecommendationFactory()
    hr = HRFactory()
    path = {
        S.RECEIVED: [],
        S.REVIEWING: [S.REVIEWING],
        S.INTERVIEW: [S.REVIEWING, S.INTERVIEW],
        S.OFFER: [S.REVIEWING, S.INTERVIEW, S.OFFER],
        S.HIRED: [S.REVIEWING, S.OFFER, S.HIRED],
        S.DECLINED_BY_XIAOMI: [S.DECLINED_BY_XIAOMI],
        S.DECLINED_BY_STUDENT: [S.REVIEWING, S.DECLINED_BY_STUDENT],
        S.WITHDRAWN: [],
    }[status]
    for step in path:
        rec = move(rec, step, hr, interview=interview(hr) if step == S.INTERVIEW else None)
    if status == S.WITHDRAWN:
        rec = move(rec, S.WITHDRAWN, StaffFactory())
    return rec


def mover_for(to_status):
    if to_status == S.WITHDRAWN:
        return StaffFactory()
    return HRFactory()


ALL_PAIRS = [(a, b) for a in S.values for b in S.values]


@pytest.mark.parametrize(("from_status", "to_status"), ALL_PAIRS)
def test_only_the_machines_jumps_are_allowed(from_status, to_status):
    rec = put_in(from_status)
    assert rec.status == from_status
    kwargs = {"interview": interview()} if to_status == S.INTERVIEW else {}
    if to_status in TRANSITIONS[from_status]:
        moved = move(rec, to_status, mover_for(to_status), **kwargs)
        assert Recommendation.objects.get(pk=rec.pk).status == to_status == moved.status
    else:
        with pytest.raises(services.RecommendationError, match="cannot become"):
            move(rec, to_status, mover_for(to_status), **kwargs)
        assert Recommendation.objects.get(pk=rec.pk).status == from_status


def test_each_move_is_recorded_with_its_actor_and_first_response():
    rec = RecommendationFactory()
    hr = HRFactory()
    assert rec.first_response_at is None
    rec = move(rec, S.REVIEWING, hr, note="简历很好")
    rec.refresh_from_db()
    assert rec.first_response_at is not None and rec.version == 2
    events = list(RecommendationEvent.objects.filter(recommendation=rec))
    assert [(e.from_status, e.to_status) for e in events] == [("", S.RECEIVED), (S.RECEIVED, S.REVIEWING)]
    assert events[-1].actor == hr and events[-1].note == "简历很好"


def test_a_move_on_a_stale_version_is_refused_and_loses_nothing():
    rec = RecommendationFactory()
    first, second = HRFactory(), HRFactory()
    stale_version = rec.version
    move(rec, S.REVIEWING, first)
    with pytest.raises(services.RecommendationConflict, match="someone else"):
        services.recommendation_move(
            by=second, recommendation_id=rec.pk, to_status=S.DECLINED_BY_XIAOMI, version=stale_version
        )
    rec.refresh_from_db()
    assert rec.status == S.REVIEWING and rec.version == 2
    assert RecommendationEvent.objects.filter(recommendation=rec).count() == 2


@pytest.mark.parametrize("to_status", [S.REVIEWING, S.INTERVIEW, S.OFFER, S.DECLINED_BY_XIAOMI])
def test_staff_and_students_may_not_make_xiaomis_moves(to_status):
    rec = put_in(S.REVIEWING) if to_status != S.REVIEWING else RecommendationFactory()
    for user in (StaffFactory(), rec.student):
        with pytest.raises(PermissionError):
            move(rec, to_status, user, interview=interview())


def test_only_the_university_withdraws():
    rec = RecommendationFactory()
    with pytest.raises(PermissionError):
        move(rec, S.WITHDRAWN, HRFactory())
    assert move(rec, S.WITHDRAWN, StaffFactory()).status == S.WITHDRAWN


def test_the_student_answers_their_own_offer_only():
    rec = put_in(S.OFFER)
    other = put_in(S.OFFER)
    with pytest.raises(Recommendation.DoesNotExist):
        services.recommendation_answer_offer(
            student=other.student, recommendation_id=rec.pk, version=rec.version, accept=True
        )
    accepted = services.recommendation_answer_offer(
        student=rec.student, recommendation_id=rec.pk, version=rec.version, accept=True
    )
    assert accepted.status == S.HIRED
    declined = services.recommendation_answer_offer(
        student=other.student, recommendation_id=other.pk, version=other.version, accept=False
    )
    assert declined.status == S.DECLINED_BY_STUDENT


def test_an_interview_needs_a_future_date_a_place_and_a_colleague():
    rec = put_in(S.REVIEWING)
    hr = HRFactory()
    with pytest.raises(ValidationError):
        move(rec, S.INTERVIEW, hr)
    with pytest.raises(ValidationError):
        move(rec, S.INTERVIEW, hr, interview=interview(days=-1))
    with pytest.raises(ValidationError):
        move(rec, S.INTERVIEW, hr, interview=services.Interview(timezone.now() + timedelta(days=1), " ", hr))
    with pytest.raises(ValidationError):
        move(rec, S.INTERVIEW, hr, interview=interview(StaffFactory()))
    mentor = MentorUserFactory()
    done = move(rec, S.INTERVIEW, hr, interview=interview(mentor))
    assert done.interviewer == mentor


def test_hr_cannot_move_a_recommendation_whose_consent_was_withdrawn():
    rec = RecommendationFactory()
    services.consent_withdraw(student=rec.student)
    with pytest.raises(Recommendation.DoesNotExist):
        move(rec, S.REVIEWING, HRFactory())


# --- Sending ---------------------------------------------------------------------------------


def nominate(result, priority="priority", justification="课程与实习表现突出。"):
    return services.Nomination(result=result, priority=priority, justification=justification)


def test_a_batch_is_sent_at_once_with_the_cohorts_response_time():
    staff = StaffFactory()
    results = [GraduateResultFactory() for _ in range(2)]
    for r in results:
        services.consent_give(student=r.placement.student)
    sent = services.recommendations_send(by=staff, nominations=[nominate(r) for r in results])
    assert len(sent) == 2
    rec = Recommendation.objects.get(pk=sent[0].pk)
    assert rec.status == S.RECEIVED and rec.recommended_by == staff
    assert rec.respond_by == timezone.localdate(rec.sent_at) + timedelta(days=7)


def test_a_batch_with_a_student_who_did_not_consent_is_refused_whole():
    staff = StaffFactory()
    with_consent, without = GraduateResultFactory(), GraduateResultFactory()
    services.consent_give(student=with_consent.placement.student)
    with pytest.raises(ValidationError) as refused:
        services.recommendations_send(by=staff, nominations=[nominate(with_consent), nominate(without)])
    assert without.placement.student.full_name in str(refused.value)
    assert "Xiaomi" in str(refused.value) or "小米" in str(refused.value)
    assert not Recommendation.objects.exists()


def test_a_withdrawn_consent_does_not_count():
    result = GraduateResultFactory()
    services.consent_give(student=result.placement.student)
    services.consent_withdraw(student=result.placement.student)
    with pytest.raises(ValidationError):
        services.recommendations_send(by=StaffFactory(), nominations=[nominate(result)])


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"justification": "  "}, "why"),
        ({"priority": "urgent"}, "priority"),
    ],
)
def test_a_nomination_needs_a_justification_and_a_priority(change, message):
    result = GraduateResultFactory()
    services.consent_give(student=result.placement.student)
    with pytest.raises(ValidationError, match=message):
        services.recommendations_send(by=StaffFactory(), nominations=[nominate(result, **change)])
    assert not Recommendation.objects.exists()


@pytest.mark.parametrize("band", [Band.PENDING, Band.NOT_PASSED])
def test_only_graduates_who_completed_the_programme_are_recommended(band):
    result = GraduateResultFactory(band=band, computed_band=band)
    services.consent_give(student=result.placement.student)
    with pytest.raises(ValidationError, match="completed"):
        services.recommendations_send(by=StaffFactory(), nominations=[nominate(result)])


def test_a_graduate_is_recommended_once_per_cohort():
    result = GraduateResultFactory()
    services.consent_give(student=result.placement.student)
    services.recommendations_send(by=StaffFactory(), nominations=[nominate(result)])
    with pytest.raises(ValidationError, match="already"):
        services.recommendations_send(by=StaffFactory(), nominations=[nominate(result)])


def test_only_staff_send():
    result = GraduateResultFactory()
    services.consent_give(student=result.placement.student)
    for user in (HRFactory(), result.placement.student):
        with pytest.raises(PermissionError):
            services.recommendations_send(by=user, nominations=[nominate(result)])


# --- Consent ----------------------------------------------------------------------------------


def test_consent_is_given_once_and_each_withdrawal_is_kept():
    result = GraduateResultFactory()
    student = result.placement.student
    first = services.consent_give(student=student)
    assert services.consent_give(student=student) == first
    services.consent_withdraw(student=student)
    second = services.consent_give(student=student)
    assert second != first
    rows = list(HiringConsent.objects.filter(student=student).order_by("given_at", "id"))
    assert [r.withdrawn_at is not None for r in rows] == [True, False]
    assert services.consent_withdraw(student=StaffFactory()) is None


def test_withdrawing_consent_hides_the_student_from_xiaomi_at_once():
    rec = RecommendationFactory()
    hr = HRFactory()
    assert Recommendation.objects.visible_to(hr).filter(pk=rec.pk).exists()
    services.consent_withdraw(student=rec.student)
    assert not Recommendation.objects.visible_to(hr).filter(pk=rec.pk).exists()
    assert Recommendation.objects.visible_to(StaffFactory()).filter(pk=rec.pk).exists()
    assert Recommendation.objects.visible_to(rec.student).filter(pk=rec.pk).exists()


# --- The database -------------------------------------------------------------------------------


def _raw_insert(**overrides):
    rec = RecommendationFactory.build(
        result=GraduateResultFactory(), recommended_by=StaffFactory(), **overrides
    )
    with transaction.atomic():
        Recommendation.objects.bulk_create([rec])


def test_the_database_refuses_a_recommendation_without_consent():
    with pytest.raises(IntegrityError):
        _raw_insert(consent=None)


@pytest.mark.parametrize(
    "overrides",
    [
        {"status": "maybe"},
        {"priority": "urgent"},
        {"justification": ""},
        {"status": S.INTERVIEW, "first_response_at": timezone.now()},  # no date, place, interviewer
        {"status": S.REVIEWING},  # left received without a first response
    ],
)
def test_the_database_refuses_invalid_rows(overrides):
    with pytest.raises(IntegrityError):
        _raw_insert(**overrides)


def test_the_database_keeps_one_open_consent_per_student():
    consent = HiringConsentFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        HiringConsentFactory(student=consent.student)


def test_the_database_keeps_one_recommendation_per_student_and_cohort():
    rec = RecommendationFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Recommendation.objects.bulk_create(
            [
                RecommendationFactory.build(
                    result=GraduateResultFactory(),
                    student=rec.student,
                    cohort=rec.cohort,
                    consent=rec.consent,
                    recommended_by=rec.recommended_by,
                )
            ]
        )
