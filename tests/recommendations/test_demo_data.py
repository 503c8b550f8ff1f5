"""The demo's finished cohort is recommended to Xiaomi: several statuses, one overdue, one graduate
without the hiring consent, and Xiaomi's views in the access log, the same whatever the hour."""

from datetime import datetime, timedelta
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.utils import timezone

from accounts.models import Role, User
from demo.data import NO_HIRING_CONSENT
from evaluations.models import ProgrammeResult
from evaluations.services import PASSING_BANDS
from notifications.models import Reminder
from recommendations.models import DataAccess, HiringConsent, Recommendation, RecommendationEvent
from recommendations.services import recommendation_answer_offer

S = Recommendation.Status
SHANGHAI = ZoneInfo("Asia/Shanghai")
GRADUATE_SIGN_IN = "202200001@qq.com"

# e-mail: (status, priority, sent days ago, Xiaomi to respond by (days from today))
EXPECTED = {
    "202200001@qq.com": (S.OFFER, "priority", 21, -14),
    "202200002@163.com": (S.HIRED, "priority", 21, -14),
    "202200004@foxmail.com": (S.REVIEWING, "standard", 8, -1),
    "202200006@qq.com": (S.DECLINED_BY_XIAOMI, "standard", 8, -1),
    "alumni05@stu.sztu.edu.cn": (S.RECEIVED, "standard", 8, -1),
}


def build_demo_at(hour: int):
    """Run demo_data on Wednesday 2 December 2026 at `hour` Shanghai; the clock stays there."""
    traveller = time_machine.travel(datetime(2026, 12, 2, hour, 0, tzinfo=SHANGHAI), tick=False)
    traveller.start()
    call_command("demo_data", stdout=StringIO())
    return traveller


@pytest.fixture
def demo_at_ten(db):
    traveller = build_demo_at(10)
    yield timezone.localdate()
    traveller.stop()


def snapshot(today) -> dict:
    return {
        r.student.email: (
            r.status,
            r.priority,
            (today - timezone.localdate(r.sent_at)).days,
            (r.respond_by - today).days,
        )
        for r in Recommendation.objects.select_related("student")
    }


def test_the_finished_cohort_is_recommended_in_several_statuses(demo_at_ten):
    today = demo_at_ten
    assert snapshot(today) == EXPECTED
    assert set(Recommendation.objects.values_list("cohort__code", flat=True)) == {"2026-spring"}
    # Xiaomi HR see every one of them (each student still consents); the open ones are on the board.
    hr = User.objects.get(email="hr@xiaomi-demo.cn")
    assert Recommendation.objects.visible_to(hr).count() == 5
    assert Recommendation.objects.visible_to(hr).open().count() == 3


def test_exactly_one_is_overdue(demo_at_ten):
    today = demo_at_ten
    overdue = Recommendation.objects.filter(status=S.RECEIVED, respond_by__lt=today)

    assert [r.student.email for r in overdue] == ["alumni05@stu.sztu.edu.cn"]
    (recommendation,) = overdue
    assert timezone.localdate(recommendation.sent_at) == today - timedelta(days=8)
    assert recommendation.first_response_at is None
    # the others answered in time
    for r in Recommendation.objects.exclude(pk=recommendation.pk):
        assert r.first_response_at is not None
        assert timezone.localdate(r.first_response_at) <= r.respond_by


def test_one_passing_graduate_has_not_given_the_hiring_consent(demo_at_ten):
    passing = ProgrammeResult.objects.filter(placement__cohort__code="2026-spring", band__in=PASSING_BANDS)
    graduates = User.objects.filter(placements__result__in=passing)
    consenting = HiringConsent.objects.active().filter(student__in=graduates)

    assert graduates.count() == 6
    assert consenting.count() == 5
    assert set(graduates.exclude(hiring_consents__in=consenting).values_list("email", flat=True)) == {
        NO_HIRING_CONSENT
    }
    assert not Recommendation.objects.filter(student__email=NO_HIRING_CONSENT).exists()
    # given a month ago, before the batches were sent
    for consent in consenting:
        assert consent.given_at < Recommendation.objects.order_by("sent_at").first().sent_at


