"""The pipeline's notices: each in its recipient's language, checked again at send time; the
interview invitation with its .ics to the student and the interviewer; the student's answer to the
HR user who made the offer; a withdrawal told to the student."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from notifications.models import Notification, Reminder
from notifications.services import reminders_deliver_due
from recommendations import services
from recommendations.models import HiringSettings, Recommendation, StudentSees
from tests.factories import HRFactory, MentorUserFactory, RecommendationFactory, StaffFactory, StudentFactory

pytestmark = pytest.mark.django_db
S = Recommendation.Status


def move(rec, to, by, **kwargs):
    return services.recommendation_move(
        by=by, recommendation_id=rec.pk, to_status=to, version=rec.version, **kwargs
    )


def interview(interviewer, days=3):
    return services.Interview(
        at=timezone.now() + timedelta(days=days), place="小米之家 深圳万象天地店", interviewer=interviewer
    )


def recommended(language="en", sees=None):
    student = StudentFactory(language=language, full_name="林晓")
    rec = RecommendationFactory(result__placement__student=student)
    if sees:
        HiringSettings.objects.create(cohort=rec.cohort, student_sees=sees)
    return rec


def sent(kind=None):
    rows = Reminder.objects.filter(status=Reminder.Status.SENT)
    return list(rows.filter(kind=kind) if kind else rows)


def deliver():
    mail.outbox.clear()
    return reminders_deliver_due()


def test_sending_a_batch_tells_the_student_in_their_language(client):
    student = StudentFactory(language="zh-hans", full_name="林晓")
    from tests.factories import GraduateResultFactory, HiringConsentFactory

    result = GraduateResultFactory(placement__student=student)
    HiringConsentFactory(student=student)
    services.recommendations_send(
        by=StaffFactory(), nominations=[services.Nomination(result, "priority", "表现突出")]
    )

    deliver()

    [message] = mail.outbox
    assert message.to == [student.email]
    assert "林晓，您好" in message.body  # Chinese, the student's language
    assert reverse("recommendations:my_recommendation") in message.body


def test_the_notice_says_what_an_offer_means_and_what_to_do_next():
    rec = recommended()
    hr = HRFactory()
    rec = move(move(rec, S.REVIEWING, hr), S.OFFER, hr)

    deliver()

    message = next(m for m in mail.outbox if m.to == [rec.student.email])
    assert "Offer made — Xiaomi is waiting for your answer" in message.subject
    assert "accept or decline the offer on the platform" in message.body
    assert Notification.objects.filter(user=rec.student, kind="recommendation_status_changed").exists()


def test_with_milestones_only_reviewing_is_not_told_but_the_recommendation_still_is():
    rec = recommended(sees=StudentSees.MILESTONES)
    # the "recommended" notice is planned with the batch; the factory does not plan it
    from notifications.services import reminders_plan_many

    reminders_plan_many(
        kind="recommendation_status_changed", plans=[(rec.student_id, rec.events.get(), timezone.now(), {})]
    )
    move(rec, S.REVIEWING, HRFactory())  # before the notice went out

    deliver()

    [message] = mail.outbox
    assert "Recommended — waiting for Xiaomi" in message.subject  # still true as the student sees it
    assert Reminder.objects.filter(kind="recommendation_status_changed").count() == 1


@pytest.mark.parametrize("sees", [StudentSees.EVERY_STATUS, StudentSees.MILESTONES])
def test_a_withdrawal_by_the_university_is_told_to_the_student_whatever_the_setting(sees):
    rec = recommended(sees=sees)

    move(rec, S.WITHDRAWN, StaffFactory())
    deliver()

    [message] = mail.outbox
    assert message.to == [rec.student.email]
    assert "Withdrawn by the university" in message.subject


def test_an_interview_sends_one_invitation_with_an_ics_to_the_student_and_to_the_interviewer():
    rec = recommended()
    organiser = HRFactory(full_name="张HR")
    interviewer = MentorUserFactory(full_name="王店长", language="zh-hans")
    rec = move(rec, S.REVIEWING, organiser)
    deliver()
    rec = move(rec, S.INTERVIEW, organiser, interview=interview(interviewer))

    deliver()

    assert sorted(m.to[0] for m in mail.outbox) == sorted([rec.student.email, interviewer.email])
    assert not Reminder.objects.filter(kind="recommendation_status_changed", status="pending").exists()
    to_student = next(m for m in mail.outbox if m.to == [rec.student.email])
    to_interviewer = next(m for m in mail.outbox if m.to == [interviewer.email])
    assert "Xiaomi invites you to an interview." in to_student.body
    assert "王店长" in to_student.body and "小米之家 深圳万象天地店" in to_student.body
    assert "王店长，您好" in to_interviewer.body  # the interviewer's own language
    assert reverse("dashboards:mentor_home") in to_interviewer.body  # a store mentor: their home
    assert reverse("recommendations:my_recommendation") in to_student.body
    for message in (to_student, to_interviewer):
        [(name, content, mimetype)] = message.attachments
        assert name == "interview.ics" and mimetype.startswith("text/calendar")
        calendar = Calendar.from_ical(content)
        assert str(calendar["method"]) == "REQUEST"
        [event] = calendar.walk("VEVENT")
        [zone] = calendar.walk("VTIMEZONE")
        assert str(zone["tzid"]) == "Asia/Shanghai"
        assert str(event["uid"]) == f"recommendation-{rec.pk}-interview@sztu-xiaomi"
        assert event["dtstart"].dt == rec.interview_at.replace(microsecond=0)
        assert str(event["dtstart"].dt.tzinfo) == "Asia/Shanghai"
        assert str(event["location"]) == "小米之家 深圳万象天地店"
        assert str(event["organizer"]) == f"mailto:{organiser.email}"
        assert {str(a) for a in event["attendee"]} == {
            f"mailto:{rec.student.email}",
            f"mailto:{interviewer.email}",
        }
        assert "林晓" in str(event["summary"])
    assert "BEGIN:VTIMEZONE" in to_student.attachments[0][1]
    assert "DTSTART;TZID=Asia/Shanghai:" in to_student.attachments[0][1]


def test_a_rescheduled_interview_sends_a_new_invitation_for_the_same_calendar_entry():
    rec = recommended()
    hr = HRFactory()
    rec = move(move(rec, S.REVIEWING, hr), S.INTERVIEW, hr, interview=interview(hr))
    deliver()
    first = {m.to[0]: m.attachments[0][1] for m in mail.outbox}

    rec = move(rec, S.INTERVIEW, hr, interview=interview(hr, days=5))
    deliver()

    assert [m.to[0] for m in mail.outbox].count(rec.student.email) == 1
    again = next(m for m in mail.outbox if m.to == [rec.student.email])
    assert "new date" in again.body
    old, new = (
        Calendar.from_ical(x).walk("VEVENT")[0] for x in (first[rec.student.email], again.attachments[0][1])
    )
    assert str(old["uid"]) == str(new["uid"])
    assert int(old["sequence"]) == 0 and int(new["sequence"]) == 1
    assert new["dtstart"].dt == rec.interview_at.replace(microsecond=0)


def test_an_invitation_not_yet_sent_is_replaced_by_the_rescheduled_one():
    rec = recommended()
    hr = HRFactory()
    rec = move(move(rec, S.REVIEWING, hr), S.INTERVIEW, hr, interview=interview(hr))
    rec = move(rec, S.INTERVIEW, hr, interview=interview(hr, days=6))

    deliver()

    invitations = Reminder.objects.filter(kind="interview_invitation")
    # the first invitation, to each of the two, is replaced by the second
    assert invitations.filter(status=Reminder.Status.CANCELLED).count() == 2
    assert invitations.filter(status=Reminder.Status.SENT).count() == 2
    assert len([m for m in mail.outbox if m.to == [rec.student.email] and m.attachments]) == 1


def test_an_invitation_stops_when_the_student_withdraws_the_consent():
    rec = recommended()
    hr = HRFactory()
    rec = move(rec, S.REVIEWING, hr)
    deliver()  # the reviewing notice
    move(rec, S.INTERVIEW, hr, interview=interview(hr))
    services.consent_withdraw(student=rec.student)

    report = deliver()

    assert report.sent == 0 and report.cancelled == 2


def test_the_students_answer_goes_to_the_hr_user_who_made_the_offer():
    rec = recommended()
    reviewer, offerer = HRFactory(), HRFactory(full_name="赵经理", language="zh-hans")
    rec = move(move(rec, S.REVIEWING, reviewer), S.OFFER, offerer)
    deliver()

    services.recommendation_answer_offer(
        student=rec.student, recommendation_id=rec.pk, version=rec.version, accept=True
    )
    deliver()

    [message] = mail.outbox  # the student gets no notice of their own answer
    assert message.to == [offerer.email]
    assert "林晓" in message.subject and "赵经理，您好" in message.body


def test_a_declined_offer_says_so_to_the_hr_user():
    rec = recommended()
    hr = HRFactory()
    rec = move(move(rec, S.REVIEWING, hr), S.OFFER, hr)
    deliver()

    services.recommendation_answer_offer(
        student=rec.student, recommendation_id=rec.pk, version=rec.version, accept=False
    )
    deliver()

    [message] = mail.outbox
    assert "declined your offer" in message.body


def test_the_consent_request_leads_to_the_consent_page_and_stops_once_given():
    asked, gave = StudentFactory(), StudentFactory()
    services.consent_request(requested_by=StaffFactory(full_name="周老师"), students=[asked, gave])
    services.consent_give(student=gave)

    report = deliver()

    assert report.sent == 1 and report.cancelled == 1
    [message] = mail.outbox
    assert message.to == [asked.email]
    assert "周老师" in message.body and reverse("recommendations:my_consent") in message.body