def test_the_history_is_in_the_past_and_ends_with_the_status(demo_at_ten):
    now = timezone.now()
    for r in Recommendation.objects.prefetch_related("events"):
        events = list(r.events.all())
        assert [e.at for e in events] == sorted(e.at for e in events)
        assert events[0].to_status == S.RECEIVED and events[0].at == r.sent_at
        assert events[-1].to_status == r.status and events[-1].at == r.status_changed_at
        assert all(e.at < now for e in events)
        assert r.created_at == r.sent_at
    # the hired graduate and the graduate sign-in went through an interview held days ago, with the
    # demo HR manager; the hired one accepted the offer on the platform
    interviewed = Recommendation.objects.filter(student__email__in=["202200001@qq.com", "202200002@163.com"])
    for r in interviewed:
        assert r.interview_at < now and r.interview_place and r.interviewer.role == Role.HR
        interview = r.events.get(to_status=S.INTERVIEW)
        assert interview.details["at"] == r.interview_at.astimezone(SHANGHAI).isoformat()
    hired = RecommendationEvent.objects.get(to_status=S.HIRED)
    assert hired.actor == hired.recommendation.student


def test_the_graduate_sign_in_can_answer_the_offer(demo_at_ten):
    student = User.objects.get(email=GRADUATE_SIGN_IN)
    offer = Recommendation.objects.get(student=student)

    assert offer.status == S.OFFER
    accepted = recommendation_answer_offer(
        student=student, recommendation_id=offer.pk, version=offer.version, accept=True
    )
    assert accepted.status == S.HIRED


def test_xiaomi_viewed_the_graduate_sign_ins_data(demo_at_ten):
    student = User.objects.get(email=GRADUATE_SIGN_IN)
    views = DataAccess.objects.filter(student=student)

    assert views.count() >= 3
    assert set(views.values_list("what", flat=True)) == {DataAccess.What.CANDIDATE, DataAccess.What.CV}
    assert set(views.values_list("viewer__role", flat=True)) == {Role.HR}
    assert all(view.at < timezone.now() for view in views)
    # only students who were recommended (and consent) were viewed
    assert not DataAccess.objects.filter(student__email=NO_HIRING_CONSENT).exists()


def test_no_notice_of_the_old_changes_goes_out_today(demo_at_ten):
    """The graduates heard of these changes the days they happened."""
    types = ContentType.objects.get_for_models(Recommendation, RecommendationEvent).values()
    about_pipeline = Reminder.objects.filter(subject_type__in=types)

    assert about_pipeline.filter(kind="recommendation_status_changed").count() >= 10
    assert (
        not about_pipeline.filter(status=Reminder.Status.PENDING)
        .exclude(kind="recommendation_overdue")
        .exists()
    )


def test_running_it_twice_changes_nothing(demo_at_ten):
    models = [Recommendation, RecommendationEvent, HiringConsent, DataAccess]
    before = {model: model.objects.count() for model in models}

    call_command("demo_data", stdout=StringIO())

    assert {model: model.objects.count() for model in models} == before


@pytest.mark.parametrize("hour", [6, 23])
def test_the_same_statuses_whatever_the_hour(db, hour):
    traveller = build_demo_at(hour)
    try:
        today = timezone.localdate()
        assert today == datetime(2026, 12, 2).date()
        assert snapshot(today) == EXPECTED
        assert Recommendation.objects.filter(status=S.RECEIVED, respond_by__lt=today).count() == 1
        assert DataAccess.objects.count() == 9
        assert all(r.status_changed_at < timezone.now() for r in Recommendation.objects.all())
    finally:
        traveller.stop()


@pytest.mark.parametrize("hour", [6, 23])
def test_the_overdue_one_is_escalated_to_xiaomi_today(db, hour):
    """The pipeline's deadlines escalate the overdue recommendation once, at any hour the demo is
    built (skipped where the escalation kind is not registered)."""
    from notifications import kinds
    from notifications.services import reminders_deliver_due

    if kinds.get("recommendation_overdue") is None:
        pytest.skip("the escalation of overdue recommendations is not registered")
    traveller = build_demo_at(hour)
    try:
        reminders_deliver_due()
        overdue = Recommendation.objects.get(student__email="alumni05@stu.sztu.edu.cn")
        escalations = Reminder.objects.filter(kind="recommendation_overdue", status=Reminder.Status.SENT)
        assert escalations.exists()
        assert set(escalations.values_list("recipient__role", flat=True)) <= {Role.HR, Role.STAFF}
        assert "hr@xiaomi-demo.cn" in escalations.values_list("recipient__email", flat=True)
        assert overdue.status == S.RECEIVED
    finally:
        traveller.stop()


def test_the_printed_graduate_sign_in_has_the_offer(db):
    out = StringIO()
    call_command("demo_data", stdout=out)

    line = next(line for line in out.getvalue().splitlines() if "Xiaomi offer" in line)
    assert GRADUATE_SIGN_IN in line
    assert Recommendation.objects.get(student__email=GRADUATE_SIGN_IN).status == S.OFFER
